;; A scheduler whose tasks spawn tasks: continuations are created inside continuations and
;; passed to the scheduler as the payload of `suspend $spawn (ref $c)`. Task (id, depth) prints
;; its id, spawns (2 id + 1) and (2 id + 2) when depth < 2, yields, then prints 100 + id. The
;; scheduler queues a spawned task at the back of a FIFO ring buffer (a table) and resumes
;; the spawner at once; a yielding task goes to the back. Finally it prints how many tasks
;; finished.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $tf (func (param i32 i32)))
  (type $tc (cont $tf))
  (type $f (func))
  (type $c (cont $f))
  (tag $spawn (param (ref $c)))
  (tag $yield)
  (table $queue 16 (ref null $c))
  (global $head (mut i32) (i32.const 0))
  (global $tail (mut i32) (i32.const 0))
  (elem declare func $task)

  (func $new_task (param $id i32) (param $depth i32) (result (ref $c))
    (cont.bind $tc $c (local.get $id) (local.get $depth) (cont.new $tc (ref.func $task))))

  (func $task (param $id i32) (param $depth i32)
    (call $print_i32 (local.get $id))
    (if (i32.lt_u (local.get $depth) (i32.const 2))
      (then
        (suspend $spawn
          (call $new_task
            (i32.add (i32.mul (local.get $id) (i32.const 2)) (i32.const 1))
            (i32.add (local.get $depth) (i32.const 1))))
        (suspend $spawn
          (call $new_task
            (i32.add (i32.mul (local.get $id) (i32.const 2)) (i32.const 2))
            (i32.add (local.get $depth) (i32.const 1))))))
    (suspend $yield)
    (call $print_i32 (i32.add (local.get $id) (i32.const 100))))

  (func $push (param $k (ref $c))
    (table.set $queue (i32.and (global.get $tail) (i32.const 15)) (local.get $k))
    (global.set $tail (i32.add (global.get $tail) (i32.const 1))))

  (func $pop (result (ref null $c))
    (table.get $queue (i32.and (global.get $head) (i32.const 15)))
    (global.set $head (i32.add (global.get $head) (i32.const 1))))

  (func (export "_start")
    (local $k (ref null $c))
    (local $finished i32)
    (call $push (call $new_task (i32.const 0) (i32.const 0)))
    (block $empty
      (loop $run
        (br_if $empty (i32.eq (global.get $head) (global.get $tail)))
        (local.set $k (call $pop))
        (loop $same
          (block $on_yield (result (ref $c))
            (block $on_spawn (result (ref $c) (ref $c))
              (resume $c (on $spawn $on_spawn) (on $yield $on_yield) (local.get $k))
              (local.set $finished (i32.add (local.get $finished) (i32.const 1)))
              (br $run))
            ;; Queue the new task and keep running the spawner.
            (local.set $k)
            (call $push)
            (br $same))
          (call $push)
          (br $run))))
    (call $print_i32 (local.get $finished))))
