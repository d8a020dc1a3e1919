;; A tag with results but no parameters, `$ask (result i32 i64)`: the task asks five times and
;; the handler answers (n, 1000 n) for n = 1..5 from its own counter. The task prints each
;; answer pair and returns the total of all ten numbers as an i64.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (type $f (func (result i64)))
  (type $c (cont $f))
  (type $fk (func (param i32 i64) (result i64)))
  (type $ck (cont $fk))
  (tag $ask (result i32 i64))
  (elem declare func $task)

  (func $task (result i64)
    (local $total i64)
    (local $a i32)
    (local $b i64)
    (local $i i32)
    (loop $l
      (suspend $ask)
      (local.set $b)
      (local.set $a)
      (call $print_i32 (local.get $a))
      (call $print_i64 (local.get $b))
      (local.set $total
        (i64.add (local.get $total) (i64.add (i64.extend_i32_u (local.get $a)) (local.get $b))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 5))))
    (local.get $total))

  (func (export "_start")
    (local $k (ref null $c))
    (local $asked (ref null $ck))
    (local $n i32)
    (local.set $k (cont.new $c (ref.func $task)))
    (block $done (result i64)
      (loop $next
        (block $on_ask (result (ref $ck))
          (br $done (resume $c (on $ask $on_ask) (local.get $k))))
        (local.set $asked)
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set $k
          (cont.bind $ck $c
            (local.get $n)
            (i64.mul (i64.extend_i32_u (local.get $n)) (i64.const 1000))
            (local.get $asked)))
        (br $next))
      (unreachable))
    (call $print_i64)))
