;; A scheduler whose tasks are closures: structs with a `(ref $fn)` code field and an
;; environment struct, in a GC array. Each task's continuation (bound to its index; Wasmtime 48
;; cannot `cont.bind` GC references) runs its closure's code through `call_ref`, which stays
;; `call_ref` when the output keeps GC; the code yields, updating its environment's counter,
;; so the closure, its environment and the typed function reference all live across suspends
;; in the runner's frame. The run queue is a table of continuations.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $env (struct (field $count (mut i32)) (field $step i32)))
  (type $fn (func (param (ref $env)) (result i32)))
  (type $closure (struct (field $code (ref $fn)) (field $env (ref $env))))
  (type $closures (array (ref $closure)))
  (type $rf (func (param i32)))
  (type $rc (cont $rf))
  (type $fv (func))
  (type $cv (cont $fv))
  (table $tasks 3 (ref null $cv))
  (global $all (mut (ref null $closures)) (ref.null $closures))
  (tag $yield)
  (elem declare func $run $add $mul)

  (func $add (type $fn) (param $e (ref $env)) (result i32)
    (struct.set $env $count (local.get $e)
      (i32.add (struct.get $env $count (local.get $e)) (struct.get $env $step (local.get $e))))
    (suspend $yield)
    (struct.get $env $count (local.get $e)))

  (func $mul (type $fn) (param $e (ref $env)) (result i32)
    (struct.set $env $count (local.get $e)
      (i32.mul (struct.get $env $count (local.get $e)) (struct.get $env $step (local.get $e))))
    (suspend $yield)
    (suspend $yield)
    (struct.get $env $count (local.get $e)))

  (func $run (param $index i32)
    (local $c (ref $closure))
    (local $f (ref $fn))
    (local $i i32)
    (local.set $c (array.get $closures (global.get $all) (local.get $index)))
    (local.set $f (struct.get $closure $code (local.get $c)))
    (loop $l
      (call $print_i32 (call_ref $fn (struct.get $closure $env (local.get $c)) (local.get $f)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3)))))

  (func $closure (param $code (ref $fn)) (param $start i32) (param $step i32) (result (ref $closure))
    (struct.new $closure (local.get $code) (struct.new $env (local.get $start) (local.get $step))))

  (func (export "_start")
    (local $live i32)
    (local $i i32)
    (local $k (ref null $cv))
    (global.set $all (array.new_fixed $closures 3
      (call $closure (ref.func $add) (i32.const 0) (i32.const 5))
      (call $closure (ref.func $mul) (i32.const 1) (i32.const 3))
      (call $closure (ref.func $add) (i32.const 100) (i32.const -1))))
    (loop $spawn
      (table.set $tasks (local.get $i) (cont.bind $rc $cv (local.get $i) (cont.new $rc (ref.func $run))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn (i32.lt_u (local.get $i) (i32.const 3))))
    (local.set $live (i32.const 3))
    (loop $round
      (local.set $i (i32.const 0))
      (loop $each
        (if (i32.eqz (ref.is_null (table.get $tasks (local.get $i))))
          (then
            (block $on_y (result (ref $cv))
              (resume $cv (on $yield $on_y) (table.get $tasks (local.get $i)))
              (table.set $tasks (local.get $i) (ref.null $cv))
              (local.set $live (i32.sub (local.get $live) (i32.const 1)))
              (call $print_i32 (i32.sub (i32.const -1) (local.get $i)))
              (br 1))
            (local.set $k)
            (table.set $tasks (local.get $i) (local.get $k))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $each (i32.lt_u (local.get $i) (i32.const 3))))
      (br_if $round (local.get $live)))
    (call $print_i32 (struct.get $env $count
      (struct.get $closure $env (array.get $closures (global.get $all) (i32.const 1)))))))
