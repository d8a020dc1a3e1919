;; `switch` between peers of two different continuation types, carrying values of every number
;; type, several at a time: `$a` takes `(i64 f32 (ref null $cb))` and sends `(f64 i32)` with
;; `switch $cb`; `$b` takes `(f64 i32 (ref null $ca))` and sends `(i64 f32)` with `switch $ca`.
;; So a peer's `switch` returns the values of the other peer's next `switch` plus that peer's
;; continuation. Special values keep their exact bits (printed through `reinterpret`):
;; -0.0 of both widths, -inf, signalling NaNs with payloads, extreme integers. The tag and both
;; continuation types have two results, `(i32 f64)`, which `$a` returns as the result of the
;; `resume` that started it; `$a`'s first parameter is still live after the switches.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (import "spectest" "print_f64" (func $print_f64 (param f64)))
  (rec
    (type $fa (func (param i64 f32 (ref null $cb)) (result i32 f64)))
    (type $ca (cont $fa))
    (type $fb (func (param f64 i32 (ref null $ca)) (result i32 f64)))
    (type $cb (cont $fb)))
  (tag $e (result i32 f64))
  (elem declare func $a $b)

  (func $a (type $fa) (param $x i64) (param $y f32) (param $kb (ref null $cb)) (result i32 f64)
    (local $x2 i64)
    (local $y2 f32)
    (call $print_i64 (local.get $x))
    (call $print_i32 (i32.reinterpret_f32 (local.get $y)))
    (switch $cb $e (f64.const -0.0) (i32.const -2147483648) (local.get $kb))
    (local.set $kb)
    (local.set $y2)
    (local.set $x2)
    (call $print_i64 (local.get $x2))
    (call $print_i32 (i32.reinterpret_f32 (local.get $y2)))
    (switch $cb $e (f64.const nan:0x4000000000001) (i32.const -1) (local.get $kb))
    (local.set $kb)
    (local.set $y2)
    (local.set $x2)
    (call $print_i64 (local.get $x2))
    (call $print_i32 (i32.reinterpret_f32 (local.get $y2)))
    (call $print_i64 (local.get $x))
    (i32.const 42)
    (f64.const 2.5))

  (func $b (type $fb) (param $p f64) (param $q i32) (param $ka (ref null $ca)) (result i32 f64)
    (call $print_i64 (i64.reinterpret_f64 (local.get $p)))
    (call $print_i32 (local.get $q))
    (switch $ca $e (i64.const 9223372036854775807) (f32.const -inf) (local.get $ka))
    (local.set $ka)
    (local.set $q)
    (local.set $p)
    (call $print_i64 (i64.reinterpret_f64 (local.get $p)))
    (call $print_i32 (local.get $q))
    (switch $ca $e (i64.const -1) (f32.const nan:0x200001) (local.get $ka))
    ;; `$a` returns instead of switching back.
    (unreachable))

  (func (export "_start")
    (local $r f64)
    (resume $ca (on $e switch)
      (i64.const -9223372036854775808) (f32.const -0.0)
      (cont.new $cb (ref.func $b)) (cont.new $ca (ref.func $a)))
    (local.set $r)
    (call $print_i32)
    (call $print_f64 (local.get $r))))
