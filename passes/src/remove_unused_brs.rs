//! Remove unused branches: branches that go where control would go anyway, and `if`s that
//! only branch.
//!
//! - A `br $l` that ends a sequence whose end is `$l`'s destination (the body of block `$l`,
//!   an arm of `if $l`, the function's body) goes when the values on the stack are exactly
//!   those `$l` takes, since falling off the end then does the same; a `br_if $l` there
//!   becomes a `drop` of its condition.
//! - `if (then br $l)` without `else`, parameters or results, where `$l` takes no values,
//!   becomes `br_if $l`.
//!
//! ```text
//! block $done  call $f  br $done  end          =>  block $done  call $f  end
//! local.get $c  if  br $loop  end              =>  local.get $c  br_if $loop
//! ```
//!
//! The lowering ends its save and restore paths with such branches; after `merge-blocks`
//! flattens the blocks around them, more of them end up at the end of their label. The stack
//! is counted with the arities the optimiser knows ([`crate::effects::arity`]); a sequence
//! holding an instruction it does not know keeps its branch.
//!
//! Functions are processed in parallel. The pass takes no options.

use crate::effects::{heights, map_bodies, seq_infos};
use crate::{Pass, PassArgs};
use wasmfx_ir::{BlockType, FuncBody, FuncId, Instr, Module, Result};

/// The `remove-unused-brs` pass.
pub struct RemoveUnusedBrs;

impl Pass for RemoveUnusedBrs {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        map_bodies(module, remove_unused_brs);
        Ok(())
    }
}

/// Removes the unneeded branches of one function body, function `func`.
pub fn remove_unused_brs(module: &Module, func: FuncId, body: &mut FuncBody) {
    let func_ty = module.funcs[func].ty;
    let infos = seq_infos(module, func_ty, body);
    let mut changed = false;
    for seq in body.live_seqs() {
        let Some(info) = infos.get(&seq) else { continue };
        // Branches ending the sequence.
        if let Some(label) = info.label {
            let instrs = &body.seqs[seq].instrs;
            let h = heights(module, info.params, instrs);
            let n = instrs.len();
            let wanted = info.results.len();
            match instrs.last() {
                Some(Instr::Br { relative_depth })
                    if *relative_depth == label && h[n - 1] == Some(wanted) =>
                {
                    body.seqs[seq].instrs.pop();
                    changed = true;
                }
                Some(Instr::BrIf { relative_depth })
                    if *relative_depth == label && h[n - 1] == Some(wanted + 1) =>
                {
                    body.seqs[seq].instrs[n - 1] = Instr::Drop;
                    changed = true;
                }
                _ => {}
            }
        }
        // `if` arms that only branch.
        for i in 0..body.seqs[seq].instrs.len() {
            let Instr::If { blockty } = body.seqs[seq].instrs[i] else { continue };
            if blockty.ty != BlockType::Empty || blockty.else_.is_some() {
                continue;
            }
            let [Instr::Br { relative_depth: target }] = body.seqs[blockty.then].instrs[..] else { continue };
            if target == blockty.then || !infos.get(&target).is_some_and(|t| t.branch.is_empty()) {
                continue;
            }
            body.seqs[seq].instrs[i] = Instr::BrIf { relative_depth: target };
            changed = true;
        }
    }
    if changed {
        body.compact_seqs();
    }
}
