;; A GC program: struct and i31 references live across a suspend are saved in the anyref
;; slots and restored with a `ref.cast` to their static type (none for `anyref` itself, a
;; `ref.null` for `nullref`); the typed function reference in a struct field is called with
;; `call_ref`, which stays; the struct type with a continuation field (unused: Wasmtime 48
;; cannot compile accesses to it natively) keeps its place in its rec group with the field as
;; an i64 handle, and the subtype keeps its supertype.
;; RUN: wasmfx-opt --lower-to-asyncify
;; RUN: exports == wasmfx-opt --lower-to-asyncify | exports
(module
  (type $ft (func))
  (type $ct (cont $ft))
  (type $fn (func (param i32) (result i32)))
  (rec
    (type $box (sub (struct (field $v i32) (field $f (ref $fn)))))
    (type $task (sub final $box (struct (field $v i32) (field $f (ref $fn)) (field $k (mut (ref null $ct)))))))
  (tag $yield)
  (elem declare func $gen $inc)
  (func $inc (type $fn) (i32.add (local.get 0) (i32.const 1)))
  (func $gen
    (local $b (ref $box))
    (local $i (ref i31))
    (local $a anyref)
    (local $n nullref)
    (local.set $b (struct.new $box (i32.const 40) (ref.func $inc)))
    (local.set $i (ref.i31 (i32.const 2)))
    (local.set $a (local.get $i))
    (suspend $yield)
    (global.set $sum (i32.add (call_ref $fn (struct.get $box $v (local.get $b)) (struct.get $box $f (local.get $b)))
      (i31.get_s (local.get $i))))
    (drop (local.get $a))
    (drop (local.get $n)))
  (global $sum (mut i32) (i32.const 0))
  (func (export "run") (result i32)
    (local $k (ref null $ct))
    (block $on (result (ref $ct))
      (resume $ct (on $yield $on) (cont.new $ct (ref.func $gen)))
      (unreachable))
    (local.set $k)
    (resume $ct (local.get $k))
    (drop (ref.test (ref $task) (struct.new $box (i32.const 0) (ref.func $inc))))
    (global.get $sum)))
