;; Suspending callees reached by `call_ref` through typed function references held in a local,
;; an immutable global, a parameter (a higher-order $twice) and a table of `(ref null $op)`.
;; The handler prints each payload and answers twice it.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $op (func (param i32) (result i32)))
  (type $f (func (param i32)))
  (type $c (cont $f))
  (tag $t (param i32) (result i32))
  (global $inc (ref $op) (ref.func $inc))
  (table $ops 1 (ref null $op))
  (elem declare func $task $square $inc)

  ;; x * answer(x)
  (func $square (type $op) (param $x i32) (result i32)
    (i32.mul (suspend $t (local.get $x)) (local.get $x)))

  ;; x + answer(x)
  (func $inc (type $op) (param $x i32) (result i32)
    (i32.add (local.get $x) (suspend $t (local.get $x))))

  (func $twice (param $fn (ref $op)) (param $x i32) (result i32)
    (call_ref $op (call_ref $op (local.get $x) (local.get $fn)) (local.get $fn)))

  (func $task (param $unused i32)
    (local $fn (ref null $op))
    (local $r i32)
    (local.set $fn (ref.func $square))
    (local.set $r (call_ref $op (i32.const 5) (local.get $fn)))
    (call $print_i32 (local.get $r))
    (call $print_i32 (call_ref $op (local.get $r) (global.get $inc)))
    (call $print_i32 (call $twice (global.get $inc) (i32.const 3)))
    (table.set $ops (i32.const 0) (local.get $fn))
    (call $print_i32 (call_ref $op (i32.const 2) (table.get $ops (i32.const 0)))))

  (func (export "_start")
    (local $k (ref null $c))
    (local $answer i32)
    (local.set $k (cont.new $c (ref.func $task)))
    (block $done
      (loop $next
        (block $on_t (result i32 (ref $c))
          (resume $c (on $t $on_t) (local.get $answer) (local.get $k))
          (br $done))
        (local.set $k)
        (local.tee $answer)
        (call $print_i32)
        (local.set $answer (i32.mul (local.get $answer) (i32.const 2)))
        (br $next)))))
