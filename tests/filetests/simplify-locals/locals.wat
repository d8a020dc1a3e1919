;; RUN: wasmfx-opt --simplify-locals
;; RUN: exports == wasmfx-opt --simplify-locals | exports
;; Set-get pairs, dead stores, values kept on the stack, constants and unused locals.
(module
  (global $n (mut i32) (i32.const 0))
  (memory 1)
  (func $next (result i32) global.get $n i32.const 4 i32.add global.set $n global.get $n)
  (func (export "tee_then_dead") (result i32) (local $p i32)
    call $next local.set $p local.get $p i32.load)
  (func (export "kept_live") (result i32) (local $p i32)
    call $next local.set $p local.get $p local.get $p i32.add)
  (func (export "dead_store") (result i32) (local $p i32) (local $unused i64)
    call $next local.set $p i32.const 3)
  (func (export "sunk") (result i32) (local $a i32) (local $b i32)
    call $next local.set $a
    i32.const 100 local.set $b
    local.get $b i32.const 1 i32.add
    local.get $a i32.sub)
  (func (export "self_copy") (result i32) (local $a i32)
    i32.const 5 local.set $a local.get $a local.set $a local.get $a)
  (func (export "loop_carried") (result i32) (local $i i32) (local $s i32)
    loop $l
      local.get $s local.get $i i32.add local.set $s
      local.get $i i32.const 1 i32.add local.tee $i
      i32.const 5 i32.lt_u br_if $l
    end
    local.get $s)
  (func (export "constant") (result i32) (local $k i32)
    i32.const 8 local.set $k
    call $next local.get $k i32.sub
    block local.get $k drop i32.const 1 local.set $k end
    local.get $k i32.add)
)
