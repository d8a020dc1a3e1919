;; Suspending callees reached by `call_indirect`: a funcref table holds $a (suspends, doubles
;; the answer), $b (adds the answer of a suspend of payload + 100) and $c (which itself calls
;; $a and $b through the table); the task calls slot i with argument i + 1 for i = 0, 1, 2.
;; The handler prints each payload and answers payload + 1.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $op (func (param i32) (result i32)))
  (type $f (func (param i32) (result i32)))
  (type $c (cont $f))
  (tag $t (param i32) (result i32))
  (table $fns funcref (elem $a $b $c))
  (elem declare func $task)

  (func $a (type $op) (param $x i32) (result i32)
    (i32.mul (suspend $t (local.get $x)) (i32.const 2)))

  (func $b (type $op) (param $x i32) (result i32)
    (i32.add (local.get $x) (suspend $t (i32.add (local.get $x) (i32.const 100)))))

  (func $c (type $op) (param $x i32) (result i32)
    (call_indirect $fns (type $op)
      (call_indirect $fns (type $op) (local.get $x) (i32.const 0))
      (i32.const 1)))

  (func $task (param $unused i32) (result i32)
    (local $i i32)
    (local $acc i32)
    (loop $l
      (local.set $acc
        (i32.add (local.get $acc)
          (call_indirect $fns (type $op)
            (i32.add (local.get $i) (i32.const 1))
            (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (local.get $acc))

  (func (export "_start")
    (local $k (ref null $c))
    (local $answer i32)
    (local.set $k (cont.new $c (ref.func $task)))
    (block $done (result i32)
      (loop $next
        (block $on_t (result i32 (ref $c))
          (br $done (resume $c (on $t $on_t) (local.get $answer) (local.get $k))))
        (local.set $k)
        (local.tee $answer)
        (call $print_i32)
        (local.set $answer (i32.add (local.get $answer) (i32.const 1)))
        (br $next))
      (unreachable))
    (call $print_i32)))
