;; A packed `i8` array that grows across suspends: the task asks its handler for bytes one at
;; a time (`suspend $want`), keeps them in an `(array (mut i8))` held in a non-null local, and
;; when the array is full copies it into one twice as long (`array.new_default`, `array.copy`);
;; a zero byte ends it, and it returns a trimmed copy. The handler reads the bytes back with
;; `array.get_u` and `array.get_s`, so a buffer restored wrongly after a suspend (an older
;; one, or another) changes the sum.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $bytes (array (mut i8)))
  (type $f (func (result (ref $bytes))))
  (type $c (cont $f))
  (type $wf (func (param i32) (result (ref $bytes))))
  (type $wc (cont $wf))
  (tag $want (result i32))
  (elem declare func $task)
  (func $task (result (ref $bytes))
    (local $buf (ref $bytes))
    (local $big (ref $bytes))
    (local $n i32)
    (local $b i32)
    (local.set $buf (array.new_default $bytes (i32.const 2)))
    (block $end
      (loop $l
        (local.set $b (suspend $want))
        (br_if $end (i32.eqz (local.get $b)))
        (if (i32.eq (local.get $n) (array.len (local.get $buf)))
          (then
            (local.set $big (array.new_default $bytes (i32.mul (local.get $n) (i32.const 2))))
            (array.copy $bytes $bytes
              (local.get $big) (i32.const 0) (local.get $buf) (i32.const 0) (local.get $n))
            (local.set $buf (local.get $big))
            (call $print_i32 (array.len (local.get $buf)))))
        (array.set $bytes (local.get $buf) (local.get $n) (local.get $b))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $l)))
    (local.set $big (array.new_default $bytes (local.get $n)))
    (array.copy $bytes $bytes (local.get $big) (i32.const 0) (local.get $buf) (i32.const 0) (local.get $n))
    (local.get $big))
  (func (export "_start")
    (local $k (ref null $wc))
    (local $i i32)
    (local $j i32)
    (local $sum i32)
    (local $out (ref null $bytes))
    (local.set $out
      (block $done (result (ref $bytes))
        (block $on (result (ref $wc))
          (br $done (resume $c (on $want $on) (cont.new $c (ref.func $task)))))
        (loop $l (param (ref $wc))
          (local.set $k)
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (block $on2 (result (ref $wc))
            (br $done
              (resume $wc (on $want $on2)
                (select
                  (i32.and (i32.mul (local.get $i) (i32.const 37)) (i32.const 255))
                  (i32.const 0)
                  (i32.le_u (local.get $i) (i32.const 20)))
                (local.get $k))))
          (br $l))
        (unreachable)))
    (call $print_i32 (array.len (local.get $out)))
    (loop $s
      (if (i32.lt_u (local.get $j) (array.len (local.get $out)))
        (then
          (local.set $sum
            (i32.add (i32.mul (local.get $sum) (i32.const 31))
              (array.get_u $bytes (local.get $out) (local.get $j))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $s))))
    (call $print_i32 (local.get $sum))
    (call $print_i32 (array.get_s $bytes (local.get $out) (i32.const 5)))
    (call $print_i32 (array.get_u $bytes (local.get $out) (i32.const 5)))))
