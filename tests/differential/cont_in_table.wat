;; Continuations stored in a table of `(ref null $c)`: four generators go into slots 0..3 (the
;; table starts with two slots and grows), one round of round robin runs, then `table.copy`
;; moves them to slots 4..7 and `table.fill` nulls 0..3, and round robin continues on 4..7
;; until every slot is null. $task(n) yields 10n+1 .. 10n+n and returns 100n.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $tf (func (param i32) (result i32)))
  (type $tc (cont $tf))
  (type $f (func (result i32)))
  (type $c (cont $f))
  (tag $yield (param i32))
  (table $tasks 2 (ref null $c))
  (elem declare func $task)

  (func $task (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.le_u (local.get $i) (local.get $n))
        (then
          (suspend $yield (i32.add (i32.mul (local.get $n) (i32.const 10)) (local.get $i)))
          (br $l))))
    (i32.mul (local.get $n) (i32.const 100)))

  ;; Resumes the continuation in each non-null slot of [$from, $from + 4) once; returns how
  ;; many slots are still non-null afterwards.
  (func $round (param $from i32) (result i32)
    (local $i i32)
    (local $live i32)
    (local $k (ref null $c))
    (local.set $i (local.get $from))
    (loop $l
      (block $skip
        (block $returned (result i32)
          (block $h (result i32 (ref $c))
            (br $returned
              (resume $c (on $yield $h) (br_on_null $skip (table.get $tasks (local.get $i))))))
          (local.set $k)
          (call $print_i32)
          (table.set $tasks (local.get $i) (local.get $k))
          (local.set $live (i32.add (local.get $live) (i32.const 1)))
          (br $skip))
        (call $print_i32)
        (table.set $tasks (local.get $i) (ref.null $c)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.add (local.get $from) (i32.const 4)))))
    (local.get $live))

  (func (export "_start")
    (local $n i32)
    (call $print_i32 (table.grow $tasks (ref.null $c) (i32.const 2)))
    (loop $fill
      (table.set $tasks (local.get $n)
        (cont.bind $tc $c (i32.add (local.get $n) (i32.const 1))
          (cont.new $tc (ref.func $task))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $n) (i32.const 4))))
    (drop (call $round (i32.const 0)))
    (call $print_i32 (table.grow $tasks (ref.null $c) (i32.const 4)))
    (table.copy $tasks $tasks (i32.const 4) (i32.const 0) (i32.const 4))
    (table.fill $tasks (i32.const 0) (ref.null $c) (i32.const 4))
    (call $print_i32 (table.size $tasks))
    (call $print_i32 (ref.is_null (table.get $tasks (i32.const 0))))
    (call $print_i32 (ref.is_null (table.get $tasks (i32.const 4))))
    (loop $rounds
      (br_if $rounds (call $round (i32.const 4))))))
