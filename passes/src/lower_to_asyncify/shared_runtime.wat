;; What separate lowering (`shared.rs`) adds to `runtime.wat`: inserted before its closing
;; parenthesis, both in the shared runtime `wasmfx-opt --emit-shared-runtime` writes and in the
;; copy a separately lowered module binds (whose entities then become imports of the shared
;; one). Never part of single-module lowering.

  ;; Every module's trampolines, appended by its start function: a record names its
  ;; continuation's trampoline by its index here, so any module can start or re-enter it.
  (table $tramps 0 funcref)
  (global $tag_count (mut i32) (i32.const 0))

  ;; A fresh tag identity (never 0, which `tag` holds when nothing unwinds).
  (func $wasmfx.rt.new_tag (result i32)
    (global.set $tag_count (i32.add (global.get $tag_count) (i32.const 1)))
    (global.get $tag_count))

  ;; A table of continuations for a module that defines one: its descriptor, allocated in the
  ;; region and brought to life with `initial` nulls now, so importers' declared sizes do not
  ;; matter. Returns the descriptor's region offset, which every table operation takes.
  (func $wasmfx.rt.new_table (param $initial i32) (result i32)
    (local $d i32)
    (local.set $d (call $alloc (i32.const @TABLE_DESCRIPTOR_SIZE)))
    (memory.fill (i32.add (global.get $base) (local.get $d)) (i32.const 0) (i32.const @TABLE_DESCRIPTOR_SIZE))
    (drop (call $ctab (local.get $d) (local.get $initial)))
    (local.get $d))
