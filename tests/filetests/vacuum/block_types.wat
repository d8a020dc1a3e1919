;; RUN: wasmfx-opt --vacuum
;; RUN: exports == wasmfx-opt --vacuum | exports
;; Block types given as type indices of `[] -> []` and `[] -> [i32]` take their short form;
;; the `if` of type `[] -> []` whose arms are empty then goes.
(module
  (type $void (func))
  (type $one (func (result i32)))
  (global $g (mut i32) (i32.const 1))
  (func (export "short") (result i32)
    global.get $g if (type $void) else end
    block (type $one) i32.const 4 end
    global.get $g if (type $one) i32.const 2 else i32.const 3 end
    i32.add)
)
