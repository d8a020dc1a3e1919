//! Analyses passes share: the operand stack at every instruction, learned from the
//! `wasmparser` validator, which already knows every operator's typing.
//!
//! The operand stacks are those of the IR as it is when asked, not as it was read: the
//! lowering eliminates dead code and coalesces locals in the functions it instruments before
//! it asks, and the IR has no instruction identity that would carry types recorded by the
//! reader through such edits. So the IR itself is typed: the validator is given the module's
//! declarations (types, imports, functions, tables, memories, tags, globals, elements, written
//! alone, a few kilobytes) and then each selected body's operators straight from the IR, in
//! parallel, with no body written or parsed back. Before each operator it is asked for the
//! types on the operand stack of the innermost control frame. Operators come in the writer's
//! order (`write::emit_body`), which [`instr_order`] reproduces on the IR, so the k-th
//! operator (not counting `else` and `end`) is the k-th instruction of that order.

use crate::error::{Error, Result};
use crate::ids::*;
use crate::module::{Def, FuncBody, Module};
use crate::places::{InstrMap, InstrRef, Places, SeqMap, owners};
use crate::types::{HeapType, RefType, ValType};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use wasmparser as wp;

/// The operand stack of the innermost control frame just before an instruction.
#[derive(Clone, Debug, PartialEq)]
pub struct OperandStack {
    /// The types on the frame's part of the stack, bottom first.
    pub types: Vec<ValType>,
    /// Whether the instruction is unreachable (the stack is polymorphic there).
    pub unreachable: bool,
}

/// The validator's type ids of the module's types, to the IR's.
type CanonicalTypes = BTreeMap<wp::types::CoreTypeId, TypeId>;

/// Every instruction of a body, in the order the writer emits them: depth first, a
/// structured instruction's bodies right after it (`then` before `else`).
pub fn instr_order(body: &FuncBody) -> Vec<InstrRef> {
    let mut order = Vec::new();
    // Next places to visit; bodies of the instruction just visited are pushed so that they
    // are visited before the rest of its sequence.
    let mut stack = vec![InstrRef::new(body.entry, 0)];
    while let Some(at) = stack.pop() {
        let Some(instr) = body.seqs[at.seq].instrs.get(at.index()) else {
            continue;
        };
        order.push(at);
        stack.push(at.next());
        let bodies: Vec<SeqId> = instr.bodies().collect();
        for b in bodies.into_iter().rev() {
            stack.push(InstrRef::new(b, 0));
        }
    }
    order
}

/// The operand stacks before every instruction of each function in `funcs`, indexed like
/// [`instr_order`].
///
/// The module must be valid with `features`: a body the validator rejects is an internal
/// error (a pass broke it).
pub fn operand_stacks(
    module: &Module,
    features: wp::WasmFeatures,
    funcs: &BTreeSet<FuncId>,
) -> Result<BTreeMap<FuncId, Vec<OperandStack>>> {
    let invalid = |e: wp::BinaryReaderError| Error::internal(format!("operand types: {}", e.message()));
    let declarations = crate::write::write_declarations(module)?;
    let mut validator = wp::Validator::new_with_features(features);
    // Payload by payload, stopping after the last section: the parser would refuse the end
    // of a module whose functions have no code.
    let mut parser = wp::Parser::new(0);
    let mut read = 0;
    while read < declarations.len() {
        match parser.parse(&declarations[read..], true).map_err(invalid)? {
            wp::Chunk::Parsed { consumed, payload } => {
                read += consumed;
                validator.payload(&payload).map_err(invalid)?;
            }
            wp::Chunk::NeedMoreData(_) => {
                return Err(Error::internal("operand types: the declarations end inside a section"));
            }
        }
    }
    let end = declarations.len();
    validator.code_section_start(&(end..end)).map_err(invalid)?;
    let mut selected = Vec::new();
    for (id, f) in module.funcs.iter() {
        if let Def::Local(body) = &f.def {
            // Only the range of the body is looked at, for errors.
            let to_validate = validator
                .code_section_entry(&wp::FunctionBody::new(wp::BinaryReader::new(&[], end)))
                .map_err(invalid)?;
            if funcs.contains(&id) {
                selected.push((id, body, to_validate));
            }
        }
    }
    let mut types_map = CanonicalTypes::new();
    if let Some(types) = validator.types(0) {
        for i in 0..types.core_type_count_in_module() {
            types_map.entry(types.core_type_at_in_module(i)).or_insert(TypeId::new(i as usize));
        }
    }
    selected
        .into_par_iter()
        .map(|(f, body, to_validate)| {
            let stacks = body_stacks(body, to_validate, &types_map).map_err(|e| {
                Error::internal(format!("operand types of function {}: {}", f.as_u32(), e.message()))
            })?;
            Ok((f, stacks))
        })
        .collect::<Result<Vec<_>>>()
        .map(|stacks| stacks.into_iter().collect())
}

