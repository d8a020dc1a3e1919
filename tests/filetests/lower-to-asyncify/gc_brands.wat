;; GC types that only continuation types tell apart keep apart lowered, where every
;; continuation is an `i64` handle: the second of two equal-after-erasure groups gets a brand,
;; a last member `$wasmfx.brand.N.G` (G: the group's index) whose fields spell N in binary
;; (`i64` for 1, `i32` for 0).
;; `$s2` is branded against `$s1`; `$g2` against `$g1`, after which `$h1` and `$h2` differ
;; without a brand of their own; the group `$p1 $p2` (swapped `$r1 $r2`) is branded, while
;; `$q1 $q2`, natively the same types as `$r1 $r2`, is not; a group of a function type and
;; its continuation type loses the continuation type and, equal to `$g1` without it and to
;; `$g2` with brand 1, gets brand 2; `$plain`, without continuations but equal to erased
;; `$s1`, gets brand 2 too (1 being `$s2`'s). The exports run lowered only (Wasmtime 48 cannot
;; allocate these structs natively): each `ref.test` between two types that continuation
;; types tell apart fails, the one between the same types (`$q1` as `$r1`) succeeds.
;; RUN: wasmfx-opt --lower-to-asyncify
;; RUN: wasmfx-opt --lower-to-asyncify | exports
(module
  (type $f1 (func (param i32)))
  (type $c1 (cont $f1))
  (type $f2 (func (param i64)))
  (type $c2 (cont $f2))
  (type $s1 (struct (field (mut (ref null $c1)))))
  (type $s2 (struct (field (mut (ref null $c2)))))
  (type $g1 (func (param (ref null $c1)) (result i32)))
  (type $g2 (func (param (ref null $c2)) (result i32)))
  (type $h1 (struct (field (ref null $g1))))
  (type $h2 (struct (field (ref null $g2))))
  (rec (type $r1 (struct (field (ref null $c1)))) (type $r2 (struct (field (ref null $c2)))))
  (rec (type $p1 (struct (field (ref null $c2)))) (type $p2 (struct (field (ref null $c1)))))
  (rec (type $q1 (struct (field (ref null $c1)))) (type $q2 (struct (field (ref null $c2)))))
  (rec (type $self (func (param (ref null $selfc)) (result i32))) (type $selfc (cont $self)))
  (type $plain (struct (field (mut i64))))
  (func (export "tests") (result i32)
    (i32.add
      (i32.add (ref.test (ref $s1) (struct.new_default $s2)) (ref.test (ref $h1) (struct.new_default $h2)))
      (i32.add (ref.test (ref $r1) (struct.new_default $p2))
               (i32.mul (i32.const 10) (ref.test (ref $r1) (struct.new_default $q1))))))
  (func (export "plain") (result i32)
    (ref.test (ref $s1) (struct.new_default $plain))))
