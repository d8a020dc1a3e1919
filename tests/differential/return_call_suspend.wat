;; Suspends inside tail-call chains: $count_down makes 100,000 `return_call`s to itself
;; (far more frames than the stack would hold without tail calls) and suspends at every
;; multiple of 10,000; $ping and $pong alternate through `return_call_indirect` and
;; `return_call_ref` for 100,000 steps, suspending at every multiple of 25,000. The handler
;; prints each payload and answers payload / 1000, which is added to the accumulator.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $step (func (param i32 i32) (result i32)))
  (type $f (func (param i32) (result i32)))
  (type $c (cont $f))
  (tag $t (param i32) (result i32))
  (table $fns funcref (elem $ping $pong))
  (global $ping (ref $step) (ref.func $ping))
  (elem declare func $first $second $ping)

  (func $count_down (param $n i32) (param $acc i32) (result i32)
    (if (i32.eqz (local.get $n))
      (then (return (local.get $acc))))
    (if (i32.eqz (i32.rem_u (local.get $n) (i32.const 10000)))
      (then
        (local.set $acc (i32.add (local.get $acc) (suspend $t (local.get $n))))))
    (return_call $count_down
      (i32.sub (local.get $n) (i32.const 1))
      (i32.add (local.get $acc) (i32.const 1))))

  (func $ping (type $step) (param $n i32) (param $acc i32) (result i32)
    (if (i32.eqz (local.get $n))
      (then (return (local.get $acc))))
    (if (i32.eqz (i32.rem_u (local.get $n) (i32.const 25000)))
      (then
        (local.set $acc (i32.add (local.get $acc) (suspend $t (local.get $n))))))
    (return_call_indirect $fns (type $step)
      (i32.sub (local.get $n) (i32.const 1)) (local.get $acc) (i32.const 1)))

  (func $pong (type $step) (param $n i32) (param $acc i32) (result i32)
    (if (i32.eqz (local.get $n))
      (then (return (local.get $acc))))
    (if (i32.eqz (i32.rem_u (local.get $n) (i32.const 25000)))
      (then
        (local.set $acc (i32.add (local.get $acc) (suspend $t (local.get $n))))))
    (return_call_ref $step
      (i32.sub (local.get $n) (i32.const 1)) (local.get $acc) (global.get $ping)))

  (func $first (param $n i32) (result i32)
    (return_call $count_down (local.get $n) (i32.const 0)))

  (func $second (param $n i32) (result i32)
    (return_call_indirect $fns (type $step) (local.get $n) (i32.const 0) (i32.const 0)))

  (func $run (param $fn (ref $f)) (result i32)
    (local $k (ref null $c))
    (local $answer i32)
    (local.set $k (cont.new $c (local.get $fn)))
    (local.set $answer (i32.const 100000))
    (block $done (result i32)
      (loop $next
        (block $on_t (result i32 (ref $c))
          (br $done (resume $c (on $t $on_t) (local.get $answer) (local.get $k))))
        (local.set $k)
        (local.tee $answer)
        (call $print_i32)
        (local.set $answer (i32.div_u (local.get $answer) (i32.const 1000)))
        (br $next))
      (unreachable)))

  (func (export "_start")
    (call $print_i32 (call $run (ref.func $first)))
    (call $print_i32 (call $run (ref.func $second)))))
