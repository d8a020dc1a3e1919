;; GC structs: struct.new, struct.new_default, struct.get (+ packed get_s/get_u),
;; struct.set, mutable/immutable and packed fields, subtyping, recursive types
;; (a linked list), nullable struct references.
(module $gc_structs
  (type $point (struct (field $x (mut i32)) (field $y (mut i32))))
  (type $packed (struct (field $b (mut i8)) (field $h (mut i16)) (field $w i64) (field $f f32) (field $d (mut f64))))
  (rec
    (type $node (struct (field $val i64) (field $next (ref null $node)))))
  (type $shape (sub (struct (field $id i32))))
  (type $circle (sub final $shape (struct (field $id i32) (field $r f64))))
  (type $holder (struct (field $p (mut (ref null $point))) (field $any (mut anyref))))

  (func (export "struct_new_get_set") (result i32)
    (local $p (ref $point))
    (local.set $p (struct.new $point (i32.const 3) (i32.const 4)))
    (struct.set $point $x (local.get $p) (i32.mul (struct.get $point $x (local.get $p)) (i32.const 10)))
    (i32.add (struct.get $point $x (local.get $p)) (struct.get $point 1 (local.get $p))))

  (func (export "struct_new_default") (result i32 i32 i64 f32 f64)
    (local $s (ref $packed))
    (local.set $s (struct.new_default $packed))
    (struct.get_u $packed $b (local.get $s))
    (struct.get_s $packed $h (local.get $s))
    (struct.get $packed $w (local.get $s))
    (struct.get $packed $f (local.get $s))
    (struct.get $packed $d (local.get $s)))

  (func (export "packed_fields") (result i32 i32 i32 i32 i64 f64)
    (local $s (ref $packed))
    (local.set $s (struct.new $packed (i32.const 0x1f0) (i32.const 0x18000) (i64.const -9) (f32.const 1.5) (f64.const 2.5)))
    (struct.set $packed $d (local.get $s) (f64.const -0.125))
    (struct.get_s $packed $b (local.get $s))
    (struct.get_u $packed $b (local.get $s))
    (struct.get_s $packed $h (local.get $s))
    (struct.get_u $packed $h (local.get $s))
    (struct.get $packed $w (local.get $s))
    (struct.get $packed $d (local.get $s)))

  (func $push (param $v i64) (param $list (ref null $node)) (result (ref $node))
    (struct.new $node (local.get $v) (local.get $list)))

  (func (export "linked_list_sum") (result i64)
    (local $l (ref null $node)) (local $i i64) (local $acc i64)
    (loop $build
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (local.set $l (call $push (i64.mul (local.get $i) (local.get $i)) (local.get $l)))
      (br_if $build (i64.lt_u (local.get $i) (i64.const 20))))
    (block $end
      (loop $walk
        (br_if $end (ref.is_null (local.get $l)))
        (local.set $acc (i64.add (local.get $acc) (struct.get $node $val (local.get $l))))
        (local.set $l (struct.get $node $next (local.get $l)))
        (br $walk)))
    (local.get $acc))

  (func $shape_id (param $s (ref $shape)) (result i32) (struct.get $shape $id (local.get $s)))

  (func (export "subtype_upcast") (result i32 f64)
    (local $c (ref $circle))
    (local.set $c (struct.new $circle (i32.const 7) (f64.const 2.0)))
    (call $shape_id (local.get $c))
    (struct.get $circle $r (local.get $c)))

  (func (export "struct_ref_fields") (result i32)
    (local $h (ref $holder))
    (local.set $h (struct.new_default $holder))
    (struct.set $holder $p (local.get $h) (struct.new $point (i32.const 5) (i32.const 6)))
    (struct.set $holder $any (local.get $h) (ref.i31 (i32.const 9)))
    (i32.add
      (struct.get $point $y (struct.get $holder $p (local.get $h)))
      (i31.get_u (ref.cast (ref i31) (struct.get $holder $any (local.get $h))))))

  (func (export "trap_struct_get_null") (result i32)
    (struct.get $point $x (ref.null $point)))
)
