;; Multi-value tag payloads and results of integer types: `$t (param i32 i64 i32) (result i64
;; i32 i64)`, a continuation that takes (i32 i64) and returns (i64 i32), and extreme values
;; (i64 min and max, -1) crossing the suspend in both directions. The task keeps its
;; parameters live across the suspends and combines them with what it received.
;;
;; expect:
;; 3 : i32
;; -5000000000 : i64
;; 7 : i32
;; -10000000000 : i64
;; 10 : i32
;; -5000000001 : i64
;; -1 : i32
;; -9223372036854775808 : i64
;; 2147483647 : i32
;; 2147483647 : i64
;; -1 : i32
;; 9223372036854775807 : i64
;; 30 : i32
;; -15000000001 : i64
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (type $ft (func (param i32 i64) (result i64 i32)))
  (type $ct (cont $ft))
  (type $fk (func (param i64 i32 i64) (result i64 i32)))
  (type $ck (cont $fk))
  (tag $t (param i32 i64 i32) (result i64 i32 i64))
  (elem declare func $task)

  (func $task (param $a i32) (param $b i64) (result i64 i32)
    (local $r1 i64)
    (local $r2 i32)
    (local $r3 i64)
    (suspend $t (local.get $a) (local.get $b) (i32.const 7))
    (local.set $r3)
    (local.set $r2)
    (local.set $r1)
    (call $print_i64 (local.get $r1))
    (call $print_i32 (local.get $r2))
    (call $print_i64 (local.get $r3))
    ;; Extremes: the handler answers (x, y, z) with (y xor -1, x, z sign-extended); the three
    ;; results are printed straight off the operand stack, last first.
    (suspend $t (i32.const -1) (i64.const 0x8000000000000000) (i32.const 0x7fffffff))
    (call $print_i64)
    (call $print_i32)
    (call $print_i64)
    (i64.add (local.get $r1) (local.get $r3))
    (i32.mul (local.get $r2) (local.get $a)))

  (func (export "_start")
    (local $k (ref null $ck))
    (local $x i32)
    (local $y i64)
    (local $z i32)
    (block $h (result i32 i64 i32 (ref $ck))
      (resume $ct (on $t $h) (i32.const 3) (i64.const -5000000000)
        (cont.new $ct (ref.func $task)))
      (unreachable))
    (local.set $k)
    (local.set $z)
    (local.set $y)
    (local.set $x)
    (call $print_i32 (local.get $x))
    (call $print_i64 (local.get $y))
    (call $print_i32 (local.get $z))
    (block $h (result i32 i64 i32 (ref $ck))
      (resume $ck (on $t $h)
        (i64.mul (local.get $y) (i64.const 2))
        (i32.add (local.get $x) (local.get $z))
        (i64.sub (local.get $y) (i64.const 1))
        (local.get $k))
      (unreachable))
    (local.set $k)
    (local.set $z)
    (local.set $y)
    (local.set $x)
    (call $print_i32 (local.get $x))
    (call $print_i64 (local.get $y))
    (call $print_i32 (local.get $z))
    (resume $ck
      (i64.xor (local.get $y) (i64.const -1))
      (local.get $x)
      (i64.extend_i32_s (local.get $z))
      (local.get $k))
    (call $print_i32)
    (call $print_i64)))
