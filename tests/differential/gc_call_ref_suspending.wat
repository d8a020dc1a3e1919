;; Typed function references kept in struct fields call suspending functions with `call_ref`
;; (and `return_call_ref`), so the call graph reaches them through their type: a visitor
;; struct with two `(ref $cb)` fields whose targets suspend, called from a loop whose
;; visitor lives across the suspends.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $cb (func (param i32) (result i32)))
  (type $visitor (struct (field $on_even (ref $cb)) (field $on_odd (ref $cb))))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $say (param i32))
  (elem declare func $task $even $odd $tail)
  (func $even (type $cb) (suspend $say (local.get 0)) (i32.div_u (local.get 0) (i32.const 2)))
  (func $odd (type $cb)
    (suspend $say (i32.sub (i32.const 0) (local.get 0)))
    (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 1)))
  (func $tail (param $v (ref $visitor)) (param $n i32) (result i32)
    (return_call_ref $cb (local.get $n)
      (if (result (ref $cb)) (i32.and (local.get $n) (i32.const 1))
        (then (struct.get $visitor $on_odd (local.get $v)))
        (else (struct.get $visitor $on_even (local.get $v))))))
  (func $task
    (local $v (ref $visitor))
    (local $n i32)
    (local.set $v (struct.new $visitor (ref.func $even) (ref.func $odd)))
    (local.set $n (i32.const 6))
    (loop $l
      (local.set $n (call $tail (local.get $v) (local.get $n)))
      (br_if $l (i32.ne (local.get $n) (i32.const 1))))
    (call $print_i32 (call_ref $cb (i32.const 8) (struct.get $visitor $on_even (local.get $v)))))
  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $done
      (loop $l
        (block $on (result i32 (ref $cv))
          (resume $cv (on $say $on) (local.get $k))
          (br $done))
        (local.set $k)
        (call $print_i32)
        (br $l)))))
