;; Resuming a consumed continuation traps: the first `resume` of $k suspends and hands back a
;; new continuation; resuming the old reference again must trap with "continuation already
;; consumed" (after the output printed before it), not run the task a second time.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield)
  (elem declare func $task)

  (func $task
    (call $print_i32 (i32.const 1))
    (suspend $yield)
    (call $print_i32 (i32.const 100)))

  (func (export "_start")
    (local $k (ref null $c))
    (local.set $k (cont.new $c (ref.func $task)))
    (block $h (result (ref $c))
      (resume $c (on $yield $h) (local.get $k))
      (unreachable))
    (drop)
    (call $print_i32 (i32.const 2))
    (block $h (result (ref $c))
      (resume $c (on $yield $h) (local.get $k))
      (unreachable))
    (drop)
    (call $print_i32 (i32.const 3))))
