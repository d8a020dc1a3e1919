;; A generator builds a linked list of structs, yielding each new head as a `(ref $node)`
;; payload; the consumer keeps every yielded node in its own reversed list. The generator's
;; list head lives across each suspend. Both sides then walk their lists and print sums and
;; lengths, so a lost or mixed-up node shows.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $node (struct (field $v i32) (field $next (ref null $node))))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield (param (ref $node)))
  (elem declare func $gen)

  (func $sum (param $n (ref null $node)) (result i32)
    (local $s i32)
    (block $done
      (loop $l
        (br_if $done (ref.is_null (local.get $n)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 3))
          (struct.get $node $v (local.get $n))))
        (local.set $n (struct.get $node $next (local.get $n)))
        (br $l)))
    (local.get $s))

  (func $gen
    (local $head (ref null $node))
    (local $i i32)
    (loop $l
      (local.set $head (struct.new $node (local.get $i) (local.get $head)))
      (suspend $yield (ref.as_non_null (local.get $head)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 20))))
    (call $print_i32 (call $sum (local.get $head))))

  (func (export "_start")
    (local $k (ref null $cv))
    (local $mine (ref null $node))
    (local $n (ref $node))
    (local.set $k (cont.new $cv (ref.func $gen)))
    (block $end
      (loop $next
        (block $on_y (result (ref $node) (ref $cv))
          (resume $cv (on $yield $on_y) (local.get $k))
          (br $end))
        (local.set $k)
        (local.set $n)
        (local.set $mine (struct.new $node (struct.get $node $v (local.get $n)) (local.get $mine)))
        (br $next)))
    (call $print_i32 (call $sum (local.get $mine)))))
