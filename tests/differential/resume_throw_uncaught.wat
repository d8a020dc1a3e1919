;; `resume_throw` into a suspended continuation that does not catch the exception: the
;; generator waits in a callee, inside a `try_table` that catches only `$other`, so `$cancel`
;; unwinds the generator's frames and leaves through `resume_throw`, where the resumer's
;; `try_table` catches it. The other generators, suspended before and after, go on as if
;; nothing happened; a later `resume_throw` of `$other` is caught by its generator, which
;; prints `500 + payload` and returns. The cancelled continuation's reference is consumed,
;; not null.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fi (func (param i32)))
  (type $ci (cont $fi))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield (param i32))
  (tag $cancel (param i32))
  (tag $other (param i32))
  (table $gens 3 (ref null $cv))
  (elem declare func $gen)

  (func $wait (param $v i32)
    (suspend $yield (local.get $v)))

  ;; Yields base, base + 1, ...; catches only $other (prints 500 + payload and returns).
  (func $gen (param $base i32)
    (block $caught (result i32)
      (try_table (catch $other $caught)
        (loop $next
          (call $wait (local.get $base))
          (local.set $base (i32.add (local.get $base) (i32.const 1)))
          (br $next)))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 500))))

  (func $step (param $g i32)
    (local $k (ref null $cv))
    (block $done
      (block $on_yield (result i32 (ref $cv))
        (resume $cv (on $yield $on_yield) (table.get $gens (local.get $g)))
        (br $done))
      (local.set $k)
      (table.set $gens (local.get $g) (local.get $k))
      (call $print_i32)
      (return))
    (call $print_i32 (i32.const -1)))

  (func $new (param $g i32) (param $base i32)
    (table.set $gens (local.get $g)
      (cont.bind $ci $cv (local.get $base) (cont.new $ci (ref.func $gen)))))

  (func (export "_start")
    (call $new (i32.const 0) (i32.const 0))
    (call $new (i32.const 1) (i32.const 100))
    (call $new (i32.const 2) (i32.const 200))
    (call $step (i32.const 0))
    (call $step (i32.const 1))
    (call $step (i32.const 2))
    (block $caught (result i32)
      (try_table (catch $cancel $caught)
        (block $on_yield (result i32 (ref $cv))
          (resume_throw $cv $cancel (on $yield $on_yield)
            (i32.const 9) (table.get $gens (i32.const 1)))
          (call $print_i32 (i32.const 90))
          (return))
        (call $print_i32 (i32.const 91))
        (return))
      (call $print_i32 (i32.const 92))
      (return))
    (call $print_i32)
    (call $step (i32.const 0))
    (call $step (i32.const 2))
    (block $done
      (block $on_yield (result i32 (ref $cv))
        (resume_throw $cv $other (on $yield $on_yield)
          (i32.const 5) (table.get $gens (i32.const 0)))
        (br $done))
      (call $print_i32 (i32.const 93))
      (return))
    (call $print_i32 (i32.const -1))
    (call $step (i32.const 2))
    (call $print_i32 (ref.is_null (table.get $gens (i32.const 1))))))
