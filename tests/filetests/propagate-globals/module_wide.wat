;; RUN: wasmfx-opt --propagate-globals --vacuum --remove-unused-module-elements
;; RUN: exports == wasmfx-opt --propagate-globals --vacuum --remove-unused-module-elements | exports
;; Module-wide: $flag is only ever stored its initial 0, so it always reads 0 and its stores
;; go; $size is stored and never read, so its stores go too; both globals are then removed.
;; $exported is seen by the host and $counter changes: both stay as they are.
(module
  (global $flag (mut i32) (i32.const 0))
  (global $size (mut i32) (i32.const 0))
  (global $counter (mut i32) (i32.const 0))
  (global $exported (export "exported") (mut i32) (i32.const 0))
  (func $step
    i32.const 0 global.set $flag
    memory.size global.set $size
    i32.const 0 global.set $exported
    global.get $counter i32.const 1 i32.add global.set $counter)
  (func (export "run") (result i32)
    call $step
    global.get $flag if (result i32) i32.const 100 else global.get $counter end
    call $step
    global.get $counter i32.add)
  (memory 1)
)
