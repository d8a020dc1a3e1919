;; An exception thrown by a peer that was started by a `switch` propagates to the `resume`
;; whose `(on $s switch)` handler the peers run under, not into the peer that switched to it:
;; `$a` switches from inside its `try_table (catch $e)` to `$b`, which switches back and is
;; switched to again, then throws `$e` from inside its own `try_table` for another tag. `$a`
;; is suspended at that point, so its `try_table` is not on the stack: the exception leaves
;; through `_start`'s `resume`, and `_start` catches it. `_start` then resumes `$a` where it
;; switched; `$a` throws `$e` again, and this time its own `try_table` catches it. Catches
;; print `1000 + payload`.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param (ref null $c))))
    (type $c (cont $f)))
  (tag $s)
  (tag $e (param i32))
  (tag $e2 (param i32))
  (global $held (mut (ref null $c)) (ref.null $c))
  (elem declare func $a $b)

  (func $a (type $f) (param $prev (ref null $c))
    (local $bk (ref null $c))
    (block $caught (result i32)
      (try_table (catch $e $caught)
        (call $print_i32 (i32.const 1))
        (local.set $bk (switch $c $s (cont.new $c (ref.func $b))))
        (call $print_i32 (i32.const 3))
        (drop (switch $c $s (local.get $bk)))
        (call $print_i32 (i32.const 5))
        (throw $e (i32.const 8)))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 1000)))
    (call $print_i32 (i32.const 6)))

  (func $b (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 2))
    (block $caught (result i32)
      (try_table (catch $e2 $caught)
        (global.set $held (switch $c $s (local.get $prev)))
        (call $print_i32 (i32.const 4))
        (throw $e (i32.const 7)))
      (unreachable))
    (drop)
    (call $print_i32 (i32.const 90)))

  (func (export "_start")
    (block $caught (result i32)
      (try_table (catch $e $caught)
        (resume $c (on $s switch) (ref.null $c) (cont.new $c (ref.func $a))))
      (call $print_i32 (i32.const 91))
      (return))
    (call $print_i32 (i32.add (i32.const 1000)))
    (resume $c (on $s switch) (ref.null $c) (global.get $held))
    (call $print_i32 (i32.const 7))))
