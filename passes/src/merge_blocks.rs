//! Merge blocks: removes blocks whose label nothing needs.
//!
//! - A `block` or `loop` whose label no branch, `br_table`, catch or handler clause names is
//!   only a scope; its instructions move into the enclosing sequence, where they do the same
//!   (a block's parameters are the values already on the stack, its results those it leaves).
//! - A `block` that ends a sequence whose end is the same place (the body of another block,
//!   an arm of an `if`, a `try_table`'s body, the function's body), with the same result
//!   types, has its branches retargeted to the enclosing label; it is then unlabelled and
//!   goes by the first rule.
//!
//! ```text
//! block $a  block $b  local.get $c  br_if $b  call $f  end  end
//!   =>  block $a  local.get $c  br_if $a  call $f  end
//! ```
//!
//! The lowering nests blocks for its save paths and skip guards; after `precompute` turns
//! decided `if`s into blocks, most of those blocks have no branch left. Blocks are visited
//! children first, so a nest of them collapses in one run. `try_table`s and `if`s are never
//! merged: they do more than scope a label.
//!
//! Functions are processed in parallel. The pass takes no options.

use crate::effects::{block_sig, map_bodies, relabel, seq_infos, subtree, targeted_labels};
use crate::{Pass, PassArgs};
use wasmfx_ir::{FuncBody, FuncId, Instr, Module, Result};

/// The `merge-blocks` pass.
pub struct MergeBlocks;

impl Pass for MergeBlocks {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        map_bodies(module, merge_blocks);
        Ok(())
    }
}

/// Merges the blocks of one function body, function `func`.
pub fn merge_blocks(module: &Module, func: FuncId, body: &mut FuncBody) {
    let func_ty = module.funcs[func].ty;
    // Retarget the branches of blocks that end a sequence ending at the same place.
    let infos = seq_infos(module, func_ty, body);
    for seq in body.live_seqs().into_iter().rev() {
        let Some(info) = infos.get(&seq) else { continue };
        let Some(label) = info.label else { continue };
        let Some(Instr::Block { blockty }) = body.seqs[seq].instrs.last() else { continue };
        let inner = *blockty;
        let Some((params, results)) = block_sig(module, inner.ty) else { continue };
        if params.is_empty() && results == info.results && info.branch == info.results {
            let inside = subtree(body, inner.seq);
            relabel(body, &inside, inner.seq, label);
        }
    }
    // Splice every block and loop whose label is not targeted.
    let targeted = targeted_labels(body);
    let mut changed = false;
    for seq in body.live_seqs().into_iter().rev() {
        if !body.seqs[seq].instrs.iter().any(|i| spliceable(i, &targeted)) {
            continue;
        }
        let instrs = std::mem::take(&mut body.seqs[seq].instrs);
        let mut out = Vec::with_capacity(instrs.len());
        for instr in instrs {
            match instr {
                Instr::Block { blockty } | Instr::Loop { blockty } if !targeted.contains(&blockty.seq) => {
                    out.append(&mut body.seqs[blockty.seq].instrs);
                    changed = true;
                }
                other => out.push(other),
            }
        }
        body.seqs[seq].instrs = out;
    }
    if changed {
        body.compact_seqs();
    }
}

fn spliceable(instr: &Instr, targeted: &std::collections::BTreeSet<wasmfx_ir::SeqId>) -> bool {
    matches!(instr, Instr::Block { blockty } | Instr::Loop { blockty } if !targeted.contains(&blockty.seq))
}
