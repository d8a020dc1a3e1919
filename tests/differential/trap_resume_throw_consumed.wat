;; `resume_throw` of a continuation that was already consumed traps with "continuation
;; already consumed": a generator is cancelled with `resume_throw`, catches the exception and
;; returns; cancelling the same reference again traps, and the resumer's `try_table` with
;; `catch_all` does not catch the trap.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield (param i32))
  (tag $cancel (param i32))
  (elem declare func $gen)

  (func $gen
    (block $caught (result i32)
      (try_table (catch $cancel $caught)
        (suspend $yield (i32.const 0)))
      (return))
    (call $print_i32 (i32.add (i32.const 1000))))

  (func (export "_start")
    (local $k (ref null $cv))
    (block $on_yield (result i32 (ref $cv))
      (resume $cv (on $yield $on_yield) (cont.new $cv (ref.func $gen)))
      (return))
    (local.set $k)
    (call $print_i32)
    (resume_throw $cv $cancel (i32.const 5) (local.get $k))
    (block $any
      (try_table (catch_all $any)
        (resume_throw $cv $cancel (i32.const 6) (local.get $k)))
      (call $print_i32 (i32.const 90))
      (return))
    (call $print_i32 (i32.const 91))))
