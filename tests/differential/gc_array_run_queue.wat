;; A run queue of continuations kept in a GC array of `(ref null $c)` (a ring buffer): eight
;; tasks, each yielding a different number of times; the scheduler takes the front, resumes
;; it, and puts it back at the end while it yields. The array and its elements are handles
;; after lowering. Prints each yield's task id and step, and the completion order. Wasmtime 48
;; cannot compile continuation references in GC objects ("Stack switching feature not
;; compatible with GC, yet"), so the native run shows that refusal, and the lowered runs (as
;; they are and after -O2) must agree with the native run of the twin that keeps the
;; continuations in a table and their slots in the array (`twins/gc_array_run_queue.wat`).
;;
;; RUN: native
;; RUN: native < twins/gc_array_run_queue.wat == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $tf (func (param i32)))
  (type $c (cont $tf))
  (type $fv (func))
  (type $cv (cont $fv))
  (type $queue (array (mut (ref null $cv))))
  (tag $yield (param i32))
  (elem declare func $task)

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
        (cont.bind $c $cv (i32.add (local.get $i) (i32.const 1)) (cont.new $c (ref.func $task))))
      (local.set $tail (i32.add (local.get $tail) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn (i32.lt_u (local.get $i) (i32.const 8))))
    (block $empty
      (loop $run
        (br_if $empty (i32.eq (local.get $head) (local.get $tail)))
        (local.set $k (array.get $queue (local.get $q) (i32.and (local.get $head) (i32.const 15))))
        (array.set $queue (local.get $q) (i32.and (local.get $head) (i32.const 15)) (ref.null $cv))
        (local.set $head (i32.add (local.get $head) (i32.const 1)))
        (block $on_y (result i32 (ref $cv))
          (resume $cv (on $yield $on_y) (local.get $k))
          (br $run))
        (local.set $k)
        (call $print_i32)
        (array.set $queue (local.get $q) (i32.and (local.get $tail) (i32.const 15)) (local.get $k))
        (local.set $tail (i32.add (local.get $tail) (i32.const 1)))
        (br $run)))
    (call $print_i32 (array.len (local.get $q)))))
