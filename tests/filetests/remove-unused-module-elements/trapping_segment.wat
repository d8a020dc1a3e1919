;; An active segment past the end of its table traps at instantiation, so it stays, with its
;; table, although nothing else uses either: removing it would make the module instantiate.
;; RUN: wasmfx-opt --remove-unused-module-elements
;; RUN: exports == wasmfx-opt --remove-unused-module-elements | exports
(module
  (table $too_small 1 funcref)
  (elem (table $too_small) (i32.const 1) func $past_the_end)
  (func $past_the_end (result i32) (i32.const 3))
  (func (export "run") (result i32) (i32.const 7)))
