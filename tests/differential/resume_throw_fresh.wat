;; `resume_throw` of a fresh continuation raises the exception before the continuation's
;; function runs, so the function's own `try_table` (a `catch_all` around its whole body)
;; cannot catch it: the exception propagates out of `resume_throw` to the resumer, and nothing
;; the function would print appears. Fresh continuations from `cont.new`, and from `cont.bind`
;; with the argument bound; a two-value exception; handler clauses that stay unused; a
;; `catch_all` in the resumer. Afterwards a fresh continuation of the same function resumed
;; normally runs, suspends and finishes.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (type $fi (func (param i32)))
  (type $ci (cont $fi))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $x (param i32))
  (tag $y (param i64 i32))
  (tag $yield)
  (elem declare func $task)

  (func $task (param $n i32)
    (block $any
      (try_table (catch_all $any)
        (call $print_i32 (local.get $n))
        (suspend $yield)
        (call $print_i32 (i32.add (local.get $n) (i32.const 1))))
      (return))
    (call $print_i32 (i32.const 90)))

  (func (export "_start")
    (local $k (ref null $cv))
    (call $print_i32 (i32.const 1))
    ;; A fresh continuation straight from cont.new.
    (block $caught (result i32)
      (try_table (catch $x $caught)
        (resume_throw $ci $x (i32.const 7) (cont.new $ci (ref.func $task))))
      (call $print_i32 (i32.const 91))
      (return))
    (call $print_i32)
    ;; A fresh continuation with its argument bound, resumed with a handler clause.
    (block $caught (result i64 i32)
      (try_table (catch $y $caught)
        (block $h (result (ref $cv))
          (resume_throw $cv $y (on $yield $h)
            (i64.const -5) (i32.const 8)
            (cont.bind $ci $cv (i32.const 20) (cont.new $ci (ref.func $task))))
          (call $print_i32 (i32.const 92))
          (return))
        (call $print_i32 (i32.const 93))
        (return))
      (call $print_i32 (i32.const 94))
      (return))
    (call $print_i32)
    (call $print_i64)
    ;; Caught by a catch_all.
    (block $any
      (try_table (catch_all $any)
        (resume_throw $ci $x (i32.const 30) (cont.new $ci (ref.func $task))))
      (call $print_i32 (i32.const 95))
      (return))
    (call $print_i32 (i32.const 3))
    ;; The same function runs normally when resumed normally.
    (block $h (result (ref $cv))
      (resume $cv (on $yield $h)
        (cont.bind $ci $cv (i32.const 40) (cont.new $ci (ref.func $task))))
      (call $print_i32 (i32.const 96))
      (return))
    (local.set $k)
    (call $print_i32 (i32.const 4))
    (resume $cv (local.get $k))
    (call $print_i32 (i32.const 5))))
