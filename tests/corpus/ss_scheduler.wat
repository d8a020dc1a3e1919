;; Stack switching: a round-robin scheduler. Continuations are stored in a table of
;; (ref null $ct) and in a mutable global; three tasks of different lengths (spawned
;; with cont.bind of their id) yield with suspend and append to a log in memory.
(module $ss_scheduler
  (type $task_f (func (param i32)))
  (type $task_ct (cont $task_f))
  (type $run_f (func))
  (type $run_ct (cont $run_f))

  (tag $yield)

  (memory 1)
  (table $queue 8 (ref null $run_ct))
  (global $last (mut (ref null $run_ct)) (ref.null $run_ct))
  (global $log_pos (mut i32) (i32.const 0))

  (func $log (param $b i32)
    (i32.store8 (global.get $log_pos) (local.get $b))
    (global.set $log_pos (i32.add (global.get $log_pos) (i32.const 1))))

  ;; a task with id $id runs ($id + 1) steps, yielding between steps
  (func $task (type $task_f) (param $id i32)
    (local $i i32)
    (loop $l
      (call $log (i32.add (i32.mul (local.get $id) (i32.const 16)) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.le_u (local.get $i) (local.get $id))
        (then (suspend $yield) (br $l)))))

  (elem declare func $task)

  (func (export "round_robin") (result i32 i64 i64)
    (local $n i32) (local $i i32) (local $live i32) (local $k (ref null $run_ct))
    ;; spawn three tasks: bind each task id
    (loop $spawn
      (table.set $queue (local.get $n)
        (cont.bind $task_ct $run_ct (local.get $n) (cont.new $task_ct (ref.func $task))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $spawn (i32.lt_u (local.get $n) (i32.const 3))))
    ;; run until every slot is empty
    (loop $round
      (local.set $live (i32.const 0))
      (local.set $i (i32.const 0))
      (loop $slots
        (local.set $k (table.get $queue (local.get $i)))
        (if (i32.eqz (ref.is_null (local.get $k)))
          (then
            (local.set $live (i32.add (local.get $live) (i32.const 1)))
            (table.set $queue (local.get $i) (ref.null $run_ct))
            (block $finished
              (block $on_yield (result (ref $run_ct))
                (resume $run_ct (on $yield $on_yield) (local.get $k))
                (br $finished))
              (global.set $last)
              (table.set $queue (local.get $i) (global.get $last)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $slots (i32.lt_u (local.get $i) (local.get $n))))
      (br_if $round (local.get $live)))
    (global.get $log_pos)
    (i64.load (i32.const 0))
    (i64.load (i32.const 8)))
)
