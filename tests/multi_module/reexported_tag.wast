;; A tag defined in one module, imported and re-exported by a middle module, and imported
;; from there by a third: all three name one tag, so a handler for it in the first catches a
;; suspend in the third.
(module $base
  (type $f (func (result i32)))
  (type $c (cont $f))
  (type $fk (func (param i32) (result i32)))
  (type $ck (cont $fk))
  (tag $ask (export "ask") (param i32) (result i32))
  ;; Answers every `ask n` with n * 10 and returns the continuation's result.
  (func (export "answering") (param $k (ref $c)) (result i32)
    (local $n i32)
    (local $resumed (ref null $ck))
    (loop $again
      (block $on_ask (result i32 (ref $ck))
        (return (resume $c (on $ask $on_ask) (local.get $k))))
      (local.set $resumed)
      (local.set $n)
      (local.set $k (cont.bind $ck $c (i32.mul (local.get $n) (i32.const 10)) (local.get $resumed)))
      (br $again))
    (unreachable)))
(register "base")

(module $middle
  (tag $ask (export "ask") (import "base" "ask") (param i32) (result i32))
  (func (export "ask_twice") (param i32) (result i32)
    (i32.add (suspend $ask (local.get 0)) (suspend $ask (i32.add (local.get 0) (i32.const 1))))))
(register "middle")

(module $top
  (type $f (func (result i32)))
  (type $c (cont $f))
  (import "middle" "ask" (tag $ask (param i32) (result i32)))
  (import "middle" "ask_twice" (func $ask_twice (param i32) (result i32)))
  (import "base" "answering" (func $answering (param (ref $c)) (result i32)))
  (func $program (result i32)
    (i32.add (suspend $ask (i32.const 7)) (call $ask_twice (i32.const 1))))
  (elem declare func $program)
  (func (export "run") (result i32)
    (call $answering (cont.new $c (ref.func $program))))
  ;; Without a handler, the re-exported tag is unhandled.
  (func (export "unhandled") (result i32)
    (suspend $ask (i32.const 1))))

(assert_return (invoke "run") (i32.const 100))
(assert_suspension (invoke "unhandled") "unhandled")
