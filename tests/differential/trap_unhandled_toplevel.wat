;; A suspend outside any continuation is an unhandled tag: `_start` itself suspends, after
;; having run (and finished) a continuation that suspended to a handler correctly.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (tag $t)
  (elem declare func $task)

  (func $task
    (suspend $t))

  (func (export "_start")
    (block $h (result (ref $c))
      (resume $c (on $t $h) (cont.new $c (ref.func $task)))
      (unreachable))
    (call $print_i32 (i32.const 1))
    (resume $c)
    (call $print_i32 (i32.const 2))
    (suspend $t)
    (call $print_i32 (i32.const 3))))
