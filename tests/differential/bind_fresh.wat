;; `cont.bind` on fresh continuations of `(func (param i32 i64 f64) (result i64))`: binding one
;; argument, all three at once, a chain of three one-argument binds, and zero arguments (same
;; type on both sides). The function prints its three parameters and returns
;; a + b + trunc(10 * c).
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (import "spectest" "print_f64" (func $print_f64 (param f64)))
  (type $f3 (func (param i32 i64 f64) (result i64)))
  (type $c3 (cont $f3))
  (type $f2 (func (param i64 f64) (result i64)))
  (type $c2 (cont $f2))
  (type $f1 (func (param f64) (result i64)))
  (type $c1 (cont $f1))
  (type $f0 (func (result i64)))
  (type $c0 (cont $f0))
  (elem declare func $task)

  (func $task (param $a i32) (param $b i64) (param $c f64) (result i64)
    (call $print_i32 (local.get $a))
    (call $print_i64 (local.get $b))
    (call $print_f64 (local.get $c))
    (i64.add
      (i64.add (i64.extend_i32_s (local.get $a)) (local.get $b))
      (i64.trunc_f64_s (f64.mul (local.get $c) (f64.const 10)))))

  (func $fresh (result (ref $c3))
    (cont.new $c3 (ref.func $task)))

  (func (export "_start")
    (call $print_i64
      (resume $c2 (i64.const 8) (f64.const 0.5)
        (cont.bind $c3 $c2 (i32.const 7) (call $fresh))))
    (call $print_i64
      (resume $c0
        (cont.bind $c3 $c0 (i32.const 1) (i64.const 2) (f64.const 2.5) (call $fresh))))
    (call $print_i64
      (resume $c0
        (cont.bind $c1 $c0 (f64.const 0)
          (cont.bind $c2 $c1 (i64.const 20)
            (cont.bind $c3 $c2 (i32.const 10) (call $fresh))))))
    (call $print_i64
      (resume $c3 (i32.const 3) (i64.const 4) (f64.const 1)
        (cont.bind $c3 $c3 (call $fresh))))))
