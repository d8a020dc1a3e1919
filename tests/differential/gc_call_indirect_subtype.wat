;; A `call_indirect` whose declared type is a supertype of the callee's: `$make_point` has
;; type `$make_sub`, a subtype of `$make` whose result is a subtype of `$make`'s, so their
;; signatures differ, and yet the call through `$make` reaches it. It suspends (with payload
;; 7, answered with 8) before it builds its struct, and the task prints the struct's field
;; (8) and the result of `$make_zero`, called the same way (0): a lowering that matched
;; signatures exactly would miss the suspension point.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (rec
    (type $base (sub (struct (field i32))))
    (type $point (sub $base (struct (field i32) (field i32))))
    (type $make (sub (func (result (ref null $base)))))
    (type $make_sub (sub $make (func (result (ref null $point))))))
  (type $task (func))
  (type $ct0 (cont $task))
  (type $k (func (param i32)))
  (type $ct1 (cont $k))
  (tag $yield (param i32) (result i32))
  (table $makers funcref (elem $make_point $make_zero))
  (elem declare func $body)

  (func $make_point (type $make_sub)
    (struct.new $point (suspend $yield (i32.const 7)) (i32.const 1)))
  (func $make_zero (type $make) (struct.new $base (i32.const 0)))

  (func $body
    (call $print (struct.get $base 0 (call_indirect $makers (type $make) (i32.const 0))))
    (call $print (struct.get $base 0 (call_indirect $makers (type $make) (i32.const 1)))))

  (func (export "_start")
    (local $next (ref null $ct1))
    (local $payload i32)
    (block $first (result i32 (ref $ct1))
      (resume $ct0 (on $yield $first) (cont.new $ct0 (ref.func $body)))
      (return))
    (local.set $next)
    (local.set $payload)
    (loop $again
      (call $print (local.get $payload))
      (block $on (result i32 (ref $ct1))
        (resume $ct1 (on $yield $on) (i32.add (local.get $payload) (i32.const 1)) (local.get $next))
        (return))
      (local.set $next)
      (local.set $payload)
      (br $again))))
