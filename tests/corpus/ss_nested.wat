;; Stack switching: nested handlers. A leaf computation runs under a middle handler
;; that handles $ask by forwarding it (suspend $ask again) to the outer handler and
;; adjusting the answer; $log is not handled by the middle handler, so it goes straight
;; to the outer one, and the outer handler's resume continues inside the middle frame.
;; Also: three levels of generators, and a continuation created inside another one.
(module $ss_nested
  (type $unit_f (func (result i32)))
  (type $unit_ct (cont $unit_f))
  (type $ask_f (func (param i32) (result i32)))
  (type $ask_ct (cont $ask_f))
  (type $v_f (func))
  (type $v_ct (cont $v_f))

  (tag $ask (result i32))
  (tag $log (param i32))
  (tag $emit (param i32))

  (func $leaf (result i32)
    (local $a i32) (local $b i32)
    (local.set $a (suspend $ask))          ;; outer answers 1, middle adds 1000
    (suspend $log (local.get $a))           ;; handled by outer directly
    (local.set $b (suspend $ask))          ;; outer answers 2, middle adds 1000
    (suspend $log (local.get $b))
    (i32.add (local.get $a) (local.get $b)))

  ;; middle handler: forwards $ask outward, transforms the answer
  (func $middle (result i32)
    (local $k (ref null $unit_ct)) (local $ka (ref null $ask_ct)) (local $v i32)
    (local.set $k (cont.new $unit_ct (ref.func $leaf)))
    (loop $l
      (block $on_ask (result (ref $ask_ct))
        (resume $unit_ct (on $ask $on_ask) (local.get $k))
        (return (i32.mul (i32.const 10))))   ;; leaf finished: scale its result
      (local.set $ka)
      (local.set $v (suspend $ask))          ;; forward to the enclosing handler
      (local.set $k (cont.bind $ask_ct $unit_ct (i32.add (local.get $v) (i32.const 1000)) (local.get $ka)))
      (br $l))
    (unreachable))

  (elem declare func $leaf $middle)

  (func (export "forwarding") (result i32 i32 i32 i32)
    (local $k (ref null $unit_ct)) (local $ka (ref null $ask_ct))
    (local $asks i32) (local $logsum i32) (local $logs i32)
    (local.set $k (cont.new $unit_ct (ref.func $middle)))
    (loop $l
      (block $on_log (result i32 (ref $unit_ct))
        (block $on_ask (result (ref $ask_ct))
          (resume $unit_ct (on $ask $on_ask) (on $log $on_log) (local.get $k))
          (return (local.get $asks) (local.get $logsum) (local.get $logs)))
        (local.set $ka)
        (local.set $asks (i32.add (local.get $asks) (i32.const 1)))
        (local.set $k (cont.bind $ask_ct $unit_ct (local.get $asks) (local.get $ka)))
        (br $l))
      (local.set $k)
      (local.set $logsum (i32.add (local.get $logsum)))
      (local.set $logs (i32.add (local.get $logs) (i32.const 1)))
      (br $l))
    (unreachable))

  ;; three levels: level 3 emits 1..5; level 2 re-emits each value doubled;
  ;; level 1 (the export) sums; level 2 also counts.
  (global $level2_count (mut i32) (i32.const 0))

  (func $level3
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (suspend $emit (local.get $i))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 5)))))

  (func $level2
    (local $k (ref null $v_ct))
    (local.set $k (cont.new $v_ct (ref.func $level3)))
    (block $done
      (loop $l
        (block $on_emit (result i32 (ref $v_ct))
          (resume $v_ct (on $emit $on_emit) (local.get $k))
          (br $done))
        (local.set $k)
        (global.set $level2_count (i32.add (global.get $level2_count) (i32.const 1)))
        (suspend $emit (i32.mul (i32.const 2)))   ;; forward the doubled value
        (br $l))))

  (elem declare func $level2 $level3)

  (func (export "three_levels") (result i32 i32)
    (local $k (ref null $v_ct)) (local $sum i32)
    (local.set $k (cont.new $v_ct (ref.func $level2)))
    (block $done
      (loop $l
        (block $on_emit (result i32 (ref $v_ct))
          (resume $v_ct (on $emit $on_emit) (local.get $k))
          (br $done))
        (local.set $k)
        (local.set $sum (i32.add (local.get $sum)))
        (br $l)))
    (local.get $sum) (global.get $level2_count))

  ;; an unhandled tag inside the inner resume (no clauses at all) reaches the outer handler
  (func $inner_no_clauses (result i32)
    (resume $unit_ct (cont.new $unit_ct (ref.func $leaf))))
  (elem declare func $inner_no_clauses)

  (func (export "inner_resume_without_clauses") (result i32 i32)
    (local $k (ref null $unit_ct)) (local $ka (ref null $ask_ct)) (local $events i32)
    (local.set $k (cont.new $unit_ct (ref.func $inner_no_clauses)))
    (loop $l
      (block $on_log (result i32 (ref $unit_ct))
        (block $on_ask (result (ref $ask_ct))
          (resume $unit_ct (on $ask $on_ask) (on $log $on_log) (local.get $k))
          (return (local.get $events)))
        (local.set $ka)
        (local.set $events (i32.add (local.get $events) (i32.const 1)))
        (local.set $k (cont.bind $ask_ct $unit_ct (i32.mul (local.get $events) (i32.const 7)) (local.get $ka)))
        (br $l))
      (local.set $k)
      (drop)
      (local.set $events (i32.add (local.get $events) (i32.const 100)))
      (br $l))
    (unreachable))
)
