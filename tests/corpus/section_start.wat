;; Start section: the start function initialises memory, a global and a table slot
;; before any export runs.
(module $section_start
  (type $v2i (func (result i32)))
  (memory 1)
  (table 1 funcref)
  (global $counter (mut i32) (i32.const 0))
  (func $init_value (type $v2i) (i32.const 1234))
  (elem declare func $init_value)
  (func $start
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (i32.store (i32.const 0) (i32.const 0xcafe))
    (table.set (i32.const 0) (ref.func $init_value)))
  (start $start)
  (func (export "after_start") (result i32 i32 i32)
    (global.get $counter)
    (i32.load (i32.const 0))
    (call_indirect (type $v2i) (i32.const 0)))
)
