;; Tail calls: return_call, return_call_indirect, return_call_ref. The loops run deep
;; enough (1,000,000 iterations) that they would exhaust the stack without tail calls.
(module $tail_calls
  (type $step (func (param i64 i64) (result i64)))
  (type $even_odd (func (param i32) (result i32)))
  (table $t 2 funcref)
  (elem (table $t) (i32.const 0) func $is_even $is_odd)
  (elem declare func $sum_ref)

  ;; sum n + (n-1) + ... + 1 via accumulator and return_call
  (func $sum (type $step) (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else
        (return_call $sum
          (i64.sub (local.get $n) (i64.const 1))
          (i64.add (local.get $acc) (local.get $n))))))

  (func (export "return_call_deep") (result i64)
    (call $sum (i64.const 1000000) (i64.const 0)))

  ;; mutual recursion through the table with return_call_indirect
  (func $is_even (type $even_odd) (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call_indirect $t (type $even_odd)
              (i32.sub (local.get $n) (i32.const 1)) (i32.const 1)))))
  (func $is_odd (type $even_odd) (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call_indirect (type $even_odd)
              (i32.sub (local.get $n) (i32.const 1)) (i32.const 0)))))

  (func (export "return_call_indirect_deep") (result i32)
    (i32.add
      (i32.mul (call $is_even (i32.const 1000001)) (i32.const 10))
      (call $is_odd (i32.const 999999))))

  ;; return_call_ref through a typed function reference
  (func $sum_ref (type $step) (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else
        (return_call_ref $step
          (i64.sub (local.get $n) (i64.const 1))
          (i64.add (local.get $acc) (i64.mul (local.get $n) (local.get $n)))
          (ref.func $sum_ref)))))

  (func (export "return_call_ref_deep") (result i64)
    (call $sum_ref (i64.const 1000000) (i64.const 0)))

  ;; tail call with a different (smaller) parameter count than the caller
  (func $finish (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func $many (param i32 i32 i32 i32 i32 i32) (result i32)
    (return_call $finish
      (i32.add (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3)))
               (i32.add (local.get 4) (local.get 5)))))
  (func (export "return_call_arity_change") (result i32)
    (call $many (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6)))

  (func (export "trap_return_call_indirect_bad_index") (result i32)
    (return_call_indirect (type $even_odd) (i32.const 1) (i32.const 5)))
)
