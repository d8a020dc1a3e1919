;; anyref payloads of several kinds (struct, array, i31, a subtype, null) cross a suspend as
;; `anyref`; the handler tells them apart after each resume with `ref.test` and `ref.cast`
;; to the struct, its subtype, the array and i31, and reads them through the casts. The task
;; keeps its own anyref local across every suspend and casts it back at the end.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $point (sub (struct (field $x i32))))
  (type $point3 (sub $point (struct (field $x i32) (field $z i32))))
  (type $bytes (array (mut i8)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $give (param anyref))
  (elem declare func $task)
  (func $task
    (local $mine anyref)
    (local.set $mine (struct.new $point3 (i32.const 8) (i32.const 9)))
    (suspend $give (struct.new $point (i32.const 3)))
    (suspend $give (struct.new $point3 (i32.const 4) (i32.const 5)))
    (suspend $give (array.new $bytes (i32.const 200) (i32.const 2)))
    (suspend $give (ref.i31 (i32.const -6)))
    (suspend $give (ref.null none))
    (call $print_i32 (struct.get $point3 $z (ref.cast (ref $point3) (local.get $mine)))))
  (func $describe (param $v anyref) (result i32)
    (if (ref.test (ref $point3) (local.get $v))
      (then (return (i32.add (i32.const 3000)
        (i32.add (struct.get $point3 $x (ref.cast (ref $point3) (local.get $v)))
                 (struct.get $point3 $z (ref.cast (ref $point3) (local.get $v))))))))
    (if (ref.test (ref $point) (local.get $v))
      (then (return (i32.add (i32.const 2000) (struct.get $point $x (ref.cast (ref $point) (local.get $v)))))))
    (if (ref.test (ref $bytes) (local.get $v))
      (then (return (i32.add (i32.const 1000)
        (array.get_u $bytes (ref.cast (ref $bytes) (local.get $v)) (i32.const 1))))))
    (if (ref.test (ref i31) (local.get $v))
      (then (return (i31.get_s (ref.cast (ref i31) (local.get $v))))))
    (if (ref.test nullref (local.get $v)) (then (return (i32.const -1))))
    (i32.const -2))
  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $done
      (loop $l
        (block $on (result anyref (ref $cv))
          (resume $cv (on $give $on) (local.get $k))
          (br $done))
        (local.set $k)
        (call $print_i32 (call $describe))
        (br $l)))))
