;; Resuming a continuation that ran to its end traps: $task returns 5 on the first `resume`;
;; the reference is consumed, so a second `resume` must trap with "continuation already
;; consumed".
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func (result i32)))
  (type $c (cont $f))
  (elem declare func $task)

  (func $task (result i32)
    (i32.const 5))

  (func (export "_start")
    (local $k (ref null $c))
    (local.set $k (cont.new $c (ref.func $task)))
    (call $print_i32 (resume $c (local.get $k)))
    (call $print_i32 (resume $c (local.get $k)))))
