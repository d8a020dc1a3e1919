//! What the optimisation passes need to know about single instructions: how many operands
//! they pop and push, and which ones are pure (no side effect, no trap), so that a value
//! nothing uses can be dropped together with the code that computed it.
//!
//! The IR is a stack machine, so a pass that moves or removes code must know where each
//! value comes from. [`arity`] answers for the instructions the optimiser works on (numeric
//! code, locals, globals, memory, calls, structured instructions); for the rest it answers
//! `None`, and a pass that needs the answer leaves the code alone. Being conservative here
//! is what keeps the passes total: an instruction we know nothing about is never moved.

use wasmfx_ir::{BlockType, FuncBody, FuncId, Instr, Module, SeqId, TypeId, ValType};

/// Whether `instr` pushes one value, pops none, has no side effect and cannot trap.
pub fn is_pure_push(instr: &Instr) -> bool {
    matches!(
        instr,
        Instr::I32Const { .. }
            | Instr::I64Const { .. }
            | Instr::F32Const { .. }
            | Instr::F64Const { .. }
            | Instr::LocalGet { .. }
            | Instr::GlobalGet { .. }
            | Instr::RefNull { .. }
            | Instr::RefFunc { .. }
    )
}

/// Whether `instr` pops one value and pushes one, with no side effect and no trap.
pub fn is_pure_unary(instr: &Instr) -> bool {
    use Instr::*;
    matches!(
        instr,
        I32Eqz
            | I64Eqz
            | I32Clz
            | I32Ctz
            | I32Popcnt
            | I64Clz
            | I64Ctz
            | I64Popcnt
            | I32WrapI64
            | I64ExtendI32S
            | I64ExtendI32U
            | I32Extend8S
            | I32Extend16S
            | I64Extend8S
            | I64Extend16S
            | I64Extend32S
            | F32Abs
            | F32Neg
            | F32Sqrt
            | F32Ceil
            | F32Floor
            | F32Trunc
            | F32Nearest
            | F64Abs
            | F64Neg
            | F64Sqrt
            | F64Ceil
            | F64Floor
            | F64Trunc
            | F64Nearest
            | F32ConvertI32S
            | F32ConvertI32U
            | F32ConvertI64S
            | F32ConvertI64U
            | F64ConvertI32S
            | F64ConvertI32U
            | F64ConvertI64S
            | F64ConvertI64U
            | F32DemoteF64
            | F64PromoteF32
            | I32ReinterpretF32
            | I64ReinterpretF64
            | F32ReinterpretI32
            | F64ReinterpretI64
            | I32TruncSatF32S
            | I32TruncSatF32U
            | I32TruncSatF64S
            | I32TruncSatF64U
            | I64TruncSatF32S
            | I64TruncSatF32U
            | I64TruncSatF64S
            | I64TruncSatF64U
            | RefIsNull
    )
}

/// Whether `instr` pops two values and pushes one, with no side effect and no trap.
pub fn is_pure_binary(instr: &Instr) -> bool {
    use Instr::*;
    matches!(
        instr,
        I32Add
            | I32Sub
            | I32Mul
            | I32And
            | I32Or
            | I32Xor
            | I32Shl
            | I32ShrS
            | I32ShrU
            | I32Rotl
            | I32Rotr
            | I32Eq
            | I32Ne
            | I32LtS
            | I32LtU
            | I32GtS
            | I32GtU
            | I32LeS
            | I32LeU
            | I32GeS
            | I32GeU
            | I64Add
            | I64Sub
            | I64Mul
            | I64And
            | I64Or
            | I64Xor
            | I64Shl
            | I64ShrS
            | I64ShrU
            | I64Rotl
            | I64Rotr
            | I64Eq
            | I64Ne
            | I64LtS
            | I64LtU
            | I64GtS
            | I64GtU
            | I64LeS
            | I64LeU
            | I64GeS
            | I64GeU
            | F32Add
            | F32Sub
            | F32Mul
            | F32Div
            | F32Min
            | F32Max
            | F32Copysign
            | F32Eq
            | F32Ne
            | F32Lt
            | F32Gt
            | F32Le
            | F32Ge
            | F64Add
            | F64Sub
            | F64Mul
            | F64Div
            | F64Min
            | F64Max
            | F64Copysign
            | F64Eq
            | F64Ne
            | F64Lt
            | F64Gt
            | F64Le
            | F64Ge
    )
}

/// Whether `instr` is pure in the sense above, whatever its operand counts (`select` too).
pub fn is_pure(instr: &Instr) -> bool {
    is_pure_push(instr)
        || is_pure_unary(instr)
        || is_pure_binary(instr)
        || matches!(instr, Instr::Select | Instr::TypedSelect { .. } | Instr::Nop)
}

