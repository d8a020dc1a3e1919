;; A `switch` to a continuation that has returned traps with "continuation already
;; consumed": `$b` returns while `$a`'s first switch target is kept in a global; after
;; `_start` resumes `$a`, `$a` switches to that reference again.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param (ref null $c))))
    (type $c (cont $f)))
  (tag $s)
  (global $target (mut (ref null $c)) (ref.null $c))
  (global $held (mut (ref null $c)) (ref.null $c))
  (elem declare func $a $b)

  (func $a (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 1))
    (global.set $target (cont.new $c (ref.func $b)))
    (drop (switch $c $s (global.get $target)))
    (call $print_i32 (i32.const 4))
    (drop (switch $c $s (global.get $target)))
    (call $print_i32 (i32.const 90)))

  (func $b (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 2))
    (global.set $held (local.get $prev)))

  (func (export "_start")
    (resume $c (on $s switch) (ref.null $c) (cont.new $c (ref.func $a)))
    (call $print_i32 (i32.const 3))
    (resume $c (on $s switch) (ref.null $c) (global.get $held))
    (call $print_i32 (i32.const 91))))
