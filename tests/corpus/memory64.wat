;; memory64 and table64: i64-addressed memory with loads/stores, memory.size/grow
;; (i64), memory.fill/copy/init with i64 operands, data at an i64 offset, and an
;; i64-indexed table with call_indirect, table.get/set/size/grow/fill.
(module $memory64
  (memory $m i64 1 4)
  (data $d (i64.const 0x100) "memory64!")
  (data $p "passive")
  (type $v2i (func (result i32)))
  (table $t i64 2 8 funcref)
  (elem (table $t) (i64.const 0) func $seven $nine)
  (func $seven (type $v2i) (i32.const 7))
  (func $nine (type $v2i) (i32.const 9))

  (func (export "load_store") (result i64 i32 i32)
    (i64.store offset=0x10 (i64.const 0x1000) (i64.const 0x1122334455667788))
    (i32.store16 (i64.const 0x2000) (i32.const 0xfffe))
    (i64.load (i64.const 0x1010))
    (i32.load16_s (i64.const 0x2000))
    (i32.load8_u (i64.const 0x100)))

  (func (export "size_grow") (result i64 i64 i64 i64)
    (memory.size)
    (memory.grow (i64.const 1))
    (memory.grow (i64.const 100))
    (memory.size))

  (func (export "bulk") (result i64)
    (memory.fill (i64.const 0x3000) (i32.const 0x61) (i64.const 8))
    (memory.copy (i64.const 0x3002) (i64.const 0x100) (i64.const 4))
    (memory.init $p (i64.const 0x3004) (i32.const 1) (i32.const 3))
    (i64.load (i64.const 0x3000)))

  (func (export "table64") (result i32 i64 i64 i32)
    (table.set $t (i64.const 0) (table.get $t (i64.const 1)))
    (call_indirect $t (type $v2i) (i64.const 0))
    (table.grow $t (ref.func $seven) (i64.const 2))
    (table.size $t)
    (table.fill $t (i64.const 2) (ref.null func) (i64.const 2))
    (ref.is_null (table.get $t (i64.const 3))))

  (func (export "trap_load_oob") (result i64)
    (i64.load (i64.const 0x1_0000_0000)))
)
