//! Dead code elimination: removes instructions that can never execute.
//!
//! Code after an instruction that never completes normally is unreachable. Besides the
//! instructions that always transfer control (`br`, `br_table`, `return`, `unreachable`,
//! `throw`, `throw_ref`, the `return_call`s), a structured instruction never completes when
//! its body cannot reach its end: a `block` or `try_table` whose body does not fall through
//! and whose label no branch or handler targets; a `loop` whose body does not fall through
//! (branches to a loop go back to its start); an `if` with an `else` whose two arms both do
//! not fall through and whose label nothing targets.
//!
//! Sequences are visited children first, so a parent sees its children's final form. When
//! the code removed follows a structured instruction, an `unreachable` takes its place: the
//! operand stack after a block is not polymorphic, so the sequence's end may otherwise lack
//! the values its type demands. Sequences left without an owner are then dropped.
//!
//! Example: `(block (br 0) (call $f)) (i32.const 1) (drop)` loses `(call $f)` only, because
//! the block's label is targeted; `(loop (br 0)) (call $f)` becomes `(loop (br 0)) unreachable`.
//!
//! Functions are processed in parallel. The pass takes no options.

use crate::{Pass, PassArgs};
use rayon::prelude::*;
use std::collections::BTreeSet;
use wasmfx_ir::{Def, FuncBody, IdReader, Instr, Module, ReadIds, Result, SeqId};

/// The `dce` pass.
pub struct Dce;

impl Pass for Dce {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        module.funcs.as_mut_slice().par_iter_mut().for_each(|f| {
            if let Def::Local(body) = &mut f.def {
                eliminate_dead_code(body);
            }
        });
        Ok(())
    }
}

struct Targets<'a>(&'a mut BTreeSet<SeqId>);

impl IdReader for Targets<'_> {
    fn label(&mut self, id: &SeqId) {
        self.0.insert(*id);
    }
}

/// Removes the unreachable code of one function body.
pub fn eliminate_dead_code(body: &mut FuncBody) {
    let order = body.live_seqs();
    let mut falls_through: BTreeSet<SeqId> = BTreeSet::new();
    let mut targeted: BTreeSet<SeqId> = BTreeSet::new();
    let mut changed = false;
    for &seq in order.iter().rev() {
        let instrs = &body.seqs[seq].instrs;
        let end = instrs.iter().position(|i| !completes(i, &falls_through, &targeted));
        if let Some(end) = end {
            if end + 1 < instrs.len() {
                let structured = instrs[end].bodies().next().is_some();
                let tail_is_unreachable = matches!(&instrs[end + 1..], [Instr::Unreachable]);
                if !(structured && tail_is_unreachable) {
                    let instrs = &mut body.seqs[seq].instrs;
                    instrs.truncate(end + 1);
                    if structured {
                        instrs.push(Instr::Unreachable);
                    }
                    changed = true;
                }
            }
        } else {
            falls_through.insert(seq);
        }
        let mut visitor = Targets(&mut targeted);
        body.seqs[seq].instrs.read_ids(&mut visitor);
    }
    if changed {
        body.compact_seqs();
    }
}

/// Whether control can continue after `instr`, given which sequences fall through and which
/// labels are targeted.
fn completes(instr: &Instr, falls_through: &BTreeSet<SeqId>, targeted: &BTreeSet<SeqId>) -> bool {
    let reaches_end = |seq: SeqId| falls_through.contains(&seq) || targeted.contains(&seq);
    match instr {
        Instr::Block { blockty } => reaches_end(blockty.seq),
        Instr::TryTable { try_table } => reaches_end(try_table.seq),
        Instr::Loop { blockty } => falls_through.contains(&blockty.seq),
        Instr::If { blockty } => match blockty.else_ {
            None => true,
            Some(else_) => reaches_end(blockty.then) || falls_through.contains(&else_),
        },
        other => !other.is_unconditional_transfer(),
    }
}
