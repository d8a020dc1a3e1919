//! The rewrite of one function: stack-switching instructions and reference operations become
//! runtime calls and handle arithmetic, and a function that can suspend is instrumented with
//! the unwind/rewind state machine (see the pass's essay in `mod.rs`).

use super::runtime::{
    FIBER_RUNNING, FIBER_SUSPENDED, KIND_SWITCH, Runtime, STATE_REWINDING, STATE_UNWINDING, THROW_REF,
    THROW_TAG,
};
use super::{Lowering, may_forward};
use std::collections::{BTreeMap, BTreeSet};
use wasmfx_ir::analysis::{Liveness, OperandStack, instr_order};
use wasmfx_ir::*;

/// Bytes a value of (erased) type `t` takes in the transfer area and in frames: references
/// are stored as the index of the slot that holds them.
pub(crate) fn transfer_size(t: ValType) -> u32 {
    match t {
        ValType::I32 | ValType::F32 | ValType::Ref(_) => 4,
        ValType::I64 | ValType::F64 => 8,
        ValType::V128 => 16,
    }
}

/// Bytes a list of values takes.
pub(crate) fn values_size(ts: &[ValType]) -> u32 {
    ts.iter().map(|&t| transfer_size(t)).sum()
}

fn mem_arg(rt: &Runtime, offset: u64, natural_align: u8) -> MemArg {
    MemArg { align: 0, max_align: natural_align, offset, memory: rt.memory }
}

fn is_funcref(r: RefType) -> bool {
    matches!(r.heap, HeapType::Abstract { ty: AbstractHeapType::Func, .. })
}

/// Pushes the value of type `t` stored at `addr + offset`.
pub(crate) fn load_value(rt: &Runtime, addr: LocalId, offset: u64, t: ValType) -> Result<Vec<Instr>> {
    let natural = match t {
        ValType::I32 | ValType::F32 | ValType::Ref(_) => 2,
        ValType::I64 | ValType::F64 => 3,
        ValType::V128 => 4,
    };
    let memarg = mem_arg(rt, offset, natural);
    let mut out = vec![Instr::LocalGet { local_index: addr }];
    match t {
        ValType::I32 => out.push(Instr::I32Load { memarg }),
        ValType::I64 => out.push(Instr::I64Load { memarg }),
        ValType::F32 => out.push(Instr::F32Load { memarg }),
        ValType::F64 => out.push(Instr::F64Load { memarg }),
        ValType::V128 => out.push(Instr::V128Load { memarg }),
        ValType::Ref(r) => {
            out.push(Instr::I32Load { memarg });
            out.push(Instr::Call { function_index: ref_fns(rt, r)?.1 });
        }
    }
    Ok(out)
}

/// Stores the value in `value` (of type `t`) at `addr + offset`.
fn store_value(rt: &Runtime, addr: LocalId, offset: u64, t: ValType, value: LocalId) -> Result<Vec<Instr>> {
    let mut out = vec![Instr::LocalGet { local_index: addr }, Instr::LocalGet { local_index: value }];
    let store = match t {
        ValType::I32 => Instr::I32Store { memarg: mem_arg(rt, offset, 2) },
        ValType::I64 => Instr::I64Store { memarg: mem_arg(rt, offset, 3) },
        ValType::F32 => Instr::F32Store { memarg: mem_arg(rt, offset, 2) },
        ValType::F64 => Instr::F64Store { memarg: mem_arg(rt, offset, 3) },
        ValType::V128 => Instr::V128Store { memarg: mem_arg(rt, offset, 4) },
        ValType::Ref(r) => {
            out.push(Instr::Call { function_index: ref_fns(rt, r)?.0 });
            Instr::I32Store { memarg: mem_arg(rt, offset, 2) }
        }
    };
    out.push(store);
    Ok(out)
}

/// The runtime functions that put a reference of type `r` in a slot and take it back.
fn ref_fns(rt: &Runtime, r: RefType) -> Result<(FuncId, FuncId)> {
    match r.heap {
        _ if is_funcref(r) => Ok((rt.fref_put, rt.fref_take)),
        HeapType::Abstract { ty: AbstractHeapType::Extern, .. } => Ok((rt.xref_put, rt.xref_take)),
        HeapType::Abstract { ty: AbstractHeapType::Exn, .. } => match (rt.eref_put, rt.eref_take) {
            (Some(put), Some(take)) => Ok((put, take)),
            _ => Err(unsupported_ref(r)),
        },
        _ => Err(unsupported_ref(r)),
    }
}

fn unsupported_ref(r: RefType) -> Error {
    let heap = match r.heap {
        HeapType::Abstract { ty, .. } => format!("{ty:?}").to_lowercase(),
        HeapType::Concrete(t) | HeapType::Exact(t) => format!("type {}", t.as_u32()),
    };
    Error::unsupported(&format!(
        "saving a reference to {heap} across a suspension (--lower-to-asyncify keeps funcref, externref and exnref)"
    ))
}

/// The zero value of `t`, as a placeholder.
pub(crate) fn default_value(t: ValType) -> Instr {
    match t {
        ValType::I32 => Instr::I32Const { value: 0 },
        ValType::I64 => Instr::I64Const { value: 0 },
        ValType::F32 => Instr::F32Const { value: wasmparser::Ieee32::from(0.0f32) },
        ValType::F64 => Instr::F64Const { value: wasmparser::Ieee64::from(0.0f64) },
        ValType::V128 => Instr::V128Const { value: 0u128.into() },
        ValType::Ref(r) => Instr::RefNull { hty: r.heap },
    }
}

/// Whether the lowering of `instr` reads the types of its operands from the operand stack
/// (to spill them to locals or to choose a null test), which dead code may not know.
fn reads_operand_types(instr: &Instr) -> bool {
    matches!(
        instr,
        Instr::Resume { .. }
            | Instr::ResumeThrow { .. }
            | Instr::ResumeThrowRef { .. }
            | Instr::ContBind { .. }
            | Instr::Suspend { .. }
            | Instr::Switch { .. }
            | Instr::RefAsNonNull
            | Instr::BrOnNull { .. }
            | Instr::BrOnNonNull { .. }
    )
}

/// How a `resume` passes control: with arguments, or by raising an exception (`resume_throw`
/// with a tag, `resume_throw_ref` with an exnref).
#[derive(Copy, Clone)]
enum ResumeMode {
    Args,
    Throw(TagId),
    ThrowRef,
}

/// One function being rewritten.
struct Rewriter<'a> {
    module: &'a mut Module,
    /// The function being rewritten (its index identifies its frames).
    func: FuncId,
    lw: &'a Lowering,
    body: FuncBody,
    /// The operand stack before each instruction of the original body, by ordinal.
    stacks: &'a [OperandStack],
    ordinal: BTreeMap<(SeqId, usize), usize>,
    /// Suspension points (by ordinal) and their indices, when the function is instrumented.
    points: BTreeMap<usize, i32>,
    /// For each structured instruction that contains points: the first and last index.
    ranges: BTreeMap<usize, (i32, i32)>,
    ridx: LocalId,
    save: SeqId,
    transfer: u32,
    /// Liveness of the original body, for the locals each point must save.
    liveness: Option<Liveness>,
    /// The structured instruction that owns each body sequence.
    owner: BTreeMap<SeqId, (SeqId, usize)>,
    /// The spill locals of each sync element (the operand stack below and its operands), by
    /// ordinal: read again when a rewind passes through or resumes after it.
    element_locals: BTreeMap<usize, Vec<LocalId>>,
    /// Locals a point itself needs when rewinding to it (a forwarding resume's slot).
    point_extra: BTreeMap<i32, Vec<LocalId>>,
    /// Where each point is: its sequence, index and ordinal.
    point_at: BTreeMap<i32, (SeqId, usize, usize)>,
}

