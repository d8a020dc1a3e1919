;; Function and code sections: functions with no locals, many locals in mixed runs
;; (exercising local-declaration grouping), explicit type uses, inline signatures that
;; match an existing type, functions sharing one type, and an empty body.
(module $section_functions
  (type $v (func))
  (type $ii (func (param i32) (result i32)))

  (func $empty)
  (func $empty_typed (type $v))
  (func $by_type (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $by_type_and_inline (type $ii) (param $x i32) (result i32) (i32.mul (local.get $x) (i32.const 3)))
  (func $inline_matching (param i32) (result i32) (i32.sub (local.get 0) (i32.const 1)))

  ;; locals in runs: i32 i32 i64 i32 f32 f32 f32 f64 v128 funcref externref anyref i32
  (func $many_locals (param $p0 i32) (param $p1 i64) (result i64)
    (local $a i32) (local $b i32) (local $c i64) (local $d i32)
    (local f32 f32 f32) (local $e f64) (local $v v128)
    (local $fr funcref) (local $er externref) (local $ar anyref) (local $last i32)
    (local.set $a (local.get $p0))
    (local.set $b (i32.add (local.get $a) (i32.const 1)))
    (local.set $c (i64.add (local.get $p1) (i64.extend_i32_u (local.get $b))))
    (local.set $d (i32.wrap_i64 (local.get $c)))
    (local.set 6 (f32.const 1))
    (local.set 7 (f32.add (local.get 6) (f32.const 2)))
    (local.set 8 (f32.mul (local.get 7) (local.get 7)))
    (local.set $e (f64.promote_f32 (local.get 8)))
    (local.set $v (i64x2.splat (local.get $c)))
    (local.set $last (i32.add (ref.is_null (local.get $fr))
      (i32.add (ref.is_null (local.get $er)) (ref.is_null (local.get $ar)))))
    (i64.add
      (i64.add (i64x2.extract_lane 1 (local.get $v)) (i64.trunc_f64_s (local.get $e)))
      (i64.extend_i32_s (i32.add (local.get $d) (local.get $last)))))

  ;; a function with a large number of locals of one type
  (func $wide_frame (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32
           i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (local.set 31 (i32.const 31))
    (local.set 0 (i32.const 1))
    (i32.add (local.get 0) (local.get 31)))

  (func (export "call_all") (result i32 i32 i32 i64 i32)
    (call $empty)
    (call $empty_typed)
    (call $by_type (i32.const 10))
    (call $by_type_and_inline (i32.const 10))
    (call $inline_matching (i32.const 10))
    (call $many_locals (i32.const 5) (i64.const 100))
    (call $wide_frame))
)
