;; A suspend with no handler: inside two nested continuations, whose resumes handle `$a` and
;; `$b`, the task suspends `$a` (handled, forwarded past the inner resume), then `$c`, which
;; no enclosing resume names: an unhandled-tag trap, after the output printed so far.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (tag $a)
  (tag $b)
  (tag $c)
  (elem declare func $outer $inner)

  (func $inner
    (call $print_i32 (i32.const 1))
    (suspend $a)
    (call $print_i32 (i32.const 3))
    (suspend $c)
    (call $print_i32 (i32.const 4)))

  (func $outer
    (block $on_b (result (ref $c))
      (resume $c (on $b $on_b) (cont.new $c (ref.func $inner)))
      (return))
    (drop))

  (func (export "_start")
    (block $on_a (result (ref $c))
      (resume $c (on $a $on_a) (cont.new $c (ref.func $outer)))
      (return))
    (call $print_i32 (i32.const 2))
    (resume $c)
    (call $print_i32 (i32.const 5))))
