;; MVP memory: loads and stores of every width and signedness, offsets and alignment
;; immediates, memory.size and memory.grow, an active data segment.
(module $mvp_memory
  (memory $mem 1 4)
  (data $init (i32.const 16) "\01\80\ff\7f\fe\ff\ff\ff\00\00\00\80\ff\ff\ff\ff")

  (func (export "i32_load") (result i32) (i32.load (i32.const 16)))
  (func (export "i32_load_offset_align") (result i32) (i32.load offset=4 align=2 (i32.const 16)))
  (func (export "i64_load") (result i64) (i64.load (i32.const 16)))
  (func (export "i64_load_offset") (result i64) (i64.load offset=8 align=4 (i32.const 16)))
  (func (export "i32_load8_s") (result i32) (i32.load8_s (i32.const 17)))
  (func (export "i32_load8_u") (result i32) (i32.load8_u offset=1 (i32.const 16)))
  (func (export "i32_load16_s") (result i32) (i32.load16_s (i32.const 17)))
  (func (export "i32_load16_u") (result i32) (i32.load16_u align=1 (i32.const 17)))
  (func (export "i64_load8_s") (result i64) (i64.load8_s (i32.const 18)))
  (func (export "i64_load8_u") (result i64) (i64.load8_u (i32.const 18)))
  (func (export "i64_load16_s") (result i64) (i64.load16_s (i32.const 20)))
  (func (export "i64_load16_u") (result i64) (i64.load16_u (i32.const 20)))
  (func (export "i64_load32_s") (result i64) (i64.load32_s (i32.const 20)))
  (func (export "i64_load32_u") (result i64) (i64.load32_u (i32.const 20)))

  (func (export "f32_store_load") (result f32)
    (f32.store offset=100 (i32.const 0) (f32.const -3.5))
    (f32.load (i32.const 100)))
  (func (export "f64_store_load") (result f64)
    (f64.store align=4 (i32.const 200) (f64.const 6.02214076e23))
    (f64.load (i32.const 200)))

  ;; Narrow stores followed by a full-width load that observes them.
  (func (export "narrow_stores_i32") (result i32)
    (i32.store (i32.const 300) (i32.const 0))
    (i32.store8 (i32.const 300) (i32.const 0x1234_56ab))
    (i32.store16 offset=2 (i32.const 300) (i32.const 0xcdef))
    (i32.load (i32.const 300)))
  (func (export "narrow_stores_i64") (result i64)
    (i64.store (i32.const 400) (i64.const -1))
    (i64.store8 (i32.const 400) (i64.const 0x11))
    (i64.store16 (i32.const 401) (i64.const 0x2233))
    (i64.store32 offset=4 (i32.const 400) (i64.const 0x44556677))
    (i64.load (i32.const 400)))
  (func (export "i32_store_i64_load") (result i64)
    (i32.store (i32.const 500) (i32.const 0xdeadbeef))
    (i32.store offset=4 (i32.const 500) (i32.const 0x01020304))
    (i64.load (i32.const 500)))

  (func (export "size_and_grow") (result i32)
    (local $before i32) (local $old i32) (local $fail i32)
    (local.set $before (memory.size))
    (local.set $old (memory.grow (i32.const 2)))
    (local.set $fail (memory.grow (i32.const 10)))   ;; exceeds max: -1
    (i32.add
      (i32.add (i32.mul (local.get $before) (i32.const 1000))
               (i32.mul (local.get $old) (i32.const 100)))
      (i32.add (i32.mul (memory.size) (i32.const 10)) (local.get $fail))))

  (func (export "last_byte") (result i32)
    (i32.store8 (i32.const 65535) (i32.const 200))
    (i32.load8_u (i32.const 65535)))

  (func (export "trap_load_oob") (result i32) (i32.load (i32.const 0x3fffe)))  ;; max is 4 pages
  (func (export "trap_store_oob") (i64.store offset=0x3fffa (i32.const 0) (i64.const 1)))
)
