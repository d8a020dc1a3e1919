;; Code after a suspend stays (the continuation may be resumed); code after an infinite
;; handler loop goes.
;; RUN: wasmfx-opt --dce
;; RUN: exports == wasmfx-opt --dce | exports
(module
  (type $ft (func))
  (type $ct (cont $ft))
  (tag $yield)
  (global $count (mut i32) (i32.const 0))
  (func $gen
    (suspend $yield)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (suspend $yield)
    (global.set $count (i32.add (global.get $count) (i32.const 1))))
  (elem declare func $gen)
  (func (export "run") (result i32)
    (local $k (ref null $ct))
    (local.set $k (cont.new $ct (ref.func $gen)))
    (loop $again
      (block $on_yield (result (ref $ct))
        (resume $ct (on $yield $on_yield) (local.get $k))
        (return (global.get $count)))
      (local.set $k)
      (br $again))
    (drop (i32.const 0))
    (i32.const -1)))
