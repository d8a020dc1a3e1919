;; $a and $b are never live at once and share a slot; $c overlaps $a and keeps its own;
;; $z is read before it is written (its zero value counts) and is left alone.
;; RUN: wasmfx-opt --coalesce-locals
;; RUN: exports == wasmfx-opt --coalesce-locals | exports
(module
  (func (export "sum") (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $z i32) (local $f f64) (local $g f64)
    (local.set $a (i32.const 10))
    (local.set $c (i32.add (local.get $a) (local.get $z)))
    (local.set $c (i32.add (local.get $c) (local.get $a)))
    (local.set $b (i32.const 5))
    (local.set $f (f64.const 1.5))
    (drop (local.get $f))
    (local.set $g (f64.const 2.5))
    (i32.add (i32.add (local.get $b) (local.get $c)) (i32.trunc_f64_s (local.get $g)))))
