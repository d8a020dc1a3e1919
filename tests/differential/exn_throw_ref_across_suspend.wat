;; Exnrefs live across suspends. The task catches `$x` with `catch_ref` and keeps the exnref
;; in a local across a suspend, then rethrows it with `throw_ref` into its own `try_table`.
;; It catches `$z` with `catch_all_ref` and hands that exnref to the handler as the payload
;; of `suspend $give`; the handler keeps it, and raises it back into the task with
;; `resume_throw_ref` at a later suspend, where the task catches it by tag. Last, the task
;; rethrows the first exnref again after another suspend: it leaves the task through `resume`
;; and `_start` catches it. `_start` prints yielded values, 5 for `$give`, `1000 + payload`
;; for what it catches; the task prints the `$x` payload, `100 + payload` and the i64.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $y (param i32))
  (tag $give (param exnref))
  (tag $x (param i32))
  (tag $z (param i64))
  (elem declare func $task)

  (func $task
    (local $ex1 exnref)
    (local $ex2 exnref)
    (block $c (result i32 exnref)
      (try_table (catch_ref $x $c)
        (throw $x (i32.const 1)))
      (unreachable))
    (local.set $ex1)
    (call $print_i32)
    (suspend $y (i32.const 10))
    (block $c (result i32)
      (try_table (catch $x $c)
        (throw_ref (local.get $ex1)))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 100)))
    (block $c (result exnref)
      (try_table (catch_all_ref $c)
        (throw $z (i64.const -2)))
      (unreachable))
    (local.set $ex2)
    (suspend $give (local.get $ex2))
    (block $c (result i64)
      (try_table (catch $z $c)
        (suspend $y (i32.const 20)))
      (unreachable))
    (call $print_i64)
    (suspend $y (i32.const 30))
    (throw_ref (local.get $ex1)))

  (func (export "_start")
    (local $k (ref null $cv))
    (local $held exnref)
    (local $v i32)
    (local $raise i32)
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $caught (result i32)
      (try_table (catch $x $caught)
        (loop $next
          (block $on_give (result exnref (ref $cv))
            (block $on_y (result i32 (ref $cv))
              (if (i32.eqz (local.get $raise))
                (then (resume $cv (on $y $on_y) (on $give $on_give) (local.get $k)))
                (else
                  (resume_throw_ref $cv (on $y $on_y) (on $give $on_give)
                    (local.get $held) (local.get $k))))
              (call $print_i32 (i32.const 90))
              (return))
            (local.set $k)
            (local.set $v)
            (call $print_i32 (local.get $v))
            ;; After 20, the next resume raises the exnref $give handed over.
            (local.set $raise (i32.eq (local.get $v) (i32.const 20)))
            (br $next))
          (local.set $k)
          (local.set $held)
          (call $print_i32 (i32.const 5))
          (br $next)))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 1000)))
    (call $print_i32 (i32.const 9))))
