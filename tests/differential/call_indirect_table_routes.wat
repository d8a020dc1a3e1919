;; A suspending function reaches each table only by a route other than an active segment of
;; the table called through: `table.set`, `table.copy` from another table's segment,
;; `table.init` from a passive segment, `table.grow` and `table.fill` with a `ref.func`. A
;; sixth table holds only a function of the same type that does not suspend. The lowering
;; must see every route (a call it misses is not a suspension point and the run goes wrong).
;; The task calls through each table with 10 * its number; `$yielder` suspends with its
;; argument and returns the answer + 1; the handler prints the payload and answers payload * 2.
;; So the task prints 21, 41, 61, 81, 101 after the payloads 10 ... 50, then 60 from `$plain`.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (type $op (func (param i32) (result i32)))
  (type $task (func))
  (type $ct0 (cont $task))
  (type $k (func (param i32)))
  (type $ct1 (cont $k))
  (tag $yield (param i32) (result i32))
  (table $set 1 funcref)
  (table $src funcref (elem $plain $yielder))
  (table $copied 2 funcref)
  (table $inited 1 funcref)
  (table $grown 0 funcref)
  (table $filled 3 funcref)
  (table $static funcref (elem $plain))
  (elem $seg func $yielder)
  (elem declare func $yielder $body)

  (func $plain (type $op) (local.get 0))
  (func $yielder (type $op) (i32.add (suspend $yield (local.get 0)) (i32.const 1)))

  (func $install
    (table.set $set (i32.const 0) (ref.func $yielder))
    (table.copy $copied $src (i32.const 0) (i32.const 0) (i32.const 2))
    (table.init $inited $seg (i32.const 0) (i32.const 0) (i32.const 1))
    (drop (table.grow $grown (ref.func $yielder) (i32.const 1)))
    (table.fill $filled (i32.const 0) (ref.func $yielder) (i32.const 3)))

  (func $body
    (call $print (call_indirect $set (type $op) (i32.const 10) (i32.const 0)))
    (call $print (call_indirect $copied (type $op) (i32.const 20) (i32.const 1)))
    (call $print (call_indirect $inited (type $op) (i32.const 30) (i32.const 0)))
    (call $print (call_indirect $grown (type $op) (i32.const 40) (i32.const 0)))
    (call $print (call_indirect $filled (type $op) (i32.const 50) (i32.const 2)))
    (call $print (call_indirect $static (type $op) (i32.const 60) (i32.const 0))))

  (func (export "_start")
    (local $next (ref null $ct1))
    (local $payload i32)
    (call $install)
    (block $first (result i32 (ref $ct1))
      (resume $ct0 (on $yield $first) (cont.new $ct0 (ref.func $body)))
      (return))
    (local.set $next)
    (local.set $payload)
    (loop $again
      (call $print (local.get $payload))
      (block $on (result i32 (ref $ct1))
        (resume $ct1 (on $yield $on) (i32.mul (local.get $payload) (i32.const 2)) (local.get $next))
        (return))
      (local.set $next)
      (local.set $payload)
      (br $again))))
