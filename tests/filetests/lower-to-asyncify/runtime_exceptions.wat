;; The runtime as merged into a program that uses exception handling: beside what
;; `runtime.wat` shows, slots for exnrefs (`wasmfx.rt.eref_put`, `wasmfx.rt.eref_take`).
;; RUN: wasmfx-opt --lower-to-asyncify | runtime
;; RUN: exports == wasmfx-opt --lower-to-asyncify | exports
(module
  (type $ft (func (result i32)))
  (type $ct (cont $ft))
  (tag $e (param i32))
  (func $f (result i32) (throw $e (i32.const 7)))
  (elem declare func $f)
  (func (export "run") (result i32)
    (block $caught (result i32)
      (try_table (result i32) (catch $e $caught)
        (resume $ct (cont.new $ct (ref.func $f)))))))
