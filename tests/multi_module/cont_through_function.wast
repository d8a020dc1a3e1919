;; A continuation created in one module is passed to another's exported function, which
;; resumes it under a handler for the first module's tag, then hands it back to be finished.
(module $maker
  (type $f (func (param i32) (result i32)))
  (type $c (cont $f))
  (tag $step (export "step") (param i32) (result i32))
  (func $body (param $x i32) (result i32)
    (local.set $x (suspend $step (i32.add (local.get $x) (i32.const 1))))
    (local.set $x (suspend $step (i32.mul (local.get $x) (i32.const 3))))
    (i32.sub (local.get $x) (i32.const 4)))
  (elem declare func $body)
  (func (export "make") (result (ref $c)) (cont.new $c (ref.func $body))))
(register "maker")

(module $driver
  (type $f (func (param i32) (result i32)))
  (type $c (cont $f))
  (import "maker" "step" (tag $step (param i32) (result i32)))
  (import "maker" "make" (func $make (result (ref $c))))
  (global $seen (mut i32) (i32.const 0))
  ;; Resumes `k` with `x` once: the value it suspends with is kept, its continuation returned.
  (func $once (export "once") (param $k (ref $c)) (param $x i32) (result (ref $c))
    (block $on_step (result i32 (ref $c))
      (drop (resume $c (on $step $on_step) (local.get $x) (local.get $k)))
      (unreachable))
    (local.set $k)
    (global.set $seen)
    (local.get $k))
  (func (export "seen") (result i32) (global.get $seen))
  ;; Runs to the end, answering each step with what it suspended with plus 100.
  (func $finish (export "finish") (param $k (ref $c)) (result i32)
    (local $v i32)
    (loop $again
      (block $on_step (result i32 (ref $c))
        (return (resume $c (on $step $on_step) (local.get $v) (local.get $k))))
      (local.set $k)
      (local.set $v (i32.add (i32.const 100)))
      (br $again))
    (unreachable))
  (func (export "run") (param $x i32) (result i32)
    (call $finish (call $once (call $make) (local.get $x)))))
(register "driver")

(module $user
  (type $f (func (param i32) (result i32)))
  (type $c (cont $f))
  (import "maker" "make" (func $make (result (ref $c))))
  (import "driver" "once" (func $once (param (ref $c)) (param i32) (result (ref $c))))
  (import "driver" "finish" (func $finish (param (ref $c)) (result i32)))
  (import "driver" "seen" (func $seen (result i32)))
  (func (export "two_steps") (result i32)
    (call $finish (call $once (call $once (call $make) (i32.const 5)) (i32.const 7))))
  (func (export "seen_after") (result i32)
    (drop (call $once (call $once (call $make) (i32.const 5)) (i32.const 7)))
    (call $seen)))

(assert_return (invoke $driver "run" (i32.const 2)) (i32.const 96))
(assert_return (invoke $user "two_steps") (i32.const -4))
(assert_return (invoke $user "seen_after") (i32.const 21))
