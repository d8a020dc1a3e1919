;; A continuation that traps (integer division by zero) on its second resumption, two calls
;; deep: the trap must come out of `resume` with the continuation's frames in the backtrace.
(module
  (type $f (func))
  (type $c (cont $f))
  (tag $yield)
  (elem declare func $task)

  (func $divide (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))

  (func $task
    (suspend $yield)
    (drop (call $divide (i32.const 1) (i32.const 0))))

  (func $main (export "_start")
    (local $k (ref null $c))
    (local.set $k (cont.new $c (ref.func $task)))
    (block $on_yield (result (ref $c))
      (resume $c (on $yield $on_yield) (local.get $k))
      (return))
    (local.set $k)
    (resume $c (local.get $k))))
