//! Phase 3c, ordinary instructions: every instruction that is not a suspension point, with
//! its types erased and the operations that change meaning lowered: `cont.new` and
//! `cont.bind` become runtime calls, a `resume` that cannot forward runs its continuation in
//! place, continuation references are `i64` handles (`ref.null` is 0, null tests test the
//! handle), `call_ref` goes through a one-entry scratch table (unless the module uses GC, which
//! keeps typed function references), tables of continuations live in
//! the runtime's region, and `memory.size`/`memory.grow` on memory 0 see only the program's
//! part of it.

use super::frames::values_size;
use super::rewrite::{ResumeMode, Rewriter};
use wasmfx_ir::analysis::OperandStack;
use wasmfx_ir::*;

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

impl Rewriter<'_> {
    /// An ordinary instruction (not a suspension point): stack switching and reference
    /// operations lowered, types erased. A call that a list (`lists.rs`) made ordinary,
    /// though analysis says it may suspend, is followed by a check that traps if the callee
    /// came back unwinding (the state is normal after any call that did not).
    pub(super) fn lower(&mut self, instr: Instr, st: &OperandStack) -> Result<Vec<Instr>> {
        let check = !st.unreachable && self.an.unlisted_may_suspend(&instr);
        let mut out = self.lower_instr(instr, st)?;
        if check {
            let unwinding = vec![Instr::GlobalGet { global_index: self.rt.state }];
            let trap = vec![Instr::Call { function_index: self.rt.trap_unlisted }];
            out.extend(self.if_then(unwinding, trap));
        }
        Ok(out)
    }

    fn lower_instr(&mut self, instr: Instr, st: &OperandStack) -> Result<Vec<Instr>> {
        if st.unreachable && reads_operand_types(&instr) {
            // Dead code (after `unreachable`, `br`, `return`, `throw`...) has a polymorphic
            // operand stack whose types may be unknown, so the rewrites that spill operands
            // to typed locals or test them cannot be built. The code never runs, and
            // `unreachable` is valid wherever the stack is polymorphic, so it takes the place.
            return Ok(vec![Instr::Unreachable]);
        }
        let erasure = &self.an.erasure;
        let top_is_cont = st.types.last().is_some_and(|&t| erasure.is_cont(t));
        let memory0 = MemoryId::new(0);
        Ok(match instr {
            Instr::ContNew { cont_type_index } => {
                let ft = self.an.cont_func[&cont_type_index];
                // The trampoline calls a known function directly: the funcref (a `ref.func`,
                // never null) is not needed, and dropping it lets -O2 remove it.
                let known = matches!(self.an.started.get(&ft), Some(Some(_)));
                let mut out = if known { vec![Instr::Drop] } else { Vec::new() };
                out.extend(self.rt.trampoline_index(ft));
                out.push(Instr::Call { function_index: if known { self.rt.new_known } else { self.rt.new } });
                out
            }
            Instr::ContBind { argument_index, result_index } => {
                let from = self.func_sig(self.an.cont_func[&argument_index]).params;
                let to = self.func_sig(self.an.cont_func[&result_index]).params;
                let bound = from[..from.len() - to.len()].to_vec();
                let h = self.tmp(ValType::I64);
                let values: Vec<LocalId> = bound.iter().map(|&t| self.tmp(t)).collect();
                let addr = self.tmp(ValType::I32);
                let mut out = vec![Instr::LocalSet { local_index: h }];
                out.extend(values.iter().rev().map(|&l| Instr::LocalSet { local_index: l }));
                out.extend([
                    Instr::Call { function_index: self.rt.transfer },
                    Instr::LocalSet { local_index: addr },
                ]);
                out.extend(self.store_all(addr, 0, &bound, &values)?);
                out.extend([
                    Instr::LocalGet { local_index: h },
                    Instr::I32Const { value: values_size(&bound) as i32 },
                    Instr::Call { function_index: self.rt.bind },
                ]);
                out
            }
            Instr::Resume { cont_type_index, resume_table } => {
                let n = self.func_sig(self.an.cont_func[&cont_type_index]).params.len() + 1;
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
                    other => {
                        return Err(Error::internal(format!("a reference type erased to {other:?}")));
                    }
                }
            }
            Instr::RefIsNull if top_is_cont => vec![Instr::I64Eqz],
            Instr::RefAsNonNull => {
                let t = self.tmp(*st.types.last().expect("an operand"));
                let null_test = if top_is_cont { Instr::I64Eqz } else { Instr::RefIsNull };
                let trap = self.rt.trap_null;
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
            // With GC the output keeps typed function references, and `call_ref` with them.
            Instr::CallRef { type_index } if !erasure.gc => self.call_ref(type_index, false),
            Instr::ReturnCallRef { type_index } if !erasure.gc => self.call_ref(type_index, true),
            // The operand is erased to a nullable reference, so the source type says so too;
            // the target type keeps its nullability, which the cast tests.
            Instr::BrOnCast { relative_depth, mut from_ref_type, to_ref_type } => {
                from_ref_type.nullable = true;
                vec![Instr::BrOnCast { relative_depth, from_ref_type, to_ref_type }]
            }
            Instr::BrOnCastFail { relative_depth, mut from_ref_type, to_ref_type } => {
                from_ref_type.nullable = true;
                vec![Instr::BrOnCastFail { relative_depth, from_ref_type, to_ref_type }]
            }
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
            Instr::TableGet { table } if self.an.cont_tables.contains_key(&table) => {
                self.cont_table_op(self.rt.ctab_get, &[table])
            }
            Instr::TableSet { table } if self.an.cont_tables.contains_key(&table) => {
                self.cont_table_op(self.rt.ctab_set, &[table])
            }
            Instr::TableSize { table } if self.an.cont_tables.contains_key(&table) => {
                self.cont_table_op(self.rt.ctab_size, &[table])
            }
            Instr::TableGrow { table } if self.an.cont_tables.contains_key(&table) => {
                self.cont_table_op(self.rt.ctab_grow, &[table])
            }
            Instr::TableFill { table } if self.an.cont_tables.contains_key(&table) => {
                self.cont_table_op(self.rt.ctab_fill, &[table])
            }
            Instr::TableCopy { dst_table, src_table } if self.an.cont_tables.contains_key(&dst_table) => {
                self.cont_table_op(self.rt.ctab_copy, &[dst_table, src_table])
            }
            Instr::TableInit { table, .. } if self.an.cont_tables.contains_key(&table) => {
                return Err(Error::unsupported("`table.init` of a table of continuations"));
            }
            Instr::MemorySize { mem } if self.an.shares_memory && mem == memory0 => {
                vec![Instr::Call { function_index: self.rt.memory_size }]
            }
            Instr::MemoryGrow { mem } if self.an.shares_memory && mem == memory0 => {
                vec![Instr::Call { function_index: self.rt.memory_grow }]
            }
            other => {
                // Every stack-switching operator, and every operator that can name a
                // continuation type, has a lowering above (casts to continuation types are
                // invalid); one that reaches here (an operator added to the proposal later) is
                // our bug, never copied through.
                if other.proposal() == Proposal::StackSwitching || self.names_cont_type(&other) {
                    return Err(Error::internal(format!(
                        "`{}` is stack switching or names a continuation type but has no lowering",
                        other.visitor_name()
                    )));
                }
                vec![other]
            }
        })
    }

    /// Whether `instr` names a continuation type, through a type index or a value type.
    fn names_cont_type(&self, instr: &Instr) -> bool {
        struct Finder<'a> {
            erasure: &'a super::erasure::Erasure,
            found: bool,
        }
        impl IdReader for Finder<'_> {
            fn ty(&mut self, id: &TypeId) {
                self.found |= self.erasure.is_cont_type(*id);
            }
        }
        let mut finder = Finder { erasure: &self.an.erasure, found: false };
        instr.read_ids(&mut finder);
        finder.found
    }

    /// `call_ref` (or `return_call_ref`) through the one-entry scratch table.
    pub(super) fn call_ref(&mut self, type_index: TypeId, tail: bool) -> Vec<Instr> {
        let r = self.tmp(ValType::Ref(RefType::FUNCREF));
        let scratch = self.rt.scratch;
        let trap_null = self.rt.trap_null;
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

    /// An operation on tables of continuations: the runtime function takes the operands, then
    /// each table's descriptor offset, initial size and maximum.
    pub(super) fn cont_table_op(&self, function_index: FuncId, tables: &[TableId]) -> Vec<Instr> {
        let mut out = Vec::new();
        for t in tables {
            let table = self.an.cont_tables[t];
            out.extend([
                self.rt.table_descriptor(*t, table.descriptor),
                Instr::I32Const { value: table.initial },
                Instr::I32Const { value: table.maximum },
            ]);
        }
        out.push(Instr::Call { function_index });
        out
    }
}
