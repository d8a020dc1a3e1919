//! Analyses passes share: the operand stack at every instruction, learned from the
//! `wasmparser` validator, which already knows every operator's typing.
//!
//! The module is written, then each selected function body is validated operator by operator;
//! before each operator the validator is asked for the types on the operand stack of the
//! innermost control frame. Operators come in the writer's order, which [`instr_order`]
//! reproduces on the IR, so the k-th operator (not counting `else` and `end`) is the k-th
//! instruction of that order.

use crate::error::{Error, Result};
use crate::ids::*;
use crate::module::{FuncBody, Module};
use crate::types::{HeapType, RefType, ValType};
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

/// The validator's view of one operand stack: types (`None` where unknown) and reachability.
type RawStack = (Vec<Option<wp::ValType>>, bool);

/// Every instruction of a body as (sequence, index), in the order the writer emits them:
/// depth first, a structured instruction's bodies right after it (`then` before `else`).
pub fn instr_order(body: &FuncBody) -> Vec<(SeqId, usize)> {
    let mut order = Vec::new();
    // (sequence, next index) frames; bodies of the instruction just visited are pushed so
    // that they are visited before the rest of its sequence.
    let mut stack: Vec<(SeqId, usize)> = vec![(body.entry, 0)];
    while let Some((seq, index)) = stack.pop() {
        let Some(instr) = body.seqs[seq].instrs.get(index) else {
            continue;
        };
        order.push((seq, index));
        stack.push((seq, index + 1));
        let bodies: Vec<SeqId> = instr.bodies().collect();
        for b in bodies.into_iter().rev() {
            stack.push((b, 0));
        }
    }
    order
}

