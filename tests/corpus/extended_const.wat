;; Extended constant expressions: i32/i64 add, sub, mul and global.get in global
;; initialisers, active data segment offsets and active element segment offsets.
(module $extended_const
  (global $base i32 (i32.const 100))
  (global $scale i32 (i32.const 3))
  (global $big i64 (i64.const 0x1_0000_0000))
  (global $derived i32 (i32.add (global.get $base) (i32.mul (global.get $scale) (i32.const 7))))       ;; 121
  (global $diff i32 (i32.sub (i32.mul (global.get $base) (global.get $scale)) (i32.const 1)))           ;; 299
  (global $wide i64 (i64.add (i64.mul (global.get $big) (i64.const 3)) (i64.sub (i64.const 5) (i64.const 10))))
  (global $mutable (mut i32) (i32.add (global.get $derived) (global.get $diff)))                        ;; 420

  (memory 1)
  (data (i32.add (global.get $base) (i32.const 16)) "\2a\00\00\00")                                    ;; at 116
  (data (i32.sub (i32.mul (global.get $scale) (i32.const 100)) (global.get $scale)) "\07\00\00\00")       ;; at 297

  (type $v2i (func (result i32)))
  (table 16 funcref)
  (elem (offset (i32.add (global.get $scale) (i32.const 2))) func $f5)                                   ;; slot 5
  (func $f5 (type $v2i) (i32.const 5))

  (func (export "globals") (result i32 i32 i64 i32)
    (global.get $derived) (global.get $diff) (global.get $wide) (global.get $mutable))

  (func (export "data_offsets") (result i32 i32)
    (i32.load (i32.const 116)) (i32.load (i32.const 297)))

  (func (export "elem_offset") (result i32)
    (call_indirect (type $v2i) (i32.const 5)))
)
