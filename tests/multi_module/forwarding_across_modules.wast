;; Forwarding across modules: the outer module handles `log`, the inner module handles only
;; `ask` and runs the leaf's code; a `log` in the leaf passes through the inner handler to the
;; outer one (in another module), and the inner continuation stays inside the outer one.
(module $tags
  (tag $log (export "log") (param i32))
  (tag $ask (export "ask") (result i32)))
(register "tags")

(module $leaf
  (import "tags" "log" (tag $log (param i32)))
  (import "tags" "ask" (tag $ask (result i32)))
  (func (export "work") (result i32)
    (local $a i32)
    (suspend $log (i32.const 1))
    (local.set $a (suspend $ask))
    (suspend $log (local.get $a))
    (local.set $a (i32.add (local.get $a) (suspend $ask)))
    (suspend $log (local.get $a))
    (local.get $a)))
(register "leaf")

(module $inner
  (type $f (func (result i32)))
  (type $c (cont $f))
  (type $fa (func (param i32) (result i32)))
  (type $ca (cont $fa))
  (import "tags" "ask" (tag $ask (result i32)))
  (import "leaf" "work" (func $work (result i32)))
  (elem declare func $work)
  ;; Answers asks with 10, 20, ...; logs go past it.
  (func (export "answering") (result i32)
    (local $k (ref null $c))
    (local $n i32)
    (local $asked (ref null $ca))
    (local.set $k (cont.new $c (ref.func $work)))
    (loop $again
      (block $on_ask (result (ref $ca))
        (return (resume $c (on $ask $on_ask) (local.get $k))))
      (local.set $asked)
      (local.set $n (i32.add (local.get $n) (i32.const 10)))
      (local.set $k (cont.bind $ca $c (local.get $n) (local.get $asked)))
      (br $again))
    (unreachable)))
(register "inner")

(module $outer
  (type $f (func (result i32)))
  (type $c (cont $f))
  (import "tags" "log" (tag $log (param i32)))
  (import "inner" "answering" (func $answering (result i32)))
  (elem declare func $answering)
  ;; Returns the logged values as base-100 digits followed by the result.
  (func (export "run") (result i64)
    (local $k (ref null $c))
    (local $trace i64)
    (local $logged i32)
    (local.set $k (cont.new $c (ref.func $answering)))
    (loop $again
      (block $on_log (result i32 (ref $c))
        (return
          (i64.add (i64.mul (local.get $trace) (i64.const 100))
            (i64.extend_i32_u (resume $c (on $log $on_log) (local.get $k))))))
      (local.set $k)
      (local.set $logged)
      (local.set $trace
        (i64.add (i64.mul (local.get $trace) (i64.const 100)) (i64.extend_i32_u (local.get $logged))))
      (br $again))
    (unreachable)))

(assert_return (invoke "run") (i64.const 1103030))
(assert_suspension (invoke $inner "answering") "unhandled")
