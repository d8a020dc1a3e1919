;; Functions reached only through ref.func for cont.new stay, with their declaration.
;; RUN: wasmfx-opt --remove-unused-module-elements
;; RUN: exports == wasmfx-opt --remove-unused-module-elements | exports
(module
  (type $ft (func (result i32)))
  (type $ct (cont $ft))
  (func $body (result i32) (i32.const 42))
  (func $never (result i32) (i32.const 0))
  (elem declare func $body $never)
  (func (export "run") (result i32)
    (resume $ct (cont.new $ct (ref.func $body)))))
