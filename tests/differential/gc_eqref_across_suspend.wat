;; eqref values live across suspends: an eqref local holding an i31, then a struct, then an
;; array; `ref.eq` after each resume compares them with references kept by the resumer (same
;; object, equal-looking but different objects, equal i31s).
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $s (struct (field i32)))
  (type $a (array i8))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $show (param eqref))
  (global $kept (mut eqref) (ref.null eq))
  (elem declare func $task)
  (func $task
    (local $e eqref)
    (local $other eqref)
    (local.set $e (ref.i31 (i32.const 42)))
    (suspend $show (local.get $e))
    (call $print_i32 (ref.eq (local.get $e) (ref.i31 (i32.const 42))))
    (call $print_i32 (ref.eq (local.get $e) (global.get $kept)))
    (local.set $e (struct.new $s (i32.const 1)))
    (local.set $other (struct.new $s (i32.const 1)))
    (suspend $show (local.get $e))
    (call $print_i32 (ref.eq (local.get $e) (global.get $kept)))
    (call $print_i32 (ref.eq (local.get $other) (global.get $kept)))
    (local.set $e (array.new $a (i32.const 3) (i32.const 4)))
    (suspend $show (local.get $e))
    (call $print_i32 (ref.eq (local.get $e) (global.get $kept)))
    (call $print_i32 (array.len (ref.cast (ref $a) (local.get $e)))))
  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $done
      (loop $l
        (block $on (result eqref (ref $cv))
          (resume $cv (on $show $on) (local.get $k))
          (br $done))
        (local.set $k)
        (global.set $kept)
        (call $print_i32 (ref.test (ref i31) (global.get $kept)))
        (br $l)))
    (call $print_i32 (i32.const 99))))
