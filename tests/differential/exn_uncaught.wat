;; An exception that nothing catches: thrown two continuations deep after suspends and
;; resumes, it passes a `try_table` for another tag in the inner continuation, both resumes,
;; and `_start`, and reaches the host, which reports "thrown Wasm exception" (exit code 3)
;; after the output printed so far.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $y)
  (tag $e (param i32))
  (tag $other)
  (elem declare func $outer $inner)

  (func $inner
    (call $print_i32 (i32.const 2))
    (block $wrong
      (try_table (catch $other $wrong)
        (suspend $y)
        (call $print_i32 (i32.const 4))
        (throw $e (i32.const 5))))
    (call $print_i32 (i32.const 90)))

  (func $outer
    (call $print_i32 (i32.const 1))
    (resume $cv (cont.new $cv (ref.func $inner)))
    (call $print_i32 (i32.const 91)))

  (func (export "_start")
    (block $on_y (result (ref $cv))
      (resume $cv (on $y $on_y) (cont.new $cv (ref.func $outer)))
      (return))
    (call $print_i32 (i32.const 3))
    (resume $cv)
    (call $print_i32 (i32.const 92))))
