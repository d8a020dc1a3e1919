;; SIMD constants in every lane shape, splats, lane extract/replace for every shape,
;; i8x16.shuffle and i8x16.swizzle.
(module $simd_lanes
  (global $g (mut v128) (v128.const i32x4 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c))

  (func $split (param v128) (result i64 i64)
    (i64x2.extract_lane 0 (local.get 0)) (i64x2.extract_lane 1 (local.get 0)))

  (func (export "const_i8x16") (result i64 i64)
    (call $split (v128.const i8x16 -1 -2 3 4 5 6 7 8 9 10 11 12 13 14 -128 127)))
  (func (export "const_i16x8") (result i64 i64)
    (call $split (v128.const i16x8 -1 2 -3 4 0x7fff -32768 0xabcd 0)))
  (func (export "const_i32x4") (result i64 i64)
    (call $split (v128.const i32x4 0xdeadbeef -1 0 0x12345678)))
  (func (export "const_i64x2") (result i64 i64)
    (call $split (v128.const i64x2 0x0123456789abcdef -2)))
  (func (export "const_f32x4") (result i64 i64)
    (call $split (v128.const f32x4 1.5 -0.0 inf 0x1p-149)))
  (func (export "const_f64x2") (result i64 i64)
    (call $split (v128.const f64x2 -2.75 0x1.fffffffffffffp+1023)))

  (func (export "splats") (result i64 i64 i64 i64 i64 i64)
    (i64x2.extract_lane 0 (i8x16.splat (i32.const 0x1ab)))
    (i64x2.extract_lane 1 (i16x8.splat (i32.const -2)))
    (i64x2.extract_lane 0 (i32x4.splat (i32.const 0x11223344)))
    (i64x2.extract_lane 1 (i64x2.splat (i64.const -5)))
    (i64x2.extract_lane 0 (f32x4.splat (f32.const 2.0)))
    (i64x2.extract_lane 1 (f64x2.splat (f64.const -1.0))))

  (func (export "extract_lanes") (result i32 i32 i32 i32 i32 i64 f32 f64)
    (local $v v128)
    (local.set $v (v128.const i8x16 0x80 0xff 0x7f 0x01 0x00 0x80 0xff 0xff 0 0 0 0 0 0 0xf0 0x3f))
    (i8x16.extract_lane_s 0 (local.get $v))
    (i8x16.extract_lane_u 1 (local.get $v))
    (i16x8.extract_lane_s 3 (local.get $v))
    (i16x8.extract_lane_u 2 (local.get $v))
    (i32x4.extract_lane 1 (local.get $v))
    (i64x2.extract_lane 1 (local.get $v))
    (f32x4.extract_lane 3 (local.get $v))
    (f64x2.extract_lane 1 (local.get $v)))

  (func (export "replace_lanes") (result i64 i64)
    (local $v v128)
    (local.set $v (global.get $g))
    (local.set $v (i8x16.replace_lane 15 (local.get $v) (i32.const 0x1ee)))
    (local.set $v (i16x8.replace_lane 0 (local.get $v) (i32.const -1)))
    (local.set $v (i32x4.replace_lane 2 (local.get $v) (i32.const 0x55667788)))
    (local.set $v (i64x2.replace_lane 0 (local.get $v) (i64.const 0x0102030405060708)))
    (local.set $v (f32x4.replace_lane 1 (local.get $v) (f32.const -1.0)))
    (local.set $v (f64x2.replace_lane 0 (local.get $v) (f64.const 0.5)))
    (call $split (local.get $v)))

  (func (export "shuffle") (result i64 i64)
    (call $split
      (i8x16.shuffle 31 0 30 1 29 2 28 3 16 16 16 16 15 15 15 15
        (global.get $g)
        (v128.const i8x16 0xa0 0xa1 0xa2 0xa3 0xa4 0xa5 0xa6 0xa7 0xa8 0xa9 0xaa 0xab 0xac 0xad 0xae 0xaf))))

  (func (export "shuffle_identity") (result i64 i64)
    (call $split
      (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (global.get $g) (global.get $g))))

  (func (export "swizzle") (result i64 i64)
    (call $split
      (i8x16.swizzle
        (v128.const i8x16 0x10 0x11 0x12 0x13 0x14 0x15 0x16 0x17 0x18 0x19 0x1a 0x1b 0x1c 0x1d 0x1e 0x1f)
        (v128.const i8x16 15 14 13 12 0 1 2 3 16 255 128 7 7 7 8 9))))
)
