;; Float payloads and results: `$t (param f32 f64) (result f64 f32)`. Special values cross the
;; suspend in both directions and must keep their exact bits: -0.0, -inf, a quiet f64 NaN with
;; payload 1 and a signalling f32 NaN (printed through `reinterpret` as well as directly). The
;; task's float parameters stay live across the suspends and are used after them.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (import "spectest" "print_f32" (func $print_f32 (param f32)))
  (import "spectest" "print_f64" (func $print_f64 (param f64)))
  (type $ft (func (param f32 f64) (result f32 f64)))
  (type $ct (cont $ft))
  (type $fk (func (param f64 f32) (result f32 f64)))
  (type $ck (cont $fk))
  (tag $t (param f32 f64) (result f64 f32))
  (elem declare func $task)

  (func $task (param $x f32) (param $y f64) (result f32 f64)
    (local $a f64)
    (local $b f32)
    (suspend $t (local.get $x) (local.get $y))
    (local.set $b)
    (local.set $a)
    (call $print_f64 (local.get $a))
    (call $print_i64 (i64.reinterpret_f64 (local.get $a)))
    (call $print_f32 (local.get $b))
    (call $print_i32 (i32.reinterpret_f32 (local.get $b)))
    ;; A signalling NaN goes out as the f32 payload; its bits come back as the f32 result.
    (suspend $t (f32.const nan:0x1) (local.get $a))
    (call $print_i32 (i32.reinterpret_f32))
    (drop)
    (f32.mul (local.get $x) (f32.const 2))
    (f64.add (local.get $y) (f64.const 0.25)))

  (func (export "_start")
    (local $k (ref null $ck))
    (local $x f32)
    (local $y f64)
    (block $h (result f32 f64 (ref $ck))
      (resume $ct (on $t $h) (f32.const 1.5) (f64.const -0.0) (cont.new $ct (ref.func $task)))
      (unreachable))
    (local.set $k)
    (local.set $y)
    (local.set $x)
    (call $print_f32 (local.get $x))
    (call $print_i32 (i32.reinterpret_f32 (local.get $x)))
    (call $print_f64 (local.get $y))
    (call $print_i64 (i64.reinterpret_f64 (local.get $y)))
    (block $h (result f32 f64 (ref $ck))
      (resume $ck (on $t $h) (f64.const nan:0x8000000000001) (f32.const -inf) (local.get $k))
      (unreachable))
    ;; Send the payload straight back: (f32, f64) becomes (f64, f32).
    (local.set $k)
    (local.set $y)
    (local.set $x)
    (resume $ck (local.get $y) (local.get $x) (local.get $k))
    (call $print_f64)
    (call $print_f32)))
