;; Memory section: several memories (32-bit with/without max, memory64 with/without
;; max), an inline-data memory, zero-page memory. Exercises each one. (Shared
;; memories are in threads.wat and section_imports.wat.)
(module $section_memories
  (memory $zero 0)
  (memory $bounded 1 3)
  (memory $unbounded 2)
  (memory $m64 i64 1)
  (memory $m64_bounded i64 1 5)
  (memory $inline (data "inline\00data"))

  (func (export "sizes") (result i32 i32 i32 i64 i64 i32)
    (memory.size $zero)
    (memory.size $bounded)
    (memory.size $unbounded)
    (memory.size $m64)
    (memory.size $m64_bounded)
    (memory.size $inline))

  (func (export "grow_zero_page_memory") (result i32 i32 i32)
    (memory.grow $zero (i32.const 1))
    (i32.store8 $zero (i32.const 65535) (i32.const 9))
    (i32.load8_u $zero (i32.const 65535))
    (memory.grow $bounded (i32.const 3)))

  (func (export "inline_data") (result i64 i32)
    (i64.load $inline (i32.const 0))
    (i32.load8_u $inline (i32.const 10)))

  (func (export "use_each") (result i32)
    (i32.store $unbounded (i32.const 70000) (i32.const 1))
    (i32.store $m64 (i64.const 8) (i32.const 2))
    (i32.store $m64_bounded (i64.const 8) (i32.const 3))
    (i32.atomic.store $bounded (i32.const 8) (i32.const 4))
    (i32.add
      (i32.add (i32.load $unbounded (i32.const 70000)) (i32.load $m64 (i64.const 8)))
      (i32.add (i32.load $m64_bounded (i64.const 8)) (i32.atomic.load $bounded (i32.const 8)))))

  (func (export "trap_load_oob_bounded") (result i32)
    (i32.load8_u $bounded (i32.const 65536)))
)
