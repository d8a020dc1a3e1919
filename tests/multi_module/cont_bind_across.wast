;; `cont.bind` across modules: a continuation taking three arguments is made in one module,
;; partly applied in a second, applied again and resumed in a third, and suspended values
;; flow back through all of them.
(module $make
  (type $f3 (func (param i32 i32 i32) (result i32)))
  (type $c3 (cont $f3))
  (tag $peek (export "peek") (param i32) (result i32))
  (func $combine (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.add
      (i32.mul (local.get $a) (i32.const 100))
      (i32.add (i32.mul (suspend $peek (local.get $b)) (i32.const 10)) (local.get $c))))
  (elem declare func $combine)
  (func (export "make") (result (ref $c3)) (cont.new $c3 (ref.func $combine))))
(register "make")

(module $bind1
  (type $f3 (func (param i32 i32 i32) (result i32)))
  (type $c3 (cont $f3))
  (type $f2 (func (param i32 i32) (result i32)))
  (type $c2 (cont $f2))
  (func (export "bind_first") (param $k (ref $c3)) (param $a i32) (result (ref $c2))
    (cont.bind $c3 $c2 (local.get $a) (local.get $k))))
(register "bind1")

(module $user
  (type $f3 (func (param i32 i32 i32) (result i32)))
  (type $c3 (cont $f3))
  (type $f2 (func (param i32 i32) (result i32)))
  (type $c2 (cont $f2))
  (type $f1 (func (param i32) (result i32)))
  (type $c1 (cont $f1))
  (type $f0 (func (result i32)))
  (type $c0 (cont $f0))
  (import "make" "peek" (tag $peek (param i32) (result i32)))
  (import "make" "make" (func $make (result (ref $c3))))
  (import "bind1" "bind_first" (func $bind_first (param (ref $c3)) (param i32) (result (ref $c2))))
  (func (export "run") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (local $k (ref null $c1))
    (block $on_peek (result i32 (ref $c1))
      (return
        (resume $c0 (on $peek $on_peek)
          (cont.bind $c2 $c0 (local.get $b) (local.get $c)
            (call $bind_first (call $make) (local.get $a))))))
    (local.set $k)
    ;; Answer the peek with the peeked value plus one.
    (resume $c1 (i32.add (i32.const 1)) (local.get $k)))
  ;; Binding a continuation the other module already bound (and so consumed) traps.
  (func (export "bind_twice") (result i32)
    (local $k3 (ref null $c3))
    (local.set $k3 (call $make))
    (drop (call $bind_first (ref.as_non_null (local.get $k3)) (i32.const 1)))
    (drop (call $bind_first (ref.as_non_null (local.get $k3)) (i32.const 2)))
    (i32.const 0)))

(assert_return (invoke "run" (i32.const 1) (i32.const 2) (i32.const 3)) (i32.const 133))
(assert_return (invoke "run" (i32.const 4) (i32.const 0) (i32.const 9)) (i32.const 419))
(assert_trap (invoke "bind_twice") "continuation already consumed")
