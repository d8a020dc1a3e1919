;; One tag `$e` used by both `suspend` and `switch`: an `(on $e switch)` clause handles only
;; switches, so a `suspend $e` skips it and goes to the outer handler with `(on $e $label)`.
;; `_start` runs `$outer` under `(on $e $h)`; `$outer` runs peer `$p` under `(on $e switch)`.
;; `$p` switches to a fresh `$q` (handled by `$outer`'s clause); `$q` suspends `$e`, which
;; skips that clause and reaches `_start`. Resumed, `$q` switches back to `$p`, which returns:
;; that ends `$outer`'s `resume`, then `$outer` returns and ends `_start`'s.
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
  (elem declare func $outer $p $q)

  (func $outer
    (call $print_i32 (i32.const 1))
    (resume $c (on $e switch) (ref.null $c) (cont.new $c (ref.func $p)))
    (call $print_i32 (i32.const 7)))

  (func $p (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 2))
    (drop (switch $c $e (cont.new $c (ref.func $q))))
    (call $print_i32 (i32.const 6)))

  (func $q (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 3))
    (suspend $e)
    (call $print_i32 (i32.const 5))
    (drop (switch $c $e (local.get $prev)))
    (call $print_i32 (i32.const 90)))

  (func (export "_start")
    (block $done
      (block $h (result (ref $cv))
        (resume $cv (on $e $h) (cont.new $cv (ref.func $outer)))
        (call $print_i32 (i32.const 91))
        (br $done))
      (call $print_i32 (i32.const 4))
      (resume $cv))
    (call $print_i32 (i32.const 8))))