/// Validates one body from the IR, recording the operand stack before each operator.
fn body_stacks(
    body: &FuncBody,
    to_validate: wp::FuncToValidate<wp::ValidatorResources>,
    types: &CanonicalTypes,
) -> Result<Vec<OperandStack>> {
    let mut validator = to_validate.into_validator(Default::default());
    for (count, ty) in body.local_groups() {
        validator.define_locals(0, count, ty.to_wp())?;
    }
    let mut recorder =
        StackRecorder { validator, types, ordinal: 1, stacks: Vec::new(), scratch: Vec::new() };
    crate::write::emit_body(body, &mut recorder, |_, _| {})?;
    Ok(recorder.stacks)
}

/// The operand stack of the innermost control frame the validator is in, in the IR's types.
fn stack_of(v: &wp::FuncValidator<wp::ValidatorResources>, types: &CanonicalTypes) -> Result<OperandStack> {
    let height = v.operand_stack_height() as usize;
    let frame = v.get_control_frame(0).ok_or_else(|| Error::new("no control frame"))?;
    let (base, mut unreachable) = (frame.height, frame.unreachable);
    let mut stack = Vec::with_capacity(height - base);
    for i in base..height {
        // `None` is a bottom type in unreachable code, which has no IR type.
        match v.get_operand_type(height - 1 - i).flatten() {
            Some(t) => stack.push(canonical_val_type(t, types)?),
            None => unreachable = true,
        }
    }
    Ok(OperandStack { types: stack, unreachable })
}

/// Takes the operators of a body as the writer emits them and validates them one by one,
/// recording the operand stack before each.
struct StackRecorder<'a> {
    validator: wp::FuncValidator<wp::ValidatorResources>,
    types: &'a CanonicalTypes,
    /// The operator's position in the body, from 1, given to the validator as its offset
    /// (which must not be 0 at the body's end).
    ordinal: usize,
    stacks: Vec<OperandStack>,
    /// Bytes of an instruction that comes as `wasm-encoder`'s, to read back as an operator.
    scratch: Vec<u8>,
}

impl StackRecorder<'_> {
    fn step(&mut self, op: &wp::Operator<'_>) -> Result<()> {
        if !matches!(op, wp::Operator::Else | wp::Operator::End) {
            self.stacks.push(stack_of(&self.validator, self.types)?);
        }
        self.validator.op(self.ordinal, op)?;
        self.ordinal += 1;
        Ok(())
    }
}

impl crate::instr::EmitInstr for StackRecorder<'_> {
    fn parser(&mut self, op: wp::Operator<'_>) -> Result<()> {
        self.step(&op)
    }

    /// `else`, `end` and `br_table`, whose `wasmparser` form only exists as bytes.
    fn encoder(&mut self, instr: wasm_encoder::Instruction<'_>) -> Result<()> {
        use wasm_encoder::Encode;
        match instr {
            // An operator reader of its own would refuse an `else` outside an `if`.
            wasm_encoder::Instruction::Else => return self.step(&wp::Operator::Else),
            wasm_encoder::Instruction::End => return self.step(&wp::Operator::End),
            _ => {}
        }
        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        instr.encode(&mut bytes);
        let outcome = wp::OperatorsReader::new(wp::BinaryReader::new(&bytes, 0))
            .read()
            .map_err(Error::from)
            .and_then(|op| self.step(&op));
        self.scratch = bytes;
        outcome
    }
}

fn canonical_val_type(t: wp::ValType, map: &CanonicalTypes) -> Result<ValType> {
    Ok(match t {
        wp::ValType::Ref(r) => {
            let heap = match r.heap_type() {
                wp::HeapType::Abstract { shared, ty } => HeapType::Abstract { shared, ty },
                wp::HeapType::Concrete(i) | wp::HeapType::Exact(i) => {
                    let id = match i {
                        wp::UnpackedIndex::Id(id) => {
                            *map.get(&id).ok_or_else(|| Error::new("unknown canonical type"))?
                        }
                        wp::UnpackedIndex::Module(m) => TypeId::new(m as usize),
                        wp::UnpackedIndex::RecGroup(_) => {
                            return Err(Error::new("rec-group index on the operand stack"));
                        }
                    };
                    if matches!(r.heap_type(), wp::HeapType::Exact(_)) {
                        HeapType::Exact(id)
                    } else {
                        HeapType::Concrete(id)
                    }
                }
            };
            ValType::Ref(RefType { nullable: r.is_nullable(), heap })
        }
        other => ValType::from_wp(other, 0),
    })
}

