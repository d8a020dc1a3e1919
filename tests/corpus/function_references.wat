;; Typed function references: call_ref, ref.as_non_null, br_on_null, br_on_non_null,
;; non-nullable typed locals, (ref $t) params/results/globals/tables.
(module $function_references
  (type $i2i (func (param i32) (result i32)))
  (type $mk (func (result (ref $i2i))))

  (func $inc (type $i2i) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $i2i) (i32.mul (local.get 0) (i32.const 2)))
  (func $sq (type $i2i) (i32.mul (local.get 0) (local.get 0)))
  (elem declare func $inc $dbl $sq)

  (global $gf (ref $i2i) (ref.func $sq))
  (global $gnull (mut (ref null $i2i)) (ref.null $i2i))
  (table $ft 3 (ref null $i2i))
  (table $nonnull 2 (ref $i2i) (ref.func $inc))

  (func $pick (param $k i32) (result (ref $i2i))
    (if (result (ref $i2i)) (local.get $k)
      (then (ref.func $dbl))
      (else (ref.func $inc))))

  (func $compose (param $f (ref $i2i)) (param $g (ref $i2i)) (param $x i32) (result i32)
    (call_ref $i2i (call_ref $i2i (local.get $x) (local.get $f)) (local.get $g)))

  (func (export "call_ref") (result i32)
    ;; dbl(inc(5)) = 12, then sq = 144
    (call_ref $i2i (call $compose (call $pick (i32.const 0)) (call $pick (i32.const 1)) (i32.const 5))
      (global.get $gf)))

  (func (export "typed_locals") (result i32)
    (local $f (ref $i2i))          ;; non-nullable: must be set before use
    (local $g (ref null $i2i))
    (local.set $f (ref.func $inc))
    (local.set $g (ref.func $dbl))
    (i32.add
      (call_ref $i2i (i32.const 10) (local.get $f))
      (call_ref $i2i (i32.const 10) (ref.as_non_null (local.get $g)))))

  (func $apply_or_default (param $f (ref null $i2i)) (param $x i32) (result i32)
    (block $is_null
      (return (call_ref $i2i (local.get $x) (br_on_null $is_null (local.get $f)))))
    (i32.const -1))

  (func $apply_non_null (param $f (ref null $i2i)) (param $x i32) (result i32)
    (block $has (result (ref $i2i))
      (br_on_non_null $has (local.get $f))
      (return (i32.const -2)))
    (local.set $f)
    (call_ref $i2i (local.get $x) (local.get $f)))

  (func (export "br_on_null") (result i32 i32)
    (call $apply_or_default (ref.func $sq) (i32.const 7))
    (call $apply_or_default (global.get $gnull) (i32.const 7)))

  (func (export "br_on_non_null") (result i32 i32)
    (call $apply_non_null (ref.func $dbl) (i32.const 7))
    (call $apply_non_null (ref.null $i2i) (i32.const 7)))

  (func (export "typed_tables") (result i32)
    (table.set $ft (i32.const 1) (ref.func $dbl))
    (i32.add
      (call_ref $i2i (i32.const 20) (table.get $nonnull (i32.const 1)))
      (i32.add
        (call_indirect $ft (type $i2i) (i32.const 20) (i32.const 1))
        (ref.is_null (table.get $ft (i32.const 0))))))

  (func $make (type $mk) (ref.func $sq))
  (func (export "return_typed_ref") (result i32)
    (call_ref $i2i (i32.const 9) (call_ref $mk (ref.func $make))))
  (elem declare func $make)

  (func (export "trap_as_non_null_of_null") (result i32)
    (call_ref $i2i (i32.const 1) (ref.as_non_null (global.get $gnull))))

  (func (export "trap_call_ref_null") (result i32)
    (call_ref $i2i (i32.const 1) (global.get $gnull)))
)
