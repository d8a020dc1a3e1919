;; RUN: wasmfx-opt --propagate-globals
;; RUN: exports == wasmfx-opt --propagate-globals | exports
;; Reads of globals known from a constant store, a test, or an immutable initialiser; calls
;; and loops forget what they may change.
(module
  (global $state (mut i32) (i32.const 0))
  (global $wide (mut i64) (i64.const 0))
  (global $k i32 (i32.const 42))
  (func $set (param i32) local.get 0 global.set $state)
  (func (export "after_store") (result i32)
    i32.const 2 global.set $state
    global.get $state global.get $k i32.add)
  (func (export "i64_store") (result i64)
    i64.const 9 global.set $wide global.get $wide)
  (func (export "call_forgets") (result i32)
    i32.const 2 global.set $state
    i32.const 5 call $set
    global.get $state)
  (func (export "tested") (result i32)
    global.get $state i32.eqz
    if (result i32) global.get $state i32.const 10 i32.add else i32.const 0 end
    global.get $state
    if (result i32) i32.const 0 else global.get $state i32.const 20 i32.add end
    i32.add
    global.get $state i32.const 0 i32.eq
    if (result i32) global.get $state else i32.const 1 end
    i32.add)
  (func (export "loop_forgets") (result i32) (local $i i32)
    i32.const 0 global.set $state
    loop $l
      global.get $state i32.const 1 i32.add global.set $state
      local.get $i i32.const 1 i32.add local.tee $i i32.const 3 i32.lt_u br_if $l
    end
    global.get $state)
  (func (export "block_passes_on") (result i32)
    i32.const 7 global.set $state
    block global.get $state drop end
    global.get $state)
)
