;; `resume_throw` with exceptions of several values and of none, into a continuation with
;; results: the generator, suspended inside `try_table (catch $big)`, catches
;; `$big (i32 i64 f32 f64)` raised with extreme and special values, which keep their exact
;; bits (floats printed through `reinterpret`: -0.0, a quiet NaN with payload 1); it suspends
;; again inside `try_table (catch $none)`, catches the payload-less `$none`, and returns two
;; values computed from the first exception's payload, which become the results of that
;; `resume_throw`.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (type $fg (func (result i64 f32)))
  (type $cg (cont $fg))
  (tag $y (param i32))
  (tag $big (param i32 i64 f32 f64))
  (tag $none)
  (elem declare func $gen)

  (func $gen (result i64 f32)
    (local $a i32)
    (local $b i64)
    (local $c f32)
    (local $d f64)
    (block $caught (result i32 i64 f32 f64)
      (try_table (catch $big $caught)
        (suspend $y (i32.const 1)))
      (return (i64.const 1) (f32.const 1)))
    (local.set $d)
    (local.set $c)
    (local.set $b)
    (local.set $a)
    (call $print_i32 (local.get $a))
    (call $print_i64 (local.get $b))
    (call $print_i32 (i32.reinterpret_f32 (local.get $c)))
    (call $print_i64 (i64.reinterpret_f64 (local.get $d)))
    (block $caught
      (try_table (catch $none $caught)
        (suspend $y (i32.const 2)))
      (return (i64.const 2) (f32.const 2)))
    (call $print_i32 (i32.const 3))
    (i64.add (local.get $b) (i64.const 1))
    (local.get $c))

  (func (export "_start")
    (local $k (ref null $cg))
    (local $r f32)
    (block $on_y (result i32 (ref $cg))
      (resume $cg (on $y $on_y) (cont.new $cg (ref.func $gen)))
      (return))
    (local.set $k)
    (call $print_i32)
    (block $on_y (result i32 (ref $cg))
      (resume_throw $cg $big (on $y $on_y)
        (i32.const -1) (i64.const -9223372036854775808) (f32.const -0.0)
        (f64.const nan:0x8000000000001)
        (local.get $k))
      (return))
    (local.set $k)
    (call $print_i32)
    (block $on_y (result i32 (ref $cg))
      (resume_throw $cg $none (on $y $on_y) (local.get $k))
      (local.set $r)
      (call $print_i64)
      (call $print_i32 (i32.reinterpret_f32 (local.get $r)))
      (return))
    (unreachable)))
