;; A generator suspending twice: the instrumented generator, the resuming loop, and the
;; runtime merged in.
;; RUN: wasmfx-opt --lower-to-asyncify
;; RUN: exports == wasmfx-opt --lower-to-asyncify | exports
(module
  (type $ft (func))
  (type $ct (cont $ft))
  (tag $yield (param i32))
  (global $sum (mut i32) (i32.const 0))
  (func $gen
    (suspend $yield (i32.const 20))
    (suspend $yield (i32.const 22)))
  (elem declare func $gen)
  (func (export "run") (result i32)
    (local $k (ref null $ct))
    (local.set $k (cont.new $ct (ref.func $gen)))
    (block $done
      (loop $again
        (block $on_yield (result i32 (ref $ct))
          (resume $ct (on $yield $on_yield) (local.get $k))
          (br $done))
        (local.set $k)
        (global.set $sum (i32.add (global.get $sum)))
        (br $again)))
    (global.get $sum)))
