;; Start functions of linked modules run in instantiation order, and each module's
;; initialisers see the globals and functions of the modules it imports; a continuation made
;; by a start function is stored for later and resumed by another module.
(module $first
  (type $f (func (result i32)))
  (type $c (cont $f))
  (global $trace (export "trace") (mut i32) (i32.const 0))
  (global $pending (export "pending") (mut (ref null $c)) (ref.null $c))
  (func $note (export "note") (param i32)
    (global.set $trace (i32.add (i32.mul (global.get $trace) (i32.const 10)) (local.get 0))))
  (func $start (call $note (i32.const 1)))
  (start $start))
(register "first")

(module $second
  (type $f (func (result i32)))
  (type $c (cont $f))
  (import "first" "note" (func $note (param i32)))
  (import "first" "trace" (global $trace (mut i32)))
  (import "first" "pending" (global $pending (mut (ref null $c))))
  (tag $later (export "later"))
  (func $deferred (result i32)
    (call $note (i32.const 4))
    (suspend $later)
    (call $note (i32.const 5))
    (global.get $trace))
  (elem declare func $deferred)
  (func $start
    (call $note (i32.const 2))
    (global.set $pending (cont.new $c (ref.func $deferred))))
  (start $start))
(register "second")

(module $third
  (type $f (func (result i32)))
  (type $c (cont $f))
  (import "first" "note" (func $note (param i32)))
  (import "first" "trace" (global $trace (mut i32)))
  (import "first" "pending" (global $pending (mut (ref null $c))))
  (import "second" "later" (tag $later))
  (func $start (call $note (i32.const 3)))
  (start $start)
  (func (export "trace") (result i32) (global.get $trace))
  ;; Runs the pending continuation to its suspension, then to its end.
  (func (export "finish") (result i32)
    (block $on_later (result (ref $c))
      (return (resume $c (on $later $on_later) (global.get $pending))))
    (global.set $pending)
    (call $note (i32.const 9))
    (resume $c (global.get $pending))))

(assert_return (invoke "trace") (i32.const 123))
(assert_return (invoke "finish") (i32.const 123495))
(assert_trap (invoke "finish") "continuation already consumed")
