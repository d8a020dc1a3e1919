;; Nested generators sharing one tag: $evens runs inside a continuation and itself resumes a
;; $naturals generator, handling its `$yield`s; the `$yield`s $evens performs itself go to the
;; consumer in `_start`, the nearest handler outside $evens. $evens passes on even values,
;; prints the odd ones negated, and returns the count it skipped.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (type $fr (func (result i32)))
  (type $cr (cont $fr))
  (tag $yield (param i32))
  (elem declare func $naturals $evens)

  (func $naturals
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (suspend $yield (local.get $i))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 10)))))

  (func $evens (result i32)
    (local $k (ref null $c))
    (local $v i32)
    (local $skipped i32)
    (local.set $k (cont.new $c (ref.func $naturals)))
    (block $done
      (loop $next
        (block $on_yield (result i32 (ref $c))
          (resume $c (on $yield $on_yield) (local.get $k))
          (br $done))
        (local.set $k)
        (local.set $v)
        (if (i32.and (local.get $v) (i32.const 1))
          (then
            (call $print_i32 (i32.sub (i32.const 0) (local.get $v)))
            (local.set $skipped (i32.add (local.get $skipped) (i32.const 1))))
          (else
            (suspend $yield (local.get $v))))
        (br $next)))
    (local.get $skipped))

  (func (export "_start")
    (local $k (ref null $cr))
    (local $v i32)
    (local $sum i32)
    (local.set $k (cont.new $cr (ref.func $evens)))
    (block $done (result i32)
      (loop $next
        (block $on_yield (result i32 (ref $cr))
          (br $done (resume $cr (on $yield $on_yield) (local.get $k))))
        (local.set $k)
        (local.tee $v)
        (call $print_i32)
        (local.set $sum (i32.add (local.get $sum) (local.get $v)))
        (br $next))
      (unreachable))
    (call $print_i32 (local.get $sum))
    (call $print_i32)))
