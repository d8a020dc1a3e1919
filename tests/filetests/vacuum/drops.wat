;; RUN: wasmfx-opt --vacuum
;; RUN: exports == wasmfx-opt --vacuum | exports
;; Pure values dropped, tees dropped, empty blocks and if arms.
(module
  (global $state (mut i32) (i32.const 0))
  (global $n (mut i32) (i32.const 0))
  (func $bump (result i32) global.get $n i32.const 1 i32.add global.set $n global.get $n)
  (func (export "pure_dropped") (result i32) (local $x i32)
    nop
    global.get $state i32.eqz drop
    local.get $x i32.const 1 i32.add i32.const 3 i32.shl drop
    i32.const 1 i32.const 2 local.get $x select drop
    i32.const 7)
  (func (export "calls_and_traps_stay") (result i32)
    call $bump drop
    i32.const 1 i32.const 1 i32.div_u drop
    global.get $n)
  (func (export "tee_dropped") (result i32) (local $t i32)
    call $bump local.tee $t drop
    local.get $t)
  (func (export "empty_structures") (result i32)
    block end loop end
    global.get $state i32.eqz if end
    global.get $state if else end
    i32.const 8)
  (func (export "empty_then") (result i32)
    global.get $state
    if else global.get $n i32.const 10 i32.add global.set $n end
    global.get $state i32.eqz
    if global.get $n i32.const 1 i32.add global.set $n else end
    global.get $n)
)
