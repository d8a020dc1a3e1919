;; Which indirect calls may suspend, by the table they call through and what can be in it
;; (see `targets.rs`). `$fiber` suspends and has the same type as `$write`, as a C fiber's
;; entry point shares `f->write`'s type: a call through `$io`, which holds only `$write`,
;; cannot reach it, so `$print` is left as it is; a call through `$fibers` can, so `$run` is
;; instrumented; a call through the exported `$exp` may reach anything of its type (the host
;; may put `$fiber` there), so `$from_host` is instrumented too; and a `call_ref` of that
;; type may reach `$fiber`, so `$by_ref` is instrumented.
;; RUN: wasmfx-opt --lower-to-asyncify
(module
  (type $op (func (param i32) (result i32)))
  (type $ft (func))
  (type $ct (cont $ft))
  (tag $t)
  (table $io funcref (elem $write))
  (table $fibers funcref (elem $fiber))
  (table $exp (export "table") 1 funcref)
  (func $write (type $op) (local.get 0))
  (func $fiber (type $op) (suspend $t) (local.get 0))
  (func $print (export "print") (param i32) (result i32)
    (call_indirect $io (type $op) (local.get 0) (i32.const 0)))
  (func $run (export "run") (param i32) (result i32)
    (call_indirect $fibers (type $op) (local.get 0) (i32.const 0)))
  (func $from_host (export "from_host") (param i32) (result i32)
    (call_indirect $exp (type $op) (local.get 0) (i32.const 0)))
  (func $by_ref (export "by_ref") (param i32) (result i32)
    (call_ref $op (local.get 0) (ref.func $write)))
  (func $task (drop (call $run (i32.const 1))))
  (elem declare func $task $write)
  (func (export "main") (resume $ct (cont.new $ct (ref.func $task)))))
