;; Binding a consumed continuation traps: $k is resumed (it suspends, so the handler gets a
;; new reference), then `cont.bind` on the old $k must trap with "continuation already
;; consumed" rather than produce a continuation.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f1 (func (param i32)))
  (type $c1 (cont $f1))
  (type $f0 (func))
  (type $c0 (cont $f0))
  (tag $yield (param i32) (result i32))
  (elem declare func $task)

  (func $task (param $x i32)
    (call $print_i32 (local.get $x))
    (call $print_i32 (suspend $yield (local.get $x))))

  (func (export "_start")
    (local $k (ref null $c1))
    (local.set $k (cont.new $c1 (ref.func $task)))
    (block $h (result i32 (ref $c1))
      (resume $c1 (on $yield $h) (i32.const 1) (local.get $k))
      (unreachable))
    (drop)
    (drop)
    (resume $c0 (cont.bind $c1 $c0 (i32.const 2) (local.get $k)))
    (call $print_i32 (i32.const 3))))
