;; Threads: shared memory, atomic loads and stores of every width, every atomic RMW
;; operator and width, cmpxchg, memory.atomic.notify, memory.atomic.wait32/wait64 with
;; a zero timeout (on shared memory; on unshared memory wait traps), atomic.fence.
(module $threads
  (memory $shared 1 1 shared)
  (memory $plain 1)

  (func (export "atomic_load_store") (result i32 i64 i32 i32 i64 i64 i64)
    (i32.atomic.store (i32.const 0) (i32.const 0x8182_8384))
    (i64.atomic.store (i32.const 8) (i64.const 0x0102_0304_0506_0708))
    (i32.atomic.store8 (i32.const 16) (i32.const 0x1ff))
    (i32.atomic.store16 (i32.const 18) (i32.const 0x1_fffe))
    (i64.atomic.store8 (i32.const 24) (i64.const 0xab))
    (i64.atomic.store16 (i32.const 26) (i64.const 0xcdef))
    (i64.atomic.store32 offset=4 (i32.const 24) (i64.const 0x1234_5678))
    (i32.atomic.load (i32.const 0))
    (i64.atomic.load (i32.const 8))
    (i32.atomic.load8_u (i32.const 16))
    (i32.atomic.load16_u (i32.const 18))
    (i64.atomic.load8_u (i32.const 3))
    (i64.atomic.load16_u (i32.const 26))
    (i64.atomic.load32_u offset=24 (i32.const 0)))

  (func (export "atomic_rmw_i32") (result i32 i32 i32 i32 i32 i32 i32)
    (i32.atomic.store (i32.const 64) (i32.const 100))
    (i32.atomic.rmw.add (i32.const 64) (i32.const 5))     ;; 100 -> 105
    (i32.atomic.rmw.sub (i32.const 64) (i32.const 10))    ;; 105 -> 95
    (i32.atomic.rmw.and (i32.const 64) (i32.const 0x3c))  ;; 95 -> 28
    (i32.atomic.rmw.or (i32.const 64) (i32.const 0x100))  ;; 28 -> 284
    (i32.atomic.rmw.xor (i32.const 64) (i32.const 0xff))  ;; 284 -> 483
    (i32.atomic.rmw.xchg (i32.const 64) (i32.const 7))    ;; 483 -> 7
    (i32.atomic.load (i32.const 64)))

  (func (export "atomic_rmw_narrow_i32") (result i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (i32.atomic.store (i32.const 72) (i32.const 0x11_22_33_f0))
    (i32.atomic.rmw8.add_u (i32.const 72) (i32.const 0x20))
    (i32.atomic.rmw8.sub_u (i32.const 73) (i32.const 0x40))
    (i32.atomic.rmw8.and_u (i32.const 74) (i32.const 0x0f))
    (i32.atomic.rmw8.or_u (i32.const 75) (i32.const 0x80))
    (i32.atomic.rmw8.xor_u (i32.const 72) (i32.const 0xff))
    (i32.atomic.rmw8.xchg_u (i32.const 73) (i32.const 0x155))
    (i32.atomic.rmw16.add_u (i32.const 76) (i32.const 0x1_ffff))
    (i32.atomic.rmw16.sub_u (i32.const 76) (i32.const 2))
    (i32.atomic.rmw16.and_u (i32.const 76) (i32.const 0xf0f0))
    (i32.atomic.rmw16.or_u (i32.const 78) (i32.const 0x0101))
    (i32.atomic.rmw16.xor_u (i32.const 78) (i32.const 0xffff))
    (i32.atomic.rmw16.xchg_u (i32.const 76) (i32.const 0xbeef))
    (i32.xor (i32.atomic.load (i32.const 72)) (i32.atomic.load (i32.const 76))))

  (func (export "atomic_rmw_i64") (result i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (i64.atomic.store (i32.const 128) (i64.const 0x0000_0001_ffff_fff0))
    (i64.atomic.rmw.add (i32.const 128) (i64.const 0x20))
    (i64.atomic.rmw.sub (i32.const 128) (i64.const 1))
    (i64.atomic.rmw.and (i32.const 128) (i64.const 0xffff_0000_ffff))
    (i64.atomic.rmw.or (i32.const 128) (i64.const 0x7000_0000_0000_0000))
    (i64.atomic.rmw.xor (i32.const 128) (i64.const -1))
    (i64.atomic.rmw.xchg (i32.const 128) (i64.const 0x0102_0304_0506_0708))
    (i64.atomic.rmw8.add_u (i32.const 128) (i64.const 0xff))
    (i64.atomic.rmw8.sub_u (i32.const 129) (i64.const 0x10))
    (i64.atomic.rmw8.and_u (i32.const 130) (i64.const 0x0e))
    (i64.atomic.rmw8.or_u (i32.const 131) (i64.const 0x40))
    (i64.atomic.rmw8.xor_u (i32.const 132) (i64.const 0x0f))
    (i64.atomic.rmw8.xchg_u (i32.const 133) (i64.const 0x99))
    (i64.atomic.rmw16.add_u (i32.const 134) (i64.const 0x1000))
    (i64.atomic.rmw16.sub_u (i32.const 134) (i64.const 0x0001))
    (i64.atomic.rmw16.and_u (i32.const 134) (i64.const 0xff00))
    (i64.atomic.rmw16.or_u (i32.const 132) (i64.const 0x0303))
    (i64.atomic.rmw16.xor_u (i32.const 130) (i64.const 0xaaaa))
    (i64.atomic.rmw16.xchg_u (i32.const 128) (i64.const 0x1234))
    (drop)
    (i64.atomic.rmw32.add_u (i32.const 136) (i64.const 0x1_0000_0005))
    (i64.atomic.rmw32.sub_u (i32.const 136) (i64.const 3))
    (i64.atomic.rmw32.and_u (i32.const 136) (i64.const 0xff))
    (i64.atomic.rmw32.or_u (i32.const 140) (i64.const 0xf0f0_f0f0))
    (i64.atomic.rmw32.xor_u (i32.const 140) (i64.const 0x0f0f_0f0f))
    (i64.atomic.rmw32.xchg_u (i32.const 136) (i64.const 0xdead_beef))
    (drop)
    (i64.add (i64.atomic.load (i32.const 128)) (i64.atomic.load (i32.const 136))))

  (func (export "atomic_cmpxchg") (result i32 i32 i32 i32 i64 i64 i64 i64 i64 i64)
    (i64.atomic.store (i32.const 256) (i64.const 0x1111_2222_3333_4444))
    (i64.atomic.store (i32.const 264) (i64.const 0x5555_6666_7777_8888))
    ;; success then failure for each width
    (i32.atomic.rmw.cmpxchg (i32.const 256) (i32.const 0x3333_4444) (i32.const 0x0a0a_0a0a))
    (i32.atomic.rmw8.cmpxchg_u (i32.const 256) (i32.const 0x99) (i32.const 0x01))
    (i32.atomic.rmw16.cmpxchg_u (i32.const 258) (i32.const 0x0a0a) (i32.const 0xbeef))
    (i32.atomic.load (i32.const 256))
    (i64.atomic.rmw.cmpxchg (i32.const 264) (i64.const 0x5555_6666_7777_8888) (i64.const 42))
    (i64.atomic.rmw8.cmpxchg_u (i32.const 264) (i64.const 42) (i64.const 43))
    (i64.atomic.rmw16.cmpxchg_u (i32.const 260) (i64.const 0) (i64.const 1))
    (i64.atomic.rmw32.cmpxchg_u (i32.const 260) (i64.const 0x1111_2222) (i64.const 0x3333_3333))
    (i64.atomic.load (i32.const 256))
    (i64.atomic.load (i32.const 264)))

  (func (export "notify_wait_fence") (result i32 i32 i32 i32 i32)
    (i32.atomic.store (i32.const 512) (i32.const 5))
    (i64.atomic.store (i32.const 520) (i64.const 6))
    (atomic.fence)
    (memory.atomic.notify (i32.const 512) (i32.const 1))        ;; no waiters: 0
    (memory.atomic.wait32 (i32.const 512) (i32.const 4) (i64.const 0))   ;; not equal: 1
    (memory.atomic.wait32 (i32.const 512) (i32.const 5) (i64.const 0))   ;; timed out: 2
    (memory.atomic.wait64 (i32.const 520) (i64.const 6) (i64.const 0))   ;; timed out: 2
    (memory.atomic.notify $plain (i32.const 0) (i32.const 10)))         ;; unshared: 0

  (func (export "atomics_on_unshared_memory") (result i32 i64)
    (i32.atomic.store $plain (i32.const 32) (i32.const 9))
    (drop (i32.atomic.rmw.add $plain (i32.const 32) (i32.const 1)))
    (i64.atomic.store $plain (i32.const 40) (i64.const -1))
    (i32.atomic.load $plain (i32.const 32))
    (i64.atomic.rmw.cmpxchg $plain (i32.const 40) (i64.const -1) (i64.const 3)))

  (func (export "trap_unaligned_atomic") (result i32)
    (i32.atomic.load (i32.const 2)))

  (func (export "trap_wait_on_unshared_memory") (result i32)
    (memory.atomic.wait32 $plain (i32.const 0) (i32.const 0) (i64.const 0)))
)
