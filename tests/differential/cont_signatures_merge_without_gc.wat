;; A known difference, kept visible: in a module without GC, two function types that only
;; continuation types tell apart (`$g1` and `$g2` take continuations of different types)
;; become one type lowered, where every continuation is an `i64` handle and no rec group can
;; keep them apart (rec groups need GC). So the `call_indirect` of `$take2` (of type `$g2`) as
;; a `$g1`, which traps natively (`indirect call type mismatch`), calls it lowered. Calls with
;; the right signatures agree. A module that uses GC keeps such types apart (see
;; `gc_types_differ_in_conts.wat`).
;;
;; RUN: native
;; RUN: lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f1 (func (param i32)))
  (type $c1 (cont $f1))
  (type $f2 (func (param i64)))
  (type $c2 (cont $f2))
  (type $g1 (func (param (ref null $c1)) (result i32)))
  (type $g2 (func (param (ref null $c2)) (result i32)))
  (table $fns 2 funcref)
  (elem (table $fns) (i32.const 0) func $take1 $take2)
  (func $take1 (type $g1) (i32.const 1))
  (func $take2 (type $g2) (i32.const 2))
  (func (export "_start")
    (call $print_i32 (call_indirect $fns (type $g1) (ref.null $c1) (i32.const 0)))
    (call $print_i32 (call_indirect $fns (type $g2) (ref.null $c2) (i32.const 1)))
    (call $print_i32 (call_indirect $fns (type $g1) (ref.null $c1) (i32.const 1)))))
