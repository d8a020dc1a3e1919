;; A `switch` outside any continuation: `_start` itself switches to a fresh continuation. No
;; `resume` encloses it, so it is an unhandled-tag trap; the target never runs.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param i32 (ref null $c))))
    (type $c (cont $f)))
  (tag $s)
  (elem declare func $target)

  (func $target (type $f) (param $x i32) (param $prev (ref null $c))
    (call $print_i32 (local.get $x)))

  (func (export "_start")
    (call $print_i32 (i32.const 1))
    (switch $c $s (i32.const 90) (cont.new $c (ref.func $target)))
    (drop)
    (drop)
    (call $print_i32 (i32.const 2))))
