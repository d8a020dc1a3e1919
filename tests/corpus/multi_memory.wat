;; Multiple memories: loads/stores on named and numbered memories, memory.size/grow
;; per memory, memory.copy between memories, memory.fill/init on a non-zero memory,
;; active data on memory 0 and on another memory.
(module $multi_memory
  (memory $a 1)
  (memory $b 2 3)
  (memory $c i64 1)
  (data (memory $a) (i32.const 0) "AAAA")
  (data (memory $b) (i32.const 8) "\01\02\03\04\05\06\07\08")
  (data (memory 2) (i64.const 16) "cccc")
  (data $pass "passive-data")

  (func (export "loads_per_memory") (result i32 i64 i32)
    (i32.load $a (i32.const 0))
    (i64.load $b (i32.const 8))
    (i32.load 2 (i64.const 16)))

  (func (export "stores_per_memory") (result i32 i32 i32)
    (i32.store $a (i32.const 100) (i32.const 1))
    (i32.store $b (i32.const 100) (i32.const 2))
    (i32.store $c (i64.const 100) (i32.const 3))
    (i32.load $a (i32.const 100))
    (i32.load $b (i32.const 100))
    (i32.load $c (i64.const 100)))

  (func (export "size_grow_per_memory") (result i32 i32 i64 i32 i32)
    (memory.size $a)
    (memory.size $b)
    (memory.size $c)
    (memory.grow $b (i32.const 1))
    (memory.grow $b (i32.const 1)))

  (func (export "copy_between_memories") (result i64 i32)
    (memory.copy $a $b (i32.const 200) (i32.const 8) (i32.const 8))
    (memory.copy $c $a (i64.const 300) (i32.const 0) (i32.const 4))
    (i64.load $a (i32.const 200))
    (i32.load $c (i64.const 300)))

  (func (export "fill_init_other_memory") (result i64 i32)
    (memory.fill $b (i32.const 500) (i32.const 0x2d) (i32.const 8))
    (memory.init $b $pass (i32.const 502) (i32.const 0) (i32.const 4))
    (i64.load $b (i32.const 500))
    (i32.load8_u $a (i32.const 502)))

  (func (export "trap_oob_on_second_memory") (result i32)
    (i32.load $b (i32.const 0x2fffe)))
)
