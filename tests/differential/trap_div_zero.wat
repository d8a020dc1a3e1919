;; An ordinary trap inside a continuation: a task two continuations deep divides by a value
;; that the outer handler sends it (2, 4, then 0: each is twice the last, mod 8, starting from
;; the 1 that the first `resume` passes to $middle's unused parameter); dividing by 0 traps
;; with "integer divide by zero", which propagates out through both resumes.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
;; RUN: node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func (param i32)))
  (type $c (cont $f))
  (type $f0 (func))
  (type $c0 (cont $f0))
  (tag $get (param i32) (result i32))
  (tag $other)
  (elem declare func $middle $divider)

  (func $divider (param $unused i32)
    (loop $l
      (call $print_i32 (i32.div_s (i32.const 100) (suspend $get (i32.const 0))))
      (br $l)))

  (func $middle (param $unused i32)
    (block $on_other (result (ref $c0))
      (resume $c (on $other $on_other) (i32.const 0) (cont.new $c (ref.func $divider)))
      (return))
    (drop))

  (func (export "_start")
    (local $k (ref null $c))
    (local $n i32)
    (local.set $k (cont.new $c (ref.func $middle)))
    (local.set $n (i32.const 1))
    (loop $l
      (block $on_get (result i32 (ref $c))
        (resume $c (on $get $on_get) (local.get $n) (local.get $k))
        (return))
      (local.set $k)
      (drop)
      (local.set $n (i32.rem_u (i32.mul (local.get $n) (i32.const 2)) (i32.const 8)))
      (br $l))))
