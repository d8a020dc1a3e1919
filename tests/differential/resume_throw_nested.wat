;; `resume_throw` of a nested continuation: `$outer` runs `$inner` under a handler for `$a`,
;; and `$inner` suspends `$b`, which only `_start` handles, so the continuation `_start` gets
;; holds both. The exception is raised where `$inner` waits. `$x`, which `$inner` does not
;; catch, unwinds `$inner` and leaves `$outer`'s `resume`, where `$outer`'s `try_table` catches
;; it (prints `1000 + payload`); `$outer` then suspends `$b` itself and starts a second
;; `$inner`. `$y`, raised in that one, is caught by `$inner` (prints `2000 + payload`), which
;; then suspends `$a` to `$outer`'s handler; `$outer` abandons it and returns, which ends
;; `_start`'s `resume_throw`.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $a)
  (tag $b)
  (tag $x (param i32))
  (tag $y (param i32))
  (elem declare func $outer $inner)

  (func $inner
    (call $print_i32 (i32.const 2))
    (block $caught (result i32)
      (try_table (catch $y $caught)
        (suspend $b)
        (call $print_i32 (i32.const 90)))
      (return))
    (call $print_i32 (i32.add (i32.const 2000)))
    (suspend $a)
    (call $print_i32 (i32.const 91)))

  (func $outer
    (call $print_i32 (i32.const 1))
    (block $caught (result i32)
      (try_table (catch $x $caught)
        (block $on_a (result (ref $cv))
          (resume $cv (on $a $on_a) (cont.new $cv (ref.func $inner)))
          (call $print_i32 (i32.const 92))
          (return))
        (drop)
        (call $print_i32 (i32.const 93))
        (return))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 1000)))
    (suspend $b)
    (call $print_i32 (i32.const 5))
    (block $on_a (result (ref $cv))
      (resume $cv (on $a $on_a) (cont.new $cv (ref.func $inner)))
      (call $print_i32 (i32.const 94))
      (return))
    (drop)
    (call $print_i32 (i32.const 8)))

  (func (export "_start")
    (local $k (ref null $cv))
    (block $on_b (result (ref $cv))
      (resume $cv (on $b $on_b) (cont.new $cv (ref.func $outer)))
      (call $print_i32 (i32.const 95))
      (return))
    (local.set $k)
    (call $print_i32 (i32.const 3))
    (block $on_b (result (ref $cv))
      (resume_throw $cv $x (on $b $on_b) (i32.const 42) (local.get $k))
      (call $print_i32 (i32.const 96))
      (return))
    (local.set $k)
    (call $print_i32 (i32.const 4))
    (block $on_b (result (ref $cv))
      (resume $cv (on $b $on_b) (local.get $k))
      (call $print_i32 (i32.const 97))
      (return))
    (local.set $k)
    (call $print_i32 (i32.const 6))
    (block $done
      (block $on_b (result (ref $cv))
        (resume_throw $cv $y (on $b $on_b) (i32.const 7) (local.get $k))
        (br $done))
      (call $print_i32 (i32.const 98))
      (return))
    (call $print_i32 (i32.const 9))))
