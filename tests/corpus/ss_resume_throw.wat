;; Stack switching with exceptions: resume_throw and resume_throw_ref into a
;; suspended continuation whose suspend is wrapped in try_table (caught inside),
;; resume_throw with handler clauses still active afterwards, resume_throw into a
;; fresh continuation (the exception escapes to the resumer), and exceptions thrown
;; inside a continuation propagating out of resume.
(module $ss_resume_throw
  (type $unit_f (func (result i32)))
  (type $unit_ct (cont $unit_f))
  (type $ans_f (func (param i32) (result i32)))
  (type $ans_ct (cont $ans_f))

  (tag $yield (param i32) (result i32))
  (tag $boom (param i32))
  (tag $other (param i64 i64))

  ;; suspends inside try_table; an exception delivered by resume_throw is caught here
  (func $catcher (result i32)
    (local $got i32)
    (block $caught (result i32)
      (try_table (result i32) (catch $boom $caught)
        (suspend $yield (i32.const 1)))
      ;; resumed normally
      (return (i32.add (i32.const 1000))))
    ;; caught $boom with its payload
    (local.set $got)
    (i32.mul (local.get $got) (i32.const 2)))

  ;; catches the exception and suspends again with the payload
  (func $catch_and_resuspend (result i32)
    (local $got i32)
    (block $caught (result i32)
      (try_table (result i32) (catch $boom $caught)
        (suspend $yield (i32.const 1)))
      (return))
    (local.set $got)
    (i32.add (suspend $yield (i32.add (local.get $got) (i32.const 1))) (i32.const 5)))

  ;; catches any exception as exnref after suspension, reports whether it was $other
  (func $catch_ref_inside (result i32)
    (local $e exnref)
    (block $h (result i64 i64 exnref)
      (try_table (catch_ref $other $h)
        (drop (suspend $yield (i32.const 3))))
      (return (i32.const -1)))
    (local.set $e)
    (i32.wrap_i64 (i64.add))
    (i32.add (i32.const 10000)))

  ;; does not catch: exception escapes the continuation
  (func $no_catch (result i32)
    (i32.add (suspend $yield (i32.const 7)) (i32.const 1)))

  (func $throws_inside (result i32)
    (throw $boom (i32.const 99)))

  (elem declare func $catcher $catch_and_resuspend $catch_ref_inside $no_catch $throws_inside)

  ;; run to the first $yield and return the suspended continuation
  (func $start (param $k (ref null $unit_ct)) (result (ref $ans_ct))
    (local $suspended (ref null $ans_ct))
    (block $on (result i32 (ref $ans_ct))
      (resume $unit_ct (on $yield $on) (local.get $k))
      (unreachable))
    (local.set $suspended)
    (drop)   ;; the yielded value
    (ref.as_non_null (local.get $suspended)))

  (func (export "resume_throw_caught_inside") (result i32)
    (resume_throw $ans_ct $boom (i32.const 21)
      (call $start (cont.new $unit_ct (ref.func $catcher)))))

  (func (export "resume_normally_for_comparison") (result i32)
    (resume $ans_ct (i32.const 5)
      (call $start (cont.new $unit_ct (ref.func $catcher)))))

  (func (export "resume_throw_with_handlers") (result i32 i32)
    (local $k (ref null $ans_ct))
    (block $on (result i32 (ref $ans_ct))
      (resume_throw $ans_ct $boom (on $yield $on) (i32.const 40)
        (call $start (cont.new $unit_ct (ref.func $catch_and_resuspend))))
      (return (i32.const -1) (i32.const -1)))
    ;; suspended again with payload 41
    (local.set $k)
    (resume $ans_ct (i32.const 100) (local.get $k)))   ;; 100 + 5, plus the 41 below

  (func (export "resume_throw_ref_caught_inside") (result i32)
    (local $e exnref)
    ;; make an exnref for $other
    (block $h (result exnref)
      (try_table (catch_all_ref $h)
        (throw $other (i64.const 30) (i64.const 12)))
      (unreachable))
    (local.set $e)
    (resume_throw_ref $ans_ct (local.get $e)
      (call $start (cont.new $unit_ct (ref.func $catch_ref_inside)))))

  (func (export "resume_throw_escapes") (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $boom $h)
        (resume_throw $ans_ct $boom (i32.const 55)
          (call $start (cont.new $unit_ct (ref.func $no_catch))))))
    (i32.add (i32.const 100000)))

  (func (export "resume_throw_fresh_continuation") (result i32)
    ;; the continuation has not started: the exception is raised at its entry and
    ;; escapes immediately
    (block $h (result i32)
      (try_table (result i32) (catch $boom $h)
        (resume_throw $ans_ct $boom (i32.const 66)
          (cont.new $ans_ct (ref.func $ans_identity)))))
    (i32.add (i32.const 200000)))

  (func $ans_identity (type $ans_f) (local.get 0))
  (elem declare func $ans_identity)

  (func (export "throw_inside_propagates") (result i32)
    (block $h (result i32)
      (block $never (result i32 (ref $ans_ct))
        (try_table (result i32) (catch $boom $h)
          (resume $unit_ct (on $yield $never) (cont.new $unit_ct (ref.func $throws_inside))))
        (return))
      (unreachable))
    (i32.add (i32.const 300000)))
)
