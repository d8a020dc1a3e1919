;; Dead code around every stack-switching instruction, in functions that suspend (instrumented)
;; and functions that do not: after `unreachable` (an empty polymorphic stack, so the
;; instruction's operands have no known types), after `br`, `return` and `br_table` (operands
;; pushed by the dead code itself), and after a `throw`. Each function also has live code that
;; runs, so the dead code sits in functions that are called and must keep working.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (type $fi (func (param i32)))
  (type $ci (cont $fi))
  (type $fr (func (result i32)))
  (type $cr (cont $fr))
  (tag $y (param i32))
  (tag $e (param i32))
  (elem declare func $gen $gen_i $plain)

  ;; Suspends twice; between the suspends sits dead code after `br` and `unreachable`.
  (func $gen
    (suspend $y (i32.const 1))
    (block $skip
      (br $skip)
      (suspend $y (i32.const 99))
      (resume $c (cont.new $c (ref.func $plain)))
      (drop (cont.bind $ci $c (i32.const 3) (cont.new $ci (ref.func $gen_i)))))
    (suspend $y (i32.const 2))
    (return)
    (unreachable)
    (suspend $y)
    (resume $c)
    (cont.bind $ci $c)
    (drop))

  ;; Takes an argument bound with cont.bind; dead code after `br_table` and `throw`.
  (func $gen_i (param $n i32)
    (suspend $y (i32.mul (local.get $n) (i32.const 10)))
    (block $a
      (block $b
        (br_table $a $b (i32.const 0))
        (resume $ci (i32.const 1) (cont.new $ci (ref.func $gen_i)))))
    (suspend $y (i32.mul (local.get $n) (i32.const 20)))
    (if (i32.eqz (local.get $n))
      (then
        (throw $e (i32.const 0))
        (suspend $y)
        (ref.as_non_null)
        (drop))))

  (func $plain)

  ;; Not instrumented (its resume handles every tag): dead resumes, binds, casts and null
  ;; branches with unknown operands after `unreachable`.
  (func $run_to_end (param $k (ref null $c)) (result i32)
    (local $n i32)
    (loop $next
      (block $h (result i32 (ref $c))
        (resume $c (on $y $h) (local.get $k))
        (return (local.get $n)))
      (local.set $k)
      (call $print_i32)
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $next))
    (block $h2 (result i32 (ref $c))
      (unreachable)
      (resume $c (on $y $h2))
      (block $o (result (ref null $c))
        (unreachable)
        (ref.as_non_null)
        (br_on_null $o)
        (drop)
        (br_on_non_null $o)
        (unreachable)
        (cont.bind $ci $c)
        (resume_throw $c $e (on $y $h2))
        (unreachable))
      (unreachable))
    (drop)
    (drop)
    (unreachable))

  (func $dead_after_return (result i32)
    (return (i32.const 7))
    (ref.as_non_null)
    (resume $cr)
    (drop)
    (unreachable)
    (cont.new $cr)
    (drop)
    (i32.const 0))

  (func $dead_refs (param $r (ref null $f)) (result i32)
    (block $b (result i32)
      (br $b (i32.const 3))
      (call_ref $f (ref.as_non_null (local.get $r)))
      (br_on_null $b (local.get $r))
      (drop)))

  (func (export "_start")
    (call $print_i32 (i32.sub (call $run_to_end (cont.new $c (ref.func $gen))) (i32.const 1)))
    (drop (call $run_to_end (cont.bind $ci $c (i32.const 1) (cont.new $ci (ref.func $gen_i)))))
    (call $print_i32 (call $dead_after_return))
    (call $print_i32 (call $dead_refs (ref.null $f)))
    (call $print_i32 (i32.const 42))
    (call $print_i32 (i32.const 5))
    (call $print_i32 (i32.const 6))))
