;; generator.wat: generators, functions that hand each value they produce to the loop consuming
;; them with `suspend $yield` and are resumed to produce the next one.
;;
;; $countdown is finite: the consumer's loop ends when resuming it returns instead of yielding.
;; $fibonacci never returns: the consumer stops taking its values once they reach 100 and simply
;; drops the suspended generator. `cont.bind` gives a generator its argument, so a fresh
;; generator has the same type, `(cont (func))`, as one resumed after a yield.
;;
;; Run: wasmfx-run examples/generator.wat
(module
  (type $gen_fn (func (param i32)))
  (type $gen_with_arg (cont $gen_fn))
  (type $fn (func))
  (type $gen (cont $fn))

  ;; A generator yields one i32 at a time.
  (tag $yield (param i32))

  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))

  ;; Bytes 0..8 hold the iovec fd_write reads, 8..12 the count it writes back, 12..32 the
  ;; digits of a number being printed; NUL-terminated strings start at 64.
  (memory (export "memory") 1)
  (data (i32.const 64) "countdown: \00")
  (data (i32.const 80) "countdown finished\n\00")
  (data (i32.const 112) "fib: \00")
  (data (i32.const 128) "sum of the Fibonacci numbers below 100: \00")
  (data (i32.const 176) "\n\00")

  (elem declare func $countdown $fibonacci)

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

  ;; Yields $n, $n - 1, ..., 1, then returns.
  (func $countdown (type $gen_fn) (param $n i32)
    (loop $loop
      (if (i32.gt_s (local.get $n) (i32.const 0))
        (then
          (suspend $yield (local.get $n))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $loop)))))

  ;; Yields the Fibonacci sequence that starts with $a and 1, forever.
  (func $fibonacci (type $gen_fn) (param $a i32)
    (local $b i32)
    (local $next i32)
    (local.set $b (i32.const 1))
    (loop $loop
      (suspend $yield (local.get $a))
      (local.set $next (i32.add (local.get $a) (local.get $b)))
      (local.set $a (local.get $b))
      (local.set $b (local.get $next))
      (br $loop)))

  ;; A generator that will run $f with argument $arg when first resumed.
  (func $generator (param $f (ref $gen_fn)) (param $arg i32) (result (ref $gen))
    (cont.bind $gen_with_arg $gen
      (local.get $arg)
      (cont.new $gen_with_arg (local.get $f))))

  (func (export "_start")
    (local $k (ref null $gen))
    (local $value i32)
    (local $sum i32)

    ;; Take every value of a finite generator.
    (local.set $k (call $generator (ref.func $countdown) (i32.const 3)))
    (block $exhausted
      (loop $next
        (block $on_yield (result i32 (ref $gen))
          (resume $gen (on $yield $on_yield) (local.get $k))
          (br $exhausted))
        (local.set $k)
        (local.set $value)
        (call $print_str (i32.const 64))
        (call $print_int (local.get $value))
        (call $print_str (i32.const 176))
        (br $next)))
    (call $print_str (i32.const 80))

    ;; Take values of an infinite generator while they stay below 100.
    (local.set $k (call $generator (ref.func $fibonacci) (i32.const 0)))
    (loop $next
      (block $on_yield (result i32 (ref $gen))
        (resume $gen (on $yield $on_yield) (local.get $k))
        ;; $fibonacci never returns.
        (unreachable))
      (local.set $k)
      (local.set $value)
      (if (i32.lt_u (local.get $value) (i32.const 100))
        (then
          (call $print_str (i32.const 112))
          (call $print_int (local.get $value))
          (call $print_str (i32.const 176))
          (local.set $sum (i32.add (local.get $sum) (local.get $value)))
          (br $next))))
    (call $print_str (i32.const 128))
    (call $print_int (local.get $sum))
    (call $print_str (i32.const 176))))
