;; Cancelling suspended generators with `resume_throw`: the exception is raised at the
;; `suspend` where each generator waits, and each catches it in its own `try_table` and
;; behaves differently after: `$w0` prints, yields once more and returns; `$w1` prints and
;; returns at once; `$w2` catches inside its loop and goes on yielding, with its counter (a
;; local live across all of it) moved on by 10. `resume_throw` has the same handler clause
;; as `resume`, which takes the yields after a cancellation. The driver prints each yielded
;; value, or -1 when a generator returns; the generators print `1000 * (w + 1) + payload`
;; when they catch.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield (param i32))
  (tag $cancel (param i32))
  (table $gens 3 (ref null $cv))
  (elem declare func $w0 $w1 $w2)

  ;; Yields 0, 1, ...; cancelled, prints 1000 + payload, yields 77 and returns.
  (func $w0
    (local $i i32)
    (block $cancelled (result i32)
      (try_table (catch $cancel $cancelled)
        (loop $next
          (suspend $yield (local.get $i))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 1000)))
    (suspend $yield (i32.const 77)))

  ;; Yields 100, 101, ...; cancelled, prints 2000 + payload and returns.
  (func $w1
    (local $i i32)
    (block $cancelled (result i32)
      (try_table (catch $cancel $cancelled)
        (loop $next
          (suspend $yield (i32.add (i32.const 100) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 2000))))

  ;; Yields 200 + i while i < 25; cancelled, prints 3000 + payload, adds 10 to i, goes on.
  (func $w2
    (local $i i32)
    (loop $next
      (if (i32.ge_u (local.get $i) (i32.const 25)) (then (return)))
      (block $cancelled (result i32)
        (try_table (catch $cancel $cancelled)
          (suspend $yield (i32.add (i32.const 200) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))
      (call $print_i32 (i32.add (i32.const 3000)))
      (local.set $i (i32.add (local.get $i) (i32.const 10)))
      (br $next)))

  ;; Resumes generator $g; prints what it yields, or -1 when it returns.
  (func $step (param $g i32)
    (local $k (ref null $cv))
    (block $done
      (block $on_yield (result i32 (ref $cv))
        (resume $cv (on $yield $on_yield) (table.get $gens (local.get $g)))
        (br $done))
      (local.set $k)
      (table.set $gens (local.get $g) (local.get $k))
      (call $print_i32)
      (return))
    (table.set $gens (local.get $g) (ref.null $cv))
    (call $print_i32 (i32.const -1)))

  ;; Raises $cancel(payload) in generator $g; prints as $step does.
  (func $cancel (param $g i32) (param $payload i32)
    (local $k (ref null $cv))
    (block $done
      (block $on_yield (result i32 (ref $cv))
        (resume_throw $cv $cancel (on $yield $on_yield)
          (local.get $payload) (table.get $gens (local.get $g)))
        (br $done))
      (local.set $k)
      (table.set $gens (local.get $g) (local.get $k))
      (call $print_i32)
      (return))
    (table.set $gens (local.get $g) (ref.null $cv))
    (call $print_i32 (i32.const -1)))

  (func (export "_start")
    (table.set $gens (i32.const 0) (cont.new $cv (ref.func $w0)))
    (table.set $gens (i32.const 1) (cont.new $cv (ref.func $w1)))
    (table.set $gens (i32.const 2) (cont.new $cv (ref.func $w2)))
    (call $step (i32.const 0))
    (call $step (i32.const 1))
    (call $step (i32.const 2))
    (call $step (i32.const 0))
    (call $step (i32.const 2))
    (call $cancel (i32.const 0) (i32.const 5))
    (call $cancel (i32.const 1) (i32.const 6))
    (call $cancel (i32.const 2) (i32.const 7))
    (call $step (i32.const 0))
    (call $step (i32.const 2))
    (call $cancel (i32.const 2) (i32.const 8))
    (call $step (i32.const 2))
    (call $step (i32.const 2))
    (call $step (i32.const 2))))
