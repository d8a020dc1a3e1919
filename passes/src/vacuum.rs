//! Vacuum: removes code that does nothing.
//!
//! What goes: `nop`; a value computed without side effects and then dropped (`local.get $x
//! drop`, `global.get $g i32.eqz drop`, `i32.const 1 i32.const 2 i32.add drop`: a pure
//! operation before a `drop` becomes drops of its operands, which then go with their own
//! producers); `local.tee $x drop` (a `local.set`); empty blocks and loops; an `if` whose
//! arms are both empty (only its condition's evaluation stays, dropped); an empty `else`; an
//! `if` whose `then` arm is empty but whose `else` is not, which becomes `i32.eqz if` with the
//! `else` arm as its `then`.
//!
//! ```text
//! global.get $state  i32.eqz  if  end          =>  (nothing)
//! call $f  local.tee $t  drop                  =>  call $f  local.set $t
//! local.get $c  if  else  call $g  end         =>  local.get $c  i32.eqz  if  call $g  end
//! ```
//!
//! The lowering leaves many of these: guards whose arm lost its code to other passes, and the
//! `if`s around straight-line code that has nothing to skip. Only instructions that cannot
//! trap and have no effect are removed (loads, divisions and calls stay even when their
//! result is dropped); `if`s are rewritten only when they have no parameters or results.
//!
//! Block types given as a type index of `[] -> []` or `[] -> [t]` are first written in their
//! short form (`if (type $void)` is `if`), which the rules above then see.
//!
//! Functions are processed in parallel. The pass takes no options.

use crate::effects::{
    is_pure_binary, is_pure_push, is_pure_unary, map_bodies, relabel, rewrite_tails, subtree,
};
use crate::{Pass, PassArgs};
use wasmfx_ir::{BlockType, FuncBody, IfBody, Instr, Module, Result};

/// The `vacuum` pass.
pub struct Vacuum;

impl Pass for Vacuum {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        map_bodies(module, |module, _, body| {
            shorten_block_types(module, body);
            vacuum(body)
        });
        Ok(())
    }
}

/// Removes the code that does nothing from one function body.
pub fn vacuum(body: &mut FuncBody) {
    rewrite_tails(body, reduce);
}

/// Writes a block type given as a type index whose signature takes nothing and gives at
/// most one value in its short form (`if (type $[]->[])` is `if`): one byte instead of a
/// type index, and the rules above see it.
fn shorten_block_types(module: &Module, body: &mut FuncBody) {
    let short = |ty: &mut BlockType| {
        if let BlockType::Func(t) = *ty
            && let Some(sig) = module.types.get(t).and_then(|t| t.as_func())
            && sig.params.is_empty()
        {
            match sig.results[..] {
                [] => *ty = BlockType::Empty,
                [v] => *ty = BlockType::Value(v),
                _ => {}
            }
        }
    };
    for seq in body.live_seqs() {
        for instr in &mut body.seqs[seq].instrs {
            match instr {
                Instr::Block { blockty } | Instr::Loop { blockty } => short(&mut blockty.ty),
                Instr::If { blockty } => short(&mut blockty.ty),
                Instr::TryTable { try_table } => short(&mut try_table.ty),
                _ => {}
            }
        }
    }
}

/// Reduces the tail of `out` once; whether it changed.
fn reduce(body: &mut FuncBody, out: &mut Vec<Instr>) -> bool {
    use Instr::*;
    let n = out.len();
    if n == 0 {
        return false;
    }
    let empty = |body: &FuncBody, seq| body.seqs[seq].instrs.is_empty();
    match &out[n - 1] {
        Nop => {
            out.pop();
            return true;
        }
        Block { blockty } | Loop { blockty }
            if blockty.ty == BlockType::Empty && empty(body, blockty.seq) =>
        {
            out.pop();
            return true;
        }
        &If { blockty } if blockty.ty == BlockType::Empty => {
            let then_empty = empty(body, blockty.then);
            match blockty.else_ {
                Some(e) if empty(body, e) => {
                    out[n - 1] = If { blockty: IfBody { else_: None, ..blockty } };
                    return true;
                }
                None if then_empty => {
                    out[n - 1] = Drop;
                    return true;
                }
                Some(e) if then_empty => {
                    let inside = subtree(body, e);
                    relabel(body, &inside, blockty.then, e);
                    out[n - 1] = I32Eqz;
                    out.push(If { blockty: IfBody { ty: blockty.ty, then: e, else_: None } });
                    return true;
                }
                _ => {}
            }
        }
        Drop if n >= 2 => {
            let before = &out[n - 2];
            if is_pure_push(before) {
                out.truncate(n - 2);
                return true;
            }
            if is_pure_unary(before) {
                out.remove(n - 2);
                return true;
            }
            if is_pure_binary(before) {
                out[n - 2] = Drop;
                return true;
            }
            if matches!(before, Select | TypedSelect { .. }) {
                out[n - 2] = Drop;
                out.push(Drop);
                return true;
            }
            if let LocalTee { local_index } = *before {
                out.truncate(n - 2);
                out.push(LocalSet { local_index });
                return true;
            }
        }
        _ => {}
    }
    false
}
