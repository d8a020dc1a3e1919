;; Sign-extension operators.
(module $sign_extension
  (global $x (mut i32) (i32.const 0x1234_8080))
  (global $y (mut i64) (i64.const 0x0123_4567_89ab_cdef))
  (func (export "i32_extend8_s") (result i32) (i32.extend8_s (global.get $x)))
  (func (export "i32_extend16_s") (result i32) (i32.extend16_s (global.get $x)))
  (func (export "i32_extend8_s_pos") (result i32) (i32.extend8_s (i32.const 0x17f)))
  (func (export "i64_extend8_s") (result i64) (i64.extend8_s (global.get $y)))
  (func (export "i64_extend16_s") (result i64) (i64.extend16_s (global.get $y)))
  (func (export "i64_extend32_s") (result i64) (i64.extend32_s (global.get $y)))
  (func (export "i64_extend32_s_pos") (result i64) (i64.extend32_s (i64.const 0x7fff_ffff)))
)
