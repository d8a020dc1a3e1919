;; A linked list of structs built by a generator: each node is yielded as a (ref $node)
;; payload, kept by the consumer, while the generator holds the previous node in a non-null
;; local and the new one in a nullable local across the next suspend.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $node (struct (field $v i32) (field $next (ref null $node))))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield (param (ref $node)))
  (elem declare func $gen)
  (func $gen
    (local $n (ref null $node))
    (local $m (ref $node))
    (local.set $m (struct.new $node (i32.const 1) (ref.null $node)))
    (suspend $yield (local.get $m))
    (local.set $n (struct.new $node (i32.const 2) (local.get $m)))
    (suspend $yield (ref.as_non_null (local.get $n)))
    (call $print_i32 (struct.get $node $v (local.get $m)))
    (call $print_i32 (struct.get $node $v (ref.as_non_null (local.get $n)))))
  (func (export "_start")
    (local $k (ref null $cv))
    (local $sum i32)
    (local.set $k (cont.new $cv (ref.func $gen)))
    (loop $next
      (block $on_y (result (ref $node) (ref $cv))
        (resume $cv (on $yield $on_y) (local.get $k))
        (call $print_i32 (i32.const 99))
        (return))
      (local.set $k)
      (call $print_i32 (struct.get $node $v))
      (br $next))))
