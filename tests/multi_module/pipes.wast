;; Pipes between modules: a pipe library whose `pipe` runs a producer and a consumer (each a
;; continuation from another module) in lockstep: `send` in the producer hands a value to the
;; consumer's `receive`.
(module $pipe
  (type $f (func))
  (type $c (cont $f))
  (type $fi (func (param i32)))
  (type $ci (cont $fi))
  (tag $send (export "send") (param i32))
  (tag $receive (export "receive") (result i32))
  ;; Runs the consumer until it wants a value, then the producer until it sends one.
  (func (export "pipe") (param $producer (ref $c)) (param $consumer (ref $c))
    (local $wants (ref null $ci))
    (local $value i32)
    (block $consumer_done
      (block $on_receive (result (ref $ci))
        (resume $c (on $receive $on_receive) (local.get $consumer))
        (br $consumer_done))
      (local.set $wants)
      (loop $produce
        (block $on_send (result i32 (ref $c))
          (resume $c (on $send $on_send) (local.get $producer))
          ;; The producer ended: the consumer is left waiting.
          (br $consumer_done))
        (local.set $producer)
        (local.set $value)
        (block $on_receive2 (result (ref $ci))
          (resume $ci (on $receive $on_receive2) (local.get $value) (local.get $wants))
          (br $consumer_done))
        (local.set $wants)
        (br $produce)))))
(register "pipe")

(module $numbers
  (import "pipe" "send" (tag $send (param i32)))
  (global $limit (mut i32) (i32.const 0))
  (func (export "set_limit") (param i32) (global.set $limit (local.get 0)))
  ;; Sends 1, 2, 3, ... up to the limit.
  (func (export "produce")
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (suspend $send (local.get $i))
      (br_if $l (i32.lt_u (local.get $i) (global.get $limit))))))
(register "numbers")

(module $squares
  (import "pipe" "send" (tag $send (param i32)))
  (import "pipe" "receive" (tag $receive (result i32)))
  ;; A filter: receives and sends the square, forever.
  (func (export "filter")
    (local $x i32)
    (loop $l
      (local.set $x (suspend $receive))
      (suspend $send (i32.mul (local.get $x) (local.get $x)))
      (br $l))))
(register "squares")

(module $main
  (type $f (func))
  (type $c (cont $f))
  (import "pipe" "receive" (tag $receive (result i32)))
  (import "pipe" "send" (tag $send (param i32)))
  (import "pipe" "pipe" (func $pipe (param (ref $c)) (param (ref $c))))
  (import "numbers" "produce" (func $produce))
  (import "numbers" "set_limit" (func $set_limit (param i32)))
  (import "squares" "filter" (func $filter))
  (global $total (mut i32) (i32.const 0))
  (global $received (mut i32) (i32.const 0))
  (func $sum
    (loop $l
      (global.set $total (i32.add (global.get $total) (suspend $receive)))
      (global.set $received (i32.add (global.get $received) (i32.const 1)))
      (br $l)))
  ;; A pipe nested in the producer's place: the filter's sends pass its `receive` handler and
  ;; reach the outer pipe, which hands them to the sum.
  (func $squares_of_numbers
    (call $pipe (cont.new $c (ref.func $produce)) (cont.new $c (ref.func $filter_forwarding))))
  (func $filter_forwarding (call $filter))
  (elem declare func $produce $sum $filter_forwarding $squares_of_numbers)
  (func (export "sum_numbers") (param $n i32) (result i32 i32)
    (global.set $total (i32.const 0))
    (global.set $received (i32.const 0))
    (call $set_limit (local.get $n))
    (call $pipe (cont.new $c (ref.func $produce)) (cont.new $c (ref.func $sum)))
    (global.get $total)
    (global.get $received))
  (func (export "sum_squares") (param $n i32) (result i32 i32)
    (global.set $total (i32.const 0))
    (global.set $received (i32.const 0))
    (call $set_limit (local.get $n))
    (call $pipe (cont.new $c (ref.func $squares_of_numbers)) (cont.new $c (ref.func $sum)))
    (global.get $total)
    (global.get $received)))

(assert_return (invoke "sum_numbers" (i32.const 10)) (i32.const 55) (i32.const 10))
(assert_return (invoke "sum_numbers" (i32.const 1)) (i32.const 1) (i32.const 1))
(assert_return (invoke "sum_numbers" (i32.const 100)) (i32.const 5050) (i32.const 100))
(assert_return (invoke "sum_squares" (i32.const 4)) (i32.const 30) (i32.const 4))
(assert_return (invoke "sum_squares" (i32.const 10)) (i32.const 385) (i32.const 10))
