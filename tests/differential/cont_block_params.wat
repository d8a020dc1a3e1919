;; Continuations carried as block, loop and `if` parameters and results rather than in locals:
;; the driving loop takes the current continuation as its parameter, the handler block takes
;; it as a parameter too and yields (value, continuation), and when the value is 3 an `if`
;; with a continuation parameter and result resumes it once more inside its `then` arm,
;; while its empty `else` arm passes the continuation through.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield (param i32))
  (elem declare func $count)

  (func $count
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (suspend $yield (local.get $i))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 5)))))

  ;; Prints $v plus $bias and hands back the continuation and $v.
  (func $show (param $v i32) (param $k (ref $c)) (param $bias i32) (result (ref $c) i32)
    (call $print_i32 (i32.add (local.get $v) (local.get $bias)))
    (local.get $k)
    (local.get $v))

  (func (export "_start")
    (block $done
      (cont.new $c (ref.func $count))
      (loop $l (param (ref $c))
        (block $h (param (ref $c)) (result i32 (ref $c))
          (resume $c (on $yield $h))
          (br $done))
        (call $show (i32.const 0))
        (if (param (ref $c)) (result (ref $c)) (i32.eq (i32.const 3))
          (then
            (block $h2 (param (ref $c)) (result i32 (ref $c))
              (resume $c (on $yield $h2))
              (unreachable))
            (call $show (i32.const 100))
            (drop))
          (else))
        (br $l)))
    (call $print_i32 (i32.const -1))))
