;; `cont.bind` consumes its operand: after binding $k's argument into a new continuation (and
;; running that one), resuming the original $k must trap with "continuation already consumed".
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f1 (func (param i32)))
  (type $c1 (cont $f1))
  (type $f0 (func))
  (type $c0 (cont $f0))
  (elem declare func $task)

  (func $task (param $x i32)
    (call $print_i32 (local.get $x)))

  (func (export "_start")
    (local $k (ref null $c1))
    (local.set $k (cont.new $c1 (ref.func $task)))
    (resume $c0 (cont.bind $c1 $c0 (i32.const 9) (local.get $k)))
    (resume $c1 (i32.const 10) (local.get $k))))
