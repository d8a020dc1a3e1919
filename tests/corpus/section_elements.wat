;; Element section in every mode and encoding: active on table 0 with implicit table
;; (function-index and expression forms), active with explicit table (both forms),
;; passive (both forms), declarative (both forms), typed-reference and externref
;; element types, extended-const offsets, and the `(item ...)` / `(offset ...)` syntax.
(module $section_elements
  (type $v2i (func (result i32)))
  (type $box (struct (field i32)))
  (table $t0 8 funcref)
  (table $t1 8 funcref)
  (table $typed 4 (ref null $v2i))
  (table $ext 2 externref)
  (table $anys 2 anyref)
  (global $base i32 (i32.const 2))

  (func $f1 (type $v2i) (i32.const 1))
  (func $f2 (type $v2i) (i32.const 2))
  (func $f3 (type $v2i) (i32.const 3))
  (func $f4 (type $v2i) (i32.const 4))
  (func $f5 (type $v2i) (i32.const 5))
  (func $f6 (type $v2i) (i32.const 6))

  ;; flags 0: active, table 0 implicit, function indices
  (elem $active_implicit (i32.const 0) $f1 $f2)
  ;; flags 2: active, explicit table, elemkind + function indices
  (elem $active_explicit (table $t1) (offset (i32.const 1)) func $f3 $f4)
  ;; flags 4: active, table 0 implicit, expressions
  (elem $active_implicit_expr (i32.add (global.get $base) (i32.const 1)) funcref (ref.func $f5) (ref.null func))
  ;; flags 6: active, explicit table, expressions (typed)
  (elem $active_explicit_typed (table $typed) (i32.const 0) (ref null $v2i) (item ref.func $f6) (item (ref.func $f1)))
  (elem $active_extern (table $ext) (i32.const 0) externref (ref.null extern))
  (elem $active_any (table $anys) (i32.const 0) anyref (item (ref.i31 (i32.const 42))) (item (struct.new $box (i32.const 9))))
  ;; flags 1: passive, function indices
  (elem $passive_funcs func $f6 $f5 $f4)
  ;; flags 5: passive, expressions
  (elem $passive_exprs funcref (ref.func $f3) (ref.null func) (ref.func $f2))
  (elem $passive_typed (ref $v2i) (ref.func $f1))
  ;; flags 3: declarative, function indices
  (elem $declared declare func $f2 $f3)
  ;; flags 7: declarative, expressions
  (elem $declared_exprs declare funcref (ref.func $f4))
  ;; empty active segment
  (elem $empty (table $t1) (i32.const 8) func)

  (func $slot (param $t i32) (param $i i32) (result i32)
    (local $r funcref)
    (local.set $r
      (if (result funcref) (local.get $t)
        (then (table.get $t1 (local.get $i)))
        (else (table.get $t0 (local.get $i)))))
    (if (result i32) (ref.is_null (local.get $r))
      (then (i32.const 0))
      (else (call_ref $v2i (ref.cast (ref $v2i) (local.get $r))))))

  (func $digits (param $t i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 10)) (call $slot (local.get $t) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 8))))
    (local.get $acc))

  (func (export "active_segments") (result i32 i32 i32 i32 i32 i32)
    (call $digits (i32.const 0))                                   ;; 12050000
    (call $digits (i32.const 1))                                   ;; 03400000
    (call_ref $v2i (ref.as_non_null (table.get $typed (i32.const 0))))
    (ref.is_null (table.get $ext (i32.const 0)))
    (i31.get_u (ref.cast (ref i31) (table.get $anys (i32.const 0))))
    (struct.get $box 0 (ref.cast (ref $box) (table.get $anys (i32.const 1)))))

  (func (export "passive_segments") (result i32 i32)
    (table.init $t1 $passive_funcs (i32.const 5) (i32.const 0) (i32.const 3))
    (table.init $t0 $passive_exprs (i32.const 5) (i32.const 0) (i32.const 3))
    (table.init $typed $passive_typed (i32.const 3) (i32.const 0) (i32.const 1))
    (call $digits (i32.const 0))
    (i32.add (call $digits (i32.const 1)) (call_ref $v2i (ref.as_non_null (table.get $typed (i32.const 3))))))

  (func (export "declared_refs") (result i32)
    (i32.add (call_ref $v2i (ref.func $f2))
      (i32.add (call_ref $v2i (ref.func $f3)) (call_ref $v2i (ref.func $f4)))))

  (func (export "trap_init_dropped_active_segment")
    ;; active segments are dropped after instantiation
    (table.init $t0 $active_implicit (i32.const 0) (i32.const 0) (i32.const 1)))
)
