;; MVP control flow: block/loop/if/else/br/br_if/br_table/return/call/call_indirect/
;; select/unreachable/nop, named labels, multi-value blocks with params and results.
(module $mvp_control
  (type $binop (func (param i32 i32) (result i32)))
  (type $unop (func (param i32) (result i32)))
  (type $pair (func (param i32 i32) (result i32 i32)))

  (table $ops 5 funcref)
  (elem (table $ops) (i32.const 0) func $add $sub $mul $max $neg)

  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))
  (func $max (type $binop)
    (select (local.get 0) (local.get 1) (i32.gt_s (local.get 0) (local.get 1))))
  (func $neg (type $unop) (i32.sub (i32.const 0) (local.get 0)))

  ;; Nested named blocks; br to an outer label carrying a value.
  (func (export "block_br_value") (result i32)
    (block $outer (result i32)
      (block $inner (result i32)
        (br $outer (i32.const 42))
        (i32.const 1))
      (drop)
      (i32.const 2)))

  ;; Loop summing 1..100 with br_if back edge.
  (func (export "loop_sum") (result i32)
    (local $i i32) (local $acc i32)
    (local.set $i (i32.const 1))
    (loop $again
      (local.set $acc (i32.add (local.get $acc) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.le_s (local.get $i) (i32.const 100))))
    (local.get $acc))

  ;; Loop with explicit exit block and br (not br_if), plain-instruction syntax.
  (func (export "loop_flat_syntax") (result i32)
    (local $n i32) (local $f i32)
    i32.const 10
    local.set $n
    i32.const 1
    local.set $f
    block $done
      loop $top
        local.get $n
        i32.eqz
        br_if $done
        local.get $f
        local.get $n
        i32.mul
        local.set $f
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        br $top
      end
    end
    local.get $f)

  (func $classify (param $x i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $x) (i32.const 0))
      (then (i32.const -1))
      (else
        (if (result i32) (i32.eqz (local.get $x))
          (then (i32.const 0))
          (else (i32.const 1))))))

  (func (export "if_else") (result i32)
    (local $r i32)
    ;; if without else and without result
    (if (i32.const 1) (then (local.set $r (i32.const 100))))
    (if (i32.const 0) (then (local.set $r (i32.const -999))))
    (i32.add (local.get $r)
      (i32.add (i32.mul (call $classify (i32.const -5)) (i32.const 10))
        (i32.add (call $classify (i32.const 0)) (call $classify (i32.const 7))))))

  ;; br_table with several targets and a default.
  (func $dispatch (param $k i32) (result i32)
    (block $default
      (block $c2
        (block $c1
          (block $c0
            (br_table $c0 $c1 $c2 $c1 $default (local.get $k)))
          (return (i32.const 10)))
        (return (i32.const 20)))
      (return (i32.const 30)))
    (i32.const 99))

  ;; br_table carrying a value.
  (func $dispatch_value (param $k i32) (result i32)
    (block $b (result i32)
      (block $a (result i32)
        (br_table $a $b $a (i32.const 7) (local.get $k)))
      (i32.add (i32.const 100))))

  (func (export "br_table") (result i32)
    (i32.add
      (i32.add
        (i32.add (call $dispatch (i32.const 0)) (i32.mul (call $dispatch (i32.const 1)) (i32.const 2)))
        (i32.add (call $dispatch (i32.const 2)) (i32.add (call $dispatch (i32.const 3)) (call $dispatch (i32.const 77)))))
      (i32.add (call $dispatch_value (i32.const 0)) (call $dispatch_value (i32.const 1)))))

  ;; Multi-value block with params and results.
  (func (export "block_params") (result i32)
    (i32.const 6) (i32.const 7)
    (block $b (type $pair) (param i32 i32) (result i32 i32)
      (call $swap))
    (i32.sub))

  (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))

  (func (export "loop_params") (result i32)
    ;; loop with a param and a result: sums 5+4+3+2+1
    (local $acc i32) (local $n i32)
    (i32.const 5)
    (loop $l (param i32) (result i32)
      (local.set $n)
      (local.set $acc (i32.add (local.get $acc) (local.get $n)))
      (br_if $l (i32.sub (local.get $n) (i32.const 1)) (i32.gt_s (local.get $n) (i32.const 1))))
    (drop)
    (local.get $acc))

  (func (export "if_params") (result i32)
    (i32.const 10) (i32.const 3)
    (if (param i32 i32) (result i32) (i32.const 0)
      (then (i32.add))
      (else (i32.sub))))

  ;; call_indirect through the table, with explicit type uses.
  (func (export "call_indirect_fold") (result i32)
    (local $acc i32)
    (local.set $acc (i32.const 5))
    (local.set $acc (call_indirect $ops (type $binop) (local.get $acc) (i32.const 3) (i32.const 0))) ;; 8
    (local.set $acc (call_indirect $ops (type $binop) (local.get $acc) (i32.const 2) (i32.const 2))) ;; 16
    (local.set $acc (call_indirect (type $binop) (local.get $acc) (i32.const 1) (i32.const 1)))      ;; 15
    (local.set $acc (call_indirect (type $binop) (local.get $acc) (i32.const 40) (i32.const 3)))     ;; 40
    (call_indirect (type $unop) (local.get $acc) (i32.const 4)))                                    ;; -40

  (func (export "trap_call_indirect_type_mismatch") (result i32)
    (call_indirect (type $unop) (i32.const 1) (i32.const 0)))

  (func (export "trap_call_indirect_null") (result i32)
    (table.set $ops (i32.const 4) (ref.null func))
    (call_indirect (type $unop) (i32.const 1) (i32.const 4)))

  (func (export "select") (result i32)
    (i32.add
      (select (i32.const 1) (i32.const 2) (i32.const 0))
      (i32.mul (select (i32.const 10) (i32.const 20) (i32.const 5)) (i32.const 3))))

  (func (export "select_i64_f64") (result f64)
    (f64.add
      (select (f64.const 1.5) (f64.const 2.5) (i32.const 1))
      (f64.convert_i64_s (select (i64.const -4) (i64.const 4) (i32.const 0)))))

  ;; Early return from deep nesting.
  (func $find_first_multiple (param $n i32) (param $k i32) (result i32)
    (local $i i32)
    (local.set $i (i32.const 1))
    (loop $l
      (block $skip
        (br_if $skip (i32.rem_u (local.get $i) (local.get $k)))
        (if (i32.ge_u (local.get $i) (local.get $n))
          (then (return (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))
    (unreachable))

  (func (export "return_early") (result i32)
    (call $find_first_multiple (i32.const 50) (i32.const 7)))

  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  (func (export "recursion_fib20") (result i32) (call $fib (i32.const 20)))

  (func (export "nop_and_drop") (result i32)
    nop
    (nop)
    (drop (i32.const 5))
    (drop (i64.const 6))
    (block (nop))
    (loop (nop))
    (i32.const 3))

  (func (export "br_if_value") (result i32)
    (block $b (result i32)
      (drop (br_if $b (i32.const 11) (i32.const 0)))
      (drop (br_if $b (i32.const 22) (i32.const 1)))
      (i32.const 33)))

  (func (export "unreachable_in_dead_branch") (result i32)
    (block $b (result i32)
      (br $b (i32.const 8))
      (unreachable)))

  (func (export "trap_unreachable")
    (unreachable))

  (func (export "no_results")
    (local i32)
    (local.set 0 (i32.const 1)))
)
