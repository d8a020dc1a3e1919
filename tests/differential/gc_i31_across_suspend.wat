;; i31ref values live across suspends: in a nullable and a non-null local, on the operand
;; stack below a suspend, as a tag payload and as a tag result (null once). Signed and
;; unsigned reads of extreme values (the 31-bit range wraps) show each comes back exactly.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (type $af (func (param i31ref)))
  (type $ac (cont $af))
  (tag $ask (param (ref i31)) (result i31ref))
  (elem declare func $task)
  (func $task
    (local $a i31ref)
    (local $b (ref i31))
    (local.set $a (ref.i31 (i32.const -1)))
    (local.set $b (ref.i31 (i32.const 0x40000000)))
    (call $print_i32
      (i32.add (i31.get_u (ref.i31 (i32.const 7)))
        (i31.get_s (suspend $ask (local.get $b)))))
    (call $print_i32 (i31.get_s (local.get $a)))
    (call $print_i32 (i31.get_u (local.get $a)))
    (call $print_i32 (i31.get_s (local.get $b)))
    (local.set $a (suspend $ask (ref.i31 (i32.const 5))))
    (call $print_i32 (ref.is_null (local.get $a))))
  (func (export "_start")
    (local $k (ref null $ac))
    (local $v (ref i31))
    (local $n i32)
    (block $done
      (block $on (result (ref i31) (ref $ac))
        (resume $cv (on $ask $on) (cont.new $cv (ref.func $task)))
        (br $done))
      (loop $l (param (ref i31) (ref $ac))
        (local.set $k)
        (local.set $v)
        (call $print_i32 (i31.get_u (local.get $v)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (block $on2 (result (ref i31) (ref $ac))
          (resume $ac (on $ask $on2)
            (if (result i31ref) (i32.eq (local.get $n) (i32.const 2))
              (then (ref.null i31))
              (else (ref.i31 (i32.sub (i31.get_s (local.get $v)) (i32.const 1)))))
            (local.get $k))
          (br $done))
        (br $l)))
    (call $print_i32 (local.get $n))))
