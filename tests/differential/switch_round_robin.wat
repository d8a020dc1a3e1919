;; A round-robin scheduler built on `switch`: threads wait in a FIFO run queue (a ring buffer
;; in a table). A thread yields by taking the next thread off the queue and switching to it
;; directly; the thread it switches to puts the switcher's continuation (the last `switch`
;; value) at the back of the queue. Threads also `suspend $io` to the scheduler's handler,
;; which prints `1000 + payload`, queues the thread and runs the next one; the scheduler
;; resumes threads with a null "previous thread", which they skip. A thread's return ends the
;; scheduler's `resume` whichever thread it started; the scheduler prints `2000 + id`.
;; Thread `id` with `rounds` rounds prints `id * 100 + i` in round `i`, then does I/O when
;; `(i + id) % 3 == 2` and yields otherwise. At the end: the number of resumes by the
;; scheduler, and of switches between threads.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param (ref null $c)) (result i32)))
    (type $c (cont $f)))
  (type $wf (func (param i32 i32 (ref null $c)) (result i32)))
  (type $wc (cont $wf))
  (tag $sw (result i32))
  (tag $io (param i32) (result (ref null $c)))
  (table $queue 8 (ref null $c))
  (global $head (mut i32) (i32.const 0))
  (global $tail (mut i32) (i32.const 0))
  (global $switches (mut i32) (i32.const 0))
  (elem declare func $worker)

  (func $enqueue (param $k (ref null $c))
    (if (ref.is_null (local.get $k)) (then (return)))
    (table.set $queue (i32.rem_u (global.get $tail) (i32.const 8)) (local.get $k))
    (global.set $tail (i32.add (global.get $tail) (i32.const 1))))

  (func $dequeue (result (ref null $c))
    (local $k (ref null $c))
    (if (i32.eq (global.get $head) (global.get $tail))
      (then (return (ref.null $c))))
    (local.set $k (table.get $queue (i32.rem_u (global.get $head) (i32.const 8))))
    (table.set $queue (i32.rem_u (global.get $head) (i32.const 8)) (ref.null $c))
    (global.set $head (i32.add (global.get $head) (i32.const 1)))
    (local.get $k))

  ;; Switches to the next queued thread, if any; queues the thread that switches back.
  (func $yield
    (local $next (ref null $c))
    (local.set $next (call $dequeue))
    (if (ref.is_null (local.get $next)) (then (return)))
    (global.set $switches (i32.add (global.get $switches) (i32.const 1)))
    (call $enqueue (switch $c $sw (local.get $next))))

  (func $worker (param $id i32) (param $rounds i32) (param $prev (ref null $c)) (result i32)
    (local $i i32)
    (call $enqueue (local.get $prev))
    (block $done
      (loop $round
        (br_if $done (i32.ge_u (local.get $i) (local.get $rounds)))
        (call $print_i32 (i32.add (i32.mul (local.get $id) (i32.const 100)) (local.get $i)))
        (if (i32.eq (i32.rem_u (i32.add (local.get $i) (local.get $id)) (i32.const 3))
              (i32.const 2))
          (then
            (call $enqueue
              (suspend $io (i32.add (i32.mul (local.get $id) (i32.const 100)) (local.get $i)))))
          (else (call $yield)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $round)))
    (local.get $id))

  (func $spawn (param $id i32) (param $rounds i32)
    (call $enqueue
      (cont.bind $wc $c (local.get $id) (local.get $rounds)
        (cont.new $wc (ref.func $worker)))))

  (func (export "_start")
    (local $k (ref null $c))
    (local $resumes i32)
    (call $spawn (i32.const 0) (i32.const 3))
    (call $spawn (i32.const 1) (i32.const 2))
    (call $spawn (i32.const 2) (i32.const 3))
    (block $empty
      (loop $schedule
        (local.set $k (call $dequeue))
        (br_if $empty (ref.is_null (local.get $k)))
        (local.set $resumes (i32.add (local.get $resumes) (i32.const 1)))
        (block $next
          (block $on_io (result i32 (ref $c))
            (call $print_i32
              (i32.add (i32.const 2000)
                (resume $c (on $sw switch) (on $io $on_io) (ref.null $c) (local.get $k))))
            (br $next))
          (call $enqueue)
          (call $print_i32 (i32.add (i32.const 1000))))
        (br $schedule)))
    (call $print_i32 (local.get $resumes))
    (call $print_i32 (global.get $switches))))
