;; Suspends inside blocks and loops that take parameters and return values: a block with
;; (i32 i64) parameters whose i64 result is built across two suspends and leaves through
;; `br_if` (condition from a suspend), a block returning two values that both come from
;; suspends, and a loop whose i32 parameter accumulates across suspends and is passed back by
;; `br_if`. The handler answers ten times the payload.
;;
;; expect:
;; 25 : i64
;; 50 : i64
;; 40 : i32
;; 115 : i64
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (type $f (func (param i32) (result i64)))
  (type $c (cont $f))
  (tag $t (param i32) (result i32))
  (elem declare func $task)

  (func $task (param $unused i32) (result i64)
    (local $y i64)
    (local $tmp i32)
    (local $total i64)
    (i32.const 7)
    (i64.const 8)
    (block $b (param i32 i64) (result i64)
      (local.set $y)
      (i64.extend_i32_u)
      (i64.add (local.get $y))
      (i64.add (i64.extend_i32_u (suspend $t (i32.const 1))))
      (br_if $b (i32.eqz (suspend $t (i32.const 0))))
      (i64.add (i64.const 999)))
    (local.tee $total)
    (call $print_i64)
    (block (result i32 i64)
      (suspend $t (i32.const 2))
      (i64.extend_i32_u (suspend $t (i32.const 3))))
    (local.set $y)
    (i64.extend_i32_u)
    (i64.add (local.get $y))
    (local.tee $y)
    (call $print_i64)
    (local.set $total (i64.add (local.get $total) (local.get $y)))
    (i32.const 0)
    (loop $l (param i32) (result i32)
      (i32.add (suspend $t (i32.const 1)))
      (local.tee $tmp)
      (br_if $l (i32.lt_u (local.get $tmp) (i32.const 40))))
    (local.tee $tmp)
    (call $print_i32)
    (i64.add (local.get $total) (i64.extend_i32_u (local.get $tmp))))

  (func (export "_start")
    (local $k (ref null $c))
    (local $answer i32)
    (local.set $k (cont.new $c (ref.func $task)))
    (block $done (result i64)
      (loop $next
        (block $on_t (result i32 (ref $c))
          (br $done (resume $c (on $t $on_t) (local.get $answer) (local.get $k))))
        (local.set $k)
        (local.set $answer (i32.mul (i32.const 10)))
        (br $next))
      (unreachable))
    (call $print_i64)))
