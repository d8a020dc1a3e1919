;; Continuations created inside continuations, one of which outlives its creator: $a creates
;; a generator, takes its first value, hands the suspended generator to `_start` as the payload
;; of `suspend $give`; `_start` takes a value from it and resumes $a, which then creates and
;; drains a second generator entirely inside itself and returns. `_start` finally drains the
;; first generator, whose creator is gone. Values taken by $a are printed as is, those taken by
;; `_start` too; -1 marks $a's return and -2 the end of the first generator.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $gf (func (param i32)))
  (type $gc (cont $gf))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield (param i32))
  (tag $give (param (ref $c)))
  (elem declare func $gen $a)

  ;; Yields n, n+1, n+2.
  (func $gen (param $n i32)
    (suspend $yield (local.get $n))
    (suspend $yield (i32.add (local.get $n) (i32.const 1)))
    (suspend $yield (i32.add (local.get $n) (i32.const 2))))

  (func $new_gen (param $n i32) (result (ref $c))
    (cont.bind $gc $c (local.get $n) (cont.new $gc (ref.func $gen))))

  ;; Resumes $k once, printing what it yields; null when it returned.
  (func $pull (param $k (ref null $c)) (result (ref null $c))
    (block $h (result i32 (ref $c))
      (resume $c (on $yield $h) (local.get $k))
      (return (ref.null $c)))
    (local.set $k)
    (call $print_i32)
    (local.get $k))

  (func $a
    (local $g (ref null $c))
    (local.set $g (call $pull (call $new_gen (i32.const 10))))
    (suspend $give (ref.as_non_null (local.get $g)))
    (local.set $g (call $new_gen (i32.const 20)))
    (loop $drain
      (local.set $g (call $pull (local.get $g)))
      (br_if $drain (i32.eqz (ref.is_null (local.get $g))))))

  (func (export "_start")
    (local $g (ref null $c))
    (local $ka (ref null $c))
    (block $on_give (result (ref $c) (ref $c))
      (resume $c (on $give $on_give) (cont.new $c (ref.func $a)))
      (unreachable))
    (local.set $ka)
    (local.set $g (call $pull))
    (resume $c (local.get $ka))
    (call $print_i32 (i32.const -1))
    (loop $drain
      (local.set $g (call $pull (local.get $g)))
      (br_if $drain (i32.eqz (ref.is_null (local.get $g)))))
    (call $print_i32 (i32.const -2))))
