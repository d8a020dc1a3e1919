;; A `suspend $e` whose only enclosing handler for `$e` is an `(on $e switch)` clause: that
;; clause takes switches, not suspends, so the suspend is unhandled and traps, although the
;; same handler has just handled two `switch $e` between the peers.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param (ref null $c))))
    (type $c (cont $f)))
  (tag $e)
  (elem declare func $p $q)

  (func $p (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 1))
    (drop (switch $c $e (cont.new $c (ref.func $q))))
    (call $print_i32 (i32.const 3))
    (suspend $e)
    (call $print_i32 (i32.const 90)))

  (func $q (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 2))
    (drop (switch $c $e (local.get $prev)))
    (call $print_i32 (i32.const 91)))

  (func (export "_start")
    (resume $c (on $e switch) (ref.null $c) (cont.new $c (ref.func $p)))
    (call $print_i32 (i32.const 92))))
