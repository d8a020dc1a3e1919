;; A block, loop or if that never completes makes the rest of its sequence unreachable;
;; an `unreachable` stands in for the removed tail so the sequence stays valid.
;; RUN: wasmfx-opt --dce
;; RUN: exports == wasmfx-opt --dce | exports
(module
  (global $g (mut i32) (i32.const 0))
  (func $spin (export "loop_never_completes") (result i32)
    (loop $l
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (if (i32.lt_u (global.get $g) (i32.const 10)) (then (br $l)))
      (return (global.get $g)))
    (global.set $g (i32.const 99))
    (i32.const 0))
  (func (export "if_both_arms_leave") (result i32)
    (if (i32.const 0)
      (then (return (i32.const 1)))
      (else (return (i32.const 2))))
    (i32.const 3))
  (func (export "targeted_block_stays") (result i32)
    (block $out
      (br $out)
      (drop (i32.const 4)))
    (i32.const 5))
  (func (export "block_never_completes") (result i32)
    (block $inner
      (return (i32.const 12)))
    (drop (i32.const 13))
    (i32.const 14)))
