;; `resume_throw` of a continuation that a `switch` suspended: the exception is raised at the
;; `switch` instruction. `$a` switches to `$b` from inside a `try_table (catch $cancel)`;
;; `$b` stores `$a`'s continuation in a global and returns, which ends `_start`'s `resume`.
;; `_start` raises `$cancel` in it with `resume_throw` (which also handles `switch`): `$a`
;; catches it (prints `1000 + payload`) and switches to a fresh `$b` again, which stores `$a`
;; once more and returns. Then `_start` raises `$other`, which `$a` does not catch: it leaves
;; through `resume_throw` and `_start` catches it (prints `2000 + payload`).
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param (ref null $c))))
    (type $c (cont $f)))
  (tag $s)
  (tag $cancel (param i32))
  (tag $other (param i32))
  (global $held (mut (ref null $c)) (ref.null $c))
  (elem declare func $a $b)

  (func $a (type $f) (param $prev (ref null $c))
    (block $caught (result i32)
      (try_table (catch $cancel $caught)
        (call $print_i32 (i32.const 1))
        (drop (switch $c $s (cont.new $c (ref.func $b))))
        (call $print_i32 (i32.const 90)))
      (return))
    (call $print_i32 (i32.add (i32.const 1000)))
    (drop (switch $c $s (cont.new $c (ref.func $b))))
    (call $print_i32 (i32.const 91)))

  (func $b (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 2))
    (global.set $held (local.get $prev)))

  (func (export "_start")
    (resume $c (on $s switch) (ref.null $c) (cont.new $c (ref.func $a)))
    (call $print_i32 (i32.const 3))
    (resume_throw $c $cancel (on $s switch) (i32.const 5) (global.get $held))
    (call $print_i32 (i32.const 4))
    (block $caught (result i32)
      (try_table (catch $other $caught)
        (resume_throw $c $other (on $s switch) (i32.const 6) (global.get $held)))
      (call $print_i32 (i32.const 92))
      (return))
    (call $print_i32 (i32.add (i32.const 2000)))
    (call $print_i32 (i32.const 7))))
