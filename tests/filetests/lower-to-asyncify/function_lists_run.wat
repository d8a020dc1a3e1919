;; The lists' promises at run time. `$step` suspends when its argument is not zero; `$quiet`
;; calls it with 0 and so never suspends, though analysis cannot know; `$loud` calls it with
;; 1. Removing `$quiet` is a true promise: the lowered program prints what the native one
;; does (1, the handler's 100, 2). Removing `$loud` is a broken one: the suspension through
;; it traps (`unlisted_suspend`) instead of corrupting the program.
;; RUN: native == wasmfx-opt --lower-to-asyncify --pass-arg lower-to-asyncify-remove@$quiet | lowered
;; RUN: wasmfx-opt --lower-to-asyncify --pass-arg lower-to-asyncify-remove@$loud | lowered
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (type $ft (func))
  (type $ct (cont $ft))
  (tag $t)
  (func $step (param i32) (if (local.get 0) (then (suspend $t))))
  (func $quiet (call $step (i32.const 0)))
  (func $loud (call $step (i32.const 1)))
  (func $task
    (call $quiet)
    (call $print (i32.const 1))
    (call $loud)
    (call $print (i32.const 2)))
  (elem declare func $task)
  (func (export "_start")
    (local $k (ref null $ct))
    (local.set $k (cont.new $ct (ref.func $task)))
    (loop $again
      (block $on (result (ref $ct))
        (resume $ct (on $t $on) (local.get $k))
        (return))
      (local.set $k)
      (call $print (i32.const 100))
      (br $again))))
