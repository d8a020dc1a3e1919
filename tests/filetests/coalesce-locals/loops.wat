;; A value carried around a loop stays live through the whole loop, so nothing defined in
;; the loop may share its slot.
;; RUN: wasmfx-opt --coalesce-locals
;; RUN: exports == wasmfx-opt --coalesce-locals | exports
(module
  (func (export "loop") (result i32)
    (local $acc i32) (local $i i32) (local $tmp i32) (local $after i32)
    (loop $l
      (local.set $tmp (i32.mul (local.get $i) (i32.const 2)))
      (local.set $acc (i32.add (local.get $acc) (local.get $tmp)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
    (local.set $after (i32.const 1))
    (i32.add (local.get $acc) (local.get $after))))
