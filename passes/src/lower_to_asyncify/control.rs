//! Phase 3a, control flow: which instructions are suspension points, and the guards and
//! spills that let a rewind re-enter an instrumented function at the point it left. Every
//! suspension point, and every structured instruction containing one, is entered with the
//! frame's operand stack spilled to locals; runs of ordinary code are guarded by
//! `state == normal`, each point and structure by `state == normal || ridx in its range`.

use super::contract::STATE_UNWINDING;
use super::rewrite::{ResumeMode, Rewriter};
use wasmfx_ir::analysis::OperandStack;
use wasmfx_ir::*;

impl Rewriter<'_> {
    /// Whether `instr` is a suspension point: it may suspend while this frame is live. A tail
    /// call is not one, since this frame is gone before the callee runs (the frames it may
    /// leave are the analysis's `tail_targets`).
    pub(super) fn is_point(&self, instr: &Instr) -> bool {
        let an = self.an;
        match instr.transfer() {
            Transfer::Suspend { .. } | Transfer::Switch { .. } => true,
            Transfer::Resume { handlers, .. } => an.unwind_tags.may_forward(handlers),
            Transfer::Call { callee: Callee::Func(f), tail: false } => an.suspending.contains(&f),
            Transfer::Call { callee: Callee::Signature(_), tail: false } => an.indirect_may_suspend(instr),
            Transfer::Call { tail: true, .. } | Transfer::Stays => false,
        }
    }

    /// Numbers the suspension points in order and finds, for each structured instruction,
    /// the range of points inside it (contiguous, since the order is depth first).
    pub(super) fn find_points(&mut self, order: &[InstrRef]) {
        let mut point_ordinals = Vec::new();
        for (o, &at) in order.iter().enumerate() {
            if self.is_point(&self.body.seqs[at.seq].instrs[at.index()]) {
                point_ordinals.push(o);
                let k = point_ordinals.len() as i32;
                self.points.insert(o, k);
                self.point_at.insert(k, (at, o));
            }
        }
        // Subtree sizes, children before parents.
        let live = self.body.live_seqs();
        let mut size: InstrMap<usize> = InstrMap::new(&self.body, Places::Instrs, |_| 0);
        for &seq in live.iter().rev() {
            for (i, instr) in self.body.seqs[seq].instrs.iter().enumerate() {
                let inner: usize = instr
                    .bodies()
                    .map(|b| {
                        (0..self.body.seqs[b].instrs.len()).map(|j| size[InstrRef::new(b, j)]).sum::<usize>()
                    })
                    .sum();
                size[InstrRef::new(seq, i)] = 1 + inner;
            }
        }
        for &at in order {
            let n = size[at];
            if n == 1 {
                continue;
            }
            let o = self.ordinal[at];
            let first = point_ordinals.partition_point(|&p| p <= o);
            let last = point_ordinals.partition_point(|&p| p < o + n);
            if first < last {
                self.ranges.insert(o, (first as i32 + 1, last as i32));
            }
        }
    }

    pub(super) fn stack(&self, seq: SeqId, i: usize) -> &OperandStack {
        &self.stacks[self.ordinal[InstrRef::new(seq, i)]]
    }

    pub(super) fn rewrite_seq(&mut self, seq: SeqId) -> Result<()> {
        let instrs = std::mem::take(&mut self.body.seqs[seq].instrs);
        let sync: Vec<bool> = (0..instrs.len())
            .map(|i| {
                let o = self.ordinal[InstrRef::new(seq, i)];
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
            if !run.is_empty() {
                let normal = self.is_normal();
                let guarded = self.if_then(normal, std::mem::take(&mut run));
                out.extend(guarded);
            }

            let o = self.ordinal[InstrRef::new(seq, i)];
            let (n_in, outputs, completes) = self.arity(&instr)?;
            let below = frame[..frame.len() - n_in].to_vec();
            let inputs = frame[frame.len() - n_in..].to_vec();
            let mut rewind_reads = below.clone();
            match &instr {
                Instr::If { blockty } => {
                    self.if_conditions.insert(o, (inputs[n_in - 1], blockty.then));
                }
                _ if self.points.contains_key(&o) => rewind_reads.extend(self.rewind_inputs(&instr, &inputs)),
                _ => {}
            }
            self.element_locals.insert(o, rewind_reads);
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
                out.extend(self.guard_range(range, element));
                out.push(Instr::Unreachable);
                self.body.seqs[seq].instrs = out;
                return Ok(());
            }
            element.extend(output_locals.iter().rev().map(|&l| Instr::LocalSet { local_index: l }));
            out.extend(self.guard_range(range, element));
            carried = below.into_iter().chain(output_locals).collect();
            run = carried.iter().map(|&l| Instr::LocalGet { local_index: l }).collect();
        }
        out.extend(run);
        self.body.seqs[seq].instrs = out;
        Ok(())
    }

    /// The operands of a suspension point that its rewind path reads again. Rewinding into an
    /// instrumented callee, the callee restores its own frame and ignores its arguments (a
    /// tail call's rewind passes placeholders for the same reason), so a direct call needs
    /// none of its operands and an indirect one only the callee (the table index, or the
    /// reference `call_ref` checks for null). `suspend`, `switch` and the `resume` family
    /// read their operands only when entered normally. A call that may reach an import that
    /// suspends keeps them all: the host is called again while the module rewinds.
    fn rewind_inputs(&self, instr: &Instr, inputs: &[LocalId]) -> Vec<LocalId> {
        let is_import = |f: FuncId| self.module.funcs[f].def.is_import();
        // Imports come first among the functions, so the suspending set holds one iff its
        // first member is one.
        let may_reach_import = |callee: Callee| match callee {
            Callee::Func(f) => is_import(f),
            Callee::Signature(_) => self.an.suspending.first().is_some_and(|&f| is_import(f)),
        };
        match instr.transfer() {
            Transfer::Call { callee, .. } if may_reach_import(callee) => inputs.to_vec(),
            Transfer::Call { callee: Callee::Signature(_), .. } => {
                inputs.last().copied().into_iter().collect()
            }
            Transfer::Call { callee: Callee::Func(_), .. }
            | Transfer::Suspend { .. }
            | Transfer::Switch { .. }
            | Transfer::Resume { .. }
            | Transfer::Stays => Vec::new(),
        }
    }

    /// `state == normal`.
    pub(super) fn is_normal(&self) -> Vec<Instr> {
        vec![Instr::GlobalGet { global_index: self.rt.state }, Instr::I32Eqz]
    }

    /// `element` guarded by its range of points: run when normal or when rewinding to one of
    /// them. A range that holds every point of the function needs no test, since a rewind
    /// always goes to one of them.
    fn guard_range(&mut self, range: (i32, i32), element: Vec<Instr>) -> Vec<Instr> {
        if range == (1, self.point_at.len() as i32) {
            return element;
        }
        let cond = self.in_range(range);
        self.if_then(cond, element)
    }

    /// `state == normal || lo <= ridx <= hi`.
    pub(super) fn in_range(&self, (lo, hi): (i32, i32)) -> Vec<Instr> {
        vec![
            Instr::GlobalGet { global_index: self.rt.state },
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
    /// complete (a tail call cannot). Sync elements are suspension points and structured
    /// instructions; anything else here is a bug.
    pub(super) fn arity(&self, instr: &Instr) -> Result<(usize, Vec<ValType>, bool)> {
        let call = |sig: FuncType, extra: usize| (sig.params.len() + extra, sig.results, true);
        Ok(match instr {
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
                call(self.func_sig(self.an.cont_func[cont_type_index]), 1)
            }
            Instr::Suspend { tag_index } => call(self.func_sig(self.module.tags[*tag_index].ty), 0),
            Instr::ResumeThrow { cont_type_index, tag_index, .. } => (
                self.func_sig(self.module.tags[*tag_index].ty).params.len() + 1,
                self.func_sig(self.an.cont_func[cont_type_index]).results,
                true,
            ),
            Instr::ResumeThrowRef { cont_type_index, .. } => {
                (2, self.func_sig(self.an.cont_func[cont_type_index]).results, true)
            }
            Instr::Switch { cont_type_index, .. } => (
                self.func_sig(self.an.cont_func[cont_type_index]).params.len(),
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
            other => {
                return Err(Error::internal(format!(
                    "`{}` is neither a suspension point nor structured",
                    other.visitor_name()
                )));
            }
        })
    }

    /// `if (state == unwinding) { save the frame of point k; return }`.
    pub(super) fn unwind_check(&mut self, k: i32) -> Vec<Instr> {
        let cond = vec![
            Instr::GlobalGet { global_index: self.rt.state },
            Instr::I32Const { value: STATE_UNWINDING },
            Instr::I32Eq,
        ];
        let leave = self.save_frame(k);
        self.if_then(cond, leave)
    }

    /// The code of suspension point `k`, whose operands are in `inputs`.
    pub(super) fn point(&mut self, instr: Instr, k: i32, inputs: &[LocalId]) -> Result<Vec<Instr>> {
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
}
