;; A finite generator: $countdown yields n, n-1, ..., 1 with `suspend $yield` and returns; the
;; consumer resumes it in a loop (the fresh continuation gets n from `cont.bind`), prints each
;; value, and stops when `resume` returns instead of suspending; then it prints the sum.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $gf (func (param i32)))
  (type $gc (cont $gf))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield (param i32))
  (elem declare func $countdown)

  (func $countdown (param $n i32)
    (loop $l
      (if (i32.gt_s (local.get $n) (i32.const 0))
        (then
          (suspend $yield (local.get $n))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $l)))))

  (func (export "_start")
    (local $k (ref null $c))
    (local $v i32)
    (local $sum i32)
    (local.set $k (cont.bind $gc $c (i32.const 5) (cont.new $gc (ref.func $countdown))))
    (block $done
      (loop $next
        (block $on_yield (result i32 (ref $c))
          (resume $c (on $yield $on_yield) (local.get $k))
          (br $done))
        (local.set $k)
        (local.set $v)
        (call $print_i32 (local.get $v))
        (local.set $sum (i32.add (local.get $sum) (local.get $v)))
        (br $next)))
    (call $print_i32 (local.get $sum))))
