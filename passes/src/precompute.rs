//! Precompute: folds constant expressions and the control flow they decide.
//!
//! Integer arithmetic, comparisons and conversions whose operands are constants become one
//! constant (`i32.const 2 i32.const 3 i32.add` is `i32.const 5`), with WebAssembly's
//! wrapping semantics; a division is folded only when it cannot trap. Identities drop an
//! operation whose constant operand does nothing (`x i32.const 0 i32.add` is `x`; `i32.const
//! 0 i32.eq` is `i32.eqz`). A constant condition decides its instruction:
//!
//! ```text
//! i32.const 1  if (then A) (else B)   =>  block A         (then B's arm is gone)
//! i32.const 0  if (then A) (else B)   =>  block B         (B's branches to the if retargeted)
//! i32.const 0  if (then A)            =>  (nothing)
//! i32.const 7  br_if $l               =>  br $l
//! i32.const 0  br_if $l               =>  (nothing)
//! i32.const 2  br_table $a $b $c $d   =>  br $c
//! ```
//!
//! The lowering's guards test `global.get $state` against constants; once
//! `propagate-globals` has replaced such a read by the constant last stored, this pass
//! removes the guard. Folding works on the instructions as written, one sequence at a time:
//! each instruction is appended to the output and the output's tail is reduced as far as it
//! goes, so folds cascade (`i32.const 1 i32.const 2 i32.add i32.eqz` is `i32.const 0`).
//! Floating-point arithmetic is not folded (NaN payloads and rounding are not worth the
//! risk here); neither are reads of memory or of immutable globals.
//!
//! Functions are processed in parallel. The pass takes no options.

use crate::effects::{is_pure_push, map_bodies, relabel, rewrite_tails, subtree};
use crate::{Pass, PassArgs};
use wasmfx_ir::{Body, FuncBody, Instr, Module, Result};

/// The `precompute` pass.
pub struct Precompute;

impl Pass for Precompute {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        map_bodies(module, |_, _, body| precompute(body));
        Ok(())
    }
}

/// Folds the constant code of one function body.
pub fn precompute(body: &mut FuncBody) {
    rewrite_tails(body, reduce);
}

/// Reduces the tail of `out` once; whether it changed.
fn reduce(body: &mut FuncBody, out: &mut Vec<Instr>) -> bool {
    use Instr::*;
    let n = out.len();
    if n == 0 {
        return false;
    }
    let last = &out[n - 1];
    // One constant operand and the instruction consuming it.
    if n >= 2 {
        if let Some(folded) = match (&out[n - 2], last) {
            (I32Const { value }, op) => fold_i32_unary(*value, op),
            (I64Const { value }, op) => fold_i64_unary(*value, op),
            _ => None,
        } {
            out.truncate(n - 2);
            out.push(folded);
            return true;
        }
        if let I32Const { value } = out[n - 2] {
            match last.clone() {
                If { blockty } => {
                    out.truncate(n - 2);
                    if value != 0 {
                        out.push(Block { blockty: Body { ty: blockty.ty, seq: blockty.then } });
                    } else if let Some(else_) = blockty.else_ {
                        let inside = subtree(body, else_);
                        relabel(body, &inside, blockty.then, else_);
                        out.push(Block { blockty: Body { ty: blockty.ty, seq: else_ } });
                    }
                    return true;
                }
                BrIf { relative_depth } => {
                    out.truncate(n - 2);
                    if value != 0 {
                        out.push(Br { relative_depth });
                    }
                    return true;
                }
                BrTable { targets } => {
                    out.truncate(n - 2);
                    let target =
                        targets.targets.get(value as u32 as usize).copied().unwrap_or(targets.default);
                    out.push(Br { relative_depth: target });
                    return true;
                }
                Select | TypedSelect { .. }
                    if n >= 4 && is_pure_push(&out[n - 3]) && is_pure_push(&out[n - 4]) =>
                {
                    let keep = if value != 0 { out[n - 4].clone() } else { out[n - 3].clone() };
                    out.truncate(n - 4);
                    out.push(keep);
                    return true;
                }
                _ => {}
            }
        }
    }
    // Two constant operands.
    if n >= 3 {
        let folded = match (&out[n - 3], &out[n - 2]) {
            (I32Const { value: a }, I32Const { value: b }) => fold_i32_binary(*a, *b, last),
            (I64Const { value: a }, I64Const { value: b }) => fold_i64_binary(*a, *b, last),
            _ => None,
        };
        if let Some(folded) = folded {
            out.truncate(n - 3);
            out.push(folded);
            return true;
        }
    }
    // A constant right operand that does nothing.
    if n >= 2 {
        let identity = match (&out[n - 2], last) {
            (I32Const { value: 0 }, I32Add | I32Sub | I32Or | I32Xor | I32Shl | I32ShrS | I32ShrU) => {
                Some(None)
            }
            (I32Const { value: 1 }, I32Mul | I32DivS | I32DivU) => Some(None),
            (I32Const { value: -1 }, I32And) => Some(None),
            (I64Const { value: 0 }, I64Add | I64Sub | I64Or | I64Xor | I64Shl | I64ShrS | I64ShrU) => {
                Some(None)
            }
            (I64Const { value: 1 }, I64Mul | I64DivS | I64DivU) => Some(None),
            (I64Const { value: -1 }, I64And) => Some(None),
            (I32Const { value: 0 }, I32Eq) => Some(Some(I32Eqz)),
            (I64Const { value: 0 }, I64Eq) => Some(Some(I64Eqz)),
            _ => None,
        };
        if let Some(replacement) = identity {
            out.truncate(n - 2);
            out.extend(replacement);
            return true;
        }
    }
    false
}

