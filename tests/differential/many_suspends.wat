;; 100,000 suspend/resume round trips: a generator runs xorshift64 (x ^= x << 13; x ^= x >> 7;
;; x ^= x << 17) from 88172645463325252 and yields every state; the consumer adds them up
;; (wrapping) and prints the sum, the last state and the count. The i64 state lives across
;; every suspend.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield (param i64))
  (elem declare func $xorshift)

  (func $xorshift
    (local $x i64)
    (local.set $x (i64.const 88172645463325252))
    (loop $l
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
      (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
      (suspend $yield (local.get $x))
      (br $l)))

  (func (export "_start")
    (local $k (ref null $c))
    (local $x i64)
    (local $sum i64)
    (local $n i32)
    (local.set $k (cont.new $c (ref.func $xorshift)))
    (loop $next
      (block $h (result i64 (ref $c))
        (resume $c (on $yield $h) (local.get $k))
        (unreachable))
      (local.set $k)
      (local.set $x)
      (local.set $sum (i64.add (local.get $sum) (local.get $x)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $n) (i32.const 100000))))
    (call $print_i64 (local.get $sum))
    (call $print_i64 (local.get $x))
    (call $print_i32 (local.get $n))))
