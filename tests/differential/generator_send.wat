;; A generator that receives a value at every resume: `suspend $yield` takes the running total
;; to the consumer and returns the next number the consumer sends (`resume` with an argument).
;; The fresh continuation takes its first number the same way, so one continuation type serves
;; both. When the total reaches 20 the generator returns ten times the total.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $ft (func (param i32) (result i32)))
  (type $ct (cont $ft))
  (tag $yield (param i32) (result i32))
  (elem declare func $accumulate)

  (func $accumulate (param $x i32) (result i32)
    (local $total i32)
    (loop $l
      (local.set $total (i32.add (local.get $total) (local.get $x)))
      (if (i32.lt_s (local.get $total) (i32.const 20))
        (then
          (local.set $x (suspend $yield (local.get $total)))
          (br $l))))
    (i32.mul (local.get $total) (i32.const 10)))

  (func (export "_start")
    (local $k (ref null $ct))
    (local $send i32)
    (local.set $k (cont.new $ct (ref.func $accumulate)))
    (local.set $send (i32.const 1))
    (block $done (result i32)
      (loop $next
        (block $on_yield (result i32 (ref $ct))
          (br $done (resume $ct (on $yield $on_yield) (local.get $send) (local.get $k))))
        (local.set $k)
        (call $print_i32)
        (local.set $send (i32.add (local.get $send) (i32.const 1)))
        (br $next))
      (unreachable))
    (call $print_i32)))
