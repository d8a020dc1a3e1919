;; A `switch` that no enclosing `resume` handles: inside two nested continuations, whose
;; resumes handle suspends of `$a` (outer) and switches of `$b` (inner), the task switches
;; with `$b` to a peer and back, and then with `$s`, which no clause names: an unhandled-tag
;; trap, after the output printed so far. The target of that switch never runs.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param (ref null $c))))
    (type $c (cont $f)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $a)
  (tag $b)
  (tag $s)
  (elem declare func $outer $task $peer $never)

  (func $task (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 2))
    (local.set $prev (switch $c $b (cont.new $c (ref.func $peer))))
    (call $print_i32 (i32.const 4))
    (drop (switch $c $s (cont.new $c (ref.func $never))))
    (call $print_i32 (i32.const 90)))

  (func $peer (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 3))
    (drop (switch $c $b (local.get $prev)))
    (call $print_i32 (i32.const 91)))

  (func $never (type $f) (param $prev (ref null $c))
    (call $print_i32 (i32.const 92)))

  (func $outer
    (call $print_i32 (i32.const 1))
    (resume $c (on $b switch) (ref.null $c) (cont.new $c (ref.func $task)))
    (call $print_i32 (i32.const 93)))

  (func (export "_start")
    (block $h (result (ref $cv))
      (resume $cv (on $a $h) (cont.new $cv (ref.func $outer)))
      (call $print_i32 (i32.const 94))
      (return))
    (drop)
    (call $print_i32 (i32.const 95))))
