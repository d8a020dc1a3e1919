;; A table of continuations used at its edges, which the lowered runtime's fast paths must
;; leave to its slow ones: `table.size` and `table.get` before the runtime's region exists
;; (no continuation made yet) and before the table's first use, the last slot of the initial
;; size, the first slot `table.grow` adds, and a slot past the end, which traps as natively.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func (result i32)))
  (type $c (cont $f))
  (table $ks 3 (ref null $c))
  (table $other 1 (ref null $c))
  (elem declare func $seven $eight)

  (func $seven (result i32) (i32.const 7))
  (func $eight (result i32) (i32.const 8))

  (func $run (param $i i32)
    (call $print_i32 (resume $c (table.get $ks (local.get $i)))))

  (func (export "_start")
    ;; Before any continuation exists: the region is not there yet.
    (call $print_i32 (table.size $ks))
    (call $print_i32 (ref.is_null (table.get $ks (i32.const 2))))
    (table.set $ks (i32.const 2) (cont.new $c (ref.func $seven)))
    ;; The region exists now, but $other has not been used.
    (call $print_i32 (table.size $other))
    (call $print_i32 (ref.is_null (table.get $other (i32.const 0))))
    (call $run (i32.const 2))
    (call $print_i32 (table.grow $ks (ref.null $c) (i32.const 1)))
    (table.set $ks (i32.const 3) (cont.new $c (ref.func $eight)))
    (call $print_i32 (table.size $ks))
    (call $run (i32.const 3))
    ;; Past the end: a trap, natively and lowered.
    (table.set $ks (i32.const 4) (cont.new $c (ref.func $eight)))
    (call $print_i32 (i32.const -1))))
