;; 20,000 suspends, each after allocating a struct and an array that live across it (and most
;; of them then dropped): the reference slots are reused, the lowered run's collector may run
;; while continuations are suspended, and a running checksum over the kept values shows that
;; every restored reference is the one saved.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $s (struct (field i32) (field (ref null $s))))
  (type $a (array i32))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield (param i32))
  (elem declare func $task)
  (func $task
    (local $i i32)
    (local $s (ref null $s))
    (local $a (ref null $a))
    (local $keep (ref null $s))
    (loop $l
      (local.set $s (struct.new $s (local.get $i) (local.get $keep)))
      (local.set $a (array.new $a (local.get $i) (i32.const 4)))
      (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 1000)))
        (then (local.set $keep (local.get $s))))
      (suspend $yield (local.get $i))
      (if (i32.ne (struct.get $s 0 (local.get $s)) (array.get $a (local.get $a) (i32.const 3)))
        (then (unreachable)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 20000))))
    (local.set $i (i32.const 0))
    (loop $walk
      (local.set $i (i32.add (local.get $i) (struct.get $s 0 (local.get $keep))))
      (local.set $keep (struct.get $s 1 (local.get $keep)))
      (br_if $walk (i32.eqz (ref.is_null (local.get $keep)))))
    (call $print_i32 (local.get $i)))
  (func (export "_start")
    (local $k (ref null $cv))
    (local $sum i32)
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $done
      (loop $l
        (block $on (result i32 (ref $cv))
          (resume $cv (on $yield $on) (local.get $k))
          (br $done))
        (local.set $k)
        (local.set $sum (i32.add (local.get $sum)))
        (br $l)))
    (call $print_i32 (local.get $sum))))
