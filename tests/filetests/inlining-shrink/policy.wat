;; RUN: wasmfx-opt --inlining-shrink --remove-unused-module-elements
;; RUN: exports == wasmfx-opt --inlining-shrink --remove-unused-module-elements | exports
;; RUN: exports == wasmfx-opt --inlining --remove-unused-module-elements | exports
;; Only what shrinks the module: a chain of functions called once folds into its caller over
;; the rounds (bottom-up) and the copies go; a tiny function is inlined at every call; a
;; small function called twice stays a call (`--inlining` would inline it); an exported
;; function, tiny, is inlined at its call and stays for its export.
(module
  (global $n (mut i32) (i32.const 0))
  (func $step (param i32) (result i32)
    local.get 0 i32.const 3 i32.mul i32.const 1 i32.add
    global.get $n i32.add global.set $n global.get $n)
  (func $run (param i32) (result i32)
    (local $i i32)
    loop $l
      local.get 0 call $step drop
      local.get $i i32.const 1 i32.add local.tee $i i32.const 4 i32.lt_u br_if $l
    end
    global.get $n)
  (func $tiny (result i32) global.get $n)
  (func $twice (param i32) (result i32)
    local.get 0 local.get 0 i32.mul global.get $n i32.add i32.const 7 i32.xor)
  (func $exported (export "exported") (result i32) i32.const 9 call $twice)
  (func (export "chain") (result i32) i32.const 2 call $run call $tiny i32.add)
  (func (export "shared") (result i32)
    i32.const 3 call $twice call $exported i32.add call $tiny i32.add)
)
