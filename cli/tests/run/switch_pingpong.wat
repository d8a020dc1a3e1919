;; Two coroutines that pass control back and forth with `switch`, under one `resume` whose
;; `(on $swap switch)` clause makes the switches possible; ping returns after three turns.
(module
  (rec
    (type $fn (func (param (ref null $k))))
    (type $k (cont $fn)))
  (tag $swap)
  (import "spectest" "print_i32" (func $print (param i32)))
  (elem declare func $ping $pong)

  (func $ping (type $fn) (param $peer (ref null $k))
    (local $i i32)
    (loop $l
      (call $print (i32.add (i32.const 100) (local.get $i)))
      (local.set $peer (switch $k $swap (local.get $peer)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3)))))

  (func $pong (type $fn) (param $peer (ref null $k))
    (local $i i32)
    (loop $l
      (call $print (i32.add (i32.const 200) (local.get $i)))
      (local.set $peer (switch $k $swap (local.get $peer)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))

  (func (export "_start")
    (resume $k (on $swap switch)
      (cont.new $k (ref.func $pong))
      (cont.new $k (ref.func $ping)))
    (call $print (i32.const 999))))
