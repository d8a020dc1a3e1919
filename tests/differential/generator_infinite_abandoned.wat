;; An infinite generator whose state (two i64 locals) lives across every suspend: $fib yields
;; a, b, a+b, ... forever. The consumer takes ten values of one instance (bound to 0, 1 with a
;; two-argument `cont.bind`) and three of another (bound to 2, 3), abandoning both suspended
;; generators, and then checks that it can still start a third one.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (type $gf (func (param i64 i64)))
  (type $gc (cont $gf))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield (param i64))
  (elem declare func $fib)

  (func $fib (param $a i64) (param $b i64)
    (local $next i64)
    (loop $l
      (suspend $yield (local.get $a))
      (local.set $next (i64.add (local.get $a) (local.get $b)))
      (local.set $a (local.get $b))
      (local.set $b (local.get $next))
      (br $l)))

  ;; Resumes $k $n times, printing each yielded value, and returns the last continuation.
  (func $take (param $k (ref $c)) (param $n i32) (result (ref $c))
    (loop $l
      (block $on_yield (result i64 (ref $c))
        (resume $c (on $yield $on_yield) (local.get $k))
        (unreachable))
      (local.set $k)
      (call $print_i64)
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (local.get $k))

  (func (export "_start")
    (drop (call $take
      (cont.bind $gc $c (i64.const 0) (i64.const 1) (cont.new $gc (ref.func $fib)))
      (i32.const 10)))
    (drop (call $take
      (cont.bind $gc $c (i64.const 2) (i64.const 3) (cont.new $gc (ref.func $fib)))
      (i32.const 3)))
    (drop (call $take
      (cont.bind $gc $c (i64.const 100) (i64.const 0) (cont.new $gc (ref.func $fib)))
      (i32.const 1)))))
