;; Active segments are roots (they write to the table at instantiation), so the functions
;; they hold stay; an unused passive segment and an unused table go; a declarative segment
;; keeps only functions that stay.
;; RUN: wasmfx-opt --remove-unused-module-elements
;; RUN: exports == wasmfx-opt --remove-unused-module-elements | exports
(module
  (type $ret (func (result i32)))
  (table $t 3 funcref)
  (table $unused_table 2 externref)
  (elem $active (table $t) (i32.const 0) func $a $b)
  (elem $passive_unused func $c)
  (elem $passive_used func $b)
  (elem declare func $d $c)
  (func $a (result i32) (i32.const 1))
  (func $b (result i32) (i32.const 2))
  (func $c (result i32) (i32.const 3))
  (func $d (result i32) (i32.const 4))
  (func (export "indirect") (result i32)
    (table.init $t $passive_used (i32.const 2) (i32.const 0) (i32.const 1))
    (i32.add
      (call_indirect $t (type $ret) (i32.const 0))
      (call_ref $ret (ref.func $d)))))
