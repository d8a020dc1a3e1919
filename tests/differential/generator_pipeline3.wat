;; A pipeline of three nested generators, all using one `$yield` tag: $naturals (1..8) feeds
;; $squares, which feeds $pairs (the sum of each two consecutive squares), which feeds the
;; consumer. Each stage resumes the previous one inside its own continuation, so every value
;; crosses one more resume per stage; stage-local state (the pending first square) lives
;; across the suspends of both the stage and its source.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield (param i32))
  (elem declare func $naturals $squares $pairs)

  (func $naturals
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (suspend $yield (local.get $i))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 8)))))

  ;; Yields the square of each value $naturals yields.
  (func $squares
    (local $k (ref null $c))
    (local.set $k (cont.new $c (ref.func $naturals)))
    (block $done
      (loop $next
        (block $on_yield (result i32 (ref $c))
          (resume $c (on $yield $on_yield) (local.get $k))
          (br $done))
        (local.set $k)
        (call $square)
        (suspend $yield)
        (br $next))))

  (func $square (param $v i32) (result i32)
    (i32.mul (local.get $v) (local.get $v)))

  (func $pairs
    (local $k (ref null $c))
    (local $first i32)
    (local $have i32)
    (local.set $k (cont.new $c (ref.func $squares)))
    (block $done
      (loop $next
        (block $on_yield (result i32 (ref $c))
          (resume $c (on $yield $on_yield) (local.get $k))
          (br $done))
        (local.set $k)
        ;; The square stays on the operand stack, a block parameter of the `if`.
        (if (param i32) (local.get $have)
          (then
            (suspend $yield (i32.add (local.get $first)))
            (local.set $have (i32.const 0)))
          (else
            (local.set $first)
            (local.set $have (i32.const 1))))
        (br $next))))

  (func (export "_start")
    (local $k (ref null $c))
    (local $count i32)
    (local.set $k (cont.new $c (ref.func $pairs)))
    (block $done
      (loop $next
        (block $on_yield (result i32 (ref $c))
          (resume $c (on $yield $on_yield) (local.get $k))
          (br $done))
        (local.set $k)
        (call $print_i32)
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (br $next)))
    (call $print_i32 (local.get $count))))
