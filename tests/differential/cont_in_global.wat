;; Continuations stored in mutable globals of `(ref null $c)`: $step resumes whatever $a holds
;; and stores the continuation it gets back (null once the generator returns), and the main
;; loop swaps $a and $b through the operand stack after every step, so two generators take
;; turns. Stepping a null global is detected with `ref.is_null` and prints -2.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $gf (func (param i32)))
  (type $gc (cont $gf))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield (param i32))
  (global $a (mut (ref null $c)) (ref.null $c))
  (global $b (mut (ref null $c)) (ref.null $c))
  (elem declare func $gen)

  ;; Yields n, n+1, n+2.
  (func $gen (param $n i32)
    (suspend $yield (local.get $n))
    (suspend $yield (i32.add (local.get $n) (i32.const 1)))
    (suspend $yield (i32.add (local.get $n) (i32.const 2))))

  (func $step (result i32)
    (if (ref.is_null (global.get $a))
      (then (return (i32.const -2))))
    (block $h (result i32 (ref $c))
      (resume $c (on $yield $h) (global.get $a))
      (global.set $a (ref.null $c))
      (return (i32.const -1)))
    (global.set $a))

  (func (export "_start")
    (local $i i32)
    (global.set $a (cont.bind $gc $c (i32.const 10) (cont.new $gc (ref.func $gen))))
    (global.set $b (cont.bind $gc $c (i32.const 20) (cont.new $gc (ref.func $gen))))
    (loop $l
      (call $print_i32 (call $step))
      (global.get $a)
      (global.get $b)
      (global.set $a)
      (global.set $b)
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
    (call $print_i32 (ref.is_null (global.get $a)))
    (call $print_i32 (ref.is_null (global.get $b)))))
