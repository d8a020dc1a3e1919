//! Phase 3b, stack switching: `suspend`, `switch`, `resume`, `resume_throw` and
//! `resume_throw_ref` as runtime calls and unwind/rewind protocol (see the pass's essay for
//! the protocol itself).

use super::contract::{
    FIBER_FRESH, FIBER_RUNNING, FIBER_SUSPENDED, KIND_SUSPEND, KIND_SWITCH, RECORD_BOUND_LEN, RECORD_SIZE,
    RECORD_STATE, RECORD_TRAMP, STATE_NORMAL, STATE_REWINDING, STATE_UNWINDING, THROW_REF, THROW_TAG,
};
use super::frames::{store_value, values_size};
use super::rewrite::{ResumeMode, Rewriter};
use wasmfx_ir::*;

impl Rewriter<'_> {
    /// What a point that just stopped a rewind does: the state goes back to normal, an
    /// exception a `resume_throw` left pending is raised here, and otherwise the values the
    /// resume passed (`results`) are read from the transfer area.
    pub(super) fn rewound(&mut self, results: &[ValType]) -> Result<Vec<Instr>> {
        let addr = self.tmp(ValType::I32);
        let mut out =
            vec![Instr::I32Const { value: STATE_NORMAL }, Instr::GlobalSet { global_index: self.rt.state }];
        if let Some(rethrow) = self.rt.rethrow_pending {
            let pending = vec![Instr::GlobalGet { global_index: self.rt.throw_kind }];
            out.extend(self.if_then(pending, vec![Instr::Call { function_index: rethrow }]));
        }
        out.extend([
            Instr::GlobalGet { global_index: self.rt.transfer_addr },
            Instr::LocalSet { local_index: addr },
        ]);
        out.extend(self.load_all(addr, results)?);
        Ok(out)
    }

    /// Starts unwinding from point `k` with `tag` of `kind`: records them and saves the frame.
    pub(super) fn start_unwind(&mut self, tag: TagId, kind: i32, k: i32) -> Vec<Instr> {
        let mut out = vec![
            self.rt.tag_identity(tag),
            Instr::GlobalSet { global_index: self.rt.tag },
            Instr::I32Const { value: kind },
            Instr::GlobalSet { global_index: self.rt.kind },
            Instr::I32Const { value: STATE_UNWINDING },
            Instr::GlobalSet { global_index: self.rt.state },
        ];
        out.extend(self.save_frame(k));
        out
    }

    /// Traps (unhandled tag) when no continuation is running.
    pub(super) fn outside_any_continuation_traps(&mut self) -> Vec<Instr> {
        let (current, trap) = (self.rt.current, self.rt.trap_unhandled);
        self.if_then(
            vec![Instr::GlobalGet { global_index: current }, Instr::I32Eqz],
            vec![Instr::Call { function_index: trap }],
        )
    }

    /// `suspend $tag` as point `k`: store the payload, start unwinding and save the frame; when
    /// rewinding to `k`, stop and read the results.
    pub(super) fn suspend(&mut self, tag: TagId, k: i32, payload: &[LocalId]) -> Result<Vec<Instr>> {
        let sig = self.func_sig(self.module.tags[tag].ty);
        let addr = self.tmp(ValType::I32);
        let mut start = self.outside_any_continuation_traps();
        start.extend([
            Instr::GlobalGet { global_index: self.rt.transfer_addr },
            Instr::LocalSet { local_index: addr },
        ]);
        start.extend(self.store_all(addr, 0, &sig.params, payload)?);
        start.extend(self.start_unwind(tag, KIND_SUSPEND, k));
        let normal = self.is_normal();
        let mut out = self.if_then(normal, start);
        out.extend(self.rewound(&sig.results)?);
        Ok(out)
    }

    /// `switch $ct1 $tag` as point `k`: consume the target, store its arguments, and unwind
    /// like a `suspend` marked as a switch; the `resume` with `(on $tag switch)` then resumes
    /// the target in place of the continuation that switched, passing it a handle to that one.
    /// When rewinding to `k` (the switched-from continuation was resumed), read the results.
    pub(super) fn switch(
        &mut self,
        ct1: TypeId,
        tag: TagId,
        k: i32,
        inputs: &[LocalId],
    ) -> Result<Vec<Instr>> {
        let target_params = self.func_sig(self.an.cont_func[&ct1]).params;
        let (args, target) = inputs.split_at(inputs.len() - 1);
        let arg_types = &target_params[..target_params.len() - 1];
        let results = self.switch_results(ct1);
        let addr = self.tmp(ValType::I32);
        let mut start = vec![
            Instr::LocalGet { local_index: target[0] },
            Instr::Call { function_index: self.rt.take },
            Instr::GlobalSet { global_index: self.rt.switch_slot },
        ];
        start.extend(self.outside_any_continuation_traps());
        start.extend([
            Instr::GlobalGet { global_index: self.rt.transfer_addr },
            Instr::LocalSet { local_index: addr },
        ]);
        start.extend(self.store_all(addr, 0, arg_types, args)?);
        self.transfer = self.transfer.max(values_size(&target_params));
        start.extend([
            Instr::I32Const { value: values_size(arg_types) as i32 },
            Instr::GlobalSet { global_index: self.rt.switch_len },
        ]);
        start.extend(self.start_unwind(tag, KIND_SWITCH, k));
        let normal = self.is_normal();
        let mut out = self.if_then(normal, start);
        out.extend(self.rewound(&results)?);
        Ok(out)
    }

    /// The values a `switch $ct1` receives when its continuation is resumed: the parameters of
    /// the continuation type of the last parameter of `$ct1`'s function type.
    pub(super) fn switch_results(&self, ct1: TypeId) -> Vec<ValType> {
        let ft1 = self.module.func_type(self.an.cont_func[&ct1]);
        match ft1.params.last() {
            Some(ValType::Ref(RefType { heap: HeapType::Concrete(ct2) | HeapType::Exact(ct2), .. })) => {
                self.func_sig(self.an.cont_func[ct2]).params
            }
            _ => Vec::new(),
        }
    }

    /// `resume`, `resume_throw` and `resume_throw_ref` with handler clauses `handlers`; the
    /// operands (arguments or exception, then the handle) are in `inputs`. As suspension
    /// point `point` (in an instrumented function) it can forward an unwind outward and be
    /// re-entered while rewinding.
    pub(super) fn resume(
        &mut self,
        ct: TypeId,
        mode: ResumeMode,
        handlers: &[Handler],
        inputs: &[LocalId],
        point: Option<i32>,
    ) -> Result<Vec<Instr>> {
        let sig = self.func_sig(self.an.cont_func[&ct]);
        let (operands, handle) = inputs.split_at(inputs.len() - 1);
        let handle = handle[0];
        let rt = self.rt;
        let (take, unbind, unbind_after, transfer, release, handle_fn) =
            (rt.take, rt.unbind, rt.unbind_after, rt.transfer_addr, rt.release, rt.handle);
        let (g_state, g_current, g_tag, g_kind, tramps, trap_unhandled) =
            (rt.state, rt.current, rt.tag, rt.kind, rt.tramps, rt.trap_unhandled);
        let set_current = rt.set_current;
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
        let mut is_fresh = self.state_of(slot);
        is_fresh.extend([Instr::I32Const { value: FIBER_FRESH }, Instr::I32Eq]);
        match mode {
            ResumeMode::Args => {
                // The bound arguments go first; most resumes have none, so the runtime is
                // called only when the record says there are.
                let mut has_bound = self.record(slot);
                has_bound.push(Instr::I32Load { memarg: self.record_field(RECORD_BOUND_LEN) });
                let unbound = self
                    .seq(vec![Instr::LocalGet { local_index: slot }, Instr::Call { function_index: unbind }]);
                let none = self.seq(vec![Instr::I32Const { value: 0 }]);
                enter.push(Instr::GlobalGet { global_index: transfer });
                enter.extend(has_bound);
                enter.extend([
                    Instr::If {
                        blockty: IfBody {
                            ty: BlockType::Value(ValType::I32),
                            then: unbound,
                            else_: Some(none),
                        },
                    },
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
                            Instr::GlobalGet { global_index: transfer },
                            Instr::LocalSet { local_index: addr },
                        ]);
                        pending.extend(self.store_all(addr, 0, &payload, operands)?);
                        pending.extend([
                            Instr::I32Const { value: THROW_TAG },
                            Instr::GlobalSet { global_index: g_throw_kind },
                            rt.tag_identity(tag),
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
                    Instr::Call { function_index: set_current },
                ]);
                reenter.extend(self.set_state(slot, FIBER_RUNNING));
                let normal = self.is_normal();
                self.if_else(normal, enter, reenter)
            }
            None => enter,
        };

        // Run it (again, after a switch to another continuation): a loop.
        let again = self.body.add_seq();
        let mut run = vec![Instr::LocalGet { local_index: slot }];
        match self.rt.only_trampoline(self.module, &sig.results) {
            Some(tramp) => run.push(Instr::Call { function_index: tramp }),
            None => {
                run.extend(self.record(slot));
                run.push(Instr::I32Load { memarg: self.record_field(RECORD_TRAMP) });
                let tramp_ty = self.types.func(&[ValType::I32], &sig.results);
                run.push(Instr::CallIndirect { type_index: tramp_ty, table_index: tramps });
            }
        }
        let results: Vec<LocalId> = sig.results.iter().map(|&t| self.tmp(t)).collect();
        run.extend(results.iter().rev().map(|&l| Instr::LocalSet { local_index: l }));
        let mut body = self.guard_escapes(run, slot, parent);
        body.extend([Instr::LocalGet { local_index: parent }, Instr::Call { function_index: set_current }]);

        // It unwound: a switch to a clause `(on $e switch)` resumes the target here; a suspend
        // to a clause `(on $e $l)` branches there; otherwise forward (or trap at the top).
        let mut unwound = self.set_state(slot, FIBER_SUSPENDED);
        let mut on_switch = Vec::new();
        let mut on_suspend = Vec::new();
        for h in handlers {
            let tag_is = |tag: TagId| {
                vec![Instr::GlobalGet { global_index: g_tag }, rt.tag_identity(tag), Instr::I32Eq]
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
                        Instr::GlobalGet { global_index: transfer },
                        Instr::LocalGet { local_index: slot },
                        Instr::GlobalGet { global_index: g_switch_len },
                        Instr::Call { function_index: unbind_after },
                        Instr::I32Add,
                        Instr::LocalSet { local_index: addr },
                    ];
                    take_it.extend(store_value(self.rt, addr, 0, ValType::I64, switched)?);
                    take_it.extend(self.link(slot));
                    take_it.push(Instr::Br { relative_depth: again });
                    on_switch.extend(self.if_then(tag_is(tag), take_it));
                }
                Handler::OnLabel { tag, label } => {
                    let payload = self.func_sig(self.module.tags[tag].ty).params;
                    let mut take_it = vec![
                        Instr::I32Const { value: STATE_NORMAL },
                        Instr::GlobalSet { global_index: g_state },
                        Instr::GlobalGet { global_index: transfer },
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
            Some(k) => unwound.extend(self.save_frame(k)),
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

    /// Makes `slot` current and running: the state becomes rewinding if it is suspended, normal
    /// if it is fresh.
    pub(super) fn link(&mut self, slot: LocalId) -> Vec<Instr> {
        let mut out = vec![
            Instr::LocalGet { local_index: slot },
            Instr::Call { function_index: self.rt.set_current },
            Instr::I32Const { value: STATE_REWINDING },
            Instr::I32Const { value: STATE_NORMAL },
        ];
        out.extend(self.state_of(slot));
        out.extend([
            Instr::I32Const { value: FIBER_SUSPENDED },
            Instr::I32Eq,
            Instr::Select,
            Instr::GlobalSet { global_index: self.rt.state },
        ]);
        out.extend(self.set_state(slot, FIBER_RUNNING));
        out
    }

    /// The address of the record of the continuation in `slot` (read inline: the runtime keeps
    /// record 0's address in a global).
    fn record(&self, slot: LocalId) -> Vec<Instr> {
        vec![
            Instr::GlobalGet { global_index: self.rt.records },
            Instr::LocalGet { local_index: slot },
            Instr::I32Const { value: RECORD_SIZE },
            Instr::I32Mul,
            Instr::I32Add,
        ]
    }

    fn record_field(&self, offset: u64) -> MemArg {
        MemArg { align: 2, max_align: 2, offset, memory: self.rt.memory }
    }

    /// The state of the continuation in `slot`.
    fn state_of(&self, slot: LocalId) -> Vec<Instr> {
        let mut out = self.record(slot);
        out.push(Instr::I32Load { memarg: self.record_field(RECORD_STATE) });
        out
    }

    /// Sets the state of the continuation in `slot`.
    fn set_state(&self, slot: LocalId, state: i32) -> Vec<Instr> {
        let mut out = self.record(slot);
        out.extend([
            Instr::I32Const { value: state },
            Instr::I32Store { memarg: self.record_field(RECORD_STATE) },
        ]);
        out
    }

    /// When the program uses exceptions, an exception escaping the continuation in `slot`
    /// ends it: the runtime makes the resumer current again, frees the slot, and rethrows.
    pub(super) fn guard_escapes(&mut self, run: Vec<Instr>, slot: LocalId, parent: LocalId) -> Vec<Instr> {
        if !self.an.uses_exceptions {
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
        let caught_ty = self.types.func(&[], &[exn]);
        self.body.instrs_mut(caught).extend([
            Instr::TryTable {
                try_table: Box::new(TryTableBody {
                    ty: BlockType::Empty,
                    seq: try_body,
                    catches: vec![CatchClause::AllRef { label: caught }],
                }),
            },
            Instr::Br { relative_depth: after },
        ]);
        let (set_current, release) = (self.rt.set_current, self.rt.release);
        self.body.instrs_mut(after).extend([
            Instr::Block { blockty: Body { ty: BlockType::Func(caught_ty), seq: caught } },
            Instr::LocalSet { local_index: exn_local },
            Instr::LocalGet { local_index: parent },
            Instr::Call { function_index: set_current },
            Instr::LocalGet { local_index: slot },
            Instr::Call { function_index: release },
            Instr::LocalGet { local_index: exn_local },
            Instr::ThrowRef,
        ]);
        vec![Instr::Block { blockty: Body { ty: BlockType::Empty, seq: after } }]
    }
}
