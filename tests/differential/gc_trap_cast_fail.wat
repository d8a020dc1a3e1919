;; A `ref.cast` that fails after a resume traps (`cast failure`), natively and lowered: the
;; task keeps an anyref holding a struct of one type across a suspend and casts it to
;; another; the casts that the lowering itself adds to restore saved references never fail.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $a (struct (field i32)))
  (type $b (struct (field i64)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield)
  (elem declare func $task)
  (func $task
    (local $x anyref)
    (local.set $x (struct.new $a (i32.const 5)))
    (suspend $yield)
    (call $print_i32 (struct.get $a 0 (ref.cast (ref $a) (local.get $x))))
    (suspend $yield)
    (drop (ref.cast (ref $b) (local.get $x)))
    (call $print_i32 (i32.const -1)))
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
