;; Data section in every mode: active on memory 0 (implicit and explicit memory
;; index), active on a second memory and on a memory64, extended-const offsets,
;; passive segments (used by memory.init and dropped by data.drop), empty segments,
;; segments written as several strings, and a data count section.
(module $section_data
  (memory $m0 1)
  (memory $m1 1)
  (memory $m64 i64 1)
  (global $off i32 (i32.const 64))

  (data $implicit (i32.const 0) "implicit")
  (data $explicit0 (memory $m0) (offset (i32.const 16)) "explicit-0")
  (data $numbered (memory 0) (i32.const 32) "\de\ad\be\ef")
  (data $other (memory $m1) (i32.const 0) "on-memory-1")
  (data $wide (memory $m64) (i64.const 0x8000) "on-memory64")
  (data $extended (i32.add (global.get $off) (i32.const 8)) "at-72")
  (data $multi_string (i32.const 100) "abc" "\00" "def" "\01\02")
  (data $empty_active (i32.const 200))
  (data $passive "passive segment")
  (data $empty_passive "")

  (func (export "active") (result i64 i64 i32 i64 i64 i32)
    (i64.load (i32.const 0))
    (i64.load offset=16 (i32.const 0))
    (i32.load (i32.const 32))
    (i64.load $m1 (i32.const 0))
    (i64.load $m64 (i64.const 0x8000))
    (i32.load (i32.const 72)))

  (func (export "multi_string") (result i64 i32)
    (i64.load (i32.const 100)) (i32.load16_u (i32.const 107)))

  (func (export "passive") (result i64 i64)
    (memory.init $passive (i32.const 300) (i32.const 0) (i32.const 15))
    (memory.init $m1 $passive (i32.const 300) (i32.const 8) (i32.const 7))
    (memory.init $empty_passive (i32.const 0) (i32.const 0) (i32.const 0))
    (data.drop $passive)
    (data.drop $empty_passive)
    (i64.load (i32.const 300))
    (i64.load $m1 (i32.const 300)))

  (func (export "trap_init_active_segment")
    ;; active segments are dropped after instantiation: only a zero-length init succeeds
    (memory.init $implicit (i32.const 0) (i32.const 0) (i32.const 0))
    (memory.init $implicit (i32.const 0) (i32.const 0) (i32.const 1)))
)
