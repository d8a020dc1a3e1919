;; RUN: wasmfx-opt --merge-blocks
;; RUN: exports == wasmfx-opt --merge-blocks | exports
;; Blocks no branch names, and blocks ending a sequence that ends at the same place.
(module
  (global $n (mut i32) (i32.const 0))
  (func $inc global.get $n i32.const 1 i32.add global.set $n)
  (func (export "unlabelled") (result i32)
    block (result i32) block (result i32) i32.const 2 end end
    block (param i32) (result i32) i32.const 3 i32.add end
    loop (result i32) i32.const 4 end i32.add)
  (func (export "last_in_block") (result i32)
    block $a (result i32)
      call $inc
      block $b (result i32)
        global.get $n global.get $n br_if $b drop
        i32.const 7
      end
    end)
  (func (export "targeted_kept") (result i32)
    block $a (result i32)
      block $b i32.const 1 br_if $b end
      i32.const 9
    end)
  (func (export "last_in_function") (result i32)
    block $b (result i32) i32.const 11 i32.const 1 br_if $b drop i32.const 12 end)
)
