;; Exceptions thrown inside a continuation after it was suspended and resumed, caught by the
;; `try_table` that was around the `suspend`: each part suspends inside a `try_table` body,
;; `_start` resumes it (printing `100 + yielded value`), and then the body throws. The throw
;; comes right after the `suspend`; three frames down in a callee that suspended at the
;; bottom; as a `throw_ref` of an exnref caught before (kept in a local across the suspend);
;; through a callee's `try_table` that catches another tag, with an i64 and f64 payload; and
;; into a `catch_all`.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (import "spectest" "print_f64" (func $print_f64 (param f64)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $y (param i32))
  (tag $e (param i32))
  (tag $f (param i64 f64))
  (elem declare func $task)

  (func $deep (param $n i32)
    (if (local.get $n)
      (then
        (call $deep (i32.sub (local.get $n) (i32.const 1)))
        (return)))
    (suspend $y (i32.const 2))
    (throw $e (i32.const 20)))

  (func $catches_other
    (block $wrong (result i32)
      (try_table (catch $e $wrong)
        (suspend $y (i32.const 5))
        (throw $f (i64.const -7) (f64.const 0.5)))
      (return))
    (drop)
    (call $print_i32 (i32.const 90)))

  (func $task
    (local $ex exnref)
    (local $x f64)
    (call $print_i32 (i32.const 1))
    (block $c1 (result i32)
      (try_table (catch $e $c1)
        (suspend $y (i32.const 1))
        (throw $e (i32.const 10)))
      (unreachable))
    (call $print_i32)
    (block $c2 (result i32)
      (try_table (catch $e $c2)
        (call $deep (i32.const 3)))
      (unreachable))
    (call $print_i32)
    (block $c3 (result i32 exnref)
      (try_table (catch_ref $e $c3)
        (suspend $y (i32.const 3))
        (throw $e (i32.const 30)))
      (unreachable))
    (local.set $ex)
    (call $print_i32)
    (block $c4 (result i32)
      (try_table (catch $e $c4)
        (suspend $y (i32.const 4))
        (throw_ref (local.get $ex)))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 1000)))
    (block $c5 (result i64 f64)
      (try_table (catch $f $c5)
        (call $catches_other))
      (unreachable))
    (local.set $x)
    (call $print_i64)
    (call $print_f64 (local.get $x))
    (block $c6
      (try_table (catch_all $c6)
        (suspend $y (i32.const 6))
        (throw $e (i32.const 60)))
      (unreachable))
    (call $print_i32 (i32.const 66))
    (call $print_i32 (i32.const 7)))

  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $done
      (loop $next
        (block $on_y (result i32 (ref $cv))
          (resume $cv (on $y $on_y) (local.get $k))
          (br $done))
        (local.set $k)
        (call $print_i32 (i32.add (i32.const 100)))
        (br $next)))
    (call $print_i32 (i32.const 8))))
