;; Two live generators of different types consumed in lockstep (zip): $tens yields 10, 20, 30
;; (i32) and $ones yields 1, 2, 3, ... (i64, never ending). Each step resumes both and prints
;; the sum; when $tens finishes, the consumer prints -1 and abandons the suspended $ones.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield32 (param i32))
  (tag $yield64 (param i64))
  (elem declare func $tens $ones)

  (func $tens
    (suspend $yield32 (i32.const 10))
    (suspend $yield32 (i32.const 20))
    (suspend $yield32 (i32.const 30)))

  (func $ones
    (local $i i64)
    (loop $l
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (suspend $yield64 (local.get $i))
      (br $l)))

  (func (export "_start")
    (local $a (ref null $c))
    (local $b (ref null $c))
    (local $x i32)
    (local.set $a (cont.new $c (ref.func $tens)))
    (local.set $b (cont.new $c (ref.func $ones)))
    (block $finished
      (loop $step
        (block $on_a (result i32 (ref $c))
          (resume $c (on $yield32 $on_a) (local.get $a))
          (br $finished))
        (local.set $a)
        (local.set $x)
        (block $on_b (result i64 (ref $c))
          (resume $c (on $yield64 $on_b) (local.get $b))
          (unreachable))
        (local.set $b)
        (call $print_i64 (i64.add (i64.extend_i32_s (local.get $x))))
        (br $step)))
    (call $print_i32 (i32.const -1))))
