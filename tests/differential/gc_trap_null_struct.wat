;; A `struct.get` of a null reference kept across a suspend traps after the resume, inside
;; the continuation: `null reference`, natively and lowered.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $s (struct (field i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield)
  (elem declare func $task)
  (func $task
    (local $p (ref null $s))
    (local $q (ref null $s))
    (local.set $p (struct.new $s (i32.const 1)))
    (suspend $yield)
    (call $print_i32 (struct.get $s 0 (local.get $p)))
    (suspend $yield)
    (call $print_i32 (struct.get $s 0 (local.get $q))))
  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $done
      (loop $l
        (block $on (result (ref $cv))
          (resume $cv (on $yield $on) (local.get $k))
          (br $done))
        (local.set $k)
        (call $print_i32 (i32.const 0))
        (br $l)))))
