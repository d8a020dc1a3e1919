;; RUN: wasmfx-opt -O2
;; RUN: exports == wasmfx-opt -O1 | exports == wasmfx-opt -O2 | exports == wasmfx-opt -O3 | exports == wasmfx-opt -Os | exports == wasmfx-opt -Oz | exports
;; A plain module through every level: helpers inlined and folded away, unused ones removed.
(module
  (global $n (mut i32) (i32.const 0))
  (func $double (param i32) (result i32) local.get 0 i32.const 1 i32.shl)
  (func $flag (result i32) i32.const 0)
  (func (export "main") (result i32) (local $t i32)
    call $flag
    if global.get $n i32.const 1 i32.add global.set $n end
    i32.const 21 call $double local.set $t
    local.get $t global.get $n i32.add)
)
