;; Null handling on continuation references: `ref.null`, `ref.is_null` (of a null local, a
;; null global, a live continuation, and a consumed one, which is not null), `br_on_null` and
;; `br_on_non_null` taken and not taken, `ref.as_non_null`, and typed `select` choosing
;; between continuations (and between a null and a continuation). Values the generator yields
;; are printed as they come: 1, 2, 3 from $k and 100 from $other.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $gf (func (param i32)))
  (type $gc (cont $gf))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield (param i32))
  (global $none (ref null $c) (ref.null $c))
  (elem declare func $gen)

  (func $gen (param $n i32)
    (loop $l
      (suspend $yield (local.get $n))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $l)))

  ;; Resumes $k once, prints what it yields and returns the new continuation.
  (func $next (param $k (ref null $c)) (result (ref $c))
    (block $h (result i32 (ref $c))
      (resume $c (on $yield $h) (local.get $k))
      (unreachable))
    (local.set $k)
    (call $print_i32)
    (ref.as_non_null (local.get $k)))

  (func (export "_start")
    (local $n (ref null $c))
    (local $k (ref null $c))
    (local $old (ref null $c))
    (local $other (ref null $c))
    (call $print_i32 (ref.is_null (local.get $n)))
    (call $print_i32 (ref.is_null (global.get $none)))
    (local.set $k (cont.bind $gc $c (i32.const 1) (cont.new $gc (ref.func $gen))))
    (call $print_i32 (ref.is_null (local.get $k)))

    ;; br_on_null taken.
    (block $null
      (drop (br_on_null $null (local.get $n)))
      (call $print_i32 (i32.const 999)))
    (call $print_i32 (i32.const 11))

    ;; br_on_non_null taken, carrying the continuation out of the block.
    (block $nonnull (result (ref $c))
      (br_on_non_null $nonnull (local.get $k))
      (call $print_i32 (i32.const 999))
      (unreachable))
    (local.set $k (call $next))

    ;; br_on_non_null not taken: the block's value comes from ref.as_non_null.
    (block $nonnull (result (ref $c))
      (br_on_non_null $nonnull (local.get $n))
      (call $print_i32 (i32.const 12))
      (ref.as_non_null (local.get $k)))
    (local.set $old (local.get $k))
    (local.set $k (call $next))
    ;; The reference resumed above is consumed, not null.
    (call $print_i32 (ref.is_null (local.get $old)))

    ;; select: condition 0 takes the second operand, 1 the first.
    (local.set $k (call $next (select (result (ref null $c))
      (local.get $n) (local.get $k) (i32.const 0))))
    (local.set $other (cont.bind $gc $c (i32.const 100) (cont.new $gc (ref.func $gen))))
    (local.set $other (call $next (select (result (ref null $c))
      (local.get $other) (local.get $k) (i32.const 1))))
    (local.set $k (call $next (select (result (ref $c))
      (ref.as_non_null (local.get $other)) (ref.as_non_null (local.get $k))
      (ref.is_null (local.get $k)))))
    (call $print_i32 (i32.const 13))))
