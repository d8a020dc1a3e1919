;; `resume_throw_ref` raises an exception given as an `exnref` where a continuation waits.
;; `_start` gets one exnref from a `catch_ref` (tag `$x`, payload 11) and one from a
;; `catch_all_ref` (tag `$z`, payload -3). Raised in `$g`, which waits inside a
;; `try_table (catch $x)`, the first is caught with its payload (prints `1000 + payload`),
;; and `$g` yields again. Raised in `$h`, which waits inside a `try_table (catch_all_ref)`, the
;; second is caught as an exnref that `$h` keeps in a local across another suspend and then
;; rethrows with `throw_ref`: it leaves `$h` through `resume` and `_start` catches it by its
;; tag. The first exnref, raised again in a fresh continuation, propagates straight out to
;; `_start`'s `catch $x`.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield (param i32))
  (tag $x (param i32))
  (tag $z (param i64))
  (global $g (mut (ref null $cv)) (ref.null $cv))
  (global $h (mut (ref null $cv)) (ref.null $cv))
  (elem declare func $gen_g $gen_h)

  (func $gen_g
    (block $caught (result i32)
      (try_table (catch $x $caught)
        (suspend $yield (i32.const 0))
        (call $print_i32 (i32.const 90)))
      (return))
    (call $print_i32 (i32.add (i32.const 1000)))
    (suspend $yield (i32.const 5)))

  (func $gen_h
    (local $ex exnref)
    (block $caught (result exnref)
      (try_table (catch_all_ref $caught)
        (suspend $yield (i32.const 100))
        (call $print_i32 (i32.const 91)))
      (return))
    (local.set $ex)
    (call $print_i32 (i32.const 2000))
    (suspend $yield (i32.const 6))
    (throw_ref (local.get $ex)))

  ;; Resumes the continuation in $k, or raises $ex in it when $ex is not null; prints what
  ;; it yields (and stores it back in the global named by $which), or -1 when it returns.
  (func $drive (param $which i32) (param $ex exnref)
    (local $k (ref null $cv))
    (local.set $k (if (result (ref null $cv)) (local.get $which)
      (then (global.get $h)) (else (global.get $g))))
    (block $done
      (block $on_yield (result i32 (ref $cv))
        (if (ref.is_null (local.get $ex))
          (then (resume $cv (on $yield $on_yield) (local.get $k)))
          (else (resume_throw_ref $cv (on $yield $on_yield) (local.get $ex) (local.get $k))))
        (br $done))
      (local.set $k)
      (if (local.get $which)
        (then (global.set $h (local.get $k)))
        (else (global.set $g (local.get $k))))
      (call $print_i32)
      (return))
    (call $print_i32 (i32.const -1)))

  (func (export "_start")
    (local $ex1 exnref)
    (local $ex2 exnref)
    (block $caught (result i32 exnref)
      (try_table (catch_ref $x $caught)
        (throw $x (i32.const 11)))
      (unreachable))
    (local.set $ex1)
    (drop)
    (block $caught (result exnref)
      (try_table (catch_all_ref $caught)
        (throw $z (i64.const -3)))
      (unreachable))
    (local.set $ex2)
    (global.set $g (cont.new $cv (ref.func $gen_g)))
    (global.set $h (cont.new $cv (ref.func $gen_h)))
    (call $drive (i32.const 0) (ref.null exn))
    (call $drive (i32.const 0) (local.get $ex1))
    (call $drive (i32.const 1) (ref.null exn))
    (call $drive (i32.const 1) (local.get $ex2))
    (block $caught (result i64)
      (try_table (catch $z $caught)
        (call $drive (i32.const 1) (ref.null exn)))
      (call $print_i32 (i32.const 92))
      (return))
    (call $print_i64)
    (block $caught (result i32)
      (try_table (catch $x $caught)
        (resume_throw_ref $cv (local.get $ex1) (cont.new $cv (ref.func $gen_g))))
      (call $print_i32 (i32.const 93))
      (return))
    (call $print_i32)
    (call $drive (i32.const 0) (ref.null exn))))
