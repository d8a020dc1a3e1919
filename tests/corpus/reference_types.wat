;; Reference types: ref.null, ref.is_null, ref.func, table.get/set/size/grow/fill,
;; typed select, several tables (funcref and externref), call_indirect on a
;; non-zero table, declarative element segment for ref.func.
(module $reference_types
  (type $v2i (func (result i32)))
  (table $funcs 2 10 funcref)
  (table $externs 3 externref)
  (table $more 1 funcref)
  (elem declare func $ten $twenty)
  (elem (table $more) (i32.const 0) func $ten)

  (func $ten (type $v2i) (i32.const 10))
  (func $twenty (type $v2i) (i32.const 20))

  (func (export "null_checks") (result i32)
    (i32.add
      (i32.add (ref.is_null (ref.null func)) (i32.shl (ref.is_null (ref.null extern)) (i32.const 1)))
      (i32.shl (ref.is_null (ref.func $ten)) (i32.const 2))))

  (func (export "table_set_get_call") (result i32)
    (table.set $funcs (i32.const 0) (ref.func $twenty))
    (table.set $funcs (i32.const 1) (table.get $more (i32.const 0)))
    (i32.add
      (call_indirect $funcs (type $v2i) (i32.const 0))
      (i32.mul (call_indirect $funcs (type $v2i) (i32.const 1)) (i32.const 100))))

  (func (export "call_indirect_other_table") (result i32)
    (call_indirect $more (type $v2i) (i32.const 0)))

  (func (export "table_size_grow") (result i32)
    (local $s0 i32) (local $g1 i32) (local $g2 i32)
    (local.set $s0 (table.size $funcs))
    (local.set $g1 (table.grow $funcs (ref.func $ten) (i32.const 3)))
    (local.set $g2 (table.grow $funcs (ref.null func) (i32.const 100))) ;; exceeds max -> -1
    (i32.add
      (i32.add (i32.mul (local.get $s0) (i32.const 1000)) (i32.mul (local.get $g1) (i32.const 100)))
      (i32.add (i32.mul (table.size $funcs) (i32.const 10)) (local.get $g2))))

  (func (export "table_fill") (result i32)
    (table.fill $funcs (i32.const 0) (ref.func $twenty) (i32.const 2))
    (table.fill $externs (i32.const 0) (ref.null extern) (i32.const 3))
    (i32.add
      (call_indirect $funcs (type $v2i) (i32.const 1))
      (i32.add (ref.is_null (table.get $externs (i32.const 2))) (table.size $externs))))

  (func (export "typed_select") (result i32)
    (local $f funcref)
    (local.set $f (select (result funcref) (ref.func $ten) (ref.null func) (i32.const 0)))
    (i32.add
      (ref.is_null (local.get $f))
      (i32.shl
        (ref.is_null (select (result externref) (ref.null extern) (table.get $externs (i32.const 0)) (i32.const 1)))
        (i32.const 1))))

  (func (export "typed_select_numeric") (result i64)
    (select (result i64) (i64.const 1) (i64.const 2) (i32.const 0)))

  (func (export "funcref_local_roundtrip") (result i32)
    (local $f funcref)
    (local.set $f (ref.func $twenty))
    (table.set $more (i32.const 0) (local.get $f))
    (call_indirect $more (type $v2i) (i32.const 0)))

  (func (export "trap_table_get_oob") (result i32)
    (ref.is_null (table.get $externs (i32.const 3))))
)
