;; Import section: every import kind (func, table, memory, global, tag) in several
;; shapes: inline type and type use, typed/64-bit tables, memory64, shared memory,
;; mutable and reference-typed globals, exception and control tags. Everything is
;; imported from "spectest"; only print_i32, global_i32, table and memory exist
;; there, so this module is for validation/round-trip only (no zero-param exports).
(module $section_imports
  (type $ft (func (param i32) (result i32)))
  (type $tag_t (func (param i64 f32)))
  (type $ctl_t (func (param i32) (result i32)))

  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "global_i32" (global $global_i32 i32))
  (import "spectest" "table" (table $table 10 20 funcref))
  (import "spectest" "memory" (memory $memory 1 2))

  (import "spectest" "func_typeuse" (func $f_typeuse (type $ft)))
  (import "spectest" "func_multi" (func $f_multi (param i64 f32 f64) (result i32 i64)))
  (import "spectest" "global_mut_i64" (global $g_mut (mut i64)))
  (import "spectest" "global_f64" (global $g_f64 f64))
  (import "spectest" "global_funcref" (global $g_ref (ref null func)))
  (import "spectest" "global_typed" (global $g_typed (mut (ref null $ft))))
  (import "spectest" "global_v128" (global $g_v128 v128))
  (import "spectest" "table_extern" (table $t_ext 0 externref))
  (import "spectest" "table_typed" (table $t_typed 1 5 (ref null $ft)))
  (import "spectest" "table64" (table $t64 i64 2 funcref))
  (import "spectest" "memory64" (memory $mem64 i64 1 10))
  (import "spectest" "shared_memory" (memory $shmem 1 4 shared))
  (import "spectest" "tag" (tag $exn (param i32)))
  (import "spectest" "tag_typeuse" (tag $exn2 (type $tag_t)))
  (import "spectest" "control_tag" (tag $ctl (type $ctl_t)))

  ;; a table whose initialiser reads an imported global
  (table $t_from_import 2 (ref null func) (global.get $g_ref))

  ;; uses of each import so they are reachable from code
  (func (export "use_imports") (param $x i32) (result i32)
    (call $print_i32 (global.get $global_i32))
    (global.set $g_mut (i64.extend_i32_s (local.get $x)))
    (call $f_multi (i64.const 1) (f32.const 2) (global.get $g_f64))
    (drop) (drop)
    (i32.store $memory (i32.const 0) (local.get $x))
    (i32.store $mem64 (i64.const 0) (local.get $x))
    (i32.atomic.store $shmem (i32.const 0) (local.get $x))
    (drop (table.get $table (i32.const 0)))
    (drop (table.size $t_ext))
    (drop (table.get $t64 (i64.const 0)))
    (drop (ref.is_null (table.get $t_from_import (i32.const 1))))
    (drop (i32x4.extract_lane 0 (global.get $g_v128)))
    (if (i32.eqz (local.get $x)) (then (throw $exn (local.get $x))))
    (if (i32.eq (local.get $x) (i32.const 1)) (then (throw $exn2 (i64.const 1) (f32.const 1))))
    (call_ref $ft (call $f_typeuse (local.get $x)) (table.get $t_typed (i32.const 0))))

  (func (export "suspend_on_imported_tag") (param i32) (result i32)
    (suspend $ctl (local.get 0)))
)
