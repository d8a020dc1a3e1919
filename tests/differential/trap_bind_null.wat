;; `cont.bind` of a null continuation traps with "null reference" (the null comes from a
;; global that was never set).
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f1 (func (param i32)))
  (type $c1 (cont $f1))
  (type $f0 (func))
  (type $c0 (cont $f0))
  (global $k (mut (ref null $c1)) (ref.null $c1))

  (func (export "_start")
    (call $print_i32 (i32.const 1))
    (resume $c0 (cont.bind $c1 $c0 (i32.const 1) (global.get $k)))
    (call $print_i32 (i32.const 2))))
