;; Type section: func, struct, array and cont types; rec groups (incl. mutually
;; recursive types); open (sub ...) and (sub final ...) declarations with supertypes;
;; packed and abstract-reference field types; rec-group canonicalisation.
(module $section_types
  (type $f0 (func))
  (type $f1 (func (param i32 i64) (result f32 f64)))
  (type $f_refs (func (param anyref (ref null $f0)) (result (ref func))))
  (type $s_empty (struct))
  (type $s (struct (field i32) (field (mut i64)) (field $named f32) (field i8 i16) (field (mut v128))))
  (type $a8 (array (mut i8)))
  (type $a_ref (array (ref null $s)))
  (type $a_const_f64 (array f64))

  ;; mutually recursive struct and array
  (rec
    (type $tree (struct (field $label i32) (field $kids (ref null $forest))))
    (type $forest (array (mut (ref null $tree)))))
  ;; mutually recursive function types
  (rec
    (type $r1 (func (param (ref null $r2)) (result i32)))
    (type $r2 (func (result (ref null $r1)))))

  ;; subtyping chains
  (type $open (sub (struct (field i32))))
  (type $mid (sub $open (struct (field i32) (field i64))))
  (type $closed (sub final $mid (struct (field i32) (field i64) (field f32))))
  (type $implicitly_final (struct (field i32)))
  (type $explicit_final_no_super (sub final (struct)))
  (type $sub_func (sub (func (param (ref $mid)) (result anyref))))
  (type $sub_func2 (sub final $sub_func (func (param (ref $open)) (result (ref $closed)))))
  (type $open_array (sub (array (ref null $open))))
  (type $sub_array (sub $open_array (array (ref null $closed))))
  (rec
    (type $rec_sub_a (sub (struct (field (ref null $rec_sub_b)))))
    (type $rec_sub_b (sub $rec_sub_a (struct (field (ref null $rec_sub_b)) (field i32)))))

  ;; continuation types
  (type $ct0 (cont $f0))
  (type $ct1 (cont $f1))
  (type $ft_ct (func (param (ref null $ct0)) (result (ref null $ct1))))
  (type $ct_of_ct (cont $ft_ct))

  ;; abstract heap types in fields
  (type $abstract (struct
    (field anyref) (field eqref) (field i31ref) (field structref) (field arrayref)
    (field funcref) (field externref) (field nullref) (field nullfuncref) (field nullexternref)
    (field (ref null any)) (field (ref null eq))))

  ;; two structurally identical singleton rec groups are the same type
  (rec (type $x1 (struct (field i32))))
  (rec (type $x2 (struct (field i32))))
  ;; ... but the same definitions in differently shaped rec groups are not
  (rec (type $y1 (struct (field i32))) (type $y_pad (struct)))

  (func $uses_f1 (type $f1) (f32.const 1.5) (f64.convert_i64_s (local.get 1)))

  (func (export "canonical_equivalence") (result i32 i32)
    (ref.test (ref $x2) (struct.new $x1 (i32.const 1)))
    (ref.test (ref $x1) (struct.new $y1 (i32.const 1))))

  (func (export "subtype_tests") (result i32)
    (local $c anyref)
    (local.set $c (struct.new $closed (i32.const 1) (i64.const 2) (f32.const 3)))
    (i32.or
      (i32.or (ref.test (ref $open) (local.get $c))
              (i32.shl (ref.test (ref $mid) (local.get $c)) (i32.const 1)))
      (i32.or (i32.shl (ref.test (ref $closed) (local.get $c)) (i32.const 2))
              (i32.shl (ref.test (ref $implicitly_final) (local.get $c)) (i32.const 3)))))

  (func (export "recursive_tree") (result i32)
    (local $f (ref $forest)) (local $t (ref $tree))
    (local.set $f (array.new_default $forest (i32.const 2)))
    (array.set $forest (local.get $f) (i32.const 0) (struct.new $tree (i32.const 3) (ref.null $forest)))
    (array.set $forest (local.get $f) (i32.const 1) (struct.new $tree (i32.const 4) (ref.null $forest)))
    (local.set $t (struct.new $tree (i32.const 10) (local.get $f)))
    (i32.add (struct.get $tree $label (local.get $t))
      (i32.add
        (struct.get $tree $label (array.get $forest (struct.get $tree $kids (local.get $t)) (i32.const 0)))
        (struct.get $tree $label (array.get $forest (struct.get $tree $kids (local.get $t)) (i32.const 1))))))

  (func (export "call_typed") (result f32 f64)
    (call $uses_f1 (i32.const 0) (i64.const -3)))
)
