;; Switches deep in recursion: peer `$a` recurses DEPTH frames, each with its own local, and
;; at the bottom switches to `$b` (which recurses too and switches back from its bottom
;; frame), several times; then every frame of both peers checks its local on the way up.
;; `$a` and `$b` fold their frames' locals into sums printed at the end.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param i32 (ref null $c))))
    (type $c (cont $f)))
  (tag $s)
  (global $other (mut (ref null $c)) (ref.null $c))
  (global $switches (mut i32) (i32.const 0))
  (global $sum_a (mut i32) (i32.const 0))
  (global $sum_b (mut i32) (i32.const 0))
  (elem declare func $a $b)

  ;; Recurses $n frames; the bottom frame switches to the other peer $times times.
  (func $down (param $n i32) (param $times i32) (result i32)
    (local $mine i32)
    (local.set $mine (i32.mul (local.get $n) (i32.const 3)))
    (if (local.get $n)
      (then
        (return
          (i32.add
            (call $down (i32.sub (local.get $n) (i32.const 1)) (local.get $times))
            (i32.div_u (local.get $mine) (i32.const 3))))))
    (loop $again
      (if (local.get $times)
        (then
          (global.set $switches (i32.add (global.get $switches) (i32.const 1)))
          (switch $c $s (i32.const 0) (global.get $other))
          (global.set $other)
          (drop)
          (local.set $times (i32.sub (local.get $times) (i32.const 1)))
          (br $again))))
    (i32.const 0))

  (func $a (type $f) (param $x i32) (param $prev (ref null $c))
    (global.set $other (cont.new $c (ref.func $b)))
    (global.set $sum_a (call $down (i32.const 1000) (i32.const 2))))

  (func $b (type $f) (param $x i32) (param $prev (ref null $c))
    (global.set $other (local.get $prev))
    (global.set $sum_b (call $down (i32.const 500) (i32.const 1)))
    ;; Back to $a for good: its last switch returns there.
    (drop (drop (switch $c $s (i32.const 0) (global.get $other))))
    (unreachable))

  (func (export "_start")
    (resume $c (on $s switch) (i32.const 0) (ref.null $c) (cont.new $c (ref.func $a)))
    (call $print_i32 (global.get $switches))
    (call $print_i32 (global.get $sum_a))
    (call $print_i32 (global.get $sum_b))))
