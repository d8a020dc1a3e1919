;; RUN: wasmfx-opt --inlining
;; RUN: exports == wasmfx-opt --inlining | exports
;; Small functions inlined; returns become branches, locals are zeroed per call; recursive,
;; tail-calling and trapping functions stay calls.
(module
  (global $n (mut i32) (i32.const 0))
  (func $add (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func $early (param $x i32) (result i32)
    local.get $x i32.eqz if i32.const 100 return end
    local.get $x i32.const 2 i32.mul)
  (func $counter (result i32) (local $c i32)
    local.get $c i32.const 1 i32.add local.tee $c
    global.get $n i32.add global.set $n
    local.get $c)
  (func $fact (param i32) (result i32)
    local.get 0 i32.eqz if (result i32) i32.const 1
    else local.get 0 local.get 0 i32.const 1 i32.sub call $fact i32.mul end)
  (func $tail (param i32) (result i32) local.get 0 return_call $early)
  (func $trap unreachable)
  (func (export "add") (result i32) i32.const 2 i32.const 3 call $add)
  (func (export "early") (result i32) i32.const 0 call $early i32.const 4 call $early i32.add)
  (func (export "zeroed_each_call") (result i32) (local $i i32)
    loop $l
      call $counter drop
      local.get $i i32.const 1 i32.add local.tee $i i32.const 3 i32.lt_u br_if $l
    end
    global.get $n)
  (func (export "not_inlined") (result i32)
    i32.const 5 call $fact i32.const 3 call $tail i32.add
    global.get $n i32.const 100 i32.gt_u if call $trap end)
)
