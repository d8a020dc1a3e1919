;; Code after br, return, unreachable and br_table is removed; code after br_if stays.
;; RUN: wasmfx-opt --dce
;; RUN: exports == wasmfx-opt --dce | exports
(module
  (func $f (export "after_br") (result i32)
    (block $b (result i32)
      (br $b (i32.const 1))
      (drop (i32.const 2))
      (i32.const 3)))
  (func (export "after_return") (result i32)
    (return (i32.const 4))
    (drop (i32.const 5))
    (i32.const 6))
  (func (export "after_br_if") (result i32)
    (block $b (result i32)
      (br_if $b (i32.const 7) (i32.const 0))
      (drop)
      (i32.const 8)))
  (func (export "after_br_table") (result i32)
    (block $a (block $b
      (br_table $a $b (i32.const 1))
      (nop)
      (unreachable)))
    (i32.const 9))
  (func (export "after_unreachable_in_dead_arm") (result i32)
    (if (result i32) (i32.const 1)
      (then (i32.const 10))
      (else (unreachable) (i32.const 11)))))
