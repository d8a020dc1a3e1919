;; A continuation cannot resume itself: the task finds its own reference in a global (stored
;; before it was first resumed, so consumed by the `resume` that is running it) and resumes
;; it, which must trap with "continuation already consumed".
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (global $self (mut (ref null $c)) (ref.null $c))
  (elem declare func $task)

  (func $task
    (call $print_i32 (i32.const 1))
    (resume $c (global.get $self))
    (call $print_i32 (i32.const 2)))

  (func (export "_start")
    (global.set $self (cont.new $c (ref.func $task)))
    (resume $c (global.get $self))
    (call $print_i32 (i32.const 3))))