/// Which locals are live around every instruction of a function: a backward dataflow over
/// the control flow of the structured code (branches to labels, `if` arms, loops, handler and
/// catch targets; every position inside a `try_table` may reach its catch targets).
pub struct Liveness {
    position: InstrMap<u32>,
    live_in: Vec<Vec<u64>>,
    live_out: Vec<Vec<u64>>,
}

/// Where control goes from a position: another position, or out of the function.
#[derive(Copy, Clone)]
enum Next {
    At(usize),
    Exit,
}

fn set_bit(set: &mut [u64], i: usize) {
    set[i / 64] |= 1 << (i % 64);
}

fn bits(set: &[u64]) -> impl Iterator<Item = usize> + '_ {
    set.iter()
        .enumerate()
        .flat_map(|(w, &word)| (0..64).filter(move |b| word & (1 << b) != 0).map(move |b| w * 64 + b))
}

impl Liveness {
    /// Computes liveness for `body`.
    pub fn new(body: &FuncBody) -> Liveness {
        use crate::instr::{CatchClause, Instr};
        use crate::visit::ReadIds;
        // Positions: each instruction, and the end of each sequence.
        let mut at = Vec::new();
        let position = InstrMap::new(body, Places::InstrsAndEnds, |place| {
            at.push(place);
            (at.len() - 1) as u32
        });
        let owner = owners(body);
        // The catch targets of each `try_table` body.
        let mut catches: SeqMap<Vec<SeqId>> = SeqMap::filled(body, Vec::new());
        for &place in &at {
            if let Some(Instr::TryTable { try_table }) = body.seqs[place.seq].instrs.get(place.index()) {
                catches[try_table.seq] = try_table
                    .catches
                    .iter()
                    .map(|c| match *c {
                        CatchClause::One { label, .. }
                        | CatchClause::OneRef { label, .. }
                        | CatchClause::All { label }
                        | CatchClause::AllRef { label } => label,
                    })
                    .collect();
            }
        }
        let pos = |place: InstrRef| Next::At(position[place] as usize);
        // A branch to a loop goes to its start; to any other label, after its owner.
        let target = |label: SeqId| -> Next {
            match owner[label] {
                None => Next::Exit,
                Some(o) if matches!(body.seqs[o.seq].instrs[o.index()], Instr::Loop { .. }) => {
                    pos(InstrRef::new(label, 0))
                }
                Some(o) => pos(o.next()),
            }
        };
        let n = at.len();
        let words = body.locals.len().div_ceil(64).max(1);
        let mut uses = vec![vec![0u64; words]; n];
        let mut defs = vec![vec![0u64; words]; n];
        let mut succ: Vec<Vec<Next>> = vec![Vec::new(); n];
        for (p, &place) in at.iter().enumerate() {
            let next = Next::At(p + 1);
            let list = &mut succ[p];
            match body.seqs[place.seq].instrs.get(place.index()) {
                None => list.push(match owner[place.seq] {
                    None => Next::Exit,
                    Some(o) => pos(o.next()),
                }),
                Some(instr) => match instr {
                    Instr::LocalGet { local_index } => {
                        set_bit(&mut uses[p], local_index.index());
                        list.push(next);
                    }
                    Instr::LocalSet { local_index } | Instr::LocalTee { local_index } => {
                        set_bit(&mut defs[p], local_index.index());
                        list.push(next);
                    }
                    Instr::Block { blockty } | Instr::Loop { blockty } => {
                        list.push(pos(InstrRef::new(blockty.seq, 0)))
                    }
                    Instr::TryTable { try_table } => list.push(pos(InstrRef::new(try_table.seq, 0))),
                    Instr::If { blockty } => {
                        list.push(pos(InstrRef::new(blockty.then, 0)));
                        list.push(match blockty.else_ {
                            Some(e) => pos(InstrRef::new(e, 0)),
                            None => next,
                        });
                    }
                    Instr::Br { relative_depth } => list.push(target(*relative_depth)),
                    Instr::BrTable { targets } => {
                        list.extend(targets.targets.iter().map(|&t| target(t)));
                        list.push(target(targets.default));
                    }
                    Instr::Return
                    | Instr::Unreachable
                    | Instr::Throw { .. }
                    | Instr::ThrowRef
                    | Instr::ReturnCall { .. }
                    | Instr::ReturnCallIndirect { .. }
                    | Instr::ReturnCallRef { .. } => list.push(Next::Exit),
                    // Every other instruction falls through and may branch to every label
                    // it names (`br_if`, the `br_on_*` family, `resume` handlers): found by
                    // the id reader, so an operator with a new label operand is covered.
                    other => {
                        list.push(next);
                        let mut labels = crate::visit::Targets(Vec::new());
                        other.read_ids(&mut labels);
                        list.extend(labels.0.into_iter().map(target));
                    }
                },
            }
            // Anything inside a try_table may throw to its catch targets.
            let mut up = place.seq;
            while let Some(o) = owner[up] {
                list.extend(catches[up].iter().map(|&t| target(t)));
                up = o.seq;
            }
        }
        let mut live_in = vec![vec![0u64; words]; n];
        let mut live_out = vec![vec![0u64; words]; n];
        let mut changed = true;
        while changed {
            changed = false;
            for p in (0..n).rev() {
                let mut out = vec![0u64; words];
                for s in &succ[p] {
                    if let Next::At(q) = *s {
                        out.iter_mut().zip(&live_in[q]).for_each(|(o, i)| *o |= i);
                    }
                }
                let new_in: Vec<u64> = (0..words).map(|w| uses[p][w] | (out[w] & !defs[p][w])).collect();
                if new_in != live_in[p] || out != live_out[p] {
                    live_in[p] = new_in;
                    live_out[p] = out;
                    changed = true;
                }
            }
        }
        Liveness { position, live_in, live_out }
    }

