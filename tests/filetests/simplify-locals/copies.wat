;; RUN: wasmfx-opt --simplify-locals
;; RUN: exports == wasmfx-opt --simplify-locals | exports
;; Copies and runs of constants stored as an inlined call stores its arguments: reads of the
;; copy become reads of the original (inside nested bodies too) until either is written; a
;; copy of a local written later stays; `local.get $x local.tee $x` is `local.get $x`.
(module
  (global $g (mut i32) (i32.const 0))
  (func (export "copies") (result i32)
    (local $a i32) (local $b i32) (local $c i64) (local $d i32)
    i32.const 5 local.set $a
    global.get $g i32.const 7 i32.add local.set $a
    local.get $a local.set $b
    i32.const 3 i64.const 40 local.set $c local.set $d
    local.get $b local.get $b i32.mul
    local.get $c i32.wrap_i64 i32.add
    local.get $d i32.add
    local.get $a i32.eqz if (result i32) i32.const 1 else local.get $b end
    i32.add)
  (func (export "written_later") (result i32)
    (local $a i32) (local $b i32)
    i32.const 2 global.set $g
    global.get $g local.set $a
    local.get $a local.set $b
    i32.const 9 local.set $a
    local.get $b local.get $a i32.add
    local.get $b local.tee $b i32.add)
)
