;; A state effect library: `get` and `put` tags, and a handler `with_state` that runs any
;; computation a program passes it, threading the state through suspensions; two programs in
;; other modules use it, one nesting a second state handler inside the first.
(module $state
  (type $f (func (result i32)))
  (type $c (cont $f))
  (type $fg (func (param i32) (result i32)))
  (type $cg (cont $fg))
  (tag $get (export "get") (result i32))
  (tag $put (export "put") (param i32))
  ;; Returns the computation's result plus 1000 times the final state.
  (func (export "with_state") (param $k (ref $c)) (param $s i32) (result i32)
    (local $got (ref null $cg))
    (loop $again
      (block $on_put (result i32 (ref $c))
        (block $on_get (result (ref $cg))
          (return
            (i32.add (resume $c (on $get $on_get) (on $put $on_put) (local.get $k))
              (i32.mul (local.get $s) (i32.const 1000)))))
        (local.set $got)
        (local.set $k (cont.bind $cg $c (local.get $s) (local.get $got)))
        (br $again))
      (local.set $k)
      (local.set $s)
      (br $again))
    (unreachable)))
(register "state")

(module $counter
  (type $f (func (result i32)))
  (type $c (cont $f))
  (import "state" "get" (tag $get (result i32)))
  (import "state" "put" (tag $put (param i32)))
  (import "state" "with_state" (func $with_state (param (ref $c)) (param i32) (result i32)))
  (func $count_to_five (result i32)
    (loop $l
      (suspend $put (i32.add (suspend $get) (i32.const 1)))
      (br_if $l (i32.lt_u (suspend $get) (i32.const 5))))
    (i32.const 7))
  (elem declare func $count_to_five)
  (func (export "run") (param i32) (result i32)
    (call $with_state (cont.new $c (ref.func $count_to_five)) (local.get 0))))
(register "counter")

(module $nested
  (type $f (func (result i32)))
  (type $c (cont $f))
  (import "state" "get" (tag $get (result i32)))
  (import "state" "put" (tag $put (param i32)))
  (import "state" "with_state" (func $with_state (param (ref $c)) (param i32) (result i32)))
  (import "counter" "run" (func $counter (param i32) (result i32)))
  ;; The inner handler's state starts from the outer state; the outer one is doubled after.
  (func $outer_body (result i32)
    (local $inner i32)
    (local.set $inner (call $counter (suspend $get)))
    (suspend $put (i32.mul (suspend $get) (i32.const 2)))
    (local.get $inner))
  (elem declare func $outer_body)
  (func (export "run") (param i32) (result i32)
    (call $with_state (cont.new $c (ref.func $outer_body)) (local.get 0))))

(assert_return (invoke $counter "run" (i32.const 0)) (i32.const 5007))
(assert_return (invoke $counter "run" (i32.const 9)) (i32.const 10007))
(assert_return (invoke $nested "run" (i32.const 2)) (i32.const 9007))
