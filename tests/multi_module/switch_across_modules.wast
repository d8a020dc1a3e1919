;; `switch` between continuations of different modules: two peers, each in its own module,
;; pass control back and forth with a switch tag a third module defines, handled by a
;; `resume` in the driver module.
(module $proto
  (type $fp (func (param i32) (result i32)))
  (rec
    (type $peer_f (func (param i32 (ref null $peer)) (result i32)))
    (type $peer (cont $peer_f)))
  (tag $sw (export "sw") (result i32)))
(register "proto")

(module $ping
  (rec
    (type $peer_f (func (param i32 (ref null $peer)) (result i32)))
    (type $peer (cont $peer_f)))
  (import "proto" "sw" (tag $sw (result i32)))
  ;; Adds 1 and switches to the other peer until the count reaches 10.
  (func $ping (export "ping") (type $peer_f) (param $n i32) (param $other (ref null $peer)) (result i32)
    (loop $again
      (if (i32.ge_u (local.get $n) (i32.const 10)) (then (return (local.get $n))))
      (switch $peer $sw (i32.add (local.get $n) (i32.const 1)) (local.get $other))
      (local.set $other)
      (local.set $n)
      (br $again))
    (unreachable))
  (elem declare func $ping)
  (func (export "new_ping") (result (ref $peer)) (cont.new $peer (ref.func $ping))))
(register "ping")

(module $pong
  (rec
    (type $peer_f (func (param i32 (ref null $peer)) (result i32)))
    (type $peer (cont $peer_f)))
  (import "proto" "sw" (tag $sw (result i32)))
  ;; Doubles and switches back, until the count reaches 10.
  (func $pong (type $peer_f) (param $n i32) (param $other (ref null $peer)) (result i32)
    (loop $again
      (if (i32.ge_u (local.get $n) (i32.const 10)) (then (return (i32.add (local.get $n) (i32.const 1000)))))
      (switch $peer $sw (i32.mul (local.get $n) (i32.const 2)) (local.get $other))
      (local.set $other)
      (local.set $n)
      (br $again))
    (unreachable))
  (elem declare func $pong)
  (func (export "new_pong") (result (ref $peer)) (cont.new $peer (ref.func $pong))))
(register "pong")

(module $driver
  (rec
    (type $peer_f (func (param i32 (ref null $peer)) (result i32)))
    (type $peer (cont $peer_f)))
  (type $f2 (func (param i32) (result i32)))
  (type $c2 (cont $f2))
  (import "proto" "sw" (tag $sw (result i32)))
  (import "ping" "new_ping" (func $new_ping (result (ref $peer))))
  (import "pong" "new_pong" (func $new_pong (result (ref $peer))))
  (func (export "run") (param $n i32) (result i32)
    (resume $peer (on $sw switch) (local.get $n) (call $new_pong) (call $new_ping))))

(assert_return (invoke "run" (i32.const 0)) (i32.const 14))
(assert_return (invoke "run" (i32.const 3)) (i32.const 18))
(assert_return (invoke "run" (i32.const 9)) (i32.const 1010))
