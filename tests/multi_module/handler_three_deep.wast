;; Three modules deep: the handler module resumes a continuation of the middle module's
;; function, which calls the leaf module's function, which suspends; the handler answers, and
;; the leaf's frames and the middle's resume where they stopped.
(module $leaf
  (tag $need (export "need") (param i32) (result i32))
  (func (export "square_via_handler") (param i32) (result i32)
    (i32.add (suspend $need (local.get 0)) (i32.const 1))))
(register "leaf")

(module $middle
  (import "leaf" "square_via_handler" (func $leaf (param i32) (result i32)))
  ;; Sums leaf(i) for i in 1..n, each a suspension two calls down.
  (func (export "sum") (param $n i32) (result i32)
    (local $total i32)
    (loop $l
      (local.set $total (i32.add (local.get $total) (call $leaf (local.get $n))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (local.get $total)))
(register "middle")

(module $top
  (type $f (func (param i32) (result i32)))
  (type $c (cont $f))
  (type $fk (func (param i32) (result i32)))
  (type $ck (cont $fk))
  (import "leaf" "need" (tag $need (param i32) (result i32)))
  (import "middle" "sum" (func $sum (param i32) (result i32)))
  (elem declare func $sum)
  (global $asked (mut i32) (i32.const 0))
  (func (export "run") (param $n i32) (result i32)
    (local $k (ref null $ck))
    (local $x i32)
    (local.set $k (cont.new $ck (ref.func $sum)))
    (local.set $x (local.get $n))
    (loop $again
      (block $on_need (result i32 (ref $ck))
        (return (resume $ck (on $need $on_need) (local.get $x) (local.get $k))))
      (local.set $k)
      (local.set $x)
      (global.set $asked (i32.add (global.get $asked) (i32.const 1)))
      (local.set $x (i32.mul (local.get $x) (local.get $x)))
      (br $again))
    (unreachable))
  (func (export "asked") (result i32) (global.get $asked)))

(assert_return (invoke "run" (i32.const 4)) (i32.const 34))
(assert_return (invoke "asked") (i32.const 4))
(assert_return (invoke "run" (i32.const 10)) (i32.const 395))
(assert_return (invoke "asked") (i32.const 14))
(assert_suspension (invoke $middle "sum" (i32.const 1)) "unhandled")
