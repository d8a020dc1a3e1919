;; `resume_throw_ref` traps with "null reference" on a null exnref, as `throw_ref` does, even
;; with a valid suspended continuation. Before, a valid exnref (from a `catch_all_ref`) raised
;; in a first generator was caught there (it prints `1000 + payload`); a second generator then
;; yields twice before the null exnref is raised in it.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield (param i32))
  (tag $cancel (param i32))
  (elem declare func $gen)

  (func $gen
    (local $i i32)
    (block $caught (result i32)
      (try_table (catch $cancel $caught)
        (loop $next
          (suspend $yield (local.get $i))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 1000))))

  (func $first (param $k (ref null $cv)) (result (ref null $cv))
    (block $on_yield (result i32 (ref $cv))
      (resume $cv (on $yield $on_yield) (local.get $k))
      (unreachable))
    (local.set $k)
    (call $print_i32)
    (local.get $k))

  (func (export "_start")
    (local $k (ref null $cv))
    (local $ex exnref)
    (local.set $k (call $first (cont.new $cv (ref.func $gen))))
    (block $caught (result exnref)
      (try_table (catch_all_ref $caught)
        (throw $cancel (i32.const 7)))
      (unreachable))
    (local.set $ex)
    (resume_throw_ref $cv (local.get $ex) (local.get $k))
    (local.set $k (call $first (cont.new $cv (ref.func $gen))))
    (local.set $k (call $first (local.get $k)))
    (resume_throw_ref $cv (ref.null exn) (local.get $k))
    (call $print_i32 (i32.const 90))))