/// Rewrites function `f`; returns the transfer-area bytes its sites need.
pub(crate) fn rewrite_function(
    module: &mut Module,
    lw: &Lowering,
    f: FuncId,
    stacks: &[OperandStack],
) -> Result<u32> {
    let Some(body) = module.body_mut(f) else {
        return Ok(0);
    };
    let body = std::mem::replace(body, FuncBody::new(&[]));
    let order = instr_order(&body);
    if order.len() != stacks.len() {
        return Err(Error::internal(format!(
            "{} instructions but {} operand stacks",
            order.len(),
            stacks.len()
        )));
    }
    let results = lw.erasure.func_type(module, module.funcs[f].ty).results;
    let instrumented = lw.suspending.contains(&f);
    let mut rw = Rewriter {
        module,
        func: f,
        lw,
        body,
        stacks,
        ordinal: order.iter().enumerate().map(|(o, &at)| (at, o)).collect(),
        points: BTreeMap::new(),
        ranges: BTreeMap::new(),
        ridx: LocalId::new(0),
        save: SeqId::new(0),
        transfer: 0,
        liveness: None,
        owner: BTreeMap::new(),
        element_locals: BTreeMap::new(),
        point_extra: BTreeMap::new(),
        point_at: BTreeMap::new(),
    };
    for local in rw.body.locals.values_mut() {
        local.ty = lw.erasure.val(local.ty);
    }
    if instrumented {
        rw.liveness = Some(Liveness::new(&rw.body));
        for seq in rw.body.live_seqs() {
            for (i, instr) in rw.body.seqs[seq].instrs.iter().enumerate() {
                for b in instr.bodies() {
                    rw.owner.insert(b, (seq, i));
                }
            }
        }
        rw.ridx = rw.body.add_local(ValType::I32);
        rw.save = rw.body.add_seq();
        rw.find_points(&order);
    }
    let seqs = rw.body.live_seqs();
    for seq in seqs {
        rw.rewrite_seq(seq)?;
    }
    if instrumented {
        rw.wrap_entry(&results)?;
    }
    let transfer = rw.transfer;
    let body = rw.body;
    *module.body_mut(f).expect("defined") = body;
    Ok(transfer)
}

