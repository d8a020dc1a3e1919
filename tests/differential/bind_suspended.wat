;; `cont.bind` on suspended continuations: the tag `$t (param i32) (result i32 i64 f32)` makes
;; the handler's continuation take three values. The first is bound one value at a time
;; (three binds), the second all at once, the third two values by `cont.bind` and the last by
;; `resume`. The task prints what each suspend returned and finally the sum of the integers.
;;
;; expect:
;; 1 : i32
;; 10 : i32
;; 20 : i64
;; 1.5 : f32
;; 2 : i32
;; 30 : i32
;; 40 : i64
;; 2.5 : f32
;; 3 : i32
;; 50 : i32
;; 60 : i64
;; 3.5 : f32
;; 210 : i32
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (import "spectest" "print_f32" (func $print_f32 (param f32)))
  (type $f (func (result i32)))
  (type $c (cont $f))
  (type $f3 (func (param i32 i64 f32) (result i32)))
  (type $k3 (cont $f3))
  (type $f2 (func (param i64 f32) (result i32)))
  (type $k2 (cont $f2))
  (type $f1 (func (param f32) (result i32)))
  (type $k1 (cont $f1))
  (tag $t (param i32) (result i32 i64 f32))
  (elem declare func $task)

  (func $task (result i32)
    (local $sum i32)
    (local $i i32)
    (local $a i32)
    (local $b i64)
    (local $x f32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (suspend $t (local.get $i))
      (local.set $x)
      (local.set $b)
      (local.set $a)
      (call $print_i32 (local.get $a))
      (call $print_i64 (local.get $b))
      (call $print_f32 (local.get $x))
      (local.set $sum
        (i32.add (local.get $sum) (i32.add (local.get $a) (i32.wrap_i64 (local.get $b)))))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (local.get $sum))

  (func (export "_start")
    (local $k (ref null $k3))
    (block $h (result i32 (ref $k3))
      (resume $c (on $t $h) (cont.new $c (ref.func $task)))
      (unreachable))
    (local.set $k)
    (call $print_i32)
    (block $h (result i32 (ref $k3))
      (resume $c (on $t $h)
        (cont.bind $k1 $c (f32.const 1.5)
          (cont.bind $k2 $k1 (i64.const 20)
            (cont.bind $k3 $k2 (i32.const 10) (local.get $k)))))
      (unreachable))
    (local.set $k)
    (call $print_i32)
    (block $h (result i32 (ref $k3))
      (resume $c (on $t $h)
        (cont.bind $k3 $c (i32.const 30) (i64.const 40) (f32.const 2.5) (local.get $k)))
      (unreachable))
    (local.set $k)
    (call $print_i32)
    (call $print_i32
      (resume $k1 (f32.const 3.5)
        (cont.bind $k3 $k1 (i32.const 50) (i64.const 60) (local.get $k))))))
