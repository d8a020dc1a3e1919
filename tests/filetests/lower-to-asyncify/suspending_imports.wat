;; `--pass-arg lower-to-asyncify-imports@MODULE.NAME,...` names imports that may suspend.
;; Without it imports are assumed not to, and `$main`, which only calls the import `env.poll`,
;; comes out unchanged; with it, the call is a suspension point and `$main` is instrumented.
;; Naming an import the module does not have is an error.
;; RUN: wasmfx-opt --lower-to-asyncify
;; RUN: wasmfx-opt --lower-to-asyncify --pass-arg lower-to-asyncify-imports@env.poll
;; RUN: wasmfx-opt --lower-to-asyncify --pass-arg lower-to-asyncify-imports@env.nope
(module
  (import "env" "poll" (func $poll (result i32)))
  (type $ft (func))
  (type $ct (cont $ft))
  (tag $t)
  (func $task (suspend $t))
  (elem declare func $task)
  (func $main (export "main") (result i32) (call $poll))
  (func (export "other") (resume $ct (cont.new $ct (ref.func $task)))))
