;; throw and return_call end a sequence; a try_table whose label a catch targets stays live.
;; RUN: wasmfx-opt --dce
;; RUN: exports == wasmfx-opt --dce | exports
(module
  (tag $e (param i32))
  (func $callee (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "tail") (result i32)
    (return_call $callee (i32.const 41))
    (drop (i32.const 0))
    (i32.const 0))
  (func (export "caught") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h)
        (throw $e (i32.const 7))
        (drop (i32.const 8)))
      (i32.const 9))))
