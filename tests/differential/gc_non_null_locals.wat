;; Non-nullable references of every GC kind live across suspends: `(ref $s)`, `(ref $a)`,
;; `(ref i31)`, `(ref eq)`, `(ref any)`, `(ref struct)`, `(ref array)` and a typed function
;; reference `(ref $fn)`, in locals and parameters, restored with their exact types (they are
;; used where only that type fits: `struct.get`, `array.len`, `i31.get_s`, `call_ref`).
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $s (struct (field i32)))
  (type $a (array i32))
  (type $fn (func (param i32) (result i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield)
  (elem declare func $task $twice)
  (func $twice (type $fn) (i32.mul (local.get 0) (i32.const 2)))
  (func $inner (param $p (ref $s)) (param $f (ref $fn)) (result i32)
    (suspend $yield)
    (call_ref $fn (struct.get $s 0 (local.get $p)) (local.get $f)))
  (func $task
    (local $s (ref $s)) (local $a (ref $a)) (local $i (ref i31)) (local $e (ref eq))
    (local $any (ref any)) (local $st (ref struct)) (local $ar (ref array)) (local $f (ref $fn))
    (local.set $s (struct.new $s (i32.const 11)))
    (local.set $a (array.new $a (i32.const 1) (i32.const 3)))
    (local.set $i (ref.i31 (i32.const -12)))
    (local.set $e (struct.new $s (i32.const 13)))
    (local.set $any (array.new_fixed $a 2 (i32.const 14) (i32.const 15)))
    (local.set $st (local.get $s))
    (local.set $ar (local.get $a))
    (local.set $f (ref.func $twice))
    (suspend $yield)
    (call $print_i32 (struct.get $s 0 (local.get $s)))
    (call $print_i32 (array.len (local.get $a)))
    (call $print_i32 (i31.get_s (local.get $i)))
    (call $print_i32 (struct.get $s 0 (ref.cast (ref $s) (local.get $e))))
    (suspend $yield)
    (call $print_i32 (array.get $a (ref.cast (ref $a) (local.get $any)) (i32.const 1)))
    (call $print_i32 (ref.eq (local.get $st) (local.get $s)))
    (call $print_i32 (array.len (local.get $ar)))
    (call $print_i32 (call_ref $fn (i32.const 21) (local.get $f)))
    (call $print_i32 (call $inner (local.get $s) (local.get $f))))
  (func (export "_start")
    (local $k (ref null $cv))
    (local $n i32)
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $done
      (loop $l
        (block $on (result (ref $cv))
          (resume $cv (on $yield $on) (local.get $k))
          (br $done))
        (local.set $k)
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $l)))
    (call $print_i32 (local.get $n))))
