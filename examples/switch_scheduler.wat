;; switch_scheduler.wat: a scheduler of generators that hand control to each other directly
;; with `switch`, and that the scheduler cancels with `resume_throw`.
;;
;; Four workers are generators: squares, Fibonacci numbers, a countdown from 3 and powers of
;; two. Each sends every value to the scheduler with `suspend $emit`. After each value, instead
;; of going back through the scheduler, a worker passes control straight to the next task in
;; the run queue with `switch $task $pass`: the task it switches to puts the switcher's
;; continuation (which `switch` hands it, with the switcher's id) at the back of the queue.
;; All of this runs under the scheduler's one `resume`, whose `(on $pass switch)` clause lets
;; the switches through, while `(on $emit $on_emit)` brings the values back to it.
;;
;; The scheduler takes values up to 10. When a worker sends a bigger one, the scheduler
;; cancels it with `resume_throw $task $cancel`, raising the exception where the worker is
;; suspended: the worker catches it in a `try_table`, prints how far it got and returns. The
;; countdown finishes on its own.
;;
;; Run: wasmfx-run examples/switch_scheduler.wat
(module
  ;; A task waiting in the queue takes the id of the task that switched to it (-1 when the
  ;; scheduler resumes it) and that task's continuation (null from the scheduler).
  (rec
    (type $task_fn (func (param i32 (ref null $task))))
    (type $task (cont $task_fn)))
  ;; A fresh worker also takes its own id, bound by `cont.bind`.
  (type $worker_fn (func (param i32 i32 (ref null $task))))
  (type $worker (cont $worker_fn))
  ;; The body of a worker: the generator proper, given its id.
  (type $body_fn (func (param i32)))

  ;; A value for the scheduler: (id, value); resumed with what a switch hands over.
  (tag $emit (param i32 i32) (result i32 (ref null $task)))
  ;; The tag of the direct switches between tasks.
  (tag $pass)
  ;; The exception that cancels a worker; its payload is the value that was too big.
  (tag $cancel (param i32))

  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))

  ;; Bytes 0..8 hold the iovec fd_write reads, 8..12 the count it writes back, 12..32 the
  ;; digits of a number being printed. 256..320 is the ring of queued task ids (16 slots),
  ;; 512..528 the workers' name pointers, 528..544 how many values each worker sent.
  ;; NUL-terminated strings start at 1024.
  (memory (export "memory") 1)
  (data (i32.const 512) "\00\04\00\00\10\04\00\00\20\04\00\00\30\04\00\00")
  (data (i32.const 1024) "squares\00")
  (data (i32.const 1040) "fibonacci\00")
  (data (i32.const 1056) "countdown\00")
  (data (i32.const 1072) "powers of two\00")
  (data (i32.const 1088) "scheduler: 4 tasks\n\00")
  (data (i32.const 1120) " -> \00")
  (data (i32.const 1128) " => \00")
  (data (i32.const 1136) "\n\00")
  (data (i32.const 1152) "scheduler: \00")
  (data (i32.const 1168) " sent \00")
  (data (i32.const 1184) ", more than 10: cancel it\n\00")
  (data (i32.const 1216) ": cancelled after \00")
  (data (i32.const 1248) " values (\00")
  (data (i32.const 1264) " was too big), cleaning up\n\00")
  (data (i32.const 1296) ": finished\n\00")
  (data (i32.const 1312) "scheduler: done, \00")
  (data (i32.const 1344) " values taken, \00")
  (data (i32.const 1360) " direct switches\n\00")

  ;; The run queue: continuations here, their task ids in memory at 256.
  (table $queue 16 (ref null $task))
  (global $head (mut i32) (i32.const 0))
  (global $tail (mut i32) (i32.const 0))
  (global $switches (mut i32) (i32.const 0))

  (table $bodies 4 funcref)
  (elem (table $bodies) (i32.const 0) func $squares $fibonacci $countdown $powers)
  (elem declare func $worker)

  ;; Output.

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $print_str (param $s i32)
    (local $end i32)
    (local.set $end (local.get $s))
    (loop $scan
      (if (i32.load8_u (local.get $end))
        (then
          (local.set $end (i32.add (local.get $end) (i32.const 1)))
          (br $scan))))
    (call $write (local.get $s) (i32.sub (local.get $end) (local.get $s))))

  ;; Prints a non-negative number in decimal.
  (func $print_int (param $n i32)
    (local $p i32)
    (local.set $p (i32.const 32))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $write (local.get $p) (i32.sub (i32.const 32) (local.get $p))))

  (func $print_name (param $id i32)
    (call $print_str (i32.load (i32.add (i32.const 512) (i32.shl (local.get $id) (i32.const 2))))))

  ;; The run queue.

  ;; Queues task $id's continuation $k; a null $k (nothing was handed over) is skipped.
  (func $enqueue (param $id i32) (param $k (ref null $task))
    (local $slot i32)
    (if (ref.is_null (local.get $k)) (then (return)))
    (local.set $slot (i32.and (global.get $tail) (i32.const 15)))
    (table.set $queue (local.get $slot) (local.get $k))
    (i32.store (i32.add (i32.const 256) (i32.shl (local.get $slot) (i32.const 2)))
      (local.get $id))
    (global.set $tail (i32.add (global.get $tail) (i32.const 1))))

  ;; The next queued task: its id and continuation, or -1 and null when the queue is empty.
  (func $dequeue (result i32 (ref null $task))
    (local $slot i32)
    (local $k (ref null $task))
    (if (i32.eq (global.get $head) (global.get $tail))
      (then (return (i32.const -1) (ref.null $task))))
    (local.set $slot (i32.and (global.get $head) (i32.const 15)))
    (local.set $k (table.get $queue (local.get $slot)))
    (table.set $queue (local.get $slot) (ref.null $task))
    (global.set $head (i32.add (global.get $head) (i32.const 1)))
    (i32.load (i32.add (i32.const 256) (i32.shl (local.get $slot) (i32.const 2))))
    (local.get $k))

  ;; Workers.

  ;; Sends $value to the scheduler, then switches to the next queued task, if any.
  (func $produce (param $id i32) (param $value i32)
    (local $next i32)
    (local $k (ref null $task))
    (local $count i32)
    (local.set $count (i32.add (i32.const 528) (i32.shl (local.get $id) (i32.const 2))))
    (i32.store (local.get $count) (i32.add (i32.load (local.get $count)) (i32.const 1)))
    ;; Resumed by the scheduler (-1, null) or by a switch (the switcher's id and continuation).
    (call $enqueue (suspend $emit (local.get $id) (local.get $value)))
    (call $dequeue)
    (local.set $k)
    (local.set $next)
    (if (ref.is_null (local.get $k)) (then (return)))
    (call $print_name (local.get $id))
    (call $print_str (i32.const 1128))
    (call $print_name (local.get $next))
    (call $print_str (i32.const 1136))
    (global.set $switches (i32.add (global.get $switches) (i32.const 1)))
    (call $enqueue (switch $task $pass (local.get $id) (local.get $k))))

  ;; 1, 4, 9, 16, ...
  (func $squares (type $body_fn) (param $id i32)
    (local $n i32)
    (loop $next
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (call $produce (local.get $id) (i32.mul (local.get $n) (local.get $n)))
      (br $next)))

  ;; 1, 1, 2, 3, 5, ...
  (func $fibonacci (type $body_fn) (param $id i32)
    (local $a i32)
    (local $b i32)
    (local $t i32)
    (local.set $a (i32.const 1))
    (local.set $b (i32.const 1))
    (loop $next
      (call $produce (local.get $id) (local.get $a))
      (local.set $t (i32.add (local.get $a) (local.get $b)))
      (local.set $a (local.get $b))
      (local.set $b (local.get $t))
      (br $next)))

  ;; 3, 2, 1, then returns.
  (func $countdown (type $body_fn) (param $id i32)
    (local $n i32)
    (local.set $n (i32.const 3))
    (loop $next
      (call $produce (local.get $id) (local.get $n))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $next (local.get $n))))

  ;; 1, 2, 4, 8, ...
  (func $powers (type $body_fn) (param $id i32)
    (local $p i32)
    (local.set $p (i32.const 1))
    (loop $next
      (call $produce (local.get $id) (local.get $p))
      (local.set $p (i32.shl (local.get $p) (i32.const 1)))
      (br $next)))

  ;; Runs worker $id's body; a cancellation ends it with a message.
  (func $worker (type $worker_fn) (param $id i32) (param $from i32) (param $prev (ref null $task))
    (local $too_big i32)
    ;; Started by a switch: queue the switcher.
    (call $enqueue (local.get $from) (local.get $prev))
    (block $cancelled (result i32)
      (try_table (catch $cancel $cancelled)
        (call_indirect $bodies (type $body_fn) (local.get $id) (local.get $id)))
      (call $print_name (local.get $id))
      (call $print_str (i32.const 1296))
      (return))
    (local.set $too_big)
    (call $print_name (local.get $id))
    (call $print_str (i32.const 1216))
    (call $print_int (i32.load (i32.add (i32.const 528) (i32.shl (local.get $id) (i32.const 2)))))
    (call $print_str (i32.const 1248))
    (call $print_int (local.get $too_big))
    (call $print_str (i32.const 1264)))

  ;; The scheduler.

  (func (export "_start")
    (local $id i32)
    (local $value i32)
    (local $k (ref null $task))
    (local $taken i32)
    (call $enqueue (i32.const 0)
      (cont.bind $worker $task (i32.const 0) (cont.new $worker (ref.func $worker))))
    (call $enqueue (i32.const 1)
      (cont.bind $worker $task (i32.const 1) (cont.new $worker (ref.func $worker))))
    (call $enqueue (i32.const 2)
      (cont.bind $worker $task (i32.const 2) (cont.new $worker (ref.func $worker))))
    (call $enqueue (i32.const 3)
      (cont.bind $worker $task (i32.const 3) (cont.new $worker (ref.func $worker))))
    (call $print_str (i32.const 1088))
    (block $empty
      (loop $schedule
        (call $dequeue)
        (local.set $k)
        (drop)
        (br_if $empty (ref.is_null (local.get $k)))
        (block $returned
          (block $on_emit (result i32 i32 (ref $task))
            ;; Whichever task runs last when one returns, the resume returns.
            (resume $task (on $emit $on_emit) (on $pass switch)
              (i32.const -1) (ref.null $task) (local.get $k))
            (br $returned))
          (local.set $k)
          (local.set $value)
          (local.set $id)
          (if (i32.gt_u (local.get $value) (i32.const 10))
            (then
              (call $print_str (i32.const 1152))
              (call $print_name (local.get $id))
              (call $print_str (i32.const 1168))
              (call $print_int (local.get $value))
              (call $print_str (i32.const 1184))
              ;; The worker catches $cancel where it sent the value, cleans up and returns.
              (resume_throw $task $cancel (local.get $value) (local.get $k))
              (br $returned)))
          (call $print_name (local.get $id))
          (call $print_str (i32.const 1120))
          (call $print_int (local.get $value))
          (call $print_str (i32.const 1136))
          (local.set $taken (i32.add (local.get $taken) (i32.const 1)))
          (call $enqueue (local.get $id) (local.get $k)))
        (br $schedule)))
    (call $print_str (i32.const 1312))
    (call $print_int (local.get $taken))
    (call $print_str (i32.const 1344))
    (call $print_int (global.get $switches))
    (call $print_str (i32.const 1360))))