impl Rewriter<'_> {
    fn tmp(&mut self, t: ValType) -> LocalId {
        let t = self.lw.erasure.val(t);
        self.body.add_local(t)
    }

    fn seq(&mut self, instrs: Vec<Instr>) -> SeqId {
        let s = self.body.add_seq();
        self.body.instrs_mut(s).extend(instrs);
        s
    }

    fn if_then(&mut self, mut cond: Vec<Instr>, then: Vec<Instr>) -> Vec<Instr> {
        let then = self.seq(then);
        cond.push(Instr::If { blockty: IfBody { ty: BlockType::Empty, then, else_: None } });
        cond
    }

    fn if_else(&mut self, mut cond: Vec<Instr>, then: Vec<Instr>, else_: Vec<Instr>) -> Vec<Instr> {
        let then = self.seq(then);
        let else_ = self.seq(else_);
        cond.push(Instr::If { blockty: IfBody { ty: BlockType::Empty, then, else_: Some(else_) } });
        cond
    }

    fn rt(&self) -> &Runtime {
        &self.lw.rt
    }

    fn func_sig(&self, ty: TypeId) -> FuncType {
        self.lw.erasure.func_type(self.module, ty)
    }

    fn block_sig(&self, b: BlockType) -> FuncType {
        match b {
            BlockType::Empty => FuncType::default(),
            BlockType::Value(t) => FuncType { params: vec![], results: vec![self.lw.erasure.val(t)] },
            BlockType::Func(t) => self.func_sig(t),
        }
    }

    fn is_point(&self, instr: &Instr) -> bool {
        let lw = self.lw;
        match instr {
            Instr::Suspend { .. } => true,
            Instr::Switch { .. } => true,
            Instr::Resume { resume_table, .. }
            | Instr::ResumeThrow { resume_table, .. }
            | Instr::ResumeThrowRef { resume_table, .. } => may_forward(resume_table, &lw.unwind_tags),
            Instr::Call { function_index } => lw.suspending.contains(function_index),
            Instr::CallIndirect { type_index, .. } | Instr::CallRef { type_index } => {
                lw.indirect_suspends.contains(&self.func_sig(*type_index))
            }
            _ => false,
        }
    }

    /// Numbers the suspension points in order and finds, for each structured instruction,
    /// the range of points inside it (contiguous, since the order is depth first).
    fn find_points(&mut self, order: &[(SeqId, usize)]) {
        let mut point_ordinals = Vec::new();
        for (o, &(seq, i)) in order.iter().enumerate() {
            if self.is_point(&self.body.seqs[seq].instrs[i]) {
                point_ordinals.push(o);
                let k = point_ordinals.len() as i32;
                self.points.insert(o, k);
                self.point_at.insert(k, (seq, i, o));
            }
        }
        // Subtree sizes, children before parents.
        let mut size: BTreeMap<(SeqId, usize), usize> = BTreeMap::new();
        for seq in self.body.live_seqs().into_iter().rev() {
            for (i, instr) in self.body.seqs[seq].instrs.iter().enumerate() {
                let inner: usize = instr
                    .bodies()
                    .map(|b| (0..self.body.seqs[b].instrs.len()).map(|j| size[&(b, j)]).sum::<usize>())
                    .sum();
                size.insert((seq, i), 1 + inner);
            }
        }
        for (&(seq, i), &n) in &size {
            if n == 1 {
                continue;
            }
            let o = self.ordinal[&(seq, i)];
            let first = point_ordinals.partition_point(|&p| p <= o);
            let last = point_ordinals.partition_point(|&p| p < o + n);
            if first < last {
                self.ranges.insert(o, (first as i32 + 1, last as i32));
            }
        }
    }

    fn stack(&self, seq: SeqId, i: usize) -> &OperandStack {
        &self.stacks[self.ordinal[&(seq, i)]]
    }

    fn rewrite_seq(&mut self, seq: SeqId) -> Result<()> {
        let instrs = std::mem::take(&mut self.body.seqs[seq].instrs);
        let sync: Vec<bool> = (0..instrs.len())
            .map(|i| {
                let o = self.ordinal[&(seq, i)];
                self.points.contains_key(&o) || self.ranges.contains_key(&o)
            })
            .collect();
        let mut out = Vec::new();
        if !sync.iter().any(|&s| s) {
            for (i, instr) in instrs.into_iter().enumerate() {
                let st = self.stack(seq, i).clone();
                out.extend(self.lower(instr, &st)?);
            }
            self.body.seqs[seq].instrs = out;
            return Ok(());
        }
        // A sequence with suspension points: runs of ordinary code guarded by "normal", each
        // point or structure containing points guarded by its range, and the operand stack
        // carried between them in locals.
        let initial = self.stack(seq, 0).clone();
        if initial.unreachable {
            // `dce` ran on every instrumented function, so no point can be in dead code.
            return Err(Error::internal("a suspension point in unreachable code after dce"));
        }
        let mut carried: Vec<LocalId> = initial.types.iter().map(|&t| self.tmp(t)).collect();
        out.extend(carried.iter().rev().map(|&l| Instr::LocalSet { local_index: l }));
        let mut run: Vec<Instr> = carried.iter().map(|&l| Instr::LocalGet { local_index: l }).collect();
        for (i, instr) in instrs.into_iter().enumerate() {
            let st = self.stack(seq, i).clone();
            if !sync[i] {
                run.extend(self.lower(instr, &st)?);
                continue;
            }
            if st.unreachable {
                return Err(Error::internal("a suspension point in unreachable code after dce"));
            }
            let frame: Vec<LocalId> = st.types.iter().map(|&t| self.tmp(t)).collect();
            run.extend(frame.iter().rev().map(|&l| Instr::LocalSet { local_index: l }));
            let normal = self.is_normal();
            let guarded = self.if_then(normal, std::mem::take(&mut run));
            out.extend(guarded);

            let o = self.ordinal[&(seq, i)];
            self.element_locals.insert(o, frame.clone());
            let (n_in, outputs, completes) = self.arity(&instr);
            let below = frame[..frame.len() - n_in].to_vec();
            let inputs = frame[frame.len() - n_in..].to_vec();
            let output_locals: Vec<LocalId> = outputs.iter().map(|&t| self.tmp(t)).collect();
            let mut element: Vec<Instr> = Vec::new();
            let range = match self.points.get(&o) {
                Some(&k) => {
                    element.extend(self.point(instr, k, &inputs)?);
                    (k, k)
                }
                None => {
                    element.extend(inputs.iter().map(|&l| Instr::LocalGet { local_index: l }));
                    element.extend(self.lower(instr, &st)?);
                    self.ranges[&o]
                }
            };
            if !completes {
                element.push(Instr::Unreachable);
                let cond = self.in_range(range);
                out.extend(self.if_then(cond, element));
                out.push(Instr::Unreachable);
                self.body.seqs[seq].instrs = out;
                return Ok(());
            }
            element.extend(output_locals.iter().rev().map(|&l| Instr::LocalSet { local_index: l }));
            let cond = self.in_range(range);
            out.extend(self.if_then(cond, element));
            carried = below.into_iter().chain(output_locals).collect();
            run = carried.iter().map(|&l| Instr::LocalGet { local_index: l }).collect();
        }
        out.extend(run);
        self.body.seqs[seq].instrs = out;
        Ok(())
    }

    /// `state == normal`.
    fn is_normal(&self) -> Vec<Instr> {
        vec![Instr::GlobalGet { global_index: self.rt().state }, Instr::I32Eqz]
    }

    /// `state == normal || lo <= ridx <= hi`.
    fn in_range(&self, (lo, hi): (i32, i32)) -> Vec<Instr> {
        vec![
            Instr::GlobalGet { global_index: self.rt().state },
            Instr::I32Eqz,
            Instr::LocalGet { local_index: self.ridx },
            Instr::I32Const { value: lo },
            Instr::I32Sub,
            Instr::I32Const { value: hi - lo + 1 },
            Instr::I32LtU,
            Instr::I32Or,
        ]
    }

    /// How many operands a sync element takes, the types it leaves, and whether it can
    /// complete (a tail call cannot).
    fn arity(&self, instr: &Instr) -> (usize, Vec<ValType>, bool) {
        let call = |sig: FuncType, extra: usize| (sig.params.len() + extra, sig.results, true);
        match instr {
            Instr::Call { function_index } => call(self.func_sig(self.module.funcs[*function_index].ty), 0),
            Instr::ReturnCall { function_index } => {
                (self.func_sig(self.module.funcs[*function_index].ty).params.len(), vec![], false)
            }
            Instr::CallIndirect { type_index, .. } | Instr::CallRef { type_index } => {
                call(self.func_sig(*type_index), 1)
            }
            Instr::ReturnCallIndirect { type_index, .. } | Instr::ReturnCallRef { type_index } => {
                (self.func_sig(*type_index).params.len() + 1, vec![], false)
            }
            Instr::Resume { cont_type_index, .. } => {
                call(self.func_sig(self.lw.cont_func[cont_type_index]), 1)
            }
            Instr::Suspend { tag_index } => call(self.func_sig(self.module.tags[*tag_index].ty), 0),
            Instr::ResumeThrow { cont_type_index, tag_index, .. } => (
                self.func_sig(self.module.tags[*tag_index].ty).params.len() + 1,
                self.func_sig(self.lw.cont_func[cont_type_index]).results,
                true,
            ),
            Instr::ResumeThrowRef { cont_type_index, .. } => {
                (2, self.func_sig(self.lw.cont_func[cont_type_index]).results, true)
            }
            Instr::Switch { cont_type_index, .. } => (
                self.func_sig(self.lw.cont_func[cont_type_index]).params.len(),
                self.switch_results(*cont_type_index),
                true,
            ),
            Instr::Block { blockty } | Instr::Loop { blockty } => {
                let sig = self.block_sig(blockty.ty);
                (sig.params.len(), sig.results, true)
            }
            Instr::TryTable { try_table } => {
                let sig = self.block_sig(try_table.ty);
                (sig.params.len(), sig.results, true)
            }
            Instr::If { blockty } => {
                let sig = self.block_sig(blockty.ty);
                (sig.params.len() + 1, sig.results, true)
            }
            _ => (0, vec![], true),
        }
    }

    /// `if (state == unwinding) { ridx = k; br $save }`.
    fn unwind_check(&mut self, k: i32) -> Vec<Instr> {
        let save = self.save;
        let cond = vec![
            Instr::GlobalGet { global_index: self.rt().state },
            Instr::I32Const { value: STATE_UNWINDING },
            Instr::I32Eq,
        ];
        let leave = vec![
            Instr::I32Const { value: k },
            Instr::LocalSet { local_index: self.ridx },
            Instr::Br { relative_depth: save },
        ];
        self.if_then(cond, leave)
    }

    /// The code of suspension point `k`, whose operands are in `inputs`.
    fn point(&mut self, instr: Instr, k: i32, inputs: &[LocalId]) -> Result<Vec<Instr>> {
        let push_inputs: Vec<Instr> = inputs.iter().map(|&l| Instr::LocalGet { local_index: l }).collect();
        Ok(match instr {
            Instr::Suspend { tag_index } => self.suspend(tag_index, k, inputs)?,
            Instr::Resume { cont_type_index, resume_table } => {
                self.resume(cont_type_index, ResumeMode::Args, &resume_table, inputs, Some(k))?
            }
            Instr::ResumeThrow { cont_type_index, tag_index, resume_table } => {
                self.resume(cont_type_index, ResumeMode::Throw(tag_index), &resume_table, inputs, Some(k))?
            }
            Instr::ResumeThrowRef { cont_type_index, resume_table } => {
                self.resume(cont_type_index, ResumeMode::ThrowRef, &resume_table, inputs, Some(k))?
            }
            Instr::Switch { cont_type_index, tag_index } => {
                self.switch(cont_type_index, tag_index, k, inputs)?
            }
            Instr::CallRef { type_index } => {
                let mut out = push_inputs;
                out.extend(self.call_ref(type_index, false));
                out.extend(self.unwind_check(k));
                out
            }
            call @ (Instr::Call { .. } | Instr::CallIndirect { .. }) => {
                let mut out = push_inputs;
                out.push(call);
                out.extend(self.unwind_check(k));
                out
            }
            other => {
                return Err(Error::internal(format!("{} is not a suspension point", other.visitor_name())));
            }
        })
    }

    /// `call_ref` (or `return_call_ref`) through the one-entry scratch table.
    fn call_ref(&mut self, type_index: TypeId, tail: bool) -> Vec<Instr> {
        let r = self.tmp(ValType::Ref(RefType::FUNCREF));
        let scratch = self.rt().scratch;
        let trap_null = self.rt().trap_null;
        let mut out = vec![Instr::LocalSet { local_index: r }];
        out.extend(self.if_then(
            vec![Instr::LocalGet { local_index: r }, Instr::RefIsNull],
            vec![Instr::Call { function_index: trap_null }],
        ));
        out.extend([
            Instr::I32Const { value: 0 },
            Instr::LocalGet { local_index: r },
            Instr::TableSet { table: scratch },
            Instr::I32Const { value: 0 },
        ]);
        out.push(if tail {
            Instr::ReturnCallIndirect { type_index, table_index: scratch }
        } else {
            Instr::CallIndirect { type_index, table_index: scratch }
        });
        out
    }

    /// Stores `values` (of `types`) at `addr + offset...`.
    fn store_all(
        &mut self,
        addr: LocalId,
        start: u64,
        types: &[ValType],
        values: &[LocalId],
    ) -> Result<Vec<Instr>> {
        let mut out = Vec::new();
        let mut offset = start;
        for (&t, &v) in types.iter().zip(values) {
            out.extend(store_value(self.rt(), addr, offset, t, v)?);
            offset += transfer_size(t) as u64;
        }
        self.transfer = self.transfer.max(values_size(types) + start as u32);
        Ok(out)
    }

    fn load_all(&mut self, addr: LocalId, types: &[ValType]) -> Result<Vec<Instr>> {
        let mut out = Vec::new();
        let mut offset = 0u64;
        for &t in types {
            out.extend(load_value(self.rt(), addr, offset, t)?);
            offset += transfer_size(t) as u64;
        }
        self.transfer = self.transfer.max(values_size(types));
        Ok(out)
    }

    /// What a point that just stopped a rewind does: the state goes back to normal, an
    /// exception a `resume_throw` left pending is raised here, and otherwise the values the
    /// resume passed (`results`) are read from the transfer area.
    fn rewound(&mut self, results: &[ValType]) -> Result<Vec<Instr>> {
        let addr = self.tmp(ValType::I32);
        let mut out = vec![Instr::I32Const { value: 0 }, Instr::GlobalSet { global_index: self.rt().state }];
        if let Some(rethrow) = self.lw.rethrow_pending {
            let pending = vec![Instr::GlobalGet { global_index: self.rt().throw_kind }];
            out.extend(self.if_then(pending, vec![Instr::Call { function_index: rethrow }]));
        }
        out.extend([
            Instr::Call { function_index: self.rt().transfer },
            Instr::LocalSet { local_index: addr },
        ]);
        out.extend(self.load_all(addr, results)?);
        Ok(out)
    }

    /// Starts unwinding from point `k` with `tag` of `kind`: records them and saves the frame.
    fn start_unwind(&self, tag: TagId, kind: i32, k: i32) -> Vec<Instr> {
        vec![
            Instr::I32Const { value: tag.as_u32() as i32 },
            Instr::GlobalSet { global_index: self.rt().tag },
            Instr::I32Const { value: kind },
            Instr::GlobalSet { global_index: self.rt().kind },
            Instr::I32Const { value: STATE_UNWINDING },
            Instr::GlobalSet { global_index: self.rt().state },
            Instr::I32Const { value: k },
            Instr::LocalSet { local_index: self.ridx },
            Instr::Br { relative_depth: self.save },
        ]
    }

    /// Traps (unhandled tag) when no continuation is running.
    fn outside_any_continuation_traps(&mut self) -> Vec<Instr> {
        let (current, trap) = (self.rt().current, self.rt().trap_unhandled);
        self.if_then(
            vec![Instr::GlobalGet { global_index: current }, Instr::I32Eqz],
            vec![Instr::Call { function_index: trap }],
        )
    }

    /// `suspend $tag` as point `k`: store the payload, start unwinding and save the frame; when
    /// rewinding to `k`, stop and read the results.
    fn suspend(&mut self, tag: TagId, k: i32, payload: &[LocalId]) -> Result<Vec<Instr>> {
        let sig = self.func_sig(self.module.tags[tag].ty);
        let addr = self.tmp(ValType::I32);
        let mut start = self.outside_any_continuation_traps();
        start.extend([
            Instr::Call { function_index: self.rt().transfer },
            Instr::LocalSet { local_index: addr },
        ]);
        start.extend(self.store_all(addr, 0, &sig.params, payload)?);
        start.extend(self.start_unwind(tag, 0, k));
        let normal = self.is_normal();
        let mut out = self.if_then(normal, start);
        out.extend(self.rewound(&sig.results)?);
        Ok(out)
    }

    /// `switch $ct1 $tag` as point `k`: consume the target, store its arguments, and unwind
    /// like a `suspend` marked as a switch; the `resume` with `(on $tag switch)` then resumes
    /// the target in place of the continuation that switched, passing it a handle to that one.
    /// When rewinding to `k` (the switched-from continuation was resumed), read the results.
    fn switch(&mut self, ct1: TypeId, tag: TagId, k: i32, inputs: &[LocalId]) -> Result<Vec<Instr>> {
        let target_params = self.func_sig(self.lw.cont_func[&ct1]).params;
        let (args, target) = inputs.split_at(inputs.len() - 1);
        let arg_types = &target_params[..target_params.len() - 1];
        let results = self.switch_results(ct1);
        let addr = self.tmp(ValType::I32);
        let mut start = vec![
            Instr::LocalGet { local_index: target[0] },
            Instr::Call { function_index: self.rt().take },
            Instr::GlobalSet { global_index: self.rt().switch_slot },
        ];
        start.extend(self.outside_any_continuation_traps());
        start.extend([
            Instr::Call { function_index: self.rt().transfer },
            Instr::LocalSet { local_index: addr },
        ]);
        start.extend(self.store_all(addr, 0, arg_types, args)?);
        self.transfer = self.transfer.max(values_size(&target_params));
        start.extend([
            Instr::I32Const { value: values_size(arg_types) as i32 },
            Instr::GlobalSet { global_index: self.rt().switch_len },
        ]);
        start.extend(self.start_unwind(tag, KIND_SWITCH, k));
        let normal = self.is_normal();
        let mut out = self.if_then(normal, start);
        out.extend(self.rewound(&results)?);
        Ok(out)
    }

    /// The values a `switch $ct1` receives when its continuation is resumed: the parameters of
    /// the continuation type of the last parameter of `$ct1`'s function type.
    fn switch_results(&self, ct1: TypeId) -> Vec<ValType> {
        let ft1 = self.module.func_type(self.lw.cont_func[&ct1]);
        match ft1.params.last() {
            Some(ValType::Ref(RefType { heap: HeapType::Concrete(ct2) | HeapType::Exact(ct2), .. })) => {
                self.func_sig(self.lw.cont_func[ct2]).params
            }
            _ => Vec::new(),
        }
    }

    /// `resume`, `resume_throw` and `resume_throw_ref` with handler clauses `handlers`; the
    /// operands (arguments or exception, then the handle) are in `inputs`. As suspension
    /// point `point` (in an instrumented function) it can forward an unwind outward and be
    /// re-entered while rewinding.
    fn resume(
        &mut self,
        ct: TypeId,
        mode: ResumeMode,
        handlers: &[Handler],
        inputs: &[LocalId],
        point: Option<i32>,
    ) -> Result<Vec<Instr>> {
        let sig = self.func_sig(self.lw.cont_func[&ct]);
        let (operands, handle) = inputs.split_at(inputs.len() - 1);
        let handle = handle[0];
        let rt = self.rt();
        let (take, unbind, unbind_after, transfer, state_of, set_state, tramp_of, release, handle_fn) = (
            rt.take,
            rt.unbind,
            rt.unbind_after,
            rt.transfer,
            rt.state_of,
            rt.set_state,
            rt.tramp_of,
            rt.release,
            rt.handle,
        );
        let (g_state, g_current, g_tag, g_kind, tramps, trap_unhandled) =
            (rt.state, rt.current, rt.tag, rt.kind, rt.tramps, rt.trap_unhandled);
        let (g_switch_slot, g_switch_len, g_throw_kind, g_throw_tag, eref_put) =
            (rt.switch_slot, rt.switch_len, rt.throw_kind, rt.throw_tag, rt.eref_put);
        let slot = self.tmp(ValType::I32);
        let parent = self.tmp(ValType::I32);
        let addr = self.tmp(ValType::I32);
        if let Some(k) = point {
            self.point_extra.insert(k, vec![slot]);
        }

        // Normal entry: consume the handle and pass the arguments (or the exception).
        let mut enter = vec![
            Instr::LocalGet { local_index: handle },
            Instr::Call { function_index: take },
            Instr::LocalSet { local_index: slot },
        ];
        let is_fresh = vec![
            Instr::LocalGet { local_index: slot },
            Instr::Call { function_index: state_of },
            Instr::I32Const { value: 1 },
            Instr::I32Eq,
        ];
        match mode {
            ResumeMode::Args => {
                enter.extend([
                    Instr::Call { function_index: transfer },
                    Instr::LocalGet { local_index: slot },
                    Instr::Call { function_index: unbind },
                    Instr::I32Add,
                    Instr::LocalSet { local_index: addr },
                ]);
                enter.extend(self.store_all(addr, 0, &sig.params, operands)?);
            }
            ResumeMode::Throw(_) | ResumeMode::ThrowRef => {
                // A continuation that never started: released, and the exception raised before
                // its function runs, so it propagates straight out to the resumer. A suspended
                // one drops its bound arguments and is rewound with the exception pending.
                let mut raise =
                    vec![Instr::LocalGet { local_index: slot }, Instr::Call { function_index: release }];
                raise.extend(operands.iter().map(|&l| Instr::LocalGet { local_index: l }));
                let mut pending = vec![
                    Instr::LocalGet { local_index: slot },
                    Instr::Call { function_index: unbind },
                    Instr::Drop,
                ];
                match mode {
                    ResumeMode::Throw(tag) => {
                        raise.push(Instr::Throw { tag_index: tag });
                        let payload = self.func_sig(self.module.tags[tag].ty).params;
                        pending.extend([
                            Instr::Call { function_index: transfer },
                            Instr::LocalSet { local_index: addr },
                        ]);
                        pending.extend(self.store_all(addr, 0, &payload, operands)?);
                        pending.extend([
                            Instr::I32Const { value: THROW_TAG },
                            Instr::GlobalSet { global_index: g_throw_kind },
                            Instr::I32Const { value: tag.as_u32() as i32 },
                        ]);
                    }
                    _ => {
                        raise.push(Instr::ThrowRef);
                        let put = eref_put.ok_or_else(|| Error::internal("exnref slots missing"))?;
                        pending.extend([
                            Instr::I32Const { value: THROW_REF },
                            Instr::GlobalSet { global_index: g_throw_kind },
                            Instr::LocalGet { local_index: operands[0] },
                            Instr::Call { function_index: put },
                        ]);
                    }
                }
                pending.push(Instr::GlobalSet { global_index: g_throw_tag });
                enter.extend(self.if_then(is_fresh.clone(), raise));
                enter.extend(pending);
            }
        }
        enter.extend([Instr::GlobalGet { global_index: g_current }, Instr::LocalSet { local_index: parent }]);
        enter.extend(self.link(slot));
        let mut out = match point {
            Some(_) => {
                // Re-entered while rewinding: the slot was restored with the frame.
                let mut reenter = vec![
                    Instr::GlobalGet { global_index: g_current },
                    Instr::LocalSet { local_index: parent },
                ];
                reenter.extend([
                    Instr::LocalGet { local_index: slot },
                    Instr::GlobalSet { global_index: g_current },
                    Instr::LocalGet { local_index: slot },
                    Instr::I32Const { value: FIBER_RUNNING },
                    Instr::Call { function_index: set_state },
                ]);
                let normal = self.is_normal();
                self.if_else(normal, enter, reenter)
            }
            None => enter,
        };

        // Run it (again, after a switch to another continuation): a loop.
        let again = self.body.add_seq();
        let mut run = vec![
            Instr::LocalGet { local_index: slot },
            Instr::LocalGet { local_index: slot },
            Instr::Call { function_index: tramp_of },
        ];
        let tramp_ty = self.module.add_func_type(&[ValType::I32], &sig.results);
        run.push(Instr::CallIndirect { type_index: tramp_ty, table_index: tramps });
        let results: Vec<LocalId> = sig.results.iter().map(|&t| self.tmp(t)).collect();
        run.extend(results.iter().rev().map(|&l| Instr::LocalSet { local_index: l }));
        let mut body = self.guard_escapes(run, slot, parent);
        body.extend([Instr::LocalGet { local_index: parent }, Instr::GlobalSet { global_index: g_current }]);

        // It unwound: a switch to a clause `(on $e switch)` resumes the target here; a suspend
        // to a clause `(on $e $l)` branches there; otherwise forward (or trap at the top).
        let mut unwound = vec![
            Instr::LocalGet { local_index: slot },
            Instr::I32Const { value: FIBER_SUSPENDED },
            Instr::Call { function_index: set_state },
        ];
        let mut on_switch = Vec::new();
        let mut on_suspend = Vec::new();
        for h in handlers {
            let tag_is = |tag: TagId| {
                vec![
                    Instr::GlobalGet { global_index: g_tag },
                    Instr::I32Const { value: tag.as_u32() as i32 },
                    Instr::I32Eq,
                ]
            };
            match *h {
                Handler::OnSwitch { tag } => {
                    let switched = self.tmp(ValType::I64);
                    let mut take_it = vec![
                        Instr::LocalGet { local_index: slot },
                        Instr::Call { function_index: handle_fn },
                        Instr::LocalSet { local_index: switched },
                        Instr::GlobalGet { global_index: g_switch_slot },
                        Instr::LocalSet { local_index: slot },
                        Instr::Call { function_index: transfer },
                        Instr::LocalGet { local_index: slot },
                        Instr::GlobalGet { global_index: g_switch_len },
                        Instr::Call { function_index: unbind_after },
                        Instr::I32Add,
                        Instr::LocalSet { local_index: addr },
                    ];
                    take_it.extend(store_value(self.rt(), addr, 0, ValType::I64, switched)?);
                    take_it.extend(self.link(slot));
                    take_it.push(Instr::Br { relative_depth: again });
                    on_switch.extend(self.if_then(tag_is(tag), take_it));
                }
                Handler::OnLabel { tag, label } => {
                    let payload = self.func_sig(self.module.tags[tag].ty).params;
                    let mut take_it = vec![
                        Instr::I32Const { value: 0 },
                        Instr::GlobalSet { global_index: g_state },
                        Instr::Call { function_index: transfer },
                        Instr::LocalSet { local_index: addr },
                    ];
                    take_it.extend(self.load_all(addr, &payload)?);
                    take_it.extend([
                        Instr::LocalGet { local_index: slot },
                        Instr::Call { function_index: handle_fn },
                        Instr::Br { relative_depth: label },
                    ]);
                    on_suspend.extend(self.if_then(tag_is(tag), take_it));
                }
            }
        }
        let is_switch = vec![
            Instr::GlobalGet { global_index: g_kind },
            Instr::I32Const { value: KIND_SWITCH },
            Instr::I32Eq,
        ];
        unwound.extend(self.if_else(is_switch, on_switch, on_suspend));
        unwound.extend(self.if_then(
            vec![Instr::LocalGet { local_index: parent }, Instr::I32Eqz],
            vec![Instr::Call { function_index: trap_unhandled }],
        ));
        match point {
            Some(k) => unwound.extend([
                Instr::I32Const { value: k },
                Instr::LocalSet { local_index: self.ridx },
                Instr::Br { relative_depth: self.save },
            ]),
            None => unwound.extend([Instr::Call { function_index: trap_unhandled }, Instr::Unreachable]),
        }
        let returned = vec![Instr::LocalGet { local_index: slot }, Instr::Call { function_index: release }];
        let cond = vec![
            Instr::GlobalGet { global_index: g_state },
            Instr::I32Const { value: STATE_UNWINDING },
            Instr::I32Eq,
        ];
        body.extend(self.if_else(cond, unwound, returned));
        self.body.instrs_mut(again).extend(body);
        out.push(Instr::Loop { blockty: Body { ty: BlockType::Empty, seq: again } });
        out.extend(results.iter().map(|&l| Instr::LocalGet { local_index: l }));
        Ok(out)
    }

    /// Makes `slot` current and running, rewinding it if it is suspended (normal otherwise).
    fn link(&mut self, slot: LocalId) -> Vec<Instr> {
        let rt = self.rt();
        let (g_state, g_current, state_of, set_state) = (rt.state, rt.current, rt.state_of, rt.set_state);
        vec![
            Instr::LocalGet { local_index: slot },
            Instr::GlobalSet { global_index: g_current },
            Instr::LocalGet { local_index: slot },
            Instr::Call { function_index: state_of },
            Instr::I32Const { value: FIBER_SUSPENDED },
            Instr::I32Eq,
            Instr::I32Const { value: 1 },
            Instr::I32Shl,
            Instr::GlobalSet { global_index: g_state },
            Instr::LocalGet { local_index: slot },
            Instr::I32Const { value: FIBER_RUNNING },
            Instr::Call { function_index: set_state },
        ]
    }

    /// When the program uses exceptions, an exception escaping the continuation in `slot`
    /// ends it: the runtime makes the resumer current again, frees the slot, and rethrows.
    fn guard_escapes(&mut self, run: Vec<Instr>, slot: LocalId, parent: LocalId) -> Vec<Instr> {
        if !self.lw.uses_exceptions {
            return run;
        }
        let exn = ValType::Ref(RefType {
            nullable: true,
            heap: HeapType::Abstract { shared: false, ty: AbstractHeapType::Exn },
        });
        let caught = self.body.add_seq();
        let after = self.body.add_seq();
        let try_body = self.seq(run);
        let exn_local = self.tmp(exn);
        let caught_ty = self.module.add_func_type(&[], &[exn]);
        self.body.instrs_mut(caught).extend([
            Instr::TryTable {
                try_table: TryTableBody {
                    ty: BlockType::Empty,
                    seq: try_body,
                    catches: vec![CatchClause::AllRef { label: caught }],
                },
            },
            Instr::Br { relative_depth: after },
        ]);
        let (g_current, release) = (self.rt().current, self.rt().release);
        self.body.instrs_mut(after).extend([
            Instr::Block { blockty: Body { ty: BlockType::Func(caught_ty), seq: caught } },
            Instr::LocalSet { local_index: exn_local },
            Instr::LocalGet { local_index: parent },
            Instr::GlobalSet { global_index: g_current },
            Instr::LocalGet { local_index: slot },
            Instr::Call { function_index: release },
            Instr::LocalGet { local_index: exn_local },
            Instr::ThrowRef,
        ]);
        vec![Instr::Block { blockty: Body { ty: BlockType::Empty, seq: after } }]
    }

    /// An ordinary instruction (not a suspension point): stack switching and reference
    /// operations lowered, types erased.
    fn lower(&mut self, instr: Instr, st: &OperandStack) -> Result<Vec<Instr>> {
        if st.unreachable && reads_operand_types(&instr) {
            // Dead code (after `unreachable`, `br`, `return`, `throw`...) has a polymorphic
            // operand stack whose types may be unknown, so the rewrites that spill operands
            // to typed locals or test them cannot be built. The code never runs, and
            // `unreachable` is valid wherever the stack is polymorphic, so it takes the place.
            return Ok(vec![Instr::Unreachable]);
        }
        let erasure = &self.lw.erasure;
        let top_is_cont = st.types.last().is_some_and(|&t| erasure.is_cont(t));
        let memory0 = MemoryId::new(0);
        Ok(match instr {
            Instr::ContNew { cont_type_index } => {
                let ft = self.lw.cont_func[&cont_type_index];
                vec![
                    Instr::I32Const { value: self.rt().tramp_index[&ft] as i32 },
                    Instr::Call { function_index: self.rt().new },
                ]
            }
            Instr::ContBind { argument_index, result_index } => {
                let from = self.func_sig(self.lw.cont_func[&argument_index]).params;
                let to = self.func_sig(self.lw.cont_func[&result_index]).params;
                let bound = from[..from.len() - to.len()].to_vec();
                let h = self.tmp(ValType::I64);
                let values: Vec<LocalId> = bound.iter().map(|&t| self.tmp(t)).collect();
                let addr = self.tmp(ValType::I32);
                let mut out = vec![Instr::LocalSet { local_index: h }];
                out.extend(values.iter().rev().map(|&l| Instr::LocalSet { local_index: l }));
                out.extend([
                    Instr::Call { function_index: self.rt().transfer },
                    Instr::LocalSet { local_index: addr },
                ]);
                out.extend(self.store_all(addr, 0, &bound, &values)?);
                out.extend([
                    Instr::LocalGet { local_index: h },
                    Instr::I32Const { value: values_size(&bound) as i32 },
                    Instr::Call { function_index: self.rt().bind },
                ]);
                out
            }
            Instr::Resume { cont_type_index, resume_table } => {
                let n = self.func_sig(self.lw.cont_func[&cont_type_index]).params.len() + 1;
                let inputs: Vec<LocalId> =
                    st.types[st.types.len() - n..].iter().map(|&t| self.tmp(t)).collect();
                let mut out: Vec<Instr> =
                    inputs.iter().rev().map(|&l| Instr::LocalSet { local_index: l }).collect();
                out.extend(self.resume(cont_type_index, ResumeMode::Args, &resume_table, &inputs, None)?);
                out
            }
            Instr::ResumeThrow { cont_type_index, tag_index, resume_table } => {
                let n = self.func_sig(self.module.tags[tag_index].ty).params.len() + 1;
                let inputs: Vec<LocalId> =
                    st.types[st.types.len() - n..].iter().map(|&t| self.tmp(t)).collect();
                let mut out: Vec<Instr> =
                    inputs.iter().rev().map(|&l| Instr::LocalSet { local_index: l }).collect();
                out.extend(self.resume(
                    cont_type_index,
                    ResumeMode::Throw(tag_index),
                    &resume_table,
                    &inputs,
                    None,
                )?);
                out
            }
            Instr::ResumeThrowRef { cont_type_index, resume_table } => {
                let inputs: Vec<LocalId> =
                    st.types[st.types.len() - 2..].iter().map(|&t| self.tmp(t)).collect();
                let mut out: Vec<Instr> =
                    inputs.iter().rev().map(|&l| Instr::LocalSet { local_index: l }).collect();
                out.extend(self.resume(
                    cont_type_index,
                    ResumeMode::ThrowRef,
                    &resume_table,
                    &inputs,
                    None,
                )?);
                out
            }
            Instr::Switch { .. } => {
                return Err(Error::internal("`switch` in a function not instrumented"));
            }
            Instr::Suspend { .. } => {
                return Err(Error::internal("`suspend` in a function not instrumented"));
            }
            Instr::RefNull { hty } => {
                match erasure.val(ValType::Ref(RefType { nullable: true, heap: hty })) {
                    ValType::I64 => vec![Instr::I64Const { value: 0 }],
                    ValType::Ref(r) => vec![Instr::RefNull { hty: r.heap }],
                    _ => unreachable!("references erase to references or handles"),
                }
            }
            Instr::RefIsNull if top_is_cont => vec![Instr::I64Eqz],
            Instr::RefAsNonNull => {
                let t = self.tmp(*st.types.last().expect("an operand"));
                let null_test = if top_is_cont { Instr::I64Eqz } else { Instr::RefIsNull };
                let trap = self.rt().trap_null;
                let mut out = vec![Instr::LocalTee { local_index: t }, null_test];
                out.extend(self.if_then(vec![], vec![Instr::Call { function_index: trap }]));
                out.push(Instr::LocalGet { local_index: t });
                out
            }
            Instr::BrOnNull { relative_depth } => {
                let t = self.tmp(*st.types.last().expect("an operand"));
                let null_test = if top_is_cont { Instr::I64Eqz } else { Instr::RefIsNull };
                vec![
                    Instr::LocalTee { local_index: t },
                    null_test,
                    Instr::BrIf { relative_depth },
                    Instr::LocalGet { local_index: t },
                ]
            }
            Instr::BrOnNonNull { relative_depth } => {
                let t = self.tmp(*st.types.last().expect("an operand"));
                let null_test = if top_is_cont { Instr::I64Eqz } else { Instr::RefIsNull };
                vec![
                    Instr::LocalTee { local_index: t },
                    Instr::LocalGet { local_index: t },
                    null_test,
                    Instr::I32Eqz,
                    Instr::BrIf { relative_depth },
                    Instr::Drop,
                ]
            }
            Instr::CallRef { type_index } => self.call_ref(type_index, false),
            Instr::ReturnCallRef { type_index } => self.call_ref(type_index, true),
            Instr::TypedSelect { ty } => vec![Instr::TypedSelect { ty: erasure.val(ty) }],
            Instr::TypedSelectMulti { tys } => {
                vec![Instr::TypedSelectMulti { tys: tys.into_iter().map(|t| erasure.val(t)).collect() }]
            }
            Instr::Block { mut blockty } => {
                blockty.ty = erasure.block_type(blockty.ty);
                vec![Instr::Block { blockty }]
            }
            Instr::Loop { mut blockty } => {
                blockty.ty = erasure.block_type(blockty.ty);
                vec![Instr::Loop { blockty }]
            }
            Instr::If { mut blockty } => {
                blockty.ty = erasure.block_type(blockty.ty);
                vec![Instr::If { blockty }]
            }
            Instr::TryTable { mut try_table } => {
                try_table.ty = erasure.block_type(try_table.ty);
                vec![Instr::TryTable { try_table }]
            }
            Instr::TableGet { table } if self.lw.cont_tables.contains_key(&table) => {
                self.cont_table_op(self.rt().ctab_get, &[table])
            }
            Instr::TableSet { table } if self.lw.cont_tables.contains_key(&table) => {
                self.cont_table_op(self.rt().ctab_set, &[table])
            }
            Instr::TableSize { table } if self.lw.cont_tables.contains_key(&table) => {
                self.cont_table_op(self.rt().ctab_size, &[table])
            }
            Instr::TableGrow { table } if self.lw.cont_tables.contains_key(&table) => {
                self.cont_table_op(self.rt().ctab_grow, &[table])
            }
            Instr::TableFill { table } if self.lw.cont_tables.contains_key(&table) => {
                self.cont_table_op(self.rt().ctab_fill, &[table])
            }
            Instr::TableCopy { dst_table, src_table } if self.lw.cont_tables.contains_key(&dst_table) => {
                self.cont_table_op(self.rt().ctab_copy, &[dst_table, src_table])
            }
            Instr::TableInit { table, .. } if self.lw.cont_tables.contains_key(&table) => {
                return Err(Error::unsupported("`table.init` of a table of continuations"));
            }
            Instr::MemorySize { mem } if self.lw.shares_memory && mem == memory0 => {
                vec![Instr::Call { function_index: self.rt().memory_size }]
            }
            Instr::MemoryGrow { mem } if self.lw.shares_memory && mem == memory0 => {
                vec![Instr::Call { function_index: self.rt().memory_grow }]
            }
            other => vec![other],
        })
    }

    /// An operation on tables of continuations: the runtime function takes the operands, then
    /// each table's descriptor offset, initial size and maximum.
    fn cont_table_op(&self, function_index: FuncId, tables: &[TableId]) -> Vec<Instr> {
        let mut out = Vec::new();
        for t in tables {
            let (d, initial, max) = self.lw.cont_tables[t];
            out.extend([
                Instr::I32Const { value: d },
                Instr::I32Const { value: initial },
                Instr::I32Const { value: max },
            ]);
        }
        out.push(Instr::Call { function_index });
        out
    }

    /// The locals point `k` must save: those the original code reads after it, and the spill
    /// locals of the point and of every structure around it (read when rewinding passes through
    /// them and when the code after them resumes).
    fn saved_at(&self, k: i32) -> Vec<LocalId> {
        let (seq, i, o) = self.point_at[&k];
        let liveness = self.liveness.as_ref().expect("instrumented functions have liveness");
        let mut saved: BTreeSet<LocalId> = liveness.live_after(seq, i).into_iter().collect();
        saved.extend(self.element_locals.get(&o).into_iter().flatten());
        saved.extend(self.point_extra.get(&k).into_iter().flatten());
        let mut up = seq;
        while let Some(&(parent, j)) = self.owner.get(&up) {
            saved.extend(self.element_locals.get(&self.ordinal[&(parent, j)]).into_iter().flatten());
            up = parent;
        }
        saved.into_iter().collect()
    }

    /// A `br_table` on `ridx` to one arm per point (arm k - 1 for point k).
    fn dispatch(&mut self, arms: Vec<Vec<Instr>>) -> Instr {
        let n = arms.len();
        if n == 0 {
            return Instr::Unreachable;
        }
        let blocks: Vec<SeqId> = (0..=n).map(|_| self.body.add_seq()).collect();
        let out = self.body.add_seq();
        self.body.instrs_mut(blocks[0]).extend([
            Instr::LocalGet { local_index: self.ridx },
            Instr::BrTable { targets: BrTargets { targets: blocks.clone(), default: blocks[0] } },
        ]);
        let block = |seq: SeqId| Instr::Block { blockty: Body { ty: BlockType::Empty, seq } };
        for (k, arm) in arms.into_iter().enumerate() {
            // The arm for point k + 1 follows the block that br_table index k + 1 leaves.
            let (holder, last) = if k + 1 == n { (out, true) } else { (blocks[k + 2], false) };
            self.body.instrs_mut(holder).push(block(blocks[k + 1]));
            self.body.instrs_mut(holder).extend(arm);
            if !last {
                self.body.instrs_mut(holder).push(Instr::Br { relative_depth: out });
            }
        }
        self.body.instrs_mut(blocks[1]).splice(0..0, [block(blocks[0]), Instr::Unreachable]);
        block(out)
    }

    /// Wraps the body so that every point can branch to a shared frame-saving tail, and adds
    /// the prologue that restores the frame when rewinding. A frame is the point's live locals,
    /// then the owning function's index and the point's index on top.
    fn wrap_entry(&mut self, results: &[ValType]) -> Result<()> {
        let body_seq = self.body.entry;
        let faddr = self.body.add_local(ValType::I32);
        let points = self.point_at.len() as i32;
        let mut restores = Vec::new();
        let mut saves = Vec::new();
        for k in 1..=points {
            let saved: Vec<(LocalId, ValType)> =
                self.saved_at(k).into_iter().map(|l| (l, self.body.locals[l].ty)).collect();
            let size = saved.iter().map(|&(_, t)| transfer_size(t)).sum::<u32>();
            let mut restore = vec![
                Instr::I32Const { value: size as i32 },
                Instr::Call { function_index: self.rt().pop },
                Instr::LocalSet { local_index: faddr },
            ];
            let mut save = vec![
                Instr::I32Const { value: size as i32 },
                Instr::Call { function_index: self.rt().push },
                Instr::LocalSet { local_index: faddr },
            ];
            let mut offset = 0u64;
            for &(l, t) in &saved {
                restore.extend(load_value(self.rt(), faddr, offset, t)?);
                restore.push(Instr::LocalSet { local_index: l });
                save.extend(store_value(self.rt(), faddr, offset, t, l)?);
                offset += transfer_size(t) as u64;
            }
            restores.push(restore);
            saves.push(save);
        }

        // The frame on top is this function's, or, when a tail call left this function, the
        // frame of a function its tail calls reach: then tail-call on towards it.
        let owner = self.body.add_local(ValType::I32);
        let mut restore = vec![
            Instr::I32Const { value: 8 },
            Instr::Call { function_index: self.rt().top },
            Instr::LocalSet { local_index: faddr },
        ];
        restore.extend(load_value(self.rt(), faddr, 0, ValType::I32)?);
        restore.push(Instr::LocalSet { local_index: owner });
        let mut onward = Vec::new();
        for target in self.lw.tail_targets.get(&self.func).cloned().unwrap_or_default() {
            let mut cond = Vec::new();
            for (i, reached) in self.lw.tail_closure[&target].iter().enumerate() {
                cond.extend([
                    Instr::LocalGet { local_index: owner },
                    Instr::I32Const { value: reached.as_u32() as i32 },
                    Instr::I32Eq,
                ]);
                if i > 0 {
                    cond.push(Instr::I32Or);
                }
            }
            let params = self.func_sig(self.module.funcs[target].ty).params;
            let mut call: Vec<Instr> = params.iter().map(|&t| default_value(t)).collect();
            call.push(Instr::ReturnCall { function_index: target });
            onward.extend(self.if_then(cond, call));
        }
        onward.push(Instr::Unreachable);
        let not_mine = vec![
            Instr::LocalGet { local_index: owner },
            Instr::I32Const { value: self.func.as_u32() as i32 },
            Instr::I32Ne,
        ];
        restore.extend(self.if_then(not_mine, onward));
        restore.extend([
            Instr::I32Const { value: 8 },
            Instr::Call { function_index: self.rt().pop },
            Instr::LocalSet { local_index: faddr },
        ]);
        restore.extend(load_value(self.rt(), faddr, 4, ValType::I32)?);
        restore.push(Instr::LocalSet { local_index: self.ridx });
        restore.push(self.dispatch(restores));
        let cond = vec![
            Instr::GlobalGet { global_index: self.rt().state },
            Instr::I32Const { value: STATE_REWINDING },
            Instr::I32Eq,
        ];
        let mut entry = self.if_then(cond, restore);

        let body_type = match results {
            [] => BlockType::Empty,
            [t] => BlockType::Value(*t),
            _ => BlockType::Func(self.module.add_func_type(&[], results)),
        };
        self.body
            .instrs_mut(self.save)
            .extend([Instr::Block { blockty: Body { ty: body_type, seq: body_seq } }, Instr::Return]);
        entry.push(Instr::Block { blockty: Body { ty: BlockType::Empty, seq: self.save } });
        let save_locals = self.dispatch(saves);
        entry.push(save_locals);
        entry.extend([
            Instr::I32Const { value: 8 },
            Instr::Call { function_index: self.rt().push },
            Instr::LocalSet { local_index: faddr },
            Instr::I32Const { value: self.func.as_u32() as i32 },
            Instr::LocalSet { local_index: owner },
        ]);
        entry.extend(store_value(self.rt(), faddr, 0, ValType::I32, owner)?);
        entry.extend(store_value(self.rt(), faddr, 4, ValType::I32, self.ridx)?);
        entry.extend(results.iter().map(|&t| default_value(t)));
        let new_entry = self.seq(entry);
        self.body.entry = new_entry;
        Ok(())
    }
}
