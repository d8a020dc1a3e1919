;; Branch hinting: (@metadata.code.branch_hint ...) annotations on if and br_if produce
;; the "metadata.code.branch_hint" custom section, whose entries refer to function
;; indices and byte offsets inside function bodies.
(module $custom_branch_hints
  (func $collatz_steps (param $n i32) (result i32)
    (local $steps i32)
    (block $done
      (loop $l
        (@metadata.code.branch_hint "\00")
        (br_if $done (i32.le_u (local.get $n) (i32.const 1)))
        (@metadata.code.branch_hint "\01")
        (if (i32.and (local.get $n) (i32.const 1))
          (then (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 3)) (i32.const 1))))
          (else (local.set $n (i32.shr_u (local.get $n) (i32.const 1)))))
        (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
        (br $l)))
    (local.get $steps))

  (func (export "collatz_27") (result i32)
    (call $collatz_steps (i32.const 27)))

  (func (export "hinted_if") (result i32)
    (local $x i32)
    (local.set $x (i32.const 3))
    (@metadata.code.branch_hint "\00")
    (if (result i32) (i32.eqz (local.get $x))
      (then (i32.const 10))
      (else (i32.const 20))))
)
