;; `cont.new` of a null function reference traps with "null reference": the function comes
;; from a `(ref null $f)` local that holds a function on the first pass and null on the
;; second, inside a continuation.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (elem declare func $task $ten)

  (func $ten
    (call $print_i32 (i32.const 10)))

  (func $task
    (local $fn (ref null $f))
    (local $i i32)
    (local.set $fn (ref.func $ten))
    (loop $l
      (resume $c (cont.new $c (local.get $fn)))
      (local.set $fn (ref.null $f))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 2)))))

  (func (export "_start")
    (call $print_i32 (i32.const 1))
    (resume $c (cont.new $c (ref.func $task)))
    (call $print_i32 (i32.const 2))))
