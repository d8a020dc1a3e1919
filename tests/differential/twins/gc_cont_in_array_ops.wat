;; The twin of `../gc_cont_in_array_ops.wat` that Wasmtime 48 runs natively: the same array
;; operations (`array.new`, `array.new_fixed`, `array.fill`, `array.copy`, `array.get`/`set`,
;; `array.len`) and the same tasks, but the arrays hold `i32` slots of a table of
;; continuations (slot 0 is null; `$put` gives each continuation a fresh slot) instead of the
;; continuations. The GC program's lowered runs are checked against this one's native run.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $wf (func (param i32)))
  (type $wc (cont $wf))
  (type $fv (func))
  (type $cv (cont $fv))
  (type $ks (array (mut i32)))
  (tag $yield (param i32))
  (tag $up (param i32))
  (table $konts 64 (ref null $cv))
  (global $next (mut i32) (i32.const 1))
  (elem declare func $leaf $parent)

  ;; A fresh slot holding $k, or 0 for null.
  (func $put (param $k (ref null $cv)) (result i32)
    (if (ref.is_null (local.get $k)) (then (return (i32.const 0))))
    (table.set $konts (global.get $next) (local.get $k))
    (global.get $next)
    (global.set $next (i32.add (global.get $next) (i32.const 1))))

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
      (call $put (call $spawn (i32.mul (local.get $n) (i32.const 10))))
      (call $put (call $spawn (i32.add (i32.mul (local.get $n) (i32.const 10)) (i32.const 5))))))
    (loop $l
      (local.set $k (table.get $konts (array.get $ks (local.get $kids) (i32.and (local.get $i) (i32.const 1)))))
      (if (i32.eqz (ref.is_null (local.get $k)))
        (then
          (block $on (result i32 (ref $cv))
            (resume $cv (on $yield $on) (local.get $k))
            (array.set $ks (local.get $kids) (i32.and (local.get $i) (i32.const 1)) (i32.const 0))
            (br 1))
          (local.set $k)
          (suspend $up)
          (array.set $ks (local.get $kids) (i32.and (local.get $i) (i32.const 1)) (call $put (local.get $k)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 6)))))
  (func (export "_start")
    (local $a (ref $ks))
    (local $b (ref $ks))
    (local $i i32)
    (local $k (ref null $cv))
    (local.set $a (array.new $ks (i32.const 0) (i32.const 4)))
    (array.fill $ks (local.get $a) (i32.const 0) (call $put (call $spawn (i32.const 7))) (i32.const 1))
    (array.set $ks (local.get $a) (i32.const 1)
      (call $put (cont.bind $wc $cv (i32.const 1) (cont.new $wc (ref.func $parent)))))
    (local.set $b (array.new_default $ks (i32.const 4)))
    (array.copy $ks $ks (local.get $b) (i32.const 2) (local.get $a) (i32.const 0) (i32.const 2))
    (call $print_i32 (ref.is_null (table.get $konts (array.get $ks (local.get $b) (i32.const 0)))))
    (call $print_i32 (array.len (local.get $b)))
    (loop $l
      (local.set $k (table.get $konts
        (array.get $ks (local.get $b) (i32.add (i32.const 2) (i32.and (local.get $i) (i32.const 1))))))
      (if (i32.eqz (ref.is_null (local.get $k)))
        (then
          (block $on_up (result i32 (ref $cv))
            (block $on_y (result i32 (ref $cv))
              (resume $cv (on $yield $on_y) (on $up $on_up) (local.get $k))
              (array.set $ks (local.get $b) (i32.add (i32.const 2) (i32.and (local.get $i) (i32.const 1))) (i32.const 0))
              (call $print_i32 (i32.const -1))
              (br 2))
            (local.set $k)
            (call $print_i32)
            (array.set $ks (local.get $b) (i32.add (i32.const 2) (i32.and (local.get $i) (i32.const 1))) (call $put (local.get $k)))
            (br 1))
          (local.set $k)
          (call $print_i32 (i32.add (i32.const 1000)))
          (array.set $ks (local.get $b) (i32.add (i32.const 2) (i32.and (local.get $i) (i32.const 1))) (call $put (local.get $k)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 12))))))
