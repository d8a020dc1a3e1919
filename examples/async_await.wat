;; async_await.wat: async tasks that await futures, and an event loop that resolves them.
;;
;; A future is a slot that is pending until resolved with an i32. `await` returns the value of
;; a resolved future at once and otherwise does `suspend $await`, so the event loop parks the
;; task on the future; resolving it binds the value to each parked task (`cont.bind`) and
;; queues it. Two things resolve futures: a task's return value resolves the future `spawn`
;; gave for it, and the loop's virtual clock resolves the future of a `sleep` when nothing is
;; runnable, jumping to the earliest deadline. `main` starts three fetches that sleep 30, 10 and
;; 20 ticks and awaits them in the order it started them: they finish in the order of their
;; deadlines, and `main` picks up the results that are ready.
;;
;; Run: wasmfx-run examples/async_await.wat
(module
  ;; A task: an async function from an i32 to an i32.
  (type $task_fn (func (param i32) (result i32)))
  ;; A task waiting for a value: a fresh one waits for its argument, a parked one for the
  ;; value of the future it awaits.
  (type $waiting (cont $task_fn))
  (type $run_fn (func (result i32)))
  ;; A task ready to run.
  (type $ready (cont $run_fn))

  ;; Park the task until the future resolves; resume it with the future's value.
  (tag $await (param i32) (result i32))

  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))

  ;; Bytes 0..8 hold the iovec fd_write reads, 8..12 the count it writes back, 12..32 the
  ;; digits of a number being printed. 256..320 is the ring of ready task ids. NUL-terminated
  ;; strings start at 1024. Futures (16 bytes each) start at 2048: resolved flag, value, first
  ;; parked task (id + 1, 0 for none). Tasks (16 bytes each) start at 2560: the future of its
  ;; result, the next task parked on the same future (id + 1). Timers (16 bytes each) start at
  ;; 3072: active flag, deadline, future, value.
  (memory (export "memory") 1)
  (data (i32.const 1024) "fetch \00")
  (data (i32.const 1040) ": sleeping \00")
  (data (i32.const 1056) " ticks\n\00")
  (data (i32.const 1072) ": got \00")
  (data (i32.const 1088) "main: started 3 fetches\n\00")
  (data (i32.const 1120) "main: fetch \00")
  (data (i32.const 1136) " returned \00")
  (data (i32.const 1152) "main: total \00")
  (data (i32.const 1168) "clock: \00")
  (data (i32.const 1184) "\n\00")

  (table $ready_tasks 16 (ref null $ready))
  (table $parked_tasks 16 (ref null $waiting))
  (global $queue_head (mut i32) (i32.const 0))
  (global $queue_tail (mut i32) (i32.const 0))
  (global $next_task (mut i32) (i32.const 0))
  (global $next_future (mut i32) (i32.const 0))
  (global $now (mut i32) (i32.const 0))

  (elem declare func $main $fetch)

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

  ;; Futures and tasks.

  (func $future (param $f i32) (result i32)
    (i32.add (i32.const 2048) (i32.shl (local.get $f) (i32.const 4))))

  (func $task (param $t i32) (result i32)
    (i32.add (i32.const 2560) (i32.shl (local.get $t) (i32.const 4))))

  (func $timer (param $i i32) (result i32)
    (i32.add (i32.const 3072) (i32.shl (local.get $i) (i32.const 4))))

  (func $new_future (result i32)
    (local $f i32)
    (local.set $f (global.get $next_future))
    (global.set $next_future (i32.add (local.get $f) (i32.const 1)))
    (local.get $f))

  (func $enqueue (param $t i32)
    (i32.store
      (i32.add (i32.const 256) (i32.shl (global.get $queue_tail) (i32.const 2)))
      (local.get $t))
    (global.set $queue_tail
      (i32.and (i32.add (global.get $queue_tail) (i32.const 1)) (i32.const 15))))

  (func $dequeue (result i32)
    (local $t i32)
    (if (i32.eq (global.get $queue_head) (global.get $queue_tail))
      (then (return (i32.const -1))))
    (local.set $t
      (i32.load (i32.add (i32.const 256) (i32.shl (global.get $queue_head) (i32.const 2)))))
    (global.set $queue_head
      (i32.and (i32.add (global.get $queue_head) (i32.const 1)) (i32.const 15)))
    (local.get $t))

  ;; Queues the parked task $t with $value as the result of its `await`.
  (func $wake (param $t i32) (param $value i32)
    (table.set $ready_tasks (local.get $t)
      (cont.bind $waiting $ready (local.get $value) (table.get $parked_tasks (local.get $t))))
    (table.set $parked_tasks (local.get $t) (ref.null $waiting))
    (call $enqueue (local.get $t)))

  (func $resolve (param $f i32) (param $value i32)
    (local $next i32)
    (i32.store (call $future (local.get $f)) (i32.const 1))
    (i32.store offset=4 (call $future (local.get $f)) (local.get $value))
    (local.set $next (i32.load offset=8 (call $future (local.get $f))))
    (i32.store offset=8 (call $future (local.get $f)) (i32.const 0))
    (loop $wake_all
      (if (local.get $next)
        (then
          (call $wake (i32.sub (local.get $next) (i32.const 1)) (local.get $value))
          (local.set $next
            (i32.load offset=4 (call $task (i32.sub (local.get $next) (i32.const 1)))))
          (br $wake_all)))))

  ;; The async API.

  ;; Starts $f($arg) as a task; returns the future of its result.
  (func $spawn (param $f (ref $task_fn)) (param $arg i32) (result i32)
    (local $t i32)
    (local $result i32)
    (local.set $t (global.get $next_task))
    (global.set $next_task (i32.add (local.get $t) (i32.const 1)))
    (local.set $result (call $new_future))
    (i32.store (call $task (local.get $t)) (local.get $result))
    (table.set $ready_tasks (local.get $t)
      (cont.bind $waiting $ready (local.get $arg) (cont.new $waiting (local.get $f))))
    (call $enqueue (local.get $t))
    (local.get $result))

  ;; A future that resolves to $value after $ticks ticks of the virtual clock.
  (func $sleep (param $ticks i32) (param $value i32) (result i32)
    (local $i i32)
    (local $f i32)
    (local.set $f (call $new_future))
    ;; Take the first free one of the 16 timers.
    (loop $find
      (if (i32.load (call $timer (local.get $i)))
        (then
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $find))))
    (i32.store (call $timer (local.get $i)) (i32.const 1))
    (i32.store offset=4 (call $timer (local.get $i))
      (i32.add (global.get $now) (local.get $ticks)))
    (i32.store offset=8 (call $timer (local.get $i)) (local.get $f))
    (i32.store offset=12 (call $timer (local.get $i)) (local.get $value))
    (local.get $f))

  (func $await (param $f i32) (result i32)
    (if (result i32) (i32.load (call $future (local.get $f)))
      (then (i32.load offset=4 (call $future (local.get $f))))
      (else (suspend $await (local.get $f)))))

  ;; The program.

  (func $fetch (type $task_fn) (param $id i32) (result i32)
    (local $value i32)
    (call $print_str (i32.const 1024))
    (call $print_int (local.get $id))
    (call $print_str (i32.const 1040))
    (call $print_int (i32.mul (local.get $id) (i32.const 10)))
    (call $print_str (i32.const 1056))
    (local.set $value
      (call $await
        (call $sleep
          (i32.mul (local.get $id) (i32.const 10))
          (i32.mul (local.get $id) (i32.const 100)))))
    (call $print_str (i32.const 1024))
    (call $print_int (local.get $id))
    (call $print_str (i32.const 1072))
    (call $print_int (local.get $value))
    (call $print_str (i32.const 1184))
    (i32.add (local.get $value) (local.get $id)))

  (func $report (param $id i32) (param $value i32)
    (call $print_str (i32.const 1120))
    (call $print_int (local.get $id))
    (call $print_str (i32.const 1136))
    (call $print_int (local.get $value))
    (call $print_str (i32.const 1184)))

  (func $main (type $task_fn) (param $unused i32) (result i32)
    (local $f3 i32)
    (local $f1 i32)
    (local $f2 i32)
    (local $a i32)
    (local $b i32)
    (local $c i32)
    (local.set $f3 (call $spawn (ref.func $fetch) (i32.const 3)))
    (local.set $f1 (call $spawn (ref.func $fetch) (i32.const 1)))
    (local.set $f2 (call $spawn (ref.func $fetch) (i32.const 2)))
    (call $print_str (i32.const 1088))
    (local.set $a (call $await (local.get $f3)))
    (call $report (i32.const 3) (local.get $a))
    (local.set $b (call $await (local.get $f1)))
    (call $report (i32.const 1) (local.get $b))
    (local.set $c (call $await (local.get $f2)))
    (call $report (i32.const 2) (local.get $c))
    (call $print_str (i32.const 1152))
    (call $print_int (i32.add (local.get $a) (i32.add (local.get $b) (local.get $c))))
    (call $print_str (i32.const 1184))
    (i32.const 0))

  ;; The event loop.

  ;; The active timer with the earliest deadline, or -1.
  (func $earliest_timer (result i32)
    (local $i i32)
    (local $best i32)
    (local.set $best (i32.const -1))
    (loop $scan
      (if (i32.load (call $timer (local.get $i)))
        (then
          (if (i32.lt_s (local.get $best) (i32.const 0))
            (then (local.set $best (local.get $i)))
            (else
              (if (i32.lt_u (i32.load offset=4 (call $timer (local.get $i)))
                            (i32.load offset=4 (call $timer (local.get $best))))
                (then (local.set $best (local.get $i))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $scan (i32.lt_u (local.get $i) (i32.const 16))))
    (local.get $best))

  (func $run
    (local $t i32)
    (local $i i32)
    (local $f i32)
    (local $k (ref null $waiting))
    (local $r (ref null $ready))
    (loop $next
      (local.set $t (call $dequeue))
      (if (i32.lt_s (local.get $t) (i32.const 0))
        (then
          ;; Nothing is ready: move the clock to the earliest deadline and fire that timer.
          (local.set $i (call $earliest_timer))
          (if (i32.lt_s (local.get $i) (i32.const 0))
            (then (return)))
          (global.set $now (i32.load offset=4 (call $timer (local.get $i))))
          (i32.store (call $timer (local.get $i)) (i32.const 0))
          (call $print_str (i32.const 1168))
          (call $print_int (global.get $now))
          (call $print_str (i32.const 1184))
          (call $resolve
            (i32.load offset=8 (call $timer (local.get $i)))
            (i32.load offset=12 (call $timer (local.get $i))))
          (br $next)))
      (local.set $r (table.get $ready_tasks (local.get $t)))
      (table.set $ready_tasks (local.get $t) (ref.null $ready))
      (block $on_await (result i32 (ref $waiting))
        (resume $ready (on $await $on_await) (local.get $r))
        ;; The task returned its result: resolve its future.
        (local.set $f)
        (call $resolve (i32.load (call $task (local.get $t))) (local.get $f))
        (br $next))
      ;; The task awaits a pending future: park it there.
      (local.set $k)
      (local.set $f)
      (table.set $parked_tasks (local.get $t) (local.get $k))
      (i32.store offset=4 (call $task (local.get $t))
        (i32.load offset=8 (call $future (local.get $f))))
      (i32.store offset=8 (call $future (local.get $f)) (i32.add (local.get $t) (i32.const 1)))
      (br $next)))

  (func (export "_start")
    (drop (call $spawn (ref.func $main) (i32.const 0)))
    (call $run)))
