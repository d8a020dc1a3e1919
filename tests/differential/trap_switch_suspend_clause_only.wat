;; A `switch $e` whose only enclosing handler for `$e` is an `(on $e $label)` clause: that
;; clause takes suspends, not switches, so the switch is unhandled and traps, although the
;; same handler has just handled a `suspend $e` from the same continuation. The switch's
;; target never runs.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param (ref null $c))))
    (type $c (cont $f)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $e)
  (elem declare func $a $b)

  (func $a
    (call $print_i32 (i32.const 1))
    (suspend $e)
    (call $print_i32 (i32.const 3))
    (drop (switch $c $e (cont.new $c (ref.func $b))))
    (call $print_i32 (i32.const 90)))

  (func $b (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 91)))

  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $a)))
    (loop $again
      (block $h (result (ref $cv))
        (resume $cv (on $e $h) (local.get $k))
        (call $print_i32 (i32.const 92))
        (return))
      (local.set $k)
      (call $print_i32 (i32.const 2))
      (br $again))))
