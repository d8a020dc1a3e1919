;; Suspends inside nested loops: the inner loop suspends `$t` on every iteration, the outer
;; loop's `br_if` takes its condition from a suspend (`$check`), and a loop with a result type
;; branches back with the suspend's result left on the operand stack (the branch drops it; the
;; last one is the loop's value). Loop counters and the accumulator live across every suspend.
;; The handler prints each payload (1000 + payload for `$check`); `$t` answers 1, `$check`
;; answers payload < 3. (The task's i32 parameter is unused: it lets the fresh and the
;; suspended continuations share a type.)
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func (param i32) (result i32)))
  (type $c (cont $f))
  (tag $t (param i32) (result i32))
  (tag $check (param i32) (result i32))
  (elem declare func $task)

  (func $task (param i32) (result i32)
    (local $i i32)
    (local $j i32)
    (local $acc i32)
    (loop $outer
      (local.set $j (i32.const 0))
      (loop $inner
        (local.set $acc
          (i32.add (local.get $acc)
            (suspend $t (i32.add (i32.mul (local.get $i) (i32.const 10)) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $inner (i32.lt_u (local.get $j) (i32.const 3))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (suspend $check (local.get $i))))
    (local.set $acc
      (i32.add (local.get $acc)
        (loop $r (result i32)
          (suspend $t (i32.sub (i32.const 100) (local.get $i)))
          (local.set $i (i32.sub (local.get $i) (i32.const 1)))
          (br_if $r (i32.gt_s (local.get $i) (i32.const 0))))))
    (call $print_i32 (local.get $acc))
    (i32.mul (local.get $acc) (i32.const 2)))

  (func (export "_start")
    (local $k (ref null $c))
    (local $answer i32)
    (local.set $k (cont.new $c (ref.func $task)))
    (block $done (result i32)
      (loop $next
        (block $on_check (result i32 (ref $c))
          (block $on_t (result i32 (ref $c))
            (br $done (resume $c (on $t $on_t) (on $check $on_check)
              (local.get $answer) (local.get $k))))
          (local.set $k)
          (call $print_i32)
          (local.set $answer (i32.const 1))
          (br $next))
        (local.set $k)
        (local.tee $answer)
        (call $print_i32 (i32.add (i32.const 1000)))
        (local.set $answer (i32.lt_u (local.get $answer) (i32.const 3)))
        (br $next))
      (unreachable))
    (call $print_i32)))