    /// The locals live just after the instruction at `at` (on any of its successors).
    pub fn live_after(&self, at: InstrRef) -> Vec<LocalId> {
        bits(&self.live_out[self.position[at] as usize]).map(LocalId::new).collect()
    }

    /// The locals live just before the instruction at `at`.
    pub fn live_before(&self, at: InstrRef) -> Vec<LocalId> {
        bits(&self.live_in[self.position[at] as usize]).map(LocalId::new).collect()
    }

    /// Whether `local` is live just after the instruction at `at`.
    pub fn is_live_after(&self, at: InstrRef, local: LocalId) -> bool {
        let set = &self.live_out[self.position[at] as usize];
        set.get(local.index() / 64).is_some_and(|w| w & (1 << (local.index() % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stacks of every body, found the long way: the module written, parsed back and
    /// validated operator by operator.
    fn stacks_of_written(module: &Module) -> BTreeMap<FuncId, Vec<OperandStack>> {
        let bytes = module.to_bytes().unwrap();
        let mut validator = wp::Validator::new_with_features(crate::validate::default_features());
        let mut bodies = Vec::new();
        let mut types = CanonicalTypes::new();
        for payload in wp::Parser::new(0).parse_all(&bytes) {
            match validator.payload(&payload.unwrap()).unwrap() {
                wp::ValidPayload::Func(to_validate, body) => bodies.push((to_validate, body)),
                wp::ValidPayload::End(list) => {
                    let list = list.as_ref();
                    for i in 0..list.core_type_count_in_module() {
                        types.entry(list.core_type_at_in_module(i)).or_insert(TypeId::new(i as usize));
                    }
                }
                _ => {}
            }
        }
        let mut all = BTreeMap::new();
        for (to_validate, body) in bodies {
            let func = FuncId::new(to_validate.index as usize);
            let mut v = to_validate.into_validator(Default::default());
            let mut reader = body.get_binary_reader();
            v.read_locals(&mut reader).unwrap();
            let mut ops = wp::OperatorsReader::new(reader);
            let mut stacks = Vec::new();
            while !ops.eof() {
                let (op, offset) = ops.read_with_offset().unwrap();
                if !matches!(op, wp::Operator::Else | wp::Operator::End) {
                    stacks.push(stack_of(&v, &types).unwrap());
                }
                v.op(offset, &op).unwrap();
            }
            all.insert(func, stacks);
        }
        all
    }

    /// On every module of the round-trip corpus (every operator family, every structured
    /// instruction, unreachable code), typing the IR gives the stacks that validating the
    /// written module gives, one per instruction of `instr_order`.
    #[test]
    fn stacks_of_the_ir_are_those_of_the_written_module() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.retain(|p| p.extension().is_some_and(|e| e == "wat"));
        files.sort();
        assert!(files.len() > 40, "the corpus is in {}", dir.display());
        let mut typed = 0;
        for path in files {
            let module =
                Module::from_input(&std::fs::read(&path).unwrap(), crate::validate::default_features())
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let defined: BTreeSet<FuncId> =
                module.funcs.iter().filter(|(_, f)| !f.def.is_import()).map(|(id, _)| id).collect();
            let ours = operand_stacks(&module, crate::validate::default_features(), &defined)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(ours, stacks_of_written(&module), "{}", path.display());
            for (f, stacks) in &ours {
                let Def::Local(body) = &module.funcs[*f].def else { panic!("{f:?} is defined") };
                assert_eq!(stacks.len(), instr_order(body).len(), "{}", path.display());
                typed += stacks.iter().filter(|s| !s.types.is_empty()).count();
            }
        }
        assert!(typed > 1000, "only {typed} non-empty stacks");
    }
}
