;; Bulk memory and table operations: memory.copy/fill/init, data.drop,
;; table.copy/init, elem.drop, with passive data and element segments.
(module $bulk_memory
  (type $v2i (func (result i32)))
  (memory $m 1)
  (table $t 8 funcref)
  (data $hello "Hello, bulk memory!")
  (data $digits "0123456789")
  (data $active (i32.const 1000) "\aa\bb\cc\dd")
  (elem $fns func $one $two $three)
  (elem $more funcref (ref.func $four) (ref.null func) (item ref.func $one))

  (func $one (type $v2i) (i32.const 1))
  (func $two (type $v2i) (i32.const 2))
  (func $three (type $v2i) (i32.const 3))
  (func $four (type $v2i) (i32.const 4))

  (func $sum_bytes (param $p i32) (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.load8_u (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $acc))

  (func (export "memory_init") (result i32)
    (memory.init $hello (i32.const 0) (i32.const 7) (i32.const 12)) ;; "bulk memory!"
    (call $sum_bytes (i32.const 0) (i32.const 12)))

  (func (export "memory_init_partial") (result i64)
    (memory.init $digits (i32.const 20) (i32.const 3) (i32.const 5)) ;; "34567"
    (i64.load (i32.const 20)))

  (func (export "memory_fill") (result i32)
    (memory.fill (i32.const 100) (i32.const 0x5a) (i32.const 33))
    (call $sum_bytes (i32.const 99) (i32.const 35)))

  (func (export "memory_copy_overlapping") (result i64)
    (i64.store (i32.const 200) (i64.const 0x0807060504030201))
    (memory.copy (i32.const 202) (i32.const 200) (i32.const 6)) ;; forward overlap
    (memory.copy (i32.const 300) (i32.const 202) (i32.const 4))
    (memory.copy (i32.const 299) (i32.const 300) (i32.const 4)) ;; backward overlap
    (i64.add (i64.load (i32.const 200)) (i64.load (i32.const 296))))

  (func (export "active_data_present") (result i32) (i32.load (i32.const 1000)))

  (func (export "trap_data_drop_then_init")
    (data.drop $digits)
    (memory.init $digits (i32.const 0) (i32.const 0) (i32.const 1)))

  (func (export "data_drop_zero_len_ok") (result i32)
    (data.drop $hello)
    (memory.init $hello (i32.const 0) (i32.const 0) (i32.const 0))
    (i32.const 1))

  (func (export "trap_memory_fill_oob")
    (memory.fill (i32.const 65530) (i32.const 0) (i32.const 7)))

  (func $call_slot (param i32) (result i32)
    (if (result i32) (ref.is_null (table.get $t (local.get 0)))
      (then (i32.const 0))
      (else (call_indirect $t (type $v2i) (local.get 0)))))

  (func $table_digest (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 10))
                               (call $call_slot (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 8))))
    (local.get $acc))

  (func (export "table_init_copy") (result i32)
    (table.init $t $fns (i32.const 0) (i32.const 0) (i32.const 3))   ;; 1 2 3 _ _ _ _ _
    (table.init $t $more (i32.const 4) (i32.const 0) (i32.const 3))  ;; 1 2 3 _ 4 _ 1 _
    (table.copy $t $t (i32.const 1) (i32.const 0) (i32.const 3))     ;; 1 1 2 3 4 _ 1 _
    (table.copy (i32.const 7) (i32.const 4) (i32.const 1))           ;; 1 1 2 3 4 _ 1 4
    (call $table_digest))

  (func (export "trap_elem_drop_then_init")
    (elem.drop $fns)
    (table.init $t $fns (i32.const 0) (i32.const 0) (i32.const 1)))

  (func (export "trap_table_copy_oob")
    (table.copy $t $t (i32.const 6) (i32.const 0) (i32.const 3)))
)
