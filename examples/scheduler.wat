;; scheduler.wat: lightweight threads with spawn, yield and join, written as effects that a
;; round-robin scheduler handles.
;;
;; A thread is a continuation with an id; the scheduler keeps it in a table while it waits and
;; queues the ids of runnable threads. Each operation is a tag the scheduler's `resume` handles:
;; `$yield` sends the thread to the back of the queue; `$spawn` makes a thread of a function
;; and an argument (`cont.new`, then `cont.bind` of the argument), queues it, and hands its id
;; back to the spawner, which runs on; `$join` parks the caller until a thread has returned
;; (one joiner per thread). Three workers of different lengths interleave while `main` joins
;; them in an order of its own.
;;
;; Run: wasmfx-run examples/scheduler.wat
(module
  (type $proc (func (param i32)))
  (type $proc_k (cont $proc))
  (type $unit (func))
  (type $thread (cont $unit))

  (tag $yield)
  (tag $spawn (param (ref $proc) i32) (result i32))
  (tag $join (param i32))

  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))

  ;; Bytes 0..8 hold the iovec fd_write reads, 8..12 the count it writes back, 12..32 the
  ;; digits of a number being printed. 256..320 is the ring of runnable thread ids, 512..576
  ;; a done flag per thread, 576..640 each thread's joiner (its id + 1, 0 for none).
  ;; NUL-terminated strings start at 1024.
  (memory (export "memory") 1)
  (data (i32.const 1024) "main: spawned thread \00")
  (data (i32.const 1056) "main: waiting for thread \00")
  (data (i32.const 1088) "main: joined thread \00")
  (data (i32.const 1120) "main: all threads done\n\00")
  (data (i32.const 1152) "thread \00")
  (data (i32.const 1184) ": step \00")
  (data (i32.const 1216) " of \00")
  (data (i32.const 1248) ": done\n\00")
  (data (i32.const 1280) "\n\00")

  (table $threads 16 (ref null $thread))
  (global $queue_head (mut i32) (i32.const 0))
  (global $queue_tail (mut i32) (i32.const 0))
  (global $current (mut i32) (i32.const 0))
  (global $next_id (mut i32) (i32.const 0))
  ;; A thread to resume before any queued one (-1 for none): the spawner after a spawn, the
  ;; joiner of a thread that has already returned.
  (global $run_next (mut i32) (i32.const -1))

  (elem declare func $main $worker)

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

  ;; Prints a string, a number and a newline.
  (func $say (param $s i32) (param $n i32)
    (call $print_str (local.get $s))
    (call $print_int (local.get $n))
    (call $print_str (i32.const 1280)))

  ;; The thread API.

  (func $yield
    (suspend $yield))

  (func $spawn (param $f (ref $proc)) (param $arg i32) (result i32)
    (suspend $spawn (local.get $f) (local.get $arg)))

  (func $join (param $id i32)
    (suspend $join (local.get $id)))

  (func $self (result i32)
    (global.get $current))

  ;; The program.

  ;; Takes $steps steps, yielding after each.
  (func $worker (type $proc) (param $steps i32)
    (local $i i32)
    (local.set $i (i32.const 1))
    (loop $step
      (if (i32.le_s (local.get $i) (local.get $steps))
        (then
          (call $print_str (i32.const 1152))
          (call $print_int (call $self))
          (call $print_str (i32.const 1184))
          (call $print_int (local.get $i))
          (call $print_str (i32.const 1216))
          (call $print_int (local.get $steps))
          (call $print_str (i32.const 1280))
          (call $yield)
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $step))))
    (call $print_str (i32.const 1152))
    (call $print_int (call $self))
    (call $print_str (i32.const 1248)))

  (func $wait_for (param $id i32)
    (call $say (i32.const 1056) (local.get $id))
    (call $join (local.get $id))
    (call $say (i32.const 1088) (local.get $id)))

  (func $main (type $proc) (param $unused i32)
    (local $a i32)
    (local $b i32)
    (local $c i32)
    (local.set $a (call $spawn (ref.func $worker) (i32.const 3)))
    (call $say (i32.const 1024) (local.get $a))
    (local.set $b (call $spawn (ref.func $worker) (i32.const 1)))
    (call $say (i32.const 1024) (local.get $b))
    (local.set $c (call $spawn (ref.func $worker) (i32.const 2)))
    (call $say (i32.const 1024) (local.get $c))
    (call $wait_for (local.get $b))
    (call $wait_for (local.get $a))
    (call $wait_for (local.get $c))
    (call $print_str (i32.const 1120)))

  ;; The scheduler.

  (func $enqueue (param $id i32)
    (i32.store
      (i32.add (i32.const 256) (i32.shl (global.get $queue_tail) (i32.const 2)))
      (local.get $id))
    (global.set $queue_tail
      (i32.and (i32.add (global.get $queue_tail) (i32.const 1)) (i32.const 15))))

  ;; The next runnable thread, or -1.
  (func $dequeue (result i32)
    (local $id i32)
    (if (i32.eq (global.get $queue_head) (global.get $queue_tail))
      (then (return (i32.const -1))))
    (local.set $id
      (i32.load (i32.add (i32.const 256) (i32.shl (global.get $queue_head) (i32.const 2)))))
    (global.set $queue_head
      (i32.and (i32.add (global.get $queue_head) (i32.const 1)) (i32.const 15)))
    (local.get $id))

  (func $done_flag (param $id i32) (result i32)
    (i32.add (i32.const 512) (i32.shl (local.get $id) (i32.const 2))))

  (func $joiner (param $id i32) (result i32)
    (i32.add (i32.const 576) (i32.shl (local.get $id) (i32.const 2))))

  ;; Queues a new thread that will run $f($arg) and returns its id.
  (func $new_thread (param $f (ref $proc)) (param $arg i32) (result i32)
    (local $id i32)
    (local.set $id (global.get $next_id))
    (global.set $next_id (i32.add (local.get $id) (i32.const 1)))
    (table.set $threads (local.get $id)
      (cont.bind $proc_k $thread (local.get $arg) (cont.new $proc_k (local.get $f))))
    (call $enqueue (local.get $id))
    (local.get $id))

  (func $schedule
    (local $id i32)
    (local $target i32)
    (local $k (ref null $thread))
    (local $f (ref null $proc))
    (local $arg i32)
    (local $waiting (ref null $proc_k))
    (loop $next
      (local.set $id (global.get $run_next))
      (global.set $run_next (i32.const -1))
      (if (i32.lt_s (local.get $id) (i32.const 0))
        (then
          (local.set $id (call $dequeue))
          (if (i32.lt_s (local.get $id) (i32.const 0))
            (then (return)))))
      (global.set $current (local.get $id))
      (local.set $k (table.get $threads (local.get $id)))
      (table.set $threads (local.get $id) (ref.null $thread))
      (block $on_join (result i32 (ref $thread))
        (block $on_spawn (result (ref $proc) i32 (ref $proc_k))
          (block $on_yield (result (ref $thread))
            (resume $thread (on $yield $on_yield) (on $spawn $on_spawn) (on $join $on_join)
              (local.get $k))
            ;; The thread returned: wake its joiner.
            (i32.store (call $done_flag (local.get $id)) (i32.const 1))
            (local.set $target (i32.load (call $joiner (local.get $id))))
            (if (local.get $target)
              (then (call $enqueue (i32.sub (local.get $target) (i32.const 1)))))
            (br $next))
          ;; $yield: to the back of the queue.
          (local.set $k)
          (table.set $threads (local.get $id) (local.get $k))
          (call $enqueue (local.get $id))
          (br $next))
        ;; $spawn: queue the new thread and run on with its id.
        (local.set $waiting)
        (local.set $arg)
        (local.set $f)
        (local.set $target (call $new_thread (ref.as_non_null (local.get $f)) (local.get $arg)))
        (table.set $threads (local.get $id)
          (cont.bind $proc_k $thread (local.get $target) (local.get $waiting)))
        (global.set $run_next (local.get $id))
        (br $next))
      ;; $join: park until the target has returned.
      (local.set $k)
      (local.set $target)
      (table.set $threads (local.get $id) (local.get $k))
      (if (i32.load (call $done_flag (local.get $target)))
        (then (global.set $run_next (local.get $id)))
        (else
          ;; This scheduler keeps one joiner per thread.
          (if (i32.load (call $joiner (local.get $target))) (then (unreachable)))
          (i32.store (call $joiner (local.get $target))
            (i32.add (local.get $id) (i32.const 1)))))
      (br $next)))

  (func (export "_start")
    (drop (call $new_thread (ref.func $main) (i32.const 0)))
    (call $schedule)))
