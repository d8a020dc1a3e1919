;; Only what exports and the start function reach stays; unused imports go too.
;; RUN: wasmfx-opt --remove-unused-module-elements
;; RUN: exports == wasmfx-opt --remove-unused-module-elements | exports
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (import "spectest" "global_i32" (global $imported i32))
  (global $used (mut i32) (i32.const 5))
  (global $unused i32 (i32.const 6))
  (global $from_init i32 (global.get $imported))
  (func $start (global.set $used (i32.add (global.get $used) (i32.const 1))))
  (func $dead (result i32) (call $also_dead))
  (func $also_dead (result i32) (global.get $unused))
  (func $helper (result i32) (global.get $used))
  (func (export "main") (result i32) (i32.add (call $helper) (global.get $from_init)))
  (start $start))
