;; Continuation types in the signatures of exported functions, an exported global and a table
;; of continuations used through exported functions: a queue module as the proposal's
;; scheduler examples write it (`enqueue (param (ref null $ct))`, `dequeue (result ...)`). The
;; lowering gives each export a wrapper whose parameters are the erased (handle) types; the
;; program drives two generators through the exported queue functions.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $ft (func))
  (type $ct (cont $ft))
  (tag $yield (param i32))
  (table $queue 0 (ref null $ct))
  (global $front (mut i32) (i32.const 0))
  (global $back (mut i32) (i32.const 0))
  (global $last (export "last") (mut (ref null $ct)) (ref.null $ct))
  (elem declare func $gen1 $gen10)

  (func $empty (export "queue-empty") (result i32)
    (i32.eq (global.get $front) (global.get $back)))

  (func $dequeue (export "dequeue") (result (ref null $ct))
    (local $i i32)
    (if (call $empty) (then (return (ref.null $ct))))
    (local.set $i (global.get $front))
    (global.set $front (i32.add (local.get $i) (i32.const 1)))
    (table.get $queue (local.get $i)))

  (func $enqueue (export "enqueue") (param $k (ref null $ct))
    (if (i32.eq (global.get $back) (table.size $queue))
      (then (drop (table.grow $queue (ref.null $ct) (i32.const 4)))))
    (table.set $queue (global.get $back) (local.get $k))
    (global.set $back (i32.add (global.get $back) (i32.const 1)))
    (global.set $last (local.get $k)))

  (func $gen1
    (suspend $yield (i32.const 1))
    (suspend $yield (i32.const 2))
    (suspend $yield (i32.const 3)))

  (func $gen10
    (suspend $yield (i32.const 10))
    (suspend $yield (i32.const 20))
    (suspend $yield (i32.const 30)))

  (func (export "_start")
    (local $k (ref null $ct))
    (call $enqueue (cont.new $ct (ref.func $gen1)))
    (call $enqueue (cont.new $ct (ref.func $gen10)))
    (loop $next
      (if (call $empty) (then (call $print_i32 (ref.is_null (global.get $last))) (return)))
      (local.set $k (call $dequeue))
      (block $on_yield (result i32 (ref $ct))
        (resume $ct (on $yield $on_yield) (local.get $k))
        (br $next))
      (call $enqueue)
      (call $print_i32)
      (br $next))))
