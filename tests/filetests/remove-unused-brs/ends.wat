;; RUN: wasmfx-opt --remove-unused-brs
;; RUN: exports == wasmfx-opt --remove-unused-brs | exports
;; Branches at the end of their label's sequence, and ifs that only branch.
(module
  (global $n (mut i32) (i32.const 0))
  (func $inc global.get $n i32.const 1 i32.add global.set $n)
  (func (export "br_at_end") (result i32)
    block $b (result i32) call $inc global.get $n br $b end)
  (func (export "extra_values_kept") (result i32)
    block $b (result i32) i32.const 1 i32.const 2 br $b end)
  (func (export "br_if_at_end") (result i32)
    block $b call $inc global.get $n br_if $b end
    global.get $n)
  (func (export "function_label") (result i32)
    call $inc global.get $n br 0)
  (func (export "if_arm") (result i32)
    global.get $n
    if (result i32) i32.const 5 br 0 else i32.const 6 end)
  (func (export "if_br_to_loop") (result i32) (local $i i32)
    loop $l
      local.get $i i32.const 1 i32.add local.tee $i
      i32.const 10 i32.lt_u
      if br $l end
    end
    local.get $i)
)
