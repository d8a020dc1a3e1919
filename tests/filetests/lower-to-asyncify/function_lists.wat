;; The lists of `lists.rs`. `$work` suspends through `$step`, and `$log` calls `$step` too.
;; `remove@$log` (or `only@work`, by its export name) leaves `$log` uninstrumented: its call
;; to `$step` is followed by a check that traps if `$step` came back unwinding. `add@env.poll`
;; makes the import a suspension point, so `$main` is instrumented. `$step*` matches by a
;; wildcard. Naming no function, or removing `$step` (which suspends by itself), is an error.
;; RUN: wasmfx-opt --lower-to-asyncify --pass-arg lower-to-asyncify-remove@$log
;; RUN: wasmfx-opt --lower-to-asyncify --pass-arg lower-to-asyncify-only@work
;; RUN: wasmfx-opt --lower-to-asyncify --pass-arg lower-to-asyncify-add@env.poll
;; RUN: wasmfx-opt --lower-to-asyncify --pass-arg lower-to-asyncify-remove@step*
;; RUN: wasmfx-opt --lower-to-asyncify --pass-arg lower-to-asyncify-remove@$step
;; RUN: wasmfx-opt --lower-to-asyncify --pass-arg lower-to-asyncify-only@nothing*
(module
  (import "env" "poll" (func $poll (result i32)))
  (type $ft (func))
  (type $ct (cont $ft))
  (tag $t)
  (func $step (suspend $t))
  (func $log (call $step))
  (func $work (export "work") (call $step) (call $log))
  (elem declare func $work)
  (func $main (export "main") (result i32) (call $poll))
  (func (export "other") (resume $ct (cont.new $ct (ref.func $work)))))
