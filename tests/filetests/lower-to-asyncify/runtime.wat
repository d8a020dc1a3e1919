;; The runtime the lowering merges into every module that uses stack switching, printed once
;; here so that the other snapshots can leave it out: the continuation store, save buffers,
;; the funcref and externref slots, memory and continuation-table virtualisation, and the
;; trap functions. The program is the smallest that needs it: one continuation resumed once.
;; RUN: wasmfx-opt --lower-to-asyncify | runtime
;; RUN: exports == wasmfx-opt --lower-to-asyncify | exports
(module
  (type $ft (func (result i32)))
  (type $ct (cont $ft))
  (func $f (result i32) (i32.const 42))
  (elem declare func $f)
  (func (export "run") (result i32)
    (resume $ct (cont.new $ct (ref.func $f)))))
