;; GC arrays: array.new, array.new_default, array.new_fixed, array.new_data,
;; array.new_elem, array.get (+ get_s/get_u), array.set, array.len, array.fill,
;; array.copy, array.init_data, array.init_elem; packed and reference element types.
(module $gc_arrays
  (type $bytes (array (mut i8)))
  (type $shorts (array (mut i16)))
  (type $longs (array (mut i64)))
  (type $floats (array f64))
  (type $i2i (func (param i32) (result i32)))
  (type $funcs (array (mut (ref null $i2i))))
  (type $grid (array (mut (ref null $longs))))

  (data $raw "\01\02\03\04\05\06\07\08\f0\f1\f2\f3")
  (elem $fns (ref null $i2i) (ref.func $inc) (ref.func $dbl) (ref.null $i2i) (ref.func $neg))

  (func $inc (type $i2i) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $i2i) (i32.mul (local.get 0) (i32.const 2)))
  (func $neg (type $i2i) (i32.sub (i32.const 0) (local.get 0)))

  (func $sum_longs (param $a (ref $longs)) (result i64)
    (local $i i32) (local $acc i64)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (array.len (local.get $a))))
        (local.set $acc (i64.add (local.get $acc) (array.get $longs (local.get $a) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc))

  (func (export "array_new_and_len") (result i64 i32)
    (local $a (ref $longs))
    (local.set $a (array.new $longs (i64.const 11) (i32.const 9)))
    (call $sum_longs (local.get $a))
    (array.len (local.get $a)))

  (func (export "array_new_default_set") (result i64)
    (local $a (ref $longs))
    (local.set $a (array.new_default $longs (i32.const 5)))
    (array.set $longs (local.get $a) (i32.const 0) (i64.const 100))
    (array.set $longs (local.get $a) (i32.const 4) (i64.const -1))
    (call $sum_longs (local.get $a)))

  (func (export "array_new_fixed") (result f64 i32)
    (local $a (ref $floats))
    (local.set $a (array.new_fixed $floats 4 (f64.const 1.5) (f64.const 2.5) (f64.const -1) (f64.const 8)))
    (f64.add (array.get $floats (local.get $a) (i32.const 1)) (array.get $floats (local.get $a) (i32.const 3)))
    (array.len (local.get $a)))

  (func (export "array_new_data_packed") (result i32 i32 i32 i32 i32)
    (local $b (ref $bytes)) (local $s (ref $shorts))
    (local.set $b (array.new_data $bytes $raw (i32.const 6) (i32.const 6)))
    (local.set $s (array.new_data $shorts $raw (i32.const 0) (i32.const 6)))
    (array.get_s $bytes (local.get $b) (i32.const 3))
    (array.get_u $bytes (local.get $b) (i32.const 3))
    (array.get_s $shorts (local.get $s) (i32.const 5))
    (array.get_u $shorts (local.get $s) (i32.const 5))
    (array.len (local.get $b)))

  (func (export "array_new_elem_call") (result i32)
    (local $f (ref $funcs))
    (local.set $f (array.new_elem $funcs $fns (i32.const 0) (i32.const 4)))
    (i32.add
      (call_ref $i2i (call_ref $i2i (i32.const 10) (array.get $funcs (local.get $f) (i32.const 0)))
                     (array.get $funcs (local.get $f) (i32.const 1)))
      (i32.add
        (i32.mul (ref.is_null (array.get $funcs (local.get $f) (i32.const 2))) (i32.const 1000))
        (call_ref $i2i (i32.const 3) (array.get $funcs (local.get $f) (i32.const 3))))))

  (func (export "array_fill_copy") (result i64)
    (local $a (ref $longs)) (local $b (ref $longs))
    (local.set $a (array.new_fixed $longs 6 (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6)))
    (local.set $b (array.new_default $longs (i32.const 6)))
    (array.fill $longs (local.get $b) (i32.const 1) (i64.const 7) (i32.const 4))   ;; 0 7 7 7 7 0
    (array.copy $longs $longs (local.get $b) (i32.const 3) (local.get $a) (i32.const 0) (i32.const 3)) ;; 0 7 7 1 2 3
    (array.copy $longs $longs (local.get $a) (i32.const 1) (local.get $a) (i32.const 0) (i32.const 5)) ;; 1 1 2 3 4 5 (overlap)
    (i64.add (i64.mul (call $sum_longs (local.get $b)) (i64.const 100)) (call $sum_longs (local.get $a))))

  (func (export "array_init_data_elem") (result i32 i32)
    (local $b (ref $bytes)) (local $f (ref $funcs))
    (local.set $b (array.new_default $bytes (i32.const 8)))
    (array.init_data $bytes $raw (local.get $b) (i32.const 2) (i32.const 8) (i32.const 4))
    (local.set $f (array.new_default $funcs (i32.const 3)))
    (array.init_elem $funcs $fns (local.get $f) (i32.const 1) (i32.const 2) (i32.const 2))
    (i32.add (array.get_u $bytes (local.get $b) (i32.const 2)) (array.get_s $bytes (local.get $b) (i32.const 5)))
    (call_ref $i2i (i32.const 21) (array.get $funcs (local.get $f) (i32.const 2))))

  (func (export "array_of_arrays") (result i64)
    (local $g (ref $grid)) (local $i i32)
    (local.set $g (array.new_default $grid (i32.const 4)))
    (loop $l
      (array.set $grid (local.get $g) (local.get $i)
        (array.new $longs (i64.extend_i32_u (local.get $i)) (i32.add (local.get $i) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 4))))
    ;; sum of i*(i+1) for i in 0..4 = 0+2+6+12
    (i64.add
      (i64.add (call $sum_longs (ref.as_non_null (array.get $grid (local.get $g) (i32.const 0))))
               (call $sum_longs (ref.as_non_null (array.get $grid (local.get $g) (i32.const 1)))))
      (i64.add (call $sum_longs (ref.as_non_null (array.get $grid (local.get $g) (i32.const 2))))
               (call $sum_longs (ref.as_non_null (array.get $grid (local.get $g) (i32.const 3)))))))

  (func (export "trap_array_get_oob") (result i64)
    (array.get $longs (array.new_default $longs (i32.const 2)) (i32.const 2)))

  (func (export "trap_array_new_data_oob") (result i32)
    (array.len (array.new_data $shorts $raw (i32.const 8) (i32.const 3))))
)
