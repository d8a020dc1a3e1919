;; Continuations stored in struct fields: a `$task` struct holds its continuation in a mutable
;; `(ref null $c)` field with its id and a step count; the scheduler keeps a linked list of
;; task structs and resumes the one in the head's field, storing the continuation it gets back
;; into the same field. A `struct.new_default` task has a null continuation (handle 0), which
;; `ref.is_null` sees. Wasmtime 48 cannot compile continuation references in GC objects, so
;; the native run shows that refusal, and the lowered runs must agree with the native run of
;; the twin whose field holds a slot of a table of continuations
;; (`twins/gc_cont_in_struct_field.wat`).
;;
;; RUN: native
;; RUN: native < twins/gc_cont_in_struct_field.wat == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $wf (func (param i32)))
  (type $wc (cont $wf))
  (type $fv (func))
  (type $cv (cont $fv))
  (rec
    (type $task (struct (field $id i32) (field $k (mut (ref null $cv))) (field $steps (mut i32))
      (field $next (mut (ref null $task))))))
  (tag $yield (param i32))
  (elem declare func $work)
  (func $work (param $n i32)
    (local $i i32)
    (loop $l
      (suspend $yield (i32.add (i32.mul (local.get $n) (i32.const 100)) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
  (func (export "_start")
    (local $list (ref null $task))
    (local $t (ref null $task))
    (local $i i32)
    (local $empty (ref $task))
    (local $k (ref null $cv))
    (local.set $empty (struct.new_default $task))
    (call $print_i32 (ref.is_null (struct.get $task $k (local.get $empty))))
    (local.set $i (i32.const 3))
    (loop $mk
      (local.set $list (struct.new $task (local.get $i)
        (cont.bind $wc $cv (local.get $i) (cont.new $wc (ref.func $work)))
        (i32.const 0) (local.get $list)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $mk (local.get $i)))
    (block $all_done
      (loop $round
        (local.set $t (local.get $list))
        (local.set $i (i32.const 0))
        (block $end
          (loop $each
            (br_if $end (ref.is_null (local.get $t)))
            (if (i32.eqz (ref.is_null (struct.get $task $k (local.get $t))))
              (then
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (block $on (result i32 (ref $cv))
                  (resume $cv (on $yield $on) (struct.get $task $k (local.get $t)))
                  (struct.set $task $k (local.get $t) (ref.null $cv))
                  (call $print_i32 (i32.sub (i32.const 0) (struct.get $task $id (local.get $t))))
                  (br 1))
                (local.set $k)
                (call $print_i32)
                (struct.set $task $k (local.get $t) (local.get $k))
                (struct.set $task $steps (local.get $t)
                  (i32.add (struct.get $task $steps (local.get $t)) (i32.const 1)))))
            (local.set $t (struct.get $task $next (local.get $t)))
            (br $each)))
        (br_if $round (local.get $i))))
    (call $print_i32 (struct.get $task $steps (ref.as_non_null (local.get $list))))))
