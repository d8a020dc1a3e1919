;; Suspends in code reached from a `catch`: after an inner `try_table` catches `$e`, the
;; catch code (still inside an outer `try_table`) suspends, calls a helper that suspends and
;; catches another `$e` of its own across a suspend and suspends in that catch code too, then
;; suspends again and throws: the outer `try_table` catches that, and its catch code suspends
;; once more. Every suspend is resumed by `_start`, which prints the yielded values; the task
;; prints `100 + payload` (inner catch), `200 + payload` (helper), `300 + payload` (outer).
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $y (param i32))
  (tag $e (param i32))
  (elem declare func $task)

  (func $helper (param $v i32)
    (suspend $y (i32.add (local.get $v) (i32.const 2)))
    (block $caught (result i32)
      (try_table (catch $e $caught)
        (suspend $y (i32.add (local.get $v) (i32.const 3)))
        (throw $e (i32.add (local.get $v) (i32.const 4))))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 200)))
    (suspend $y (i32.add (local.get $v) (i32.const 5))))

  (func $task
    (local $v i32)
    (block $outer (result i32)
      (try_table (catch $e $outer)
        (block $inner (result i32)
          (try_table (catch $e $inner)
            (throw $e (i32.const 1)))
          (unreachable))
        (local.set $v)
        (call $print_i32 (i32.add (i32.const 100) (local.get $v)))
        (suspend $y (i32.const 2))
        (call $helper (local.get $v))
        (suspend $y (i32.const 7))
        (throw $e (i32.const 8)))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 300)))
    (suspend $y (i32.const 9))
    (call $print_i32 (i32.const 10)))

  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $done
      (loop $next
        (block $on_y (result i32 (ref $cv))
          (resume $cv (on $y $on_y) (local.get $k))
          (br $done))
        (local.set $k)
        (call $print_i32)
        (br $next)))
    (call $print_i32 (i32.const 11))))
