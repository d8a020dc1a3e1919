;; Exception handling (current proposal): tags with zero, one and several params,
;; throw, throw_ref, try_table with catch, catch_ref, catch_all, catch_all_ref,
;; exnref locals and params, rethrowing across function boundaries.
(module $exceptions
  (tag $e0)
  (tag $e1 (param i32))
  (tag $e2 (param i64 f64))
  (type $exn_t (func (param i32 i32)))
  (tag $e3 (type $exn_t))

  (func $thrower (param $k i32)
    (if (i32.eq (local.get $k) (i32.const 0)) (then (throw $e0)))
    (if (i32.eq (local.get $k) (i32.const 1)) (then (throw $e1 (i32.const 42))))
    (if (i32.eq (local.get $k) (i32.const 2)) (then (throw $e2 (i64.const 7) (f64.const 0.5))))
    (if (i32.eq (local.get $k) (i32.const 3)) (then (throw $e3 (i32.const 3) (i32.const 4)))))

  ;; catch with payloads; catch_all as fallback
  (func $classify (param $k i32) (result i32)
    (local $d f64)
    (block $h0
      (block $h1 (result i32)
        (block $h2 (result i64 f64)
          (block $hall
            (try_table (catch $e0 $h0) (catch $e1 $h1) (catch $e2 $h2) (catch_all $hall)
              (call $thrower (local.get $k)))
            (return (i32.const 100)))        ;; nothing thrown
          (return (i32.const 99)))           ;; catch_all
        ;; $e2 payload: i64 f64
        (local.set $d)
        (i32.add (i32.wrap_i64) (i32.trunc_f64_s (f64.mul (local.get $d) (f64.const 10))))
        (return))
      ;; $e1 payload: i32
      (return))
    (i32.const -1))

  (func (export "catch_each_tag") (result i32 i32 i32 i32 i32)
    (call $classify (i32.const 0))
    (call $classify (i32.const 1))
    (call $classify (i32.const 2))
    (call $classify (i32.const 3))
    (call $classify (i32.const 4)))

  ;; catch_ref: payload + exnref; rethrow via throw_ref, caught again outside
  (func $rethrow_inner (result i32)
    (local $ex exnref)
    (block $h (result i32 exnref)
      (try_table (catch_ref $e1 $h)
        (call $thrower (i32.const 1)))
      (return (i32.const 0)))
    (local.set $ex)
    (drop)
    (throw_ref (local.get $ex)))

  (func (export "catch_ref_throw_ref") (result i32)
    (block $outer (result i32)
      (try_table (result i32) (catch $e1 $outer)
        (call $rethrow_inner))
      (drop)
      (i32.const -5))
    (i32.add (i32.const 1000)))

  ;; catch_all_ref captures any exception as exnref
  (func $capture (param $k i32) (result exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h)
        (call $thrower (local.get $k)))
      (ref.null exn)
      (return))
    (return))

  (func (export "catch_all_ref_then_rethrow") (result i32 i32)
    (local $ex exnref)
    (local.set $ex (call $capture (i32.const 3)))
    (ref.is_null (call $capture (i32.const 9)))
    (block $h (result i32 i32)
      (try_table (catch $e3 $h)
        (throw_ref (local.get $ex)))
      (i32.const 0) (i32.const 0))
    (i32.mul)
    )

  ;; exceptions unwinding several frames and try_table with results when nothing is thrown
  (func $deep (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (throw $e1 (i32.const 77)) (i32.const 0))
      (else (i32.add (call $deep (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))

  (func (export "unwind_frames") (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e1 $h)
        (call $deep (i32.const 50)))))

  (func (export "try_table_no_throw") (result i32)
    (block $h
      (return
        (try_table (result i32) (catch_all $h)
          (i32.const 5)
          (i32.const 6)
          (i32.add))))
    (i32.const -1))

  ;; nested try_tables: inner does not match, outer does
  (func (export "nested_try_tables") (result i64)
    (block $outer (result i64 f64)
      (block $inner (result i32)
        (try_table (catch $e2 $outer)
          (try_table (catch $e1 $inner)
            (call $thrower (i32.const 2))))
        (return (i64.const 0)))
      (return (i64.extend_i32_s)))
    (drop))

  ;; try_table with params
  (func (export "try_table_params") (result i32)
    (i32.const 20) (i32.const 22)
    (try_table (param i32 i32) (result i32)
      (i32.add)))
)
