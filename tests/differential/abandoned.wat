;; Continuations that are never resumed again: 1,000 tasks each suspend once (with a local live
;; across the suspend) and are dropped; a parent abandons its suspended child and returns; a
;; continuation suspended 100 frames deep is dropped. None of this may disturb what runs
;; afterwards: a fresh countdown generator runs to its end.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $tf (func (param i32)))
  (type $tc (cont $tf))
  (type $f (func))
  (type $c (cont $f))
  (type $rf (func (result i32)))
  (type $rc (cont $rf))
  (tag $t (param i32))
  (elem declare func $task $parent $child $deep $countdown)

  (func $task (param $i i32)
    (local $x i32)
    (local.set $x (i32.mul (local.get $i) (i32.const 2)))
    (suspend $t (local.get $i))
    (call $print_i32 (local.get $x)))

  (func $child
    (suspend $t (i32.const 1))
    (call $print_i32 (i32.const 999)))

  (func $parent (result i32)
    (block $h (result i32 (ref $c))
      (resume $c (on $t $h) (cont.new $c (ref.func $child)))
      (return (i32.const -1)))
    (drop)
    (drop)
    (i32.const 5))

  (func $deep (param $n i32)
    (if (local.get $n)
      (then (call $deep (i32.sub (local.get $n) (i32.const 1))))
      (else (suspend $t (i32.const 100))))
    (call $print_i32 (i32.const 998)))

  (func $countdown (param $n i32)
    (loop $l
      (suspend $t (local.get $n))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.ge_s (local.get $n) (i32.const 0)))))

  ;; Resumes $k once; returns what it suspended with, or -1 if it returned.
  (func $once (param $k (ref $c)) (result i32)
    (block $h (result i32 (ref $c))
      (resume $c (on $t $h) (local.get $k))
      (return (i32.const -1)))
    (drop))

  (func (export "_start")
    (local $i i32)
    (local $sum i32)
    (local $k (ref null $c))
    (loop $l
      (local.set $sum
        (i32.add (local.get $sum)
          (call $once (cont.bind $tc $c (local.get $i) (cont.new $tc (ref.func $task))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
    (call $print_i32 (local.get $sum))
    (call $print_i32 (resume $rc (cont.new $rc (ref.func $parent))))
    (call $print_i32
      (call $once (cont.bind $tc $c (i32.const 100) (cont.new $tc (ref.func $deep)))))
    (local.set $k (cont.bind $tc $c (i32.const 3) (cont.new $tc (ref.func $countdown))))
    (block $done
      (loop $next
        (block $h (result i32 (ref $c))
          (resume $c (on $t $h) (local.get $k))
          (br $done))
        (local.set $k)
        (call $print_i32)
        (br $next)))))
