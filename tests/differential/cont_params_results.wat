;; Continuations as function parameters and results: $make returns a fresh bound generator,
;; $step takes one, resumes it once and returns the next continuation (null when it finished)
;; with the value, $swap takes two and returns them in the other order (two reference
;; results), and $drain consumes one by recursion, a call level per step, passing each new
;; continuation down as an argument.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $gf (func (param i32)))
  (type $gc (cont $gf))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield (param i32))
  (elem declare func $gen)

  ;; Yields n, 2n, 3n.
  (func $gen (param $n i32)
    (suspend $yield (local.get $n))
    (suspend $yield (i32.mul (local.get $n) (i32.const 2)))
    (suspend $yield (i32.mul (local.get $n) (i32.const 3))))

  (func $make (param $n i32) (result (ref $c))
    (cont.bind $gc $c (local.get $n) (cont.new $gc (ref.func $gen))))

  (func $step (param $k (ref $c)) (result (ref null $c) i32)
    (local $v i32)
    (block $h (result i32 (ref $c))
      (resume $c (on $yield $h) (local.get $k))
      (return (ref.null $c) (i32.const -1)))
    (local.set $k)
    (local.set $v)
    (local.get $k)
    (local.get $v))

  (func $swap (param $x (ref $c)) (param $y (ref $c)) (result (ref $c) (ref $c))
    (local.get $y)
    (local.get $x))

  ;; Prints every remaining value of $k and returns their sum.
  (func $drain (param $k (ref null $c)) (result i32)
    (local $v i32)
    (if (ref.is_null (local.get $k))
      (then (return (i32.const 0))))
    (call $step (ref.as_non_null (local.get $k)))
    (local.set $v)
    (local.set $k)
    (if (ref.is_null (local.get $k))
      (then (return (i32.const 0))))
    (call $print_i32 (local.get $v))
    (i32.add (local.get $v) (call $drain (local.get $k))))

  (func (export "_start")
    (local $k5 (ref null $c))
    (local $k7 (ref null $c))
    (call $step (call $make (i32.const 5)))
    (call $print_i32)
    (call $swap (ref.as_non_null) (call $make (i32.const 7)))
    (local.set $k5)
    (call $step)
    (call $print_i32)
    (local.set $k7)
    ;; 10 and 15 remain of the first generator (5 was taken), 14 and 21 of the second.
    (call $print_i32 (call $drain (local.get $k5)))
    (call $print_i32 (call $drain (local.get $k7)))))
