;; goroutines.wat: the Go program that motivates WasmFX, compiled the way a Go compiler that
;; targets WasmFX would compile it:
;;
;;     func printOdds() {
;;         for i := 1; i < 10; i += 2 {
;;             println(i)
;;         }
;;     }
;;
;;     func main() {
;;         go printOdds()
;;         for i := 2; i <= 10; i += 2 {
;;             println(i)
;;         }
;;     }
;;
;; Every goroutine, `main` included, is a continuation in a run queue. `go f()` is `task.start`:
;; `cont.new` and enqueue. `task.Pause` is `suspend $scheduler`, a yield tag, and this runtime's
;; `println` pauses after printing, so the two goroutines take turns: 2 1 4 3 ... 10 9. The
;; scheduler resumes queued goroutines until `main` is done; then the program ends, as a Go
;; program does when `main` returns, whatever goroutines are still queued.
;;
;; Run: wasmfx-run examples/goroutines.wat
(module
  (type $func (func))
  (type $task (cont $func))

  ;; task.Pause suspends to the scheduler with this tag.
  (tag $scheduler)

  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))

  ;; Bytes 0..8 hold the iovec fd_write reads, 8..12 the count it writes back, 12..32 the
  ;; digits of the number being printed, and byte 32 a newline.
  (memory (export "memory") 1)
  (data (i32.const 32) "\n")

  ;; The run queue: a ring of runnable goroutines.
  (table $queue 16 (ref null $task))
  (global $head (mut i32) (i32.const 0))
  (global $tail (mut i32) (i32.const 0))
  (global $main_done (mut i32) (i32.const 0))

  (elem declare func $main.printOdds $runtime.main)

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; Writes a non-negative number in decimal followed by a newline.
  (func $write_line (param $n i32)
    (local $p i32)
    (local.set $p (i32.const 32))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $write (local.get $p) (i32.sub (i32.const 33) (local.get $p))))

  (func $enqueue (param $t (ref $task))
    (table.set $queue (global.get $tail) (local.get $t))
    (global.set $tail (i32.rem_u (i32.add (global.get $tail) (i32.const 1)) (i32.const 16))))

  (func $dequeue (result (ref null $task))
    (local $t (ref null $task))
    (if (i32.eq (global.get $head) (global.get $tail))
      (then (return (ref.null $task))))
    (local.set $t (table.get $queue (global.get $head)))
    (table.set $queue (global.get $head) (ref.null $task))
    (global.set $head (i32.rem_u (i32.add (global.get $head) (i32.const 1)) (i32.const 16)))
    (local.get $t))

  ;; task.start: `go f()`.
  (func $task.start (param $f (ref $func))
    (call $enqueue (cont.new $task (local.get $f))))

  ;; task.Pause: let the other goroutines run.
  (func $task.Pause
    (suspend $scheduler))

  (func $runtime.println (param $n i32)
    (call $write_line (local.get $n))
    (call $task.Pause))

  (func $main.printOdds (type $func)
    (local $i i32)
    (local.set $i (i32.const 1))
    (loop $loop
      (call $runtime.println (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $loop (i32.lt_s (local.get $i) (i32.const 10)))))

  (func $main.main
    (local $i i32)
    (call $task.start (ref.func $main.printOdds))
    (local.set $i (i32.const 2))
    (loop $loop
      (call $runtime.println (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $loop (i32.le_s (local.get $i) (i32.const 10)))))

  ;; The main goroutine: the program is over when `main.main` returns.
  (func $runtime.main (type $func)
    (call $main.main)
    (global.set $main_done (i32.const 1)))

  (func $runtime.schedule
    (local $t (ref null $task))
    (loop $next
      (if (global.get $main_done) (then (return)))
      (local.set $t (call $dequeue))
      ;; Go would report "all goroutines are asleep - deadlock!"; this program cannot get here.
      (if (ref.is_null (local.get $t)) (then (unreachable)))
      (block $finished
        (block $paused (result (ref $task))
          (resume $task (on $scheduler $paused) (local.get $t))
          (br $finished))
        ;; The goroutine paused: it goes to the back of the queue.
        (call $enqueue))
      (br $next)))

  (func (export "_start")
    (call $task.start (ref.func $runtime.main))
    (call $runtime.schedule)))
