;; Traps are not exceptions: a continuation that was suspended and resumed inside a
;; `try_table` with `catch_all` and `catch_all_ref` divides by zero there, and neither that
;; `try_table` nor the resumer's `try_table (catch_all)` around the `resume` catches the trap,
;; which ends the run. Before it, an exception thrown in the same `try_table` after a resume
;; was caught (by the first clause, `catch_all_ref`). `_start` prints 4 at each suspend.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $y)
  (tag $e)
  (global $zero (mut i32) (i32.const 0))
  (elem declare func $task)

  (func $task
    (local $round i32)
    (loop $again
      (block $all
        (block $all_ref (result exnref)
          (try_table (catch_all_ref $all_ref) (catch_all $all)
            (call $print_i32 (i32.add (local.get $round) (i32.const 1)))
            (suspend $y)
            (if (i32.eqz (local.get $round)) (then (throw $e)))
            (drop (i32.div_u (i32.const 1) (global.get $zero))))
          (return))
        (drop)
        (call $print_i32 (i32.const 2)))
      (local.set $round (i32.add (local.get $round) (i32.const 2)))
      (br $again)))

  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $any
      (try_table (catch_all $any)
        (loop $next
          (block $on_y (result (ref $cv))
            (resume $cv (on $y $on_y) (local.get $k))
            (return))
          (local.set $k)
          (call $print_i32 (i32.const 4))
          (br $next))))
    (call $print_i32 (i32.const 90))))
