;; A handler that suspends while handling: $relay resumes $worker handling `$inner`; in its
;; handler code, holding the worker's continuation in a local, it suspends `$outer` to
;; `_start` with ten times the payload, and when resumed it resumes the worker with twice the
;; answer. `_start` prints each payload and answers payload + 5; the worker prints what each
;; request returned and returns their sum, to which $relay adds 1.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func (param i32) (result i32)))
  (type $c (cont $f))
  (tag $inner (param i32) (result i32))
  (tag $outer (param i32) (result i32))
  (elem declare func $worker $relay)

  (func $worker (param $unused i32) (result i32)
    (local $sum i32)
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (suspend $inner (local.get $i))
      (call $print_i32 (local.tee $unused))
      (local.set $sum (i32.add (local.get $sum) (local.get $unused)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (local.get $sum))

  (func $relay (param $unused i32) (result i32)
    (local $k (ref null $c))
    (local $v i32)
    (local.set $k (cont.new $c (ref.func $worker)))
    (block $done (result i32)
      (loop $next
        (block $on_inner (result i32 (ref $c))
          (br $done (resume $c (on $inner $on_inner) (local.get $v) (local.get $k))))
        (local.set $k)
        (local.set $v)
        (local.set $v (suspend $outer (i32.mul (local.get $v) (i32.const 10))))
        (local.set $v (i32.mul (local.get $v) (i32.const 2)))
        (br $next))
      (unreachable))
    (i32.add (i32.const 1)))

  (func (export "_start")
    (local $k (ref null $c))
    (local $v i32)
    (local.set $k (cont.new $c (ref.func $relay)))
    (block $done (result i32)
      (loop $next
        (block $on_outer (result i32 (ref $c))
          (br $done (resume $c (on $outer $on_outer) (local.get $v) (local.get $k))))
        (local.set $k)
        (local.tee $v)
        (call $print_i32)
        (local.set $v (i32.add (local.get $v) (i32.const 5)))
        (br $next))
      (unreachable))
    (call $print_i32)))
