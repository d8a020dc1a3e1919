;; A table of continuations exported by one module and filled and drained by two others: a
;; round-robin of tasks whose continuations live in the shared table between turns.
(module $slots
  (type $f (func (param i32) (result i32)))
  (type $c (cont $f))
  (tag $pause (export "pause") (param i32) (result i32))
  (table $tasks (export "tasks") 4 (ref null $c)))
(register "slots")

(module $spawner
  (type $f (func (param i32) (result i32)))
  (type $c (cont $f))
  (import "slots" "pause" (tag $pause (param i32) (result i32)))
  (import "slots" "tasks" (table $tasks 4 (ref null $c)))
  ;; Adds what each resume brings to its running total, pausing with the total each time.
  (func $accumulate (param $x i32) (result i32)
    (local $total i32)
    (loop $again
      (local.set $total (i32.add (local.get $total) (local.get $x)))
      (local.set $x (suspend $pause (local.get $total)))
      (br_if $again (local.get $x)))
    (local.get $total))
  (elem declare func $accumulate)
  (func (export "spawn") (param $slot i32)
    (table.set $tasks (local.get $slot) (cont.new $c (ref.func $accumulate)))))
(register "spawner")

(module $runner
  (type $f (func (param i32) (result i32)))
  (type $c (cont $f))
  (import "slots" "pause" (tag $pause (param i32) (result i32)))
  (import "slots" "tasks" (table $tasks 4 (ref null $c)))
  ;; Resumes the task in `slot` with `x`: what it pauses with, or its result when it ends
  ;; (its slot is emptied then).
  (func (export "feed") (param $slot i32) (param $x i32) (result i32)
    (local $v i32)
    (local $k (ref null $c))
    (block $on_pause (result i32 (ref $c))
      (local.set $v (resume $c (on $pause $on_pause) (local.get $x) (table.get $tasks (local.get $slot))))
      (table.set $tasks (local.get $slot) (ref.null $c))
      (return (i32.add (local.get $v) (i32.const 1000))))
    (local.set $k)
    (table.set $tasks (local.get $slot) (local.get $k)))
  ;; Resumes the task in `slot` but leaves the consumed continuation in the table.
  (func (export "feed_and_forget") (param $slot i32) (param $x i32) (result i32)
    (block $on_pause (result i32 (ref $c))
      (return (resume $c (on $pause $on_pause) (local.get $x) (table.get $tasks (local.get $slot)))))
    (drop)))

(invoke $spawner "spawn" (i32.const 0))
(invoke $spawner "spawn" (i32.const 1))
(assert_return (invoke $runner "feed" (i32.const 0) (i32.const 5)) (i32.const 5))
(assert_return (invoke $runner "feed" (i32.const 1) (i32.const 7)) (i32.const 7))
(assert_return (invoke $runner "feed" (i32.const 0) (i32.const 10)) (i32.const 15))
(assert_return (invoke $runner "feed" (i32.const 1) (i32.const 1)) (i32.const 8))
(assert_return (invoke $runner "feed" (i32.const 0) (i32.const 0)) (i32.const 1015))
(assert_trap (invoke $runner "feed" (i32.const 0) (i32.const 1)) "null")
(assert_return (invoke $runner "feed_and_forget" (i32.const 1) (i32.const 2)) (i32.const 10))
(assert_trap (invoke $runner "feed_and_forget" (i32.const 1) (i32.const 2)) "continuation already consumed")
