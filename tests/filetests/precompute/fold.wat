;; RUN: wasmfx-opt --precompute
;; RUN: exports == wasmfx-opt --precompute | exports
;; Constant arithmetic, comparisons, conversions and the control flow constants decide.
(module
  (global $g (mut i32) (i32.const 5))
  (func (export "arith") (result i32)
    i32.const 2 i32.const 3 i32.add i32.const 7 i32.mul i32.const -1 i32.xor)
  (func (export "wrap") (result i32)
    i64.const 0x1_0000_0003 i32.wrap_i64 i64.extend_i32_u i64.const 2 i64.shl i32.wrap_i64)
  (func (export "no_trap_folded") (result i32)
    i32.const 7 i32.const 0 i32.div_u)
  (func (export "signed") (result i32)
    i32.const -8 i32.const 3 i32.rem_s i32.const -1 i32.lt_s)
  (func (export "identity") (result i32)
    global.get $g i32.const 0 i32.add i32.const 1 i32.mul i32.const 0 i32.eq)
  (func (export "if_true") (result i32)
    i32.const 1 i32.const 2 i32.lt_u
    if (result i32) i32.const 10 else i32.const 20 end)
  (func (export "if_false_else_branches") (result i32)
    i32.const 0
    if (result i32) i32.const 10 else i32.const 30 br 0 end)
  (func (export "if_false_no_else") (result i32)
    i32.const 0 if global.get $g i32.const 1 i32.add global.set $g end
    global.get $g)
  (func (export "br_if_and_table") (result i32)
    block (result i32)
      i32.const 40 i32.const 1 br_if 0 drop
      i32.const 50
    end
    block $a block $b block $c
      i32.const 1 br_table $c $b $a
    end unreachable end global.get $g global.set $g end)
  (func (export "select") (result i32)
    i32.const 60 global.get $g i32.const 0 select)
)
