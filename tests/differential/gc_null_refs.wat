;; Null GC references across suspends: `nullref`, a null `(ref null $s)`, a null `eqref`,
;; `structref`, `arrayref` and `i31ref`, and a null typed function reference, all in locals
;; while the task suspends; after the resume each is still null (and `ref.test` with a
;; nullable type still matches it), and the non-null ones beside them are unchanged.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $s (struct (field i32)))
  (type $fn (func))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield)
  (elem declare func $task)
  (func $task
    (local $none nullref) (local $sn (ref null $s)) (local $eq eqref) (local $st structref)
    (local $ar arrayref) (local $i i31ref) (local $f (ref null $fn)) (local $live (ref null $s))
    (local.set $live (struct.new $s (i32.const 77)))
    (local.set $st (local.get $live))
    (suspend $yield)
    (call $print_i32 (ref.is_null (local.get $none)))
    (call $print_i32 (ref.is_null (local.get $sn)))
    (call $print_i32 (ref.is_null (local.get $eq)))
    (call $print_i32 (ref.test (ref null $s) (local.get $eq)))
    (call $print_i32 (ref.is_null (local.get $st)))
    (call $print_i32 (ref.is_null (local.get $ar)))
    (call $print_i32 (ref.is_null (local.get $i)))
    (call $print_i32 (ref.is_null (local.get $f)))
    (local.set $st (ref.null struct))
    (suspend $yield)
    (call $print_i32 (ref.is_null (local.get $st)))
    (call $print_i32 (struct.get $s 0 (local.get $live))))
  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $done
      (loop $l
        (block $on (result (ref $cv))
          (resume $cv (on $yield $on) (local.get $k))
          (br $done))
        (local.set $k)
        (br $l)))))
