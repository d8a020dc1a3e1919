;; Relaxed SIMD: every relaxed operator, on inputs where all permitted
;; implementations agree (indices in range, masks all-ones/all-zeros per lane,
;; no NaNs or signed zeros for min/max, in-range truncations, i7 dot operands).
(module $relaxed_simd
  (global $a (mut v128) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
  (global $idx (mut v128) (v128.const i8x16 15 14 13 12 3 2 1 0 8 8 8 8 0 5 10 15))
  (global $fa (mut v128) (v128.const f32x4 1.5 -2.0 100.25 -7.75))
  (global $fb (mut v128) (v128.const f32x4 2.0 0.5 -3.0 4.0))
  (global $da (mut v128) (v128.const f64x2 1.5 -1e3))
  (global $db (mut v128) (v128.const f64x2 -4.0 0.25))
  (global $mask (mut v128) (v128.const i32x4 -1 0 0 -1))

  (func $fold (param v128) (result i64)
    (i64.xor (i64.rotl (i64x2.extract_lane 0 (local.get 0)) (i64.const 7))
             (i64x2.extract_lane 1 (local.get 0))))

  (func (export "relaxed_swizzle") (result i64)
    (call $fold (i8x16.relaxed_swizzle (global.get $a) (global.get $idx))))

  (func (export "relaxed_trunc") (result i64 i64 i64 i64)
    (call $fold (i32x4.relaxed_trunc_f32x4_s (global.get $fa)))
    (call $fold (i32x4.relaxed_trunc_f32x4_u (f32x4.abs (global.get $fa))))
    (call $fold (i32x4.relaxed_trunc_f64x2_s_zero (global.get $da)))
    (call $fold (i32x4.relaxed_trunc_f64x2_u_zero (f64x2.abs (global.get $da)))))

  (func (export "relaxed_madd") (result i64 i64 i64 i64)
    (call $fold (f32x4.relaxed_madd (global.get $fa) (global.get $fb) (global.get $fb)))
    (call $fold (f32x4.relaxed_nmadd (global.get $fa) (global.get $fb) (global.get $fa)))
    (call $fold (f64x2.relaxed_madd (global.get $da) (global.get $db) (global.get $da)))
    (call $fold (f64x2.relaxed_nmadd (global.get $da) (global.get $db) (global.get $db))))

  (func (export "relaxed_laneselect") (result i64 i64 i64 i64)
    (call $fold (i8x16.relaxed_laneselect (global.get $a) (global.get $idx) (global.get $mask)))
    (call $fold (i16x8.relaxed_laneselect (global.get $a) (global.get $idx) (global.get $mask)))
    (call $fold (i32x4.relaxed_laneselect (global.get $a) (global.get $idx) (global.get $mask)))
    (call $fold (i64x2.relaxed_laneselect (global.get $a) (global.get $idx) (v128.const i64x2 -1 0))))

  (func (export "relaxed_min_max") (result i64 i64 i64 i64)
    (call $fold (f32x4.relaxed_min (global.get $fa) (global.get $fb)))
    (call $fold (f32x4.relaxed_max (global.get $fa) (global.get $fb)))
    (call $fold (f64x2.relaxed_min (global.get $da) (global.get $db)))
    (call $fold (f64x2.relaxed_max (global.get $da) (global.get $db))))

  (func (export "relaxed_q15mulr_dot") (result i64 i64 i64)
    (call $fold (i16x8.relaxed_q15mulr_s
      (v128.const i16x8 16384 -16384 32767 100 -200 300 -400 500)
      (v128.const i16x8 16384 16384 2 -32767 1000 -1000 12345 -4321)))
    (call $fold (i16x8.relaxed_dot_i8x16_i7x16_s
      (v128.const i8x16 -128 127 -1 1 50 -50 100 -100 0 1 2 3 4 5 6 7)
      (global.get $idx)))
    (call $fold (i32x4.relaxed_dot_i8x16_i7x16_add_s
      (v128.const i8x16 -128 127 -1 1 50 -50 100 -100 0 1 2 3 4 5 6 7)
      (global.get $idx)
      (v128.const i32x4 1000 -1000 7 0x7fff0000))))
)
