;; Suspends in `if` conditions, in `then` and `else` arms, in nested `if`s, in an `if` with a
;; result, and in all three operands of `select`. The handler prints each payload and answers
;; payload mod 3, which decides the arms taken: then, then (via `i32.eqz`), else, and `select`
;; of (2, 0, condition 1).
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func (param i32) (result i32)))
  (type $c (cont $f))
  (tag $ask (param i32) (result i32))
  (elem declare func $task)

  (func $task (param $x i32) (result i32)
    (local $r i32)
    (if (suspend $ask (i32.const 1))
      (then (call $print_i32 (suspend $ask (i32.const 2))))
      (else (call $print_i32 (i32.const 999))))
    (local.set $r
      (if (result i32) (i32.eqz (suspend $ask (i32.const 3)))
        (then (suspend $ask (i32.const 4)))
        (else (i32.add (i32.const 100) (suspend $ask (i32.const 5))))))
    (call $print_i32 (local.get $r))
    (if (i32.lt_s (local.get $x) (i32.const 10))
      (then
        (if (suspend $ask (i32.const 6))
          (then (call $print_i32 (i32.const 600)))
          (else (call $print_i32 (suspend $ask (i32.const 7)))))))
    (call $print_i32
      (select (suspend $ask (i32.const 8)) (suspend $ask (i32.const 9))
        (suspend $ask (i32.const 10))))
    (i32.add (local.get $x) (local.get $r)))

  (func (export "_start")
    (local $k (ref null $c))
    (local $answer i32)
    (local.set $k (cont.new $c (ref.func $task)))
    (local.set $answer (i32.const 5))
    (block $done (result i32)
      (loop $next
        (block $on_ask (result i32 (ref $c))
          (br $done (resume $c (on $ask $on_ask) (local.get $answer) (local.get $k))))
        (local.set $k)
        (local.tee $answer)
        (call $print_i32)
        (local.set $answer (i32.rem_u (local.get $answer) (i32.const 3)))
        (br $next))
      (unreachable))
    (call $print_i32)))