/// The parameter and result counts of a block type.
pub fn block_arity(module: &Module, ty: BlockType) -> Option<(usize, usize)> {
    match ty {
        BlockType::Empty => Some((0, 0)),
        BlockType::Value(_) => Some((0, 1)),
        BlockType::Func(t) => {
            let f = module.types.get(t)?.as_func()?;
            Some((f.params.len(), f.results.len()))
        }
    }
}

/// How many values `instr` pops and pushes when control continues after it, or `None` when
/// the optimiser does not know the instruction (it is then left where it is).
pub fn arity(module: &Module, instr: &Instr) -> Option<(usize, usize)> {
    use Instr::*;
    let sig = |t| module.types.get(t).and_then(|s: &wasmfx_ir::SubTypeData| s.as_func());
    Some(match instr {
        i if is_pure_push(i) => (0, 1),
        i if is_pure_unary(i) => (1, 1),
        i if is_pure_binary(i) => (2, 1),
        Nop => (0, 0),
        Drop => (1, 0),
        Select | TypedSelect { .. } => (3, 1),
        LocalSet { .. } | GlobalSet { .. } => (1, 0),
        LocalTee { .. } => (1, 1),
        I32DivS | I32DivU | I32RemS | I32RemU | I64DivS | I64DivU | I64RemS | I64RemU => (2, 1),
        I32TruncF32S | I32TruncF32U | I32TruncF64S | I32TruncF64U | I64TruncF32S | I64TruncF32U
        | I64TruncF64S | I64TruncF64U | RefAsNonNull => (1, 1),
        I32Load { .. }
        | I64Load { .. }
        | F32Load { .. }
        | F64Load { .. }
        | I32Load8S { .. }
        | I32Load8U { .. }
        | I32Load16S { .. }
        | I32Load16U { .. }
        | I64Load8S { .. }
        | I64Load8U { .. }
        | I64Load16S { .. }
        | I64Load16U { .. }
        | I64Load32S { .. }
        | I64Load32U { .. } => (1, 1),
        I32Store { .. }
        | I64Store { .. }
        | F32Store { .. }
        | F64Store { .. }
        | I32Store8 { .. }
        | I32Store16 { .. }
        | I64Store8 { .. }
        | I64Store16 { .. }
        | I64Store32 { .. } => (2, 0),
        MemorySize { .. } => (0, 1),
        MemoryGrow { .. } => (1, 1),
        MemoryCopy { .. } | MemoryFill { .. } => (3, 0),
        Call { function_index } => {
            let f = sig(module.funcs.get(*function_index)?.ty)?;
            (f.params.len(), f.results.len())
        }
        CallIndirect { type_index, .. } | CallRef { type_index } => {
            let f = sig(*type_index)?;
            (f.params.len() + 1, f.results.len())
        }
        Block { blockty } | Loop { blockty } => block_arity(module, blockty.ty)?,
        If { blockty } => {
            let (p, r) = block_arity(module, blockty.ty)?;
            (p + 1, r)
        }
        TryTable { try_table } => block_arity(module, try_table.ty)?,
        BrIf { .. } => (1, 0),
        _ => return None,
    })
}

/// Every label some branch, `br_table`, catch or handler clause in the live code names.
pub fn targeted_labels(body: &mut FuncBody) -> std::collections::BTreeSet<SeqId> {
    struct Targets(std::collections::BTreeSet<SeqId>);
    impl wasmfx_ir::IdVisitor for Targets {
        fn label(&mut self, id: &mut SeqId) {
            self.0.insert(*id);
        }
    }
    let mut t = Targets(Default::default());
    for seq in body.live_seqs() {
        for instr in &mut body.seqs[seq].instrs {
            wasmfx_ir::VisitIds::visit_ids(instr, &mut t);
        }
    }
    t.0
}

/// Replaces every label `from` with `to` in the sequences listed.
pub fn relabel(body: &mut FuncBody, seqs: &[SeqId], from: SeqId, to: SeqId) {
    struct Relabel(SeqId, SeqId);
    impl wasmfx_ir::IdVisitor for Relabel {
        fn label(&mut self, id: &mut SeqId) {
            if *id == self.0 {
                *id = self.1;
            }
        }
    }
    let mut v = Relabel(from, to);
    for &seq in seqs {
        for instr in &mut body.seqs[seq].instrs {
            wasmfx_ir::VisitIds::visit_ids(instr, &mut v);
        }
    }
}

/// The live sequences inside `seq`, `seq` first.
pub fn subtree(body: &FuncBody, seq: SeqId) -> Vec<SeqId> {
    let mut out = Vec::new();
    let mut stack = vec![seq];
    while let Some(s) = stack.pop() {
        out.push(s);
        for instr in &body.seqs[s].instrs {
            stack.extend(instr.bodies());
        }
    }
    out
}

