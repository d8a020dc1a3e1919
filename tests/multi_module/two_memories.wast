;; Two modules that each define a memory: merged, the program has two (multi-memory), and each
;; module's loads and stores still reach its own, also from inside continuations.
(module $store
  (memory $m (export "memory") 1)
  (tag $saved (export "saved") (param i32))
  (func (export "put") (param $at i32) (param $v i32)
    (i32.store (local.get $at) (local.get $v))
    (suspend $saved (local.get $v)))
  (func (export "get") (param $at i32) (result i32) (i32.load (local.get $at))))
(register "store")

(module $user
  (type $f (func))
  (type $c (cont $f))
  (import "store" "put" (func $put (param i32 i32)))
  (import "store" "get" (func $get (param i32) (result i32)))
  (import "store" "saved" (tag $saved (param i32)))
  (memory $own 1)
  (func $writer
    (call $put (i32.const 0) (i32.const 11))
    (i32.store (i32.const 0) (i32.const 22))
    (call $put (i32.const 4) (i32.const 33)))
  (elem declare func $writer)
  ;; Sums what the writer saved, then reads both memories at 0 and the store's at 4.
  (func (export "run") (result i32)
    (local $k (ref null $c))
    (local $sum i32)
    (local.set $k (cont.new $c (ref.func $writer)))
    (loop $again
      (block $on_saved (result i32 (ref $c))
        (resume $c (on $saved $on_saved) (local.get $k))
        (return
          (i32.add (local.get $sum)
            (i32.add (i32.mul (call $get (i32.const 0)) (i32.const 100))
              (i32.add (i32.mul (i32.load (i32.const 0)) (i32.const 10000)) (i32.mul (call $get (i32.const 4)) (i32.const 1000000)))))))
      (local.set $k)
      (local.set $sum (i32.add (local.get $sum)))
      (br $again))
    (unreachable)))

(assert_return (invoke "run") (i32.const 33221144))
