;; Suspends inside nested `try_table`s, each catching a different tag: `$a` (outer), `$b`
;; (middle), `$c` (inner). In each round the task suspends at depth 1, 2 and 3, then a callee
;; throws, by round, `$c`, `$b`, `$a`, then `$d`, which none catches. Each catch takes the
;; innermost `try_table` for its tag, past the ones that do not catch it, and the code after
;; a catch suspends again while still inside the outer `try_table`s (after the inner catch, a
;; suspend and a `throw $b` that the middle one catches). `_start` prints the yielded values
;; (`10 * round + place`) and `9000 + payload` for the `$d` that ends the task; catches print
;; `100 * depth + payload`.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $y (param i32))
  (tag $a (param i32))
  (tag $b (param i32))
  (tag $c (param i32))
  (tag $d (param i32))
  (elem declare func $task)

  (func $throw_for (param $r i32)
    (local $payload i32)
    (local.set $payload (i32.add (local.get $r) (i32.const 10)))
    (block $r3 (block $r2 (block $r1 (block $r0
      (br_table $r0 $r1 $r2 $r3 (local.get $r)))
      (throw $c (local.get $payload)))
      (throw $b (local.get $payload)))
      (throw $a (local.get $payload)))
    (throw $d (local.get $payload)))

  (func $at (param $r i32) (param $place i32) (result i32)
    (i32.add (i32.mul (local.get $r) (i32.const 10)) (local.get $place)))

  (func $task
    (local $r i32)
    (loop $round
      (block $next
        (block $ca (result i32)
          (try_table (catch $a $ca)
            (suspend $y (call $at (local.get $r) (i32.const 1)))
            (block $cb (result i32)
              (try_table (catch $b $cb)
                (suspend $y (call $at (local.get $r) (i32.const 2)))
                (block $cc (result i32)
                  (try_table (catch $c $cc)
                    (suspend $y (call $at (local.get $r) (i32.const 3)))
                    (call $throw_for (local.get $r)))
                  (unreachable))
                (call $print_i32 (i32.add (i32.const 300)))
                (suspend $y (call $at (local.get $r) (i32.const 4)))
                (throw $b (i32.add (i32.const 50) (local.get $r))))
              (unreachable))
            (call $print_i32 (i32.add (i32.const 200)))
            (suspend $y (call $at (local.get $r) (i32.const 5)))
            (br $next))
          (unreachable))
        (call $print_i32 (i32.add (i32.const 100)))
        (suspend $y (call $at (local.get $r) (i32.const 6))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $round)))

  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $caught (result i32)
      (try_table (catch $d $caught)
        (loop $next
          (block $on_y (result i32 (ref $cv))
            (resume $cv (on $y $on_y) (local.get $k))
            (call $print_i32 (i32.const 90))
            (return))
          (local.set $k)
          (call $print_i32)
          (br $next)))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 9000)))
    (call $print_i32 (i32.const 7))))
