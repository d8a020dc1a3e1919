;; `resume_throw_ref` into a nested continuation, with an exnref caught by `catch_all_ref`:
;; `$outer` resumes `$inner` handling `$a`; `$inner` suspends `$b`, which `_start` handles,
;; so the exception is raised where `$inner` waits. `$inner` catches nothing there; the
;; exception unwinds it and leaves `$outer`'s `resume`, where `$outer` catches it by tag with
;; `catch_ref` (prints `1000 + payload`), suspends `$b` holding the new exnref, and rethrows it
;; with `throw_ref` when resumed: it leaves `$outer` and `_start` catches it (prints
;; `2000 + payload`). The same first exnref raised again in a fresh nested pair is caught by
;; `$outer` the same way.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $a)
  (tag $b)
  (tag $x (param i32))
  (elem declare func $outer $inner)

  (func $inner
    (call $print_i32 (i32.const 2))
    (suspend $b)
    (call $print_i32 (i32.const 90)))

  (func $outer
    (local $ex exnref)
    (call $print_i32 (i32.const 1))
    (block $caught (result i32 exnref)
      (try_table (catch_ref $x $caught)
        (block $on_a (result (ref $cv))
          (resume $cv (on $a $on_a) (cont.new $cv (ref.func $inner)))
          (call $print_i32 (i32.const 91))
          (return))
        (call $print_i32 (i32.const 92))
        (return))
      (unreachable))
    (local.set $ex)
    (call $print_i32 (i32.add (i32.const 1000)))
    (suspend $b)
    (throw_ref (local.get $ex)))

  ;; Runs a fresh $outer to its first suspend: the continuation.
  (func $start (result (ref $cv))
    (block $on_b (result (ref $cv))
      (resume $cv (on $b $on_b) (cont.new $cv (ref.func $outer)))
      (unreachable))
    (return))

  (func (export "_start")
    (local $ex exnref)
    (local $k (ref null $cv))
    (block $caught (result exnref)
      (try_table (catch_all_ref $caught)
        (throw $x (i32.const 9)))
      (unreachable))
    (local.set $ex)
    (block $on_b (result (ref $cv))
      (resume_throw_ref $cv (on $b $on_b) (local.get $ex) (call $start))
      (call $print_i32 (i32.const 93))
      (return))
    (local.set $k)
    (call $print_i32 (i32.const 3))
    (block $caught (result i32)
      (try_table (catch $x $caught)
        (resume $cv (local.get $k)))
      (call $print_i32 (i32.const 94))
      (return))
    (call $print_i32 (i32.add (i32.const 2000)))
    (block $on_b (result (ref $cv))
      (resume_throw_ref $cv (on $b $on_b) (local.get $ex) (call $start))
      (call $print_i32 (i32.const 95))
      (return))
    (drop)
    (call $print_i32 (i32.const 4))))
