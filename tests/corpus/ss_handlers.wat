;; Stack switching: resume with zero, one and several (on $tag $label) clauses;
;; tags with several params and with results (handler blocks yield all the tag's
;; params followed by the continuation); answering a suspension by resuming with
;; values or by cont.bind; a continuation returning several values.
(module $ss_handlers
  (type $unit_f (func (result i32)))
  (type $unit_ct (cont $unit_f))
  (type $a_f (func (param i32) (result i32)))
  (type $a_ct (cont $a_f))
  (type $b_f (func (param i64) (result i32)))
  (type $b_ct (cont $b_f))
  (type $multi_f (func (result i32 i64 f64)))
  (type $multi_ct (cont $multi_f))
  (type $args_f (func (param i32 i64) (result i64 i32)))
  (type $args_ct (cont $args_f))

  (tag $a (param i32) (result i32))           ;; ask with a value, get an answer
  (tag $b (param i64 i64) (result i64))       ;; two params, one result
  (tag $c)                                    ;; no params, no results
  (tag $d (param i32 f64 i64))                ;; several params, no result

  (func $worker (result i32)
    (local $x i32) (local $y i64)
    (local.set $x (suspend $a (i32.const 21)))                  ;; 42
    (local.set $y (suspend $b (i64.const 100) (i64.const 23)))   ;; 123
    (suspend $c)
    (suspend $d (local.get $x) (f64.const 2.5) (local.get $y))
    (local.set $x (i32.add (local.get $x) (suspend $a (i32.const 5))))  ;; 42 + 10
    (i32.add (local.get $x) (i32.wrap_i64 (local.get $y))))          ;; 52 + 123 = 175

  (func $no_suspend (result i32 i64 f64)
    (i32.const 7) (i64.const -8) (f64.const 9.5))

  (func $with_args (param $p i32) (param $q i64) (result i64 i32)
    (i64.add (local.get $q) (i64.extend_i32_s (local.get $p)))
    (i32.mul (local.get $p) (i32.const 3)))

  (elem declare func $worker $no_suspend $with_args)

  ;; several handlers; every suspended continuation is normalised to $unit_ct with
  ;; cont.bind so that the driver loop has one continuation type
  (func (export "several_handlers") (result i32 i32 i32)
    (local $k (ref null $unit_ct))
    (local $ka (ref null $a_ct)) (local $kb (ref null $b_ct))
    (local $log i32) (local $d_sum i32)
    (local $x i32) (local $f f64) (local $y i64)
    (local.set $k (cont.new $unit_ct (ref.func $worker)))
    (loop $loop
      (block $on_a (result i32 (ref $a_ct))
        (block $on_b (result i64 i64 (ref $b_ct))
          (block $on_c (result (ref $unit_ct))
            (block $on_d (result i32 f64 i64 (ref $unit_ct))
              (resume $unit_ct (on $a $on_a) (on $b $on_b) (on $c $on_c) (on $d $on_d)
                (local.get $k))
              (return (local.get $log) (local.get $d_sum)))
            ;; $d: i32 f64 i64, continuation
            (local.set $k)
            (local.set $y) (local.set $f) (local.set $x)
            (local.set $d_sum
              (i32.add (i32.add (local.get $x) (i32.trunc_f64_s (f64.mul (local.get $f) (f64.const 10))))
                       (i32.wrap_i64 (local.get $y))))
            (local.set $log (i32.add (i32.mul (local.get $log) (i32.const 10)) (i32.const 4)))
            (br $loop))
          ;; $c: continuation only
          (local.set $k)
          (local.set $log (i32.add (i32.mul (local.get $log) (i32.const 10)) (i32.const 3)))
          (br $loop))
        ;; $b: i64 i64, continuation expecting an i64
        (local.set $kb)
        (i64.add)
        (local.set $y)
        (local.set $k (cont.bind $b_ct $unit_ct (local.get $y) (local.get $kb)))
        (local.set $log (i32.add (i32.mul (local.get $log) (i32.const 10)) (i32.const 2)))
        (br $loop))
      ;; $a: i32, continuation expecting an i32
      (local.set $ka)
      (local.set $x)
      (local.set $k (cont.bind $a_ct $unit_ct (i32.mul (local.get $x) (i32.const 2)) (local.get $ka)))
      (local.set $log (i32.add (i32.mul (local.get $log) (i32.const 10)) (i32.const 1)))
      (br $loop))
    (unreachable))

  ;; zero handlers: the continuation never suspends and returns several values
  (func (export "zero_handlers_multi_value") (result i32 i64 f64)
    (resume $multi_ct (cont.new $multi_ct (ref.func $no_suspend))))

  ;; zero handlers, continuation with parameters and several results
  (func (export "zero_handlers_with_args") (result i64 i32)
    (resume $args_ct (i32.const 5) (i64.const 1000) (cont.new $args_ct (ref.func $with_args))))

  ;; answering by resuming with values directly (no cont.bind), one handler clause
  (func $asker (result i32)
    (i32.add (suspend $a (i32.const 1))
      (i32.add (suspend $a (i32.const 2)) (suspend $a (i32.const 3)))))
  (elem declare func $asker)

  (func (export "answer_by_resume_args") (result i32 i32)
    (local $k (ref null $a_ct)) (local $q i32) (local $questions i32)
    (block $first (result i32 (ref $a_ct))
      (resume $unit_ct (on $a $first) (cont.new $unit_ct (ref.func $asker)))
      (return (i32.const -1) (i32.const -1)))
    (local.set $k)
    (local.set $q)
    (loop $l
      (local.set $questions (i32.add (local.get $questions) (local.get $q)))
      (block $again (result i32 (ref $a_ct))
        ;; answer q with q * 100
        (resume $a_ct (on $a $again) (i32.mul (local.get $q) (i32.const 100)) (local.get $k))
        (return (local.get $questions)))
      (local.set $k)
      (local.set $q)
      (br $l))
    (unreachable))

  ;; the same tag handled twice in one clause list: the first matching clause wins
  (func (export "first_clause_wins") (result i32)
    (block $second (result i32 (ref $a_ct))
      (block $first (result i32 (ref $a_ct))
        (resume $unit_ct (on $a $first) (on $a $second) (cont.new $unit_ct (ref.func $asker)))
        (return (i32.const -1)))
      (drop) (drop) (return (i32.const 1)))
    (drop) (drop) (i32.const 2))
)
