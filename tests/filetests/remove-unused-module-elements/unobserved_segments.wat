;; An active segment into a table defined here that nothing else uses, at a constant offset
;; within the table's initial size, cannot be observed: it goes, with its table and the
;; functions only it holds. Kept: a segment whose table is exported, one that would trap at
;; instantiation (past the table's end: `trapping_segment.wat`), one into an imported table, one into a table code
;; uses, and one holding a function code takes with `ref.func` (it may declare it).
;; RUN: wasmfx-opt --remove-unused-module-elements
;; RUN: exports == wasmfx-opt --remove-unused-module-elements | exports
(module
  (type $ret (func (result i32)))
  (import "spectest" "table" (table $imported 10 funcref))
  (table $unseen 2 funcref)
  (table $exported 1 funcref)
  (table $called 1 funcref)
  (table $declaring 1 funcref)
  (elem (table $unseen) (i32.const 1) func $only_in_unseen)
  (elem (table $exported) (i32.const 0) func $in_exported)
  (elem (table $imported) (i32.const 0) func $in_imported)
  (elem (table $called) (i32.const 0) func $in_called)
  (elem (table $declaring) (i32.const 0) func $taken)
  (export "table" (table $exported))
  (func $only_in_unseen (result i32) (i32.const 1))
  (func $in_exported (result i32) (i32.const 2))
  (func $in_imported (result i32) (i32.const 4))
  (func $in_called (result i32) (i32.const 5))
  (func $taken (result i32) (i32.const 6))
  (func (export "run") (result i32)
    (i32.add
      (call_indirect $called (type $ret) (i32.const 0))
      (call_ref $ret (ref.func $taken)))))
