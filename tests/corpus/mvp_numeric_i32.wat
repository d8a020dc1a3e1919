;; MVP i32 numeric operators: every unary, binary, test and comparison operator.
;; Operands come through mutable globals so the operations are not folded away.
(module $mvp_numeric_i32
  (global $a (mut i32) (i32.const -1234567))
  (global $b (mut i32) (i32.const 89))
  (global $c (mut i32) (i32.const 0x0ff00f00))

  (func (export "const") (result i32) (i32.const 0x7fffffff))
  (func (export "const_min") (result i32) (i32.const -2147483648))
  (func (export "add") (result i32) (i32.add (global.get $a) (global.get $b)))
  (func (export "add_wrap") (result i32) (i32.add (i32.const 0x7fffffff) (global.get $b)))
  (func (export "sub") (result i32) (i32.sub (global.get $a) (global.get $b)))
  (func (export "mul") (result i32) (i32.mul (global.get $a) (global.get $b)))
  (func (export "div_s") (result i32) (i32.div_s (global.get $a) (global.get $b)))
  (func (export "div_u") (result i32) (i32.div_u (global.get $a) (global.get $b)))
  (func (export "rem_s") (result i32) (i32.rem_s (global.get $a) (global.get $b)))
  (func (export "rem_u") (result i32) (i32.rem_u (global.get $a) (global.get $b)))
  (func (export "rem_s_min_neg1") (result i32) (i32.rem_s (i32.const -2147483648) (i32.const -1)))
  (func (export "and") (result i32) (i32.and (global.get $a) (global.get $c)))
  (func (export "or") (result i32) (i32.or (global.get $b) (global.get $c)))
  (func (export "xor") (result i32) (i32.xor (global.get $a) (global.get $c)))
  (func (export "shl") (result i32) (i32.shl (global.get $a) (i32.const 35)))
  (func (export "shr_s") (result i32) (i32.shr_s (global.get $a) (i32.const 3)))
  (func (export "shr_u") (result i32) (i32.shr_u (global.get $a) (i32.const 3)))
  (func (export "rotl") (result i32) (i32.rotl (global.get $c) (i32.const 12)))
  (func (export "rotr") (result i32) (i32.rotr (global.get $c) (i32.const 36)))
  (func (export "clz") (result i32) (i32.clz (global.get $c)))
  (func (export "ctz") (result i32) (i32.ctz (global.get $c)))
  (func (export "popcnt") (result i32) (i32.popcnt (global.get $a)))
  (func (export "eqz") (result i32)
    (i32.add (i32.eqz (global.get $a)) (i32.shl (i32.eqz (i32.const 0)) (i32.const 1))))

  ;; All comparisons packed into one bit mask, evaluated on (a, b) where a < 0 < b.
  (func $cmp_mask (param $x i32) (param $y i32) (result i32)
    (i32.or
      (i32.or
        (i32.or
          (i32.shl (i32.eq (local.get $x) (local.get $y)) (i32.const 0))
          (i32.shl (i32.ne (local.get $x) (local.get $y)) (i32.const 1)))
        (i32.or
          (i32.shl (i32.lt_s (local.get $x) (local.get $y)) (i32.const 2))
          (i32.shl (i32.lt_u (local.get $x) (local.get $y)) (i32.const 3))))
      (i32.or
        (i32.or
          (i32.or
            (i32.shl (i32.gt_s (local.get $x) (local.get $y)) (i32.const 4))
            (i32.shl (i32.gt_u (local.get $x) (local.get $y)) (i32.const 5)))
          (i32.or
            (i32.shl (i32.le_s (local.get $x) (local.get $y)) (i32.const 6))
            (i32.shl (i32.le_u (local.get $x) (local.get $y)) (i32.const 7))))
        (i32.or
          (i32.shl (i32.ge_s (local.get $x) (local.get $y)) (i32.const 8))
          (i32.shl (i32.ge_u (local.get $x) (local.get $y)) (i32.const 9))))))

  (func (export "compare_neg_pos") (result i32) (call $cmp_mask (global.get $a) (global.get $b)))
  (func (export "compare_pos_neg") (result i32) (call $cmp_mask (global.get $b) (global.get $a)))
  (func (export "compare_equal") (result i32) (call $cmp_mask (global.get $c) (global.get $c)))

  (func (export "trap_div_s_by_zero") (result i32) (i32.div_s (global.get $a) (i32.const 0)))
  (func (export "trap_div_u_by_zero") (result i32) (i32.div_u (global.get $a) (i32.const 0)))
  (func (export "trap_rem_s_by_zero") (result i32) (i32.rem_s (global.get $a) (i32.const 0)))
  (func (export "trap_rem_u_by_zero") (result i32) (i32.rem_u (global.get $a) (i32.const 0)))
  (func (export "trap_div_s_overflow") (result i32) (i32.div_s (i32.const -2147483648) (i32.const -1)))
)
