;; Every number type at once: a continuation over `(func (param i32 i64 f32 f64 v128) (result
;; i32 i64 f32 f64 v128))` resumed with five arguments, a tag `$all (param i32 i64 f32 f64
;; v128) (result v128 f64 f32 i64 i32)`, and five results of `resume` when it returns.
;;
;; expect:
;; 2 : i32
;; 3 : i64
;; 4.5 : f32
;; 5.25 : f64
;; 30064771078 : i64
;; 38654705672 : i64
;; 200 : i32
;; -14 : i64
;; 0.25 : f32
;; -3.0 : f64
;; 171798691860 : i64
;; 343597383740 : i64
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (import "spectest" "print_f32" (func $print_f32 (param f32)))
  (import "spectest" "print_f64" (func $print_f64 (param f64)))
  (type $ft (func (param i32 i64 f32 f64 v128) (result i32 i64 f32 f64 v128)))
  (type $ct (cont $ft))
  (type $fk (func (param v128 f64 f32 i64 i32) (result i32 i64 f32 f64 v128)))
  (type $ck (cont $fk))
  (tag $all (param i32 i64 f32 f64 v128) (result v128 f64 f32 i64 i32))
  (elem declare func $task)

  (func $task (param $a i32) (param $b i64) (param $c f32) (param $d f64) (param $e v128)
      (result i32 i64 f32 f64 v128)
    (local $ra i32)
    (local $rb i64)
    (local $rc f32)
    (local $rd f64)
    (local $re v128)
    (suspend $all
      (i32.add (local.get $a) (i32.const 1))
      (i64.add (local.get $b) (i64.const 1))
      (f32.add (local.get $c) (f32.const 1))
      (f64.add (local.get $d) (f64.const 1))
      (i32x4.add (local.get $e) (v128.const i32x4 1 1 1 1)))
    (local.set $ra)
    (local.set $rb)
    (local.set $rc)
    (local.set $rd)
    (local.set $re)
    (i32.mul (local.get $ra) (i32.const 2))
    (i64.mul (local.get $rb) (i64.const 2))
    (f32.mul (local.get $rc) (f32.const 2))
    (f64.mul (local.get $rd) (f64.const 2))
    (i32x4.shl (local.get $re) (i32.const 1)))

  (func $print_lanes (param $v v128)
    (call $print_i64 (i64x2.extract_lane 0 (local.get $v)))
    (call $print_i64 (i64x2.extract_lane 1 (local.get $v))))

  (func (export "_start")
    (local $k (ref null $ck))
    (local $e v128)
    (local $d f64)
    (local $c f32)
    (local $b i64)
    (block $h (result i32 i64 f32 f64 v128 (ref $ck))
      (resume $ct (on $all $h)
        (i32.const 1) (i64.const 2) (f32.const 3.5) (f64.const 4.25)
        (v128.const i32x4 5 6 7 8)
        (cont.new $ct (ref.func $task)))
      (unreachable))
    (local.set $k)
    (local.set $e)
    (local.set $d)
    (local.set $c)
    (local.set $b)
    (call $print_i32)
    (call $print_i64 (local.get $b))
    (call $print_f32 (local.get $c))
    (call $print_f64 (local.get $d))
    (call $print_lanes (local.get $e))
    (resume $ck
      (v128.const i32x4 10 20 30 40) (f64.const -1.5) (f32.const 0.125) (i64.const -7)
      (i32.const 100)
      (local.get $k))
    (local.set $e)
    (local.set $d)
    (local.set $c)
    (local.set $b)
    (call $print_i32)
    (call $print_i64 (local.get $b))
    (call $print_f32 (local.get $c))
    (call $print_f64 (local.get $d))
    (call $print_lanes (local.get $e))))
