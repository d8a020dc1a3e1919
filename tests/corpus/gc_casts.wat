;; GC casts and abstract references: ref.i31, i31.get_s/u, ref.test, ref.cast,
;; br_on_cast, br_on_cast_fail, any.convert_extern, extern.convert_any, ref.eq,
;; abstract heap types (any, eq, i31, struct, array, none, noextern, nofunc).
(module $gc_casts
  (type $base (sub (struct (field i32))))
  (type $derived (sub $base (struct (field i32) (field i64))))
  (type $leaf (sub final $derived (struct (field i32) (field i64) (field f32))))
  (type $arr (array i32))

  (func (export "i31") (result i32 i32 i32 i32)
    (i31.get_s (ref.i31 (i32.const -1)))
    (i31.get_u (ref.i31 (i32.const -1)))
    (i31.get_s (ref.i31 (i32.const 0x40000000)))
    (i31.get_u (ref.i31 (i32.const 0x12345678))))

  ;; classify an anyref using ref.test against several types
  (func $classify (param $r anyref) (result i32)
    (i32.or
      (i32.or
        (i32.or (ref.test (ref null none) (local.get $r))
                (i32.shl (ref.test (ref i31) (local.get $r)) (i32.const 1)))
        (i32.or (i32.shl (ref.test (ref struct) (local.get $r)) (i32.const 2))
                (i32.shl (ref.test (ref array) (local.get $r)) (i32.const 3))))
      (i32.or
        (i32.or (i32.shl (ref.test (ref $base) (local.get $r)) (i32.const 4))
                (i32.shl (ref.test (ref $derived) (local.get $r)) (i32.const 5)))
        (i32.or (i32.shl (ref.test (ref $leaf) (local.get $r)) (i32.const 6))
                (i32.shl (ref.test (ref eq) (local.get $r)) (i32.const 7))))))

  (func (export "ref_test") (result i32 i32 i32 i32 i32 i32)
    (call $classify (ref.null any))
    (call $classify (ref.i31 (i32.const 5)))
    (call $classify (struct.new $base (i32.const 1)))
    (call $classify (struct.new $derived (i32.const 1) (i64.const 2)))
    (call $classify (struct.new $leaf (i32.const 1) (i64.const 2) (f32.const 3)))
    (call $classify (array.new_fixed $arr 2 (i32.const 1) (i32.const 2))))

  (func (export "ref_cast") (result i32 i64 i32)
    (local $a anyref)
    (local.set $a (struct.new $leaf (i32.const 10) (i64.const 20) (f32.const 30)))
    (struct.get $base 0 (ref.cast (ref $base) (local.get $a)))
    (struct.get $derived 1 (ref.cast (ref null $derived) (local.get $a)))
    (ref.is_null (ref.cast (ref null $leaf) (ref.null none))))

  (func (export "trap_ref_cast_fail") (result i32)
    (struct.get $derived 0 (ref.cast (ref $derived) (struct.new $base (i32.const 1)))))

  ;; br_on_cast: dispatch on dynamic type
  (func $describe (param $r anyref) (result i32)
    (block $is_i31 (result (ref i31))
      (block $is_derived (result (ref $derived))
        (block $is_base (result (ref null $base))
          (br_on_cast $is_i31 anyref (ref i31) (local.get $r))
          (br_on_cast $is_derived anyref (ref $derived))
          (br_on_cast $is_base anyref (ref null $base))
          (drop)
          (return (i32.const -1)))
        ;; base or null
        (if (result i32) (ref.is_null)
          (then (i32.const -2))
          (else (struct.get $base 0 (ref.cast (ref $base) (local.get $r)))))
        (return))
      (struct.get $derived 1)
      (i32.wrap_i64)
      (return))
    (i31.get_s))

  (func (export "br_on_cast") (result i32 i32 i32 i32 i32)
    (call $describe (ref.i31 (i32.const -77)))
    (call $describe (struct.new $derived (i32.const 1) (i64.const 222)))
    (call $describe (struct.new $base (i32.const 333)))
    (call $describe (ref.null any))
    (call $describe (array.new_default $arr (i32.const 1))))

  ;; br_on_cast_fail: fast path for the expected type
  (func $sum_if_leaf (param $r (ref null $base)) (result f32)
    (block $not_leaf (result (ref null $base))
      (br_on_cast_fail $not_leaf (ref null $base) (ref $leaf) (local.get $r))
      (return (f32.add (struct.get $leaf 2) (f32.const 0.5))))
    (drop)
    (f32.const -1))

  (func (export "br_on_cast_fail") (result f32 f32 f32)
    (call $sum_if_leaf (struct.new $leaf (i32.const 0) (i64.const 0) (f32.const 4)))
    (call $sum_if_leaf (struct.new $derived (i32.const 0) (i64.const 0)))
    (call $sum_if_leaf (ref.null $base)))

  ;; conversions between the extern and any hierarchies
  (func $roundtrip (param $a anyref) (result anyref)
    (any.convert_extern (extern.convert_any (local.get $a))))

  (func (export "extern_any_conversions") (result i32 i32 i32 i32)
    (local $s (ref $base))
    (local.set $s (struct.new $base (i32.const 5)))
    (i31.get_u (ref.cast (ref i31) (call $roundtrip (ref.i31 (i32.const 123)))))
    (ref.eq (ref.cast (ref eq) (call $roundtrip (local.get $s))) (local.get $s))
    (ref.is_null (extern.convert_any (ref.null none)))
    (ref.is_null (any.convert_extern (ref.null noextern))))

  (func (export "ref_eq") (result i32 i32 i32 i32 i32)
    (local $a (ref $base)) (local $b (ref $base))
    (local.set $a (struct.new $base (i32.const 1)))
    (local.set $b (struct.new $base (i32.const 1)))
    (ref.eq (local.get $a) (local.get $a))
    (ref.eq (local.get $a) (local.get $b))
    (ref.eq (ref.i31 (i32.const 9)) (ref.i31 (i32.const 9)))
    (ref.eq (ref.null eq) (ref.null none))
    (ref.eq (local.get $a) (ref.null eq)))

  (func (export "bottom_types") (result i32 i32 i32)
    (ref.is_null (ref.null none))
    (ref.is_null (ref.null noextern))
    (ref.is_null (ref.null nofunc)))
)