/// The operand stacks before every instruction of each function in `funcs`, indexed like
/// [`instr_order`].
pub fn operand_stacks(
    module: &Module,
    features: wp::WasmFeatures,
    funcs: &BTreeSet<FuncId>,
) -> Result<BTreeMap<FuncId, Vec<OperandStack>>> {
    let bytes = module.to_bytes()?;
    let mut validator = wp::Validator::new_with_features(features);
    let mut raw: BTreeMap<FuncId, Vec<RawStack>> = BTreeMap::new();
    let mut types_map: BTreeMap<wp::types::CoreTypeId, TypeId> = BTreeMap::new();
    for payload in wp::Parser::new(0).parse_all(&bytes) {
        let payload = payload?;
        match validator.payload(&payload)? {
            wp::ValidPayload::Func(to_validate, body) => {
                let func = FuncId::new(to_validate.index as usize);
                if !funcs.contains(&func) {
                    continue;
                }
                let mut v = to_validate.into_validator(Default::default());
                let mut reader = body.get_binary_reader();
                v.read_locals(&mut reader)?;
                let mut ops = wp::OperatorsReader::new(reader);
                let mut stacks = Vec::new();
                while !ops.eof() {
                    let (op, offset) = ops.read_with_offset()?;
                    if !matches!(op, wp::Operator::Else | wp::Operator::End) {
                        let height = v.operand_stack_height() as usize;
                        let frame = v.get_control_frame(0).ok_or_else(|| Error::new("no control frame"))?;
                        let (base, unreachable) = (frame.height, frame.unreachable);
                        let types = (base..height)
                            .map(|i| v.get_operand_type(height - 1 - i).flatten())
                            .collect::<Vec<_>>();
                        stacks.push((types, unreachable));
                    }
                    v.op(offset, &op)?;
                }
                raw.insert(func, stacks);
            }
            wp::ValidPayload::End(types) => {
                let types = types.as_ref();
                for i in 0..types.core_type_count_in_module() {
                    types_map.entry(types.core_type_at_in_module(i)).or_insert(TypeId::new(i as usize));
                }
            }
            wp::ValidPayload::Ok | wp::ValidPayload::Parser(_) => {}
        }
    }
    let convert = |t: wp::ValType| -> Result<ValType> { canonical_val_type(t, &types_map) };
    raw.into_iter()
        .map(|(f, stacks)| {
            let stacks = stacks
                .into_iter()
                .map(|(types, unreachable)| {
                    let unknown = types.iter().any(Option::is_none);
                    let types = types.into_iter().flatten().map(convert).collect::<Result<Vec<_>>>()?;
                    Ok(OperandStack { types, unreachable: unreachable || unknown })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok((f, stacks))
        })
        .collect()
}

fn canonical_val_type(t: wp::ValType, map: &BTreeMap<wp::types::CoreTypeId, TypeId>) -> Result<ValType> {
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
    position: BTreeMap<(SeqId, usize), usize>,
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
        let seqs = body.live_seqs();
        // Positions: each instruction, and the end of each sequence.
        let mut position = BTreeMap::new();
        let mut at = Vec::new();
        for &s in &seqs {
            for i in 0..=body.seqs[s].instrs.len() {
                position.insert((s, i), at.len());
                at.push((s, i));
            }
        }
        // The owner of each body: (parent sequence, index, is a loop, catch targets).
        let mut owner: BTreeMap<SeqId, (SeqId, usize, bool)> = BTreeMap::new();
        let mut catches: BTreeMap<SeqId, Vec<SeqId>> = BTreeMap::new();
        for &s in &seqs {
            for (i, instr) in body.seqs[s].instrs.iter().enumerate() {
                for b in instr.bodies() {
                    owner.insert(b, (s, i, matches!(instr, Instr::Loop { .. })));
                }
                if let Instr::TryTable { try_table } = instr {
                    let targets = try_table
                        .catches
                        .iter()
                        .map(|c| match *c {
                            CatchClause::One { label, .. }
                            | CatchClause::OneRef { label, .. }
                            | CatchClause::All { label }
                            | CatchClause::AllRef { label } => label,
                        })
                        .collect();
                    catches.insert(try_table.seq, targets);
                }
            }
        }
        let target = |label: SeqId| -> Next {
            match owner.get(&label) {
                None => Next::Exit,
                Some(&(_, _, true)) => Next::At(position[&(label, 0)]),
                Some(&(parent, i, false)) => Next::At(position[&(parent, i + 1)]),
            }
        };
        let n = at.len();
        let words = body.locals.len().div_ceil(64).max(1);
        let mut uses = vec![vec![0u64; words]; n];
        let mut defs = vec![vec![0u64; words]; n];
        let mut succ: Vec<Vec<Next>> = vec![Vec::new(); n];
        for (p, &(s, i)) in at.iter().enumerate() {
            let next = Next::At(p + 1);
            let list = &mut succ[p];
            match body.seqs[s].instrs.get(i) {
                None => list.push(match owner.get(&s) {
                    None => Next::Exit,
                    Some(&(parent, j, _)) => Next::At(position[&(parent, j + 1)]),
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
                        list.push(Next::At(position[&(blockty.seq, 0)]))
                    }
                    Instr::TryTable { try_table } => list.push(Next::At(position[&(try_table.seq, 0)])),
                    Instr::If { blockty } => {
                        list.push(Next::At(position[&(blockty.then, 0)]));
                        list.push(match blockty.else_ {
                            Some(e) => Next::At(position[&(e, 0)]),
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
            let mut s_up = s;
            while let Some(&(parent, _, _)) = owner.get(&s_up) {
                if let Some(targets) = catches.get(&s_up) {
                    list.extend(targets.iter().map(|&t| target(t)));
                }
                s_up = parent;
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

    /// The locals live just after the instruction at `idx` of `seq` (on any of its successors).
    pub fn live_after(&self, seq: SeqId, idx: usize) -> Vec<LocalId> {
        bits(&self.live_out[self.position[&(seq, idx)]]).map(LocalId::new).collect()
    }

    /// The locals live just before the instruction at `idx` of `seq`.
    pub fn live_before(&self, seq: SeqId, idx: usize) -> Vec<LocalId> {
        bits(&self.live_in[self.position[&(seq, idx)]]).map(LocalId::new).collect()
    }

    /// Whether `local` is live just after the instruction at `idx` of `seq`.
    pub fn is_live_after(&self, seq: SeqId, idx: usize, local: LocalId) -> bool {
        let set = &self.live_out[self.position[&(seq, idx)]];
        set.get(local.index() / 64).is_some_and(|w| w & (1 << (local.index() % 64)) != 0)
    }
}
