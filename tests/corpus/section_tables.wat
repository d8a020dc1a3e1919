;; Table section: funcref/externref/anyref/exnref and typed tables, with and without
;; maximum, with initialiser expressions (ref.func, ref.null, ref.i31, struct.new,
;; non-nullable element types, inline element lists, and table64.
(module $section_tables
  (type $v2i (func (result i32)))
  (type $box (struct (field i32)))
  (func $f (type $v2i) (i32.const 11))
  (func $g (type $v2i) (i32.const 22))

  (table $plain 2 funcref)
  (table $bounded 1 4 externref)
  (table $init_func 10 (ref null func) (ref.func $f))
  (table $init_typed 3 8 (ref $v2i) (ref.func $g))
  (table $init_typed_nullable 2 (ref null $v2i) (ref.func $f))
  (table $init_null 2 (ref null $v2i) (ref.null $v2i))
  (table $any 4 anyref (ref.i31 (i32.const 5)))
  (table $structs 2 (ref null $box) (struct.new $box (i32.const 77)))
  (table $exns 1 exnref)
  (table $inline_elems funcref (elem $g $f $g))
  (table $t64 i64 3 (ref null func) (ref.func $g))

  (func (export "initialisers") (result i32 i32 i32 i32 i32 i32 i32)
    (call_ref $v2i (ref.cast (ref $v2i) (table.get $init_func (i32.const 9))))
    (call_ref $v2i (table.get $init_typed (i32.const 2)))
    (call_indirect $init_typed_nullable (type $v2i) (i32.const 1))
    (ref.is_null (table.get $init_null (i32.const 0)))
    (i31.get_u (ref.cast (ref i31) (table.get $any (i32.const 3))))
    (struct.get $box 0 (table.get $structs (i32.const 1)))
    (call_indirect $inline_elems (type $v2i) (i32.const 1)))

  (func (export "sizes") (result i32 i32 i32 i32 i64)
    (table.size $plain)
    (table.size $bounded)
    (table.size $inline_elems)
    (table.size $exns)
    (table.size $t64))

  (func (export "grow_typed_with_init") (result i32 i32)
    (table.grow $init_typed (ref.func $f) (i32.const 2))
    (call_ref $v2i (table.get $init_typed (i32.const 4))))
)
