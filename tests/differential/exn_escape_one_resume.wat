;; An exception escaping a continuation through one `resume`, caught by the resumer, and the
;; state afterwards: a task that was suspended before is resumed and finishes normally, fresh
;; tasks run to the end, and another task throws and escapes the same way. Task `id` prints
;; `10 * id`, suspends, prints `10 * id + 1`, then (task 1) throws `10 * id + 2` or (others)
;; suspends again and prints `10 * id + 3`. `_start` prints `1000 + payload` for what it
;; catches.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fi (func (param i32)))
  (type $ci (cont $fi))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $y)
  (tag $e (param i32))
  (elem declare func $task)

  (func $task (param $id i32)
    (call $print_i32 (i32.mul (local.get $id) (i32.const 10)))
    (suspend $y)
    (call $print_i32 (i32.add (i32.mul (local.get $id) (i32.const 10)) (i32.const 1)))
    (if (i32.eq (local.get $id) (i32.const 1))
      (then (throw $e (i32.add (i32.mul (local.get $id) (i32.const 10)) (i32.const 2)))))
    (suspend $y)
    (call $print_i32 (i32.add (i32.mul (local.get $id) (i32.const 10)) (i32.const 3))))

  (func $new (param $id i32) (result (ref null $cv))
    (cont.bind $ci $cv (local.get $id) (cont.new $ci (ref.func $task))))

  ;; Resumes $k: its next continuation, or null when it returned.
  (func $run (param $k (ref null $cv)) (result (ref null $cv))
    (block $on_y (result (ref $cv))
      (resume $cv (on $y $on_y) (local.get $k))
      (return (ref.null $cv)))
    (return))

  ;; Resumes $k, catching $e: null when it threw.
  (func $run_catching (param $k (ref null $cv)) (result (ref null $cv))
    (block $caught (result i32)
      (try_table (catch $e $caught)
        (return (call $run (local.get $k))))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 1000)))
    (ref.null $cv))

  (func (export "_start")
    (local $a (ref null $cv))
    (local $b (ref null $cv))
    (local $k (ref null $cv))
    (local.set $a (call $run (call $new (i32.const 1))))
    (local.set $b (call $run (call $new (i32.const 2))))
    (drop (call $run_catching (local.get $a)))
    (local.set $b (call $run (local.get $b)))
    (drop (call $run (local.get $b)))
    (local.set $k (call $run (call $new (i32.const 3))))
    (local.set $k (call $run (local.get $k)))
    (drop (call $run (local.get $k)))
    (local.set $k (call $run (call $new (i32.const 1))))
    (drop (call $run_catching (local.get $k)))
    (call $print_i32 (i32.const 4))))
