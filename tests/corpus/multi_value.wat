;; Multi-value: functions returning several values, blocks/loops/ifs with params and
;; several results, br/br_if/br_table carrying several values, call_indirect with
;; multiple results.
(module $multi_value
  (type $divmod_t (func (param i32 i32) (result i32 i32)))
  (type $three (func (result i32 i64 f64)))
  (table 1 funcref)
  (elem (i32.const 0) $divmod)

  (func $divmod (type $divmod_t)
    (i32.div_u (local.get 0) (local.get 1))
    (i32.rem_u (local.get 0) (local.get 1)))

  (func $three (type $three) (i32.const 1) (i64.const 2) (f64.const 3.5))

  (func $fib_pair (param $n i32) (result i64 i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $a) (local.get $b))

  (func (export "divmod") (result i32 i32) (call $divmod (i32.const 100) (i32.const 7)))
  (func (export "three") (result i32 i64 f64) (call $three))
  (func (export "fib_pair_50") (result i64 i64) (call $fib_pair (i32.const 50)))

  (func (export "divmod_indirect") (result i32)
    (call_indirect (type $divmod_t) (i32.const 1000) (i32.const 33) (i32.const 0))
    (i32.add (i32.mul (i32.const 1000))))

  ;; Block taking two params and producing three results.
  (func (export "block_params_results") (result i32 i32 i32)
    (i32.const 5) (i32.const 8)
    (block (param i32 i32) (result i32 i32 i32)
      (call $dup2_plus)))

  (func $dup2_plus (param $a i32) (param $b i32) (result i32 i32 i32)
    (local.get $a) (local.get $b) (i32.add (local.get $a) (local.get $b)))

  ;; br out of a block carrying two values.
  (func (export "br_two_values") (result i64)
    (block $b (result i64 i64)
      (br $b (i64.const 40) (i64.const 2))
      (i64.const 0) (i64.const 0))
    (i64.add))

  ;; br_if with two values, taken and not taken.
  (func $pick (param $c i32) (result i32)
    (block $b (result i32 i32)
      (br_if $b (i32.const 1) (i32.const 2) (local.get $c))
      (drop) (drop)
      (i32.const 3) (i32.const 10))
    (i32.sub))

  (func (export "br_if_two_values") (result i32 i32)
    (call $pick (i32.const 1)) (call $pick (i32.const 0)))

  ;; br_table with two values.
  (func $sel (param $k i32) (result i32)
    (block $b (result i32 i32)
      (block $a (result i32 i32)
        (br_table $a $b (i32.const 10) (i32.const 20) (local.get $k)))
      (i32.mul) (i32.const 1))
    (i32.add))

  (func (export "br_table_two_values") (result i32 i32)
    (call $sel (i32.const 0)) (call $sel (i32.const 1)))

  ;; loop with two params: gcd by Euclid.
  (func $gcd (param i32 i32) (result i32)
    (local.get 0) (local.get 1)
    (loop $l (param i32 i32) (result i32)
      (local.set 1) (local.set 0)
      (if (result i32) (i32.eqz (local.get 1))
        (then (local.get 0))
        (else
          (local.get 1) (i32.rem_u (local.get 0) (local.get 1))
          (br $l)))))

  (func (export "gcd") (result i32) (call $gcd (i32.const 1071) (i32.const 462)))

  ;; if with two params and two results.
  (func (export "if_params_results") (result i32 i32)
    (i32.const 3) (i32.const 4)
    (if (param i32 i32) (result i32 i32) (i32.const 1)
      (then (call $swap))
      (else)))

  (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))

  (func (export "mixed_types") (result f32 i64 i32 f64)
    (f32.const 1.25) (i64.const -7) (i32.const 9) (f64.const -0.5))
)