/// Runs `f` on every defined function's body in parallel, with the rest of the module to
/// read (its bodies are taken out meanwhile: `f` sees the types, globals and signatures).
/// `f` is given the function's id.
pub fn map_bodies(module: &mut Module, f: impl Fn(&Module, FuncId, &mut FuncBody) + Sync + Send) {
    use rayon::prelude::*;
    let mut bodies: Vec<(FuncId, FuncBody)> = Vec::new();
    for (id, func) in module.funcs.iter_mut() {
        if let wasmfx_ir::Def::Local(body) = &mut func.def {
            bodies.push((id, std::mem::replace(body, FuncBody::new(&[]))));
        }
    }
    let shared: &Module = module;
    bodies.par_iter_mut().for_each(|(id, body)| f(shared, *id, body));
    for (id, body) in bodies {
        module.funcs[id].def = wasmfx_ir::Def::Local(body);
    }
}

/// The operand stack height before each instruction of `instrs` (one more entry: after the
/// last), starting from `start` (the sequence's parameters), as long as every instruction's
/// arity is known and control reaches it; `None` from the first instruction where that stops.
pub fn heights(module: &Module, start: usize, instrs: &[Instr]) -> Vec<Option<usize>> {
    let mut out = Vec::with_capacity(instrs.len() + 1);
    let mut h = Some(start);
    for instr in instrs {
        out.push(h);
        h = match (h, arity(module, instr)) {
            (Some(h), Some((pops, pushes))) if h >= pops && !instr.is_unconditional_transfer() => {
                Some(h - pops + pushes)
            }
            _ => None,
        };
    }
    out.push(h);
    out
}

/// The parameter and result types of a block type.
pub fn block_sig(module: &Module, ty: BlockType) -> Option<(Vec<ValType>, Vec<ValType>)> {
    match ty {
        BlockType::Empty => Some((vec![], vec![])),
        BlockType::Value(t) => Some((vec![], vec![t])),
        BlockType::Func(t) => {
            let f = module.types.get(t)?.as_func()?;
            Some((f.params.clone(), f.results.clone()))
        }
    }
}

/// What a sequence's own label is: the label branches to it name, and the types they carry.
#[derive(Clone, Debug)]
pub struct SeqInfo {
    /// The label the end of the sequence is (a loop body has none: its label is its start).
    pub label: Option<SeqId>,
    /// The values on the stack when the sequence starts (its block's parameters).
    pub params: usize,
    /// The types the sequence leaves at its end.
    pub results: Vec<ValType>,
    /// The types a branch to the sequence's own label carries (a loop's: its parameters).
    pub branch: Vec<ValType>,
}

/// [`SeqInfo`] for every live sequence of `body`, whose function has type `func_ty`; a
/// sequence whose types are unknown is missing.
pub fn seq_infos(
    module: &Module,
    func_ty: TypeId,
    body: &FuncBody,
) -> std::collections::BTreeMap<SeqId, SeqInfo> {
    let mut map = std::collections::BTreeMap::new();
    if let Some(f) = module.types.get(func_ty).and_then(|t| t.as_func()) {
        map.insert(
            body.entry,
            SeqInfo {
                label: Some(body.entry),
                params: 0,
                results: f.results.clone(),
                branch: f.results.clone(),
            },
        );
    }
    for s in body.live_seqs() {
        for instr in &body.seqs[s].instrs {
            let (ty, seqs, label, is_loop) = match instr {
                Instr::Block { blockty } => (blockty.ty, vec![blockty.seq], blockty.seq, false),
                Instr::Loop { blockty } => (blockty.ty, vec![blockty.seq], blockty.seq, true),
                Instr::If { blockty } => (blockty.ty, instr.bodies().collect(), blockty.then, false),
                Instr::TryTable { try_table } => (try_table.ty, vec![try_table.seq], try_table.seq, false),
                _ => continue,
            };
            let Some((params, results)) = block_sig(module, ty) else { continue };
            for seq in seqs {
                map.insert(
                    seq,
                    SeqInfo {
                        label: (!is_loop).then_some(label),
                        params: params.len(),
                        results: results.clone(),
                        branch: if is_loop { params.clone() } else { results.clone() },
                    },
                );
            }
        }
    }
    map
}

/// Rewrites every live sequence of `body` as a peephole: each instruction is appended to the
/// output, whose tail `reduce` then rewrites for as long as it says it changed something.
/// Sequences are visited children first, so a parent sees its children's final form (an
/// arm left empty, say); sequences left without an owner are dropped at the end.
pub fn rewrite_tails(body: &mut FuncBody, reduce: impl Fn(&mut FuncBody, &mut Vec<Instr>) -> bool) {
    let mut changed = false;
    for seq in body.live_seqs().into_iter().rev() {
        let instrs = std::mem::take(&mut body.seqs[seq].instrs);
        let mut out: Vec<Instr> = Vec::with_capacity(instrs.len());
        for instr in instrs {
            out.push(instr);
            while !out.is_empty() && reduce(body, &mut out) {
                changed = true;
            }
        }
        body.seqs[seq].instrs = out;
    }
    if changed {
        body.compact_seqs();
    }
}
