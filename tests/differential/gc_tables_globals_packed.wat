;; GC references held outside locals while tasks suspend, and packed storage: a table of
;; `(ref null $s)` and a mutable global of `(ref null $pk)` are written before a suspend and
;; read after it; the `$pk` struct has i8 and i16 fields and an i8 array, read signed and
;; unsigned (`struct.get_s/u`, `array.get_s/u`) after each resume.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $s (struct (field i32)))
  (type $bytes (array (mut i8)))
  (type $pk (struct (field $a (mut i8)) (field $b i16) (field $c (ref $bytes))))
  (type $fv (func))
  (type $cv (cont $fv))
  (table $objs 4 (ref null $s))
  (global $g (mut (ref null $pk)) (ref.null $pk))
  (tag $yield)
  (elem declare func $task)
  (func $task
    (local $p (ref $pk))
    (table.set $objs (i32.const 1) (struct.new $s (i32.const 41)))
    (local.set $p (struct.new $pk (i32.const 200) (i32.const 40000)
      (array.new_fixed $bytes 2 (i32.const 255) (i32.const 7))))
    (global.set $g (local.get $p))
    (suspend $yield)
    (call $print_i32 (struct.get $s 0 (table.get $objs (i32.const 1))))
    (call $print_i32 (struct.get_s $pk $a (local.get $p)))
    (call $print_i32 (struct.get_u $pk $a (local.get $p)))
    (call $print_i32 (struct.get_s $pk $b (local.get $p)))
    (call $print_i32 (struct.get_u $pk $b (local.get $p)))
    (struct.set $pk $a (local.get $p) (i32.const 0x17f))
    (suspend $yield)
    (call $print_i32 (array.get_s $bytes (struct.get $pk $c (local.get $p)) (i32.const 0)))
    (call $print_i32 (array.get_u $bytes (struct.get $pk $c (local.get $p)) (i32.const 0)))
    (call $print_i32 (ref.eq (global.get $g) (local.get $p))))
  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $done
      (loop $l
        (block $on (result (ref $cv))
          (resume $cv (on $yield $on) (local.get $k))
          (br $done))
        (local.set $k)
        (call $print_i32 (struct.get_s $pk $a (global.get $g)))
        (table.set $objs (i32.const 2) (table.get $objs (i32.const 1)))
        (br $l)))
    (call $print_i32 (struct.get $s 0 (table.get $objs (i32.const 2))))))
