;; Continuations as GC array elements, through every array operation: `array.new` with a
;; continuation (then each element is filled), `array.new_fixed`, `array.fill`, `array.copy`
;; between arrays, `array.get`/`array.set` and `array.len`; a task itself keeps an array of
;; its child continuations across suspends and resumes them in turn. Wasmtime 48 cannot
;; compile continuation references in GC objects, so the native run shows that refusal, and
;; the lowered runs must agree with the native run of the twin whose arrays hold slots of a
;; table of continuations (`twins/gc_cont_in_array_ops.wat`).
;;
;; RUN: native
;; RUN: native < twins/gc_cont_in_array_ops.wat == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $wf (func (param i32)))
  (type $wc (cont $wf))
  (type $fv (func))
  (type $cv (cont $fv))
  (type $ks (array (mut (ref null $cv))))
  (tag $yield (param i32))
  (tag $up (param i32))
  (elem declare func $leaf $parent)
  (func $leaf (param $n i32)
    (suspend $yield (local.get $n))
    (suspend $yield (i32.add (local.get $n) (i32.const 1))))
  (func $spawn (param $n i32) (result (ref $cv))
    (cont.bind $wc $cv (local.get $n) (cont.new $wc (ref.func $leaf))))
  (func $parent (param $n i32)
    (local $kids (ref $ks))
    (local $i i32)
    (local $k (ref null $cv))
    (local.set $kids (array.new_fixed $ks 2
      (call $spawn (i32.mul (local.get $n) (i32.const 10)))
      (call $spawn (i32.add (i32.mul (local.get $n) (i32.const 10)) (i32.const 5)))))
    (loop $l
      (local.set $k (array.get $ks (local.get $kids) (i32.and (local.get $i) (i32.const 1))))
      (if (i32.eqz (ref.is_null (local.get $k)))
        (then
          (block $on (result i32 (ref $cv))
            (resume $cv (on $yield $on) (local.get $k))
            (array.set $ks (local.get $kids) (i32.and (local.get $i) (i32.const 1)) (ref.null $cv))
            (br 1))
          (local.set $k)
          (suspend $up)
          (array.set $ks (local.get $kids) (i32.and (local.get $i) (i32.const 1)) (local.get $k))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 6)))))
  (func (export "_start")
    (local $a (ref $ks))
    (local $b (ref $ks))
    (local $i i32)
    (local $k (ref null $cv))
    (local.set $a (array.new $ks (ref.null $cv) (i32.const 4)))
    (array.fill $ks (local.get $a) (i32.const 0) (call $spawn (i32.const 7)) (i32.const 1))
    (array.set $ks (local.get $a) (i32.const 1)
      (cont.bind $wc $cv (i32.const 1) (cont.new $wc (ref.func $parent))))
    (local.set $b (array.new_default $ks (i32.const 4)))
    (array.copy $ks $ks (local.get $b) (i32.const 2) (local.get $a) (i32.const 0) (i32.const 2))
    (call $print_i32 (ref.is_null (array.get $ks (local.get $b) (i32.const 0))))
    (call $print_i32 (array.len (local.get $b)))
    (loop $l
      (local.set $k (array.get $ks (local.get $b) (i32.add (i32.const 2) (i32.and (local.get $i) (i32.const 1)))))
      (if (i32.eqz (ref.is_null (local.get $k)))
        (then
          (block $on_up (result i32 (ref $cv))
            (block $on_y (result i32 (ref $cv))
              (resume $cv (on $yield $on_y) (on $up $on_up) (local.get $k))
              (array.set $ks (local.get $b) (i32.add (i32.const 2) (i32.and (local.get $i) (i32.const 1))) (ref.null $cv))
              (call $print_i32 (i32.const -1))
              (br 2))
            (local.set $k)
            (call $print_i32)
            (array.set $ks (local.get $b) (i32.add (i32.const 2) (i32.and (local.get $i) (i32.const 1))) (local.get $k))
            (br 1))
          (local.set $k)
          (call $print_i32 (i32.add (i32.const 1000)))
          (array.set $ks (local.get $b) (i32.add (i32.const 2) (i32.and (local.get $i) (i32.const 1))) (local.get $k))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 12))))))
