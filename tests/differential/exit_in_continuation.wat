;; WASI `proc_exit` called inside a continuation two levels deep ends the whole run with that
;; exit code (7): nothing after it runs, in the continuation or in the code that resumed it.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield)
  (memory (export "memory") 1)
  (elem declare func $outer $inner)

  (func $inner
    (call $print_i32 (i32.const 2))
    (suspend $yield)
    (call $print_i32 (i32.const 3))
    (call $proc_exit (i32.const 7))
    (call $print_i32 (i32.const 100)))

  (func $outer
    (resume $c (cont.new $c (ref.func $inner)))
    (call $print_i32 (i32.const 101)))

  (func (export "_start")
    (call $print_i32 (i32.const 1))
    (block $h (result (ref $c))
      (resume $c (on $yield $h) (cont.new $c (ref.func $outer)))
      (return))
    (resume $c)
    (call $print_i32 (i32.const 102))))
