;; Continuations stored in another module's exported global: a producer parks its
;; continuation in a mutable global the hub exports, and a consumer in a third module takes it
;; from there and resumes it.
(module $hub
  (type $f (func))
  (type $c (cont $f))
  (tag $park (export "park"))
  (global $parked (export "parked") (mut (ref null $c)) (ref.null $c))
  (global $log (export "log") (mut i32) (i32.const 0)))
(register "hub")

(module $producer
  (type $f (func))
  (type $c (cont $f))
  (import "hub" "park" (tag $park))
  (import "hub" "parked" (global $parked (mut (ref null $c))))
  (import "hub" "log" (global $log (mut i32)))
  (func $work
    (global.set $log (i32.add (i32.mul (global.get $log) (i32.const 10)) (i32.const 1)))
    (suspend $park)
    (global.set $log (i32.add (i32.mul (global.get $log) (i32.const 10)) (i32.const 2)))
    (suspend $park)
    (global.set $log (i32.add (i32.mul (global.get $log) (i32.const 10)) (i32.const 3))))
  (elem declare func $work)
  ;; Runs the work to its first park and leaves the rest in the hub's global.
  (func (export "start")
    (block $on_park (result (ref $c))
      (resume $c (on $park $on_park) (cont.new $c (ref.func $work)))
      (return))
    (global.set $parked)))
(register "producer")

(module $consumer
  (type $f (func))
  (type $c (cont $f))
  (import "hub" "park" (tag $park))
  (import "hub" "parked" (global $parked (mut (ref null $c))))
  (import "hub" "log" (global $log (mut i32)))
  ;; Resumes what is parked; whatever parks again goes back into the global.
  (func (export "step") (result i32)
    (block $on_park (result (ref $c))
      (resume $c (on $park $on_park) (global.get $parked))
      (global.set $parked (ref.null $c))
      (return (global.get $log)))
    (global.set $parked)
    (global.get $log))
  (func (export "is_parked") (result i32)
    (i32.eqz (ref.is_null (global.get $parked)))))

(assert_return (invoke $consumer "is_parked") (i32.const 0))
(invoke $producer "start")
(assert_return (invoke $consumer "is_parked") (i32.const 1))
(assert_return (invoke $consumer "step") (i32.const 12))
(assert_return (invoke $consumer "step") (i32.const 123))
(assert_return (invoke $consumer "is_parked") (i32.const 0))
(assert_trap (invoke $consumer "step") "null")