fn bool_i32(b: bool) -> Option<Instr> {
    Some(Instr::I32Const { value: b as i32 })
}

fn fold_i32_unary(a: i32, op: &Instr) -> Option<Instr> {
    use Instr::*;
    let i32c = |value: i32| Some(I32Const { value });
    let i64c = |value: i64| Some(I64Const { value });
    match op {
        I32Eqz => bool_i32(a == 0),
        I32Clz => i32c(a.leading_zeros() as i32),
        I32Ctz => i32c(a.trailing_zeros() as i32),
        I32Popcnt => i32c(a.count_ones() as i32),
        I32Extend8S => i32c(a as i8 as i32),
        I32Extend16S => i32c(a as i16 as i32),
        I64ExtendI32S => i64c(a as i64),
        I64ExtendI32U => i64c(a as u32 as i64),
        _ => None,
    }
}

fn fold_i64_unary(a: i64, op: &Instr) -> Option<Instr> {
    use Instr::*;
    let i64c = |value: i64| Some(I64Const { value });
    match op {
        I64Eqz => bool_i32(a == 0),
        I64Clz => i64c(a.leading_zeros() as i64),
        I64Ctz => i64c(a.trailing_zeros() as i64),
        I64Popcnt => i64c(a.count_ones() as i64),
        I64Extend8S => i64c(a as i8 as i64),
        I64Extend16S => i64c(a as i16 as i64),
        I64Extend32S => i64c(a as i32 as i64),
        I32WrapI64 => Some(I32Const { value: a as i32 }),
        _ => None,
    }
}

fn fold_i32_binary(a: i32, b: i32, op: &Instr) -> Option<Instr> {
    use Instr::*;
    let c = |value: i32| Some(I32Const { value });
    let (ua, ub) = (a as u32, b as u32);
    match op {
        I32Add => c(a.wrapping_add(b)),
        I32Sub => c(a.wrapping_sub(b)),
        I32Mul => c(a.wrapping_mul(b)),
        I32And => c(a & b),
        I32Or => c(a | b),
        I32Xor => c(a ^ b),
        I32Shl => c(a.wrapping_shl(ub)),
        I32ShrS => c(a.wrapping_shr(ub)),
        I32ShrU => c(ua.wrapping_shr(ub) as i32),
        I32Rotl => c(a.rotate_left(ub % 32)),
        I32Rotr => c(a.rotate_right(ub % 32)),
        I32DivS if b != 0 && !(a == i32::MIN && b == -1) => c(a / b),
        I32DivU if b != 0 => c((ua / ub) as i32),
        I32RemS if b != 0 => c(a.wrapping_rem(b)),
        I32RemU if b != 0 => c((ua % ub) as i32),
        I32Eq => bool_i32(a == b),
        I32Ne => bool_i32(a != b),
        I32LtS => bool_i32(a < b),
        I32LtU => bool_i32(ua < ub),
        I32GtS => bool_i32(a > b),
        I32GtU => bool_i32(ua > ub),
        I32LeS => bool_i32(a <= b),
        I32LeU => bool_i32(ua <= ub),
        I32GeS => bool_i32(a >= b),
        I32GeU => bool_i32(ua >= ub),
        _ => None,
    }
}

fn fold_i64_binary(a: i64, b: i64, op: &Instr) -> Option<Instr> {
    use Instr::*;
    let c = |value: i64| Some(I64Const { value });
    let (ua, ub) = (a as u64, b as u64);
    match op {
        I64Add => c(a.wrapping_add(b)),
        I64Sub => c(a.wrapping_sub(b)),
        I64Mul => c(a.wrapping_mul(b)),
        I64And => c(a & b),
        I64Or => c(a | b),
        I64Xor => c(a ^ b),
        I64Shl => c(a.wrapping_shl(ub as u32)),
        I64ShrS => c(a.wrapping_shr(ub as u32)),
        I64ShrU => c(ua.wrapping_shr(ub as u32) as i64),
        I64Rotl => c(a.rotate_left((ub % 64) as u32)),
        I64Rotr => c(a.rotate_right((ub % 64) as u32)),
        I64DivS if b != 0 && !(a == i64::MIN && b == -1) => c(a / b),
        I64DivU if b != 0 => c((ua / ub) as i64),
        I64RemS if b != 0 => c(a.wrapping_rem(b)),
        I64RemU if b != 0 => c((ua % ub) as i64),
        I64Eq => bool_i32(a == b),
        I64Ne => bool_i32(a != b),
        I64LtS => bool_i32(a < b),
        I64LtU => bool_i32(ua < ub),
        I64GtS => bool_i32(a > b),
        I64GtU => bool_i32(ua > ub),
        I64LeS => bool_i32(a <= b),
        I64LeU => bool_i32(ua <= ub),
        I64GeS => bool_i32(a >= b),
        I64GeU => bool_i32(ua >= ub),
        _ => None,
    }
}
