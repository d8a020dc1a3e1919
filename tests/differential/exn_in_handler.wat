;; Exceptions thrown by handler code while it holds a suspended continuation. `$handler`
;; resumes a task, keeps the continuation the task yields in a global and throws; the
;; exception leaves `$handler` and `_start` catches it (prints `1000 + payload`). Then `$outer`,
;; itself running in a continuation, does the same with `$inner` from its handler block: the
;; exception leaves `$outer` through `_start`'s `resume`. Neither held continuation is
;; disturbed: `_start` resumes `$inner`, which finishes, and drives the task to its end.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $y (param i32))
  (tag $e (param i32))
  (global $task (mut (ref null $cv)) (ref.null $cv))
  (global $inner (mut (ref null $cv)) (ref.null $cv))
  (elem declare func $task $inner $outer)

  ;; Prints and yields 1, 2, 3.
  (func $task
    (local $n i32)
    (local.set $n (i32.const 1))
    (loop $next
      (call $print_i32 (local.get $n))
      (suspend $y (local.get $n))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $next (i32.le_u (local.get $n) (i32.const 3)))))

  ;; Resumes $k; at its yield, keeps the continuation and throws the value + 4.
  (func $handler (param $k (ref null $cv))
    (local $v i32)
    (block $on_y (result i32 (ref $cv))
      (resume $cv (on $y $on_y) (local.get $k))
      (return))
    (global.set $task)
    (local.set $v)
    (throw $e (i32.add (local.get $v) (i32.const 4))))

  (func $inner
    (call $print_i32 (i32.const 11))
    (suspend $y (i32.const 6))
    (call $print_i32 (i32.const 12)))

  (func $outer
    (local $v i32)
    (block $on_y (result i32 (ref $cv))
      (resume $cv (on $y $on_y) (cont.new $cv (ref.func $inner)))
      (return))
    (global.set $inner)
    (local.set $v)
    (throw $e (local.get $v)))

  (func (export "_start")
    (local $k (ref null $cv))
    (block $caught (result i32)
      (try_table (catch $e $caught)
        (call $handler (cont.new $cv (ref.func $task))))
      (return))
    (call $print_i32 (i32.add (i32.const 1000)))
    (block $caught (result i32)
      (try_table (catch $e $caught)
        (resume $cv (cont.new $cv (ref.func $outer))))
      (return))
    (call $print_i32 (i32.add (i32.const 1000)))
    (resume $cv (global.get $inner))
    (local.set $k (global.get $task))
    (block $done
      (loop $next
        (block $on_y (result i32 (ref $cv))
          (resume $cv (on $y $on_y) (local.get $k))
          (br $done))
        (local.set $k)
        (drop)
        (br $next)))
    (call $print_i32 (i32.const 7))))
