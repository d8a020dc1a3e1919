;; MVP i64 numeric operators: every unary, binary, test and comparison operator.
(module $mvp_numeric_i64
  (global $a (mut i64) (i64.const -123456789012345))
  (global $b (mut i64) (i64.const 977))
  (global $c (mut i64) (i64.const 0x00ff00ff0f0f0000))

  (func (export "const") (result i64) (i64.const 0x7fffffffffffffff))
  (func (export "const_min") (result i64) (i64.const -9223372036854775808))
  (func (export "add") (result i64) (i64.add (global.get $a) (global.get $b)))
  (func (export "add_wrap") (result i64) (i64.add (i64.const 0x7fffffffffffffff) (global.get $b)))
  (func (export "sub") (result i64) (i64.sub (global.get $a) (global.get $b)))
  (func (export "mul") (result i64) (i64.mul (global.get $a) (global.get $b)))
  (func (export "div_s") (result i64) (i64.div_s (global.get $a) (global.get $b)))
  (func (export "div_u") (result i64) (i64.div_u (global.get $a) (global.get $b)))
  (func (export "rem_s") (result i64) (i64.rem_s (global.get $a) (global.get $b)))
  (func (export "rem_u") (result i64) (i64.rem_u (global.get $a) (global.get $b)))
  (func (export "rem_s_min_neg1") (result i64) (i64.rem_s (i64.const -9223372036854775808) (i64.const -1)))
  (func (export "and") (result i64) (i64.and (global.get $a) (global.get $c)))
  (func (export "or") (result i64) (i64.or (global.get $b) (global.get $c)))
  (func (export "xor") (result i64) (i64.xor (global.get $a) (global.get $c)))
  (func (export "shl") (result i64) (i64.shl (global.get $a) (i64.const 67)))
  (func (export "shr_s") (result i64) (i64.shr_s (global.get $a) (i64.const 5)))
  (func (export "shr_u") (result i64) (i64.shr_u (global.get $a) (i64.const 5)))
  (func (export "rotl") (result i64) (i64.rotl (global.get $c) (i64.const 20)))
  (func (export "rotr") (result i64) (i64.rotr (global.get $c) (i64.const 70)))
  (func (export "clz") (result i64) (i64.clz (global.get $c)))
  (func (export "ctz") (result i64) (i64.ctz (global.get $c)))
  (func (export "popcnt") (result i64) (i64.popcnt (global.get $a)))
  (func (export "eqz") (result i32)
    (i32.add (i64.eqz (global.get $a)) (i32.shl (i64.eqz (i64.const 0)) (i32.const 1))))

  (func $cmp_mask (param $x i64) (param $y i64) (result i32)
    (i32.or
      (i32.or
        (i32.or
          (i32.shl (i64.eq (local.get $x) (local.get $y)) (i32.const 0))
          (i32.shl (i64.ne (local.get $x) (local.get $y)) (i32.const 1)))
        (i32.or
          (i32.shl (i64.lt_s (local.get $x) (local.get $y)) (i32.const 2))
          (i32.shl (i64.lt_u (local.get $x) (local.get $y)) (i32.const 3))))
      (i32.or
        (i32.or
          (i32.or
            (i32.shl (i64.gt_s (local.get $x) (local.get $y)) (i32.const 4))
            (i32.shl (i64.gt_u (local.get $x) (local.get $y)) (i32.const 5)))
          (i32.or
            (i32.shl (i64.le_s (local.get $x) (local.get $y)) (i32.const 6))
            (i32.shl (i64.le_u (local.get $x) (local.get $y)) (i32.const 7))))
        (i32.or
          (i32.shl (i64.ge_s (local.get $x) (local.get $y)) (i32.const 8))
          (i32.shl (i64.ge_u (local.get $x) (local.get $y)) (i32.const 9))))))

  (func (export "compare_neg_pos") (result i32) (call $cmp_mask (global.get $a) (global.get $b)))
  (func (export "compare_pos_neg") (result i32) (call $cmp_mask (global.get $b) (global.get $a)))
  (func (export "compare_equal") (result i32) (call $cmp_mask (global.get $c) (global.get $c)))

  (func (export "trap_div_s_by_zero") (result i64) (i64.div_s (global.get $a) (i64.const 0)))
  (func (export "trap_div_u_by_zero") (result i64) (i64.div_u (global.get $a) (i64.const 0)))
  (func (export "trap_rem_s_by_zero") (result i64) (i64.rem_s (global.get $a) (i64.const 0)))
  (func (export "trap_rem_u_by_zero") (result i64) (i64.rem_u (global.get $a) (i64.const 0)))
  (func (export "trap_div_s_overflow") (result i64) (i64.div_s (i64.const -9223372036854775808) (i64.const -1)))
)
