;; One tag `$e` (no parameters, no results) used three ways: by `suspend`, by `switch` and by
;; `throw`. Every `resume` has both `(on $e $h)` and `(on $e switch)`: suspends take the first
;; clause, switches the second, and exceptions neither (handler clauses do not catch them).
;; `$a` suspends; caught its own `throw $e` in a `try_table`; switches to a fresh `$b`, which
;; keeps `$a`'s continuation and throws `$e`: the exception leaves `$b` through the `resume`
;; that `$b` runs under (the one that resumed `$a`), and `_start`'s `try_table` catches it.
;; `$a`, suspended by its switch, is then resumed on its own and suspends and returns.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param (ref null $c))))
    (type $c (cont $f)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $e)
  (global $held (mut (ref null $c)) (ref.null $c))
  (elem declare func $a $b)

  (func $a (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 1))
    (suspend $e)
    (call $print_i32 (i32.const 3))
    (block $caught
      (try_table (catch $e $caught)
        (throw $e))
      (call $print_i32 (i32.const 90)))
    (call $print_i32 (i32.const 4))
    (drop (switch $c $e (cont.new $c (ref.func $b))))
    (call $print_i32 (i32.const 7))
    (suspend $e)
    (call $print_i32 (i32.const 9)))

  (func $b (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 5))
    (global.set $held (local.get $prev))
    (throw $e))

  (func (export "_start")
    (local $k (ref null $cv))
    (block $h (result (ref $cv))
      (resume $c (on $e $h) (on $e switch) (ref.null $c) (cont.new $c (ref.func $a)))
      (call $print_i32 (i32.const 91))
      (return))
    (local.set $k)
    (call $print_i32 (i32.const 2))
    (block $caught
      (try_table (catch $e $caught)
        (block $h (result (ref $cv))
          (resume $cv (on $e $h) (on $e switch) (local.get $k))
          (call $print_i32 (i32.const 92))
          (return))
        (call $print_i32 (i32.const 93))
        (return)))
    (call $print_i32 (i32.const 6))
    (block $h (result (ref $cv))
      (resume $c (on $e $h) (on $e switch) (ref.null $c) (global.get $held))
      (call $print_i32 (i32.const 94))
      (return))
    (local.set $k)
    (call $print_i32 (i32.const 8))
    (resume $cv (on $e switch) (local.get $k))
    (call $print_i32 (i32.const 10))))
