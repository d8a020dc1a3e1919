;; A `switch` handled by an outer handler, forwarded past inner resumes that handle other
;; tags: `_start` handles `(on $s switch)`; inside, `$top` resumes `$mid` handling suspends of
;; `$a`, and `$mid` resumes peers `$x` and `$y` that switch between themselves with `$t`
;; under `(on $t switch)`. `$y` switches with `$s` to `$far`: the continuation suspended by
;; that switch holds `$y`, `$mid` and `$top`, with both inner handlers. `$far` switches back
;; into it; then `$y` switches with `$t` back to `$x` (the inner switch handler still works),
;; and `$x` suspends `$a`, which `$top`'s handler takes. Everything then returns in turn, and
;; `$far` is abandoned.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  ;; One rec group, first in the type section: see "Native limits" in README.md.
  (rec
    (type $f (func (param (ref null $c))))
    (type $c (cont $f))
    (type $f2 (func (param i32 (ref null $c2))))
    (type $c2 (cont $f2)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $s)
  (tag $t)
  (tag $a)
  (elem declare func $top $mid $x $y $far)

  (func $top (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 1))
    (block $on_a (result (ref $cv))
      (resume $cv (on $a $on_a) (cont.new $cv (ref.func $mid)))
      (call $print_i32 (i32.const 90))
      (return))
    (call $print_i32 (i32.const 8))
    (resume $cv)
    (call $print_i32 (i32.const 11)))

  (func $mid
    (call $print_i32 (i32.const 2))
    (resume $c2 (on $t switch) (i32.const 0) (ref.null $c2) (cont.new $c2 (ref.func $x)))
    (call $print_i32 (i32.const 10)))

  (func $x (type $f2) (param $n i32) (param $prev (ref null $c2))
    (call $print_i32 (i32.const 3))
    (drop (drop (switch $c2 $t (i32.const 4) (cont.new $c2 (ref.func $y)))))
    (call $print_i32 (i32.const 7))
    (suspend $a)
    (call $print_i32 (i32.const 9)))

  (func $y (type $f2) (param $n i32) (param $prev (ref null $c2))
    (call $print_i32 (local.get $n))
    (drop (switch $c $s (cont.new $c (ref.func $far))))
    (call $print_i32 (i32.const 6))
    (drop (drop (switch $c2 $t (i32.const 0) (local.get $prev))))
    (call $print_i32 (i32.const 91)))

  (func $far (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 5))
    (drop (switch $c $s (local.get $prev)))
    (call $print_i32 (i32.const 92)))

  (func (export "_start")
    (resume $c (on $s switch) (ref.null $c) (cont.new $c (ref.func $top)))
    (call $print_i32 (i32.const 12))))
