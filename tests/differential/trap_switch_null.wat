;; A `switch` to a null continuation traps with "null reference", even though a handler for
;; the switch is in place: a peer switches to a peer whose table slot was never filled, after
;; a first switch to a filled one succeeded.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param (ref null $c))))
    (type $c (cont $f)))
  (tag $s)
  (table $peers 2 (ref null $c))
  (elem declare func $first $second)

  (func $first (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 1))
    (local.set $prev (switch $c $s (table.get $peers (i32.const 0))))
    (call $print_i32 (i32.const 3))
    (drop (switch $c $s (table.get $peers (i32.const 1))))
    (call $print_i32 (i32.const 90)))

  (func $second (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 2))
    (drop (switch $c $s (local.get $prev)))
    (call $print_i32 (i32.const 91)))

  (func (export "_start")
    (table.set $peers (i32.const 0) (cont.new $c (ref.func $second)))
    (resume $c (on $s switch) (ref.null $c) (cont.new $c (ref.func $first)))
    (call $print_i32 (i32.const 92))))
