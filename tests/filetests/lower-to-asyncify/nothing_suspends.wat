;; No stack switching: the module comes out exactly as it went in.
;; RUN: wasmfx-opt --lower-to-asyncify
;; RUN: exports == wasmfx-opt --lower-to-asyncify | exports
(module
  (memory 1)
  (func (export "square") (result i32) (local $x i32)
    (local.set $x (i32.const 7))
    (i32.store (i32.const 0) (i32.mul (local.get $x) (local.get $x)))
    (i32.load (i32.const 0))))
