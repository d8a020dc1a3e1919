;; Resuming a null continuation traps with "null reference": a task running inside a
;; continuation resumes the continuation in a table slot that was never filled; the trap
;; propagates out through the outer `resume`.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield)
  (table $slots 4 (ref null $c))
  (elem declare func $task)

  (func $task
    (call $print_i32 (i32.const 2))
    (resume $c (table.get $slots (i32.const 3)))
    (call $print_i32 (i32.const 3)))

  (func (export "_start")
    (call $print_i32 (i32.const 1))
    (block $h (result (ref $c))
      (resume $c (on $yield $h) (cont.new $c (ref.func $task)))
      (return))
    (drop)
    (call $print_i32 (i32.const 4))))
