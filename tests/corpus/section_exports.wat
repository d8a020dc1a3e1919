;; Export section: every export kind (func, table, memory, global, tag), inline and
;; standalone export syntax, several names for one item, exports of typed tables,
;; mutable globals and memory64, and export names with unusual characters.
(module $section_exports
  (type $v2i (func (result i32)))
  (tag $exn (export "exn_tag") (param i32))
  (tag $ctl (param i32) (result i32))
  (memory $mem (export "memory") 1)
  (memory $mem64 i64 1)
  (table $tab (export "table") 2 funcref)
  (table $typed 1 (ref null $v2i))
  (global $g (export "const_global") i32 (i32.const 42))
  (global $gm (mut i64) (i64.const 7))

  (func $answer (export "answer") (export "answer_alias") (type $v2i) (i32.const 42))
  (func $bump (result i64)
    (global.set $gm (i64.add (global.get $gm) (i64.const 1)))
    (global.get $gm))
  (func $unicode (result i32) (i32.const 3))
  (func $with_param (param i32) (result i32) (local.get 0))

  (export "bump" (func $bump))
  (export "bump_again" (func $bump))
  (export "mutable_global" (global $gm))
  (export "memory64" (memory $mem64))
  (export "typed_table" (table $typed))
  (export "control_tag" (tag $ctl))
  (export "" (func $unicode))
  (export "λ-ünïcödé name\u{1F600}" (func $unicode))
  (export "with spaces and \"quotes\"" (func $unicode))
  (export "with_param" (func $with_param))
)
