;; Stack switching: symmetric switching. Two coroutines ping-pong a value with
;; `switch`, under a resume with an (on $tag switch) clause; each switch passes a
;; value and receives the value plus the continuation of the coroutine that switched
;; back. A second driver combines (on $tag $label) and (on $tag switch) clauses.
(module $ss_switch
  (rec
    (type $co_f (func (param i32 (ref null $co_ct)) (result i32)))
    (type $co_ct (cont $co_f)))
  (type $unit_f (func (result i32)))
  (type $unit_ct (cont $unit_f))

  (tag $sw (result i32))
  (tag $report (param i32))

  ;; ping: add 1, switch to the other coroutine; finish when the value reaches 100
  (func $ping (type $co_f) (param $v i32) (param $other (ref null $co_ct)) (result i32)
    (loop $l
      (local.set $v (i32.add (local.get $v) (i32.const 1)))
      (if (i32.ge_u (local.get $v) (i32.const 100))
        (then (return (local.get $v))))
      (switch $co_ct $sw (local.get $v) (local.get $other))
      (local.set $other)
      (local.set $v)
      (br $l))
    (unreachable))

  ;; pong: double, switch back
  (func $pong (type $co_f) (param $v i32) (param $other (ref null $co_ct)) (result i32)
    (loop $l
      (local.set $v (i32.mul (local.get $v) (i32.const 2)))
      (switch $co_ct $sw (local.get $v) (local.get $other))
      (local.set $other)
      (local.set $v)
      (br $l))
    (unreachable))

  ;; like pong, but also reports each value to a handler with a label clause
  (func $pong_reporting (type $co_f) (param $v i32) (param $other (ref null $co_ct)) (result i32)
    (loop $l
      (suspend $report (local.get $v))
      (local.set $v (i32.mul (local.get $v) (i32.const 2)))
      (switch $co_ct $sw (local.get $v) (local.get $other))
      (local.set $other)
      (local.set $v)
      (br $l))
    (unreachable))

  (elem declare func $ping $pong $pong_reporting)

  (func (export "ping_pong") (result i32)
    (resume $co_ct (on $sw switch)
      (i32.const 0)
      (cont.new $co_ct (ref.func $pong))
      (cont.new $co_ct (ref.func $ping))))

  (func (export "switch_with_label_clause") (result i32 i32 i32)
    (local $k (ref null $unit_ct)) (local $reports i32) (local $sum i32)
    (local.set $k
      (cont.bind $co_ct $unit_ct (i32.const 0) (cont.new $co_ct (ref.func $pong_reporting))
        (cont.new $co_ct (ref.func $ping))))
    (loop $l
      (block $on_report (result i32 (ref $unit_ct))
        (resume $unit_ct (on $report $on_report) (on $sw switch) (local.get $k))
        (return (local.get $reports) (local.get $sum)))
      (local.set $k)
      (local.set $sum (i32.add (local.get $sum)))
      (local.set $reports (i32.add (local.get $reports) (i32.const 1)))
      (br $l))
    (unreachable))
)
