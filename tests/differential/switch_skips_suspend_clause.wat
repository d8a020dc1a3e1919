;; One tag `$e` used by both `suspend` and `switch`: an `(on $e $label)` clause handles only
;; suspends, so a `switch $e` skips it and goes to the outer handler with `(on $e switch)`.
;; `_start` runs `$a` under `(on $e switch)`; `$a` runs `$inner` under `(on $e $h)`. `$inner`
;; switches to a fresh `$b`: the switch passes `$a`'s handler, and the continuation it suspends
;; holds both `$inner` and `$a`. `$b` switches back into it; `$inner` then suspends `$e`, which
;; `$a`'s clause does handle, and after `$a` resumes it, switches to `$b` again past `$a`'s
;; handler. `$b` returns, which ends `_start`'s `resume`; `$a` and `$inner` are abandoned.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param (ref null $c))))
    (type $c (cont $f)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $e)
  (elem declare func $a $b $inner)

  (func $a (type $f) (param $prev (ref null $c))
    (local $k (ref null $cv))
    (call $print_i32 (i32.const 1))
    (block $h (result (ref $cv))
      (resume $cv (on $e $h) (cont.new $cv (ref.func $inner)))
      (call $print_i32 (i32.const 90))
      (return))
    (local.set $k)
    (call $print_i32 (i32.const 5))
    (resume $cv (local.get $k))
    (call $print_i32 (i32.const 91)))

  (func $inner
    (local $bk (ref null $c))
    (call $print_i32 (i32.const 2))
    (local.set $bk (switch $c $e (cont.new $c (ref.func $b))))
    (call $print_i32 (i32.const 4))
    (suspend $e)
    (call $print_i32 (i32.const 6))
    (drop (switch $c $e (local.get $bk)))
    (call $print_i32 (i32.const 92)))

  (func $b (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 3))
    (local.set $prev (switch $c $e (local.get $prev)))
    (call $print_i32 (i32.const 7)))

  (func (export "_start")
    (resume $c (on $e switch) (ref.null $c) (cont.new $c (ref.func $a)))
    (call $print_i32 (i32.const 8))))
