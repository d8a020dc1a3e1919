;; `resume_throw` of a null continuation traps with "null reference" before any exception is
;; raised: the resumer's `try_table` with `catch_all` does not see one. The continuation
;; comes from a global that was never set, inside a continuation; the trap propagates out
;; through the outer `resume`.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $x (param i32))
  (global $never_set (mut (ref null $cv)) (ref.null $cv))
  (elem declare func $task)

  (func $task
    (call $print_i32 (i32.const 2))
    (block $any
      (try_table (catch_all $any)
        (resume_throw $cv $x (i32.const 5) (global.get $never_set)))
      (call $print_i32 (i32.const 90))
      (return))
    (call $print_i32 (i32.const 91)))

  (func (export "_start")
    (call $print_i32 (i32.const 1))
    (resume $cv (cont.new $cv (ref.func $task)))
    (call $print_i32 (i32.const 92))))
