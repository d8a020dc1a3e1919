;; Locals of reference type live across suspends: a funcref, a null externref, a nullable and
;; a non-nullable typed function reference, and another continuation (created inside this
;; one). After each suspend they are used: `ref.is_null`, `call_ref` through the typed
;; references, the funcref stored into a table and called with `call_indirect`, and the inner
;; continuation resumed. The handler prints each payload.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $unary (func (param i32) (result i32)))
  (type $nullary (func (result i32)))
  (type $f (func))
  (type $c (cont $f))
  (tag $t (param i32))
  (tag $inner (param i32))
  (table $fns 1 funcref)
  (elem declare func $task $seven $triple $gen)

  (func $seven (type $nullary) (i32.const 7))

  (func $triple (type $unary) (param $x i32) (result i32)
    (i32.mul (local.get $x) (i32.const 3)))

  (func $gen
    (suspend $inner (i32.const 42))
    (suspend $inner (i32.const 43)))

  ;; Resumes $k once and prints what it yields; returns the next continuation.
  (func $pull (param $k (ref null $c)) (result (ref null $c))
    (block $h (result i32 (ref $c))
      (resume $c (on $inner $h) (local.get $k))
      (return (ref.null $c)))
    (local.set $k)
    (call $print_i32)
    (local.get $k))

  (func $task
    (local $fr funcref)
    (local $ex externref)
    (local $typed (ref null $unary))
    (local $nn (ref $unary))
    (local $other (ref null $c))
    (local.set $fr (ref.func $seven))
    (local.set $ex (ref.null extern))
    (local.set $typed (ref.func $triple))
    (local.set $nn (ref.func $triple))
    (local.set $other (cont.new $c (ref.func $gen)))
    (suspend $t (i32.const 1))
    (call $print_i32 (ref.is_null (local.get $fr)))
    (call $print_i32 (ref.is_null (local.get $ex)))
    (call $print_i32 (call_ref $unary (i32.const 2) (local.get $typed)))
    (suspend $t (i32.const 2))
    (call $print_i32 (call_ref $unary (i32.const 3) (local.get $nn)))
    (table.set $fns (i32.const 0) (local.get $fr))
    (call $print_i32 (call_indirect $fns (type $nullary) (i32.const 0)))
    (local.set $other (call $pull (local.get $other)))
    (suspend $t (i32.const 3))
    (call $print_i32 (ref.is_null (local.get $other)))
    (local.set $other (call $pull (local.get $other)))
    (suspend $t (i32.const 4)))

  (func (export "_start")
    (local $k (ref null $c))
    (local.set $k (cont.new $c (ref.func $task)))
    (block $done
      (loop $next
        (block $on_t (result i32 (ref $c))
          (resume $c (on $t $on_t) (local.get $k))
          (br $done))
        (local.set $k)
        (call $print_i32)
        (br $next)))))
