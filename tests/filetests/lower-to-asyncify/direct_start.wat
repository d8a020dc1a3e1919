;; Trampolines and resumes call directly where the function started is known. `$ft`'s
;; continuations are all made by `cont.new (ref.func $count)`, so its trampoline calls
;; `$count` directly; `$gt`'s by `cont.new` of `$twice` and of `$thrice`, so its trampoline
;; calls through `fiber_funcs`. Both trampolines return an i32, so a `resume` of either type
;; still picks its trampoline through the record and `call_indirect`; `$none`'s continuations
;; return nothing, and its resume calls its trampoline directly.
;; RUN: wasmfx-opt --lower-to-asyncify
;; RUN: exports == wasmfx-opt --lower-to-asyncify | exports == wasmfx-opt --lower-to-asyncify -O2 | exports
(module
  (type $ft (func (param i32) (result i32)))
  (type $ct (cont $ft))
  (type $gt (func (result i32)))
  (type $gct (cont $gt))
  (type $none (func))
  (type $nct (cont $none))
  (tag $yield (param i32))
  (global $seen (mut i32) (i32.const 0))
  (elem declare func $count $twice $thrice $note)

  (func $count (param $n i32) (result i32)
    (suspend $yield (local.get $n))
    (i32.add (local.get $n) (i32.const 1)))
  (func $twice (result i32) (suspend $yield (i32.const 2)) (i32.const 20))
  (func $thrice (result i32) (suspend $yield (i32.const 3)) (i32.const 30))
  (func $note (global.set $seen (i32.add (global.get $seen) (i32.const 1))))

  ;; Runs `k` to its end, adding what it yields and what it returns.
  (func $drain (param $k (ref null $gct)) (result i32)
    (local $sum i32)
    (loop $again
      (block $on_yield (result i32 (ref $gct))
        (return (i32.add (local.get $sum) (resume $gct (on $yield $on_yield) (local.get $k)))))
      (local.set $k)
      (local.set $sum (i32.add (local.get $sum)))
      (br $again))
    (unreachable))

  ;; The rest of a `$ct` continuation is a `$gct` one (the tag returns nothing): resumed as
  ;; `$gct`, it is still entered through `$ft`'s trampoline, which its record names.
  (func (export "known") (result i32)
    (call $drain (cont.bind $ct $gct (i32.const 41) (cont.new $ct (ref.func $count)))))

  (func (export "two") (result i32)
    (i32.add
      (call $drain (cont.new $gct (ref.func $twice)))
      (call $drain (cont.new $gct (ref.func $thrice)))))

  (func (export "none") (result i32)
    (resume $nct (cont.new $nct (ref.func $note)))
    (resume $nct (cont.new $nct (ref.func $note)))
    (global.get $seen)))
