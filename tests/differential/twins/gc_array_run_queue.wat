;; The twin of `../gc_array_run_queue.wat` that Wasmtime 48 runs natively: the same run queue
;; and the same work, but the GC array holds `i32` slots of a table of continuations (slot 0
;; is null; `$put` gives each continuation a fresh slot) instead of the continuations
;; themselves. The GC program's lowered runs are checked against this one's native run.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $tf (func (param i32)))
  (type $c (cont $tf))
  (type $fv (func))
  (type $cv (cont $fv))
  (type $queue (array (mut i32)))
  (tag $yield (param i32))
  (table $konts 64 (ref null $cv))
  (global $next (mut i32) (i32.const 1))
  (elem declare func $task)

  ;; A fresh slot holding $k, or 0 for null.
  (func $put (param $k (ref null $cv)) (result i32)
    (if (ref.is_null (local.get $k)) (then (return (i32.const 0))))
    (table.set $konts (global.get $next) (local.get $k))
    (global.get $next)
    (global.set $next (i32.add (global.get $next) (i32.const 1))))

  (func $task (param $id i32)
    (local $i i32)
    (loop $l
      (suspend $yield (i32.add (i32.mul (local.get $id) (i32.const 10)) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.rem_u (local.get $id) (i32.const 4)))))
    (call $print_i32 (i32.sub (i32.const 0) (local.get $id))))

  (func (export "_start")
    (local $q (ref $queue))
    (local $head i32)
    (local $tail i32)
    (local $i i32)
    (local $k (ref null $cv))
    (local.set $q (array.new_default $queue (i32.const 16)))
    (loop $spawn
      (array.set $queue (local.get $q) (local.get $tail)
        (call $put (cont.bind $c $cv (i32.add (local.get $i) (i32.const 1)) (cont.new $c (ref.func $task)))))
      (local.set $tail (i32.add (local.get $tail) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn (i32.lt_u (local.get $i) (i32.const 8))))
    (block $empty
      (loop $run
        (br_if $empty (i32.eq (local.get $head) (local.get $tail)))
        (local.set $k (table.get $konts
          (array.get $queue (local.get $q) (i32.and (local.get $head) (i32.const 15)))))
        (array.set $queue (local.get $q) (i32.and (local.get $head) (i32.const 15)) (i32.const 0))
        (local.set $head (i32.add (local.get $head) (i32.const 1)))
        (block $on_y (result i32 (ref $cv))
          (resume $cv (on $yield $on_y) (local.get $k))
          (br $run))
        (local.set $k)
        (call $print_i32)
        (array.set $queue (local.get $q) (i32.and (local.get $tail) (i32.const 15)) (call $put (local.get $k)))
        (local.set $tail (i32.add (local.get $tail) (i32.const 1)))
        (br $run)))
    (call $print_i32 (array.len (local.get $q)))))
