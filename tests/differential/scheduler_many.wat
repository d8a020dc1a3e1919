;; A scheduler with many tasks: 64 continuations in a FIFO run queue (a ring buffer in a
;; table). Task i yields (i mod 4) + 1 times, adding i to a global sum before each yield, keeps
;; i * i in a local across its yields and adds it to a second sum when it finishes, returning
;; its id. The scheduler prints the number of resumes (64 + 160), both sums, a hash of the
;; completion order (h = 31 h + id, wrapping) and the first and last task to finish
;; (completions go 0, 4, 8, ..., 60, 1, 5, ..., 63).
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $tf (func (param i32) (result i32)))
  (type $tc (cont $tf))
  (type $f (func (result i32)))
  (type $c (cont $f))
  (tag $yield)
  (table $queue 64 (ref null $c))
  (global $head (mut i32) (i32.const 0))
  (global $tail (mut i32) (i32.const 0))
  (global $sum (mut i32) (i32.const 0))
  (global $squares (mut i32) (i32.const 0))
  (elem declare func $task)

  (func $task (param $id i32) (result i32)
    (local $mine i32)
    (local $n i32)
    (local.set $mine (i32.mul (local.get $id) (local.get $id)))
    (local.set $n (i32.add (i32.rem_u (local.get $id) (i32.const 4)) (i32.const 1)))
    (loop $l
      (global.set $sum (i32.add (global.get $sum) (local.get $id)))
      (suspend $yield)
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (global.set $squares (i32.add (global.get $squares) (local.get $mine)))
    (local.get $id))

  (func $push (param $k (ref $c))
    (table.set $queue (i32.and (global.get $tail) (i32.const 63)) (local.get $k))
    (global.set $tail (i32.add (global.get $tail) (i32.const 1))))

  (func $pop (result (ref null $c))
    (local $slot i32)
    (local $k (ref null $c))
    (local.set $slot (i32.and (global.get $head) (i32.const 63)))
    (local.set $k (table.get $queue (local.get $slot)))
    (table.set $queue (local.get $slot) (ref.null $c))
    (global.set $head (i32.add (global.get $head) (i32.const 1)))
    (local.get $k))

  (func (export "_start")
    (local $i i32)
    (local $resumes i32)
    (local $hash i32)
    (local $first i32)
    (local $last i32)
    (local.set $first (i32.const -1))
    (loop $spawn
      (call $push
        (cont.bind $tc $c (local.get $i) (cont.new $tc (ref.func $task))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn (i32.lt_u (local.get $i) (i32.const 64))))
    (block $empty
      (loop $run
        (br_if $empty (i32.eq (global.get $head) (global.get $tail)))
        (local.set $resumes (i32.add (local.get $resumes) (i32.const 1)))
        (block $on_yield (result (ref $c))
          (resume $c (on $yield $on_yield) (call $pop))
          (local.set $last)
          (if (i32.lt_s (local.get $first) (i32.const 0))
            (then (local.set $first (local.get $last))))
          (local.set $hash
            (i32.add (i32.mul (local.get $hash) (i32.const 31)) (local.get $last)))
          (br $run))
        (call $push)
        (br $run)))
    (call $print_i32 (local.get $resumes))
    (call $print_i32 (global.get $sum))
    (call $print_i32 (global.get $squares))
    (call $print_i32 (local.get $hash))
    (call $print_i32 (local.get $first))
    (call $print_i32 (local.get $last))))
