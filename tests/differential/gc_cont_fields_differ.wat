;; GC types that only their continuation types tell apart, each lowered to a type of its own
;; although every continuation becomes an `i64` handle: structs and arrays of `$c1` and of `$c2`
;; continuations (`$s1`/`$s2`, `$a1`/`$a2`), a rec group of two such structs and the same
;; group with its members swapped (`$r1 $r2`, `$p1 $p2`), and two subtypes of one struct that
;; differ only in a continuation field (`$t2`, `$u2` under `$t1`). A task yields one value of
;; each as `anyref` (keeping an `$s2` across its suspends); after each resume the handler
;; prints which of the eleven types `ref.test` accepts (a bit each), then a `br_on_cast` chain
;; finds the structs and arrays holding continuations, whose continuations it runs with an
;; argument of their own type. Wasmtime 48 cannot allocate a GC object with a continuation
;; field, so the native run shows that refusal, and the lowered runs must agree with the
;; native run of the twin whose fields hold slots of two tables of continuations, an `i32`
;; slot for a `$c1` and an `i64` one for a `$c2`, which keeps the same types apart by shape
;; (`twins/gc_cont_fields_differ.wat`).
;;
;; RUN: native
;; RUN: native < twins/gc_cont_fields_differ.wat == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f1 (func (param i32)))
  (type $c1 (cont $f1))
  (type $f2 (func (param i64)))
  (type $c2 (cont $f2))
  (type $s1 (struct (field $k (mut (ref null $c1)))))
  (type $s2 (struct (field $k (mut (ref null $c2)))))
  (type $a1 (array (mut (ref null $c1))))
  (type $a2 (array (mut (ref null $c2))))
  (rec (type $r1 (struct (field (ref null $c1)))) (type $r2 (struct (field (ref null $c2)))))
  (rec (type $p1 (struct (field (ref null $c2)))) (type $p2 (struct (field (ref null $c1)))))
  (type $t1 (sub (struct (field (ref null $c1)))))
  (type $t2 (sub $t1 (struct (field (ref null $c1)) (field (ref null $c2)))))
  (type $u2 (sub $t1 (struct (field (ref null $c1)) (field (ref null $c1)))))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield (param i32))
  (tag $give (param anyref))
  (elem declare func $w1 $w2 $task)

  (func $w1 (param $x i32)
    (suspend $yield (i32.add (local.get $x) (i32.const 1)))
    (call $print_i32 (local.get $x)))
  (func $w2 (param $x i64)
    (suspend $yield (i32.wrap_i64 (i64.mul (local.get $x) (i64.const 3))))
    (call $print_i32 (i32.wrap_i64 (local.get $x))))
  (func $new1 (result (ref $c1)) (cont.new $c1 (ref.func $w1)))
  (func $new2 (result (ref $c2)) (cont.new $c2 (ref.func $w2)))

  (func $task
    (local $keep (ref null $s2))
    (local.set $keep (struct.new $s2 (call $new2)))
    (suspend $give (struct.new $s1 (call $new1)))
    (suspend $give (local.get $keep))
    (suspend $give (array.new $a1 (call $new1) (i32.const 1)))
    (suspend $give (array.new_fixed $a2 1 (call $new2)))
    (suspend $give (struct.new $r1 (ref.null $c1)))
    (suspend $give (struct.new $r2 (ref.null $c2)))
    (suspend $give (struct.new $p1 (ref.null $c2)))
    (suspend $give (struct.new $p2 (ref.null $c1)))
    (suspend $give (struct.new $t1 (ref.null $c1)))
    (suspend $give (struct.new $t2 (ref.null $c1) (ref.null $c2)))
    (suspend $give (struct.new $u2 (ref.null $c1) (ref.null $c1)))
    (call $print_i32 (ref.test (ref $s1) (local.get $keep))))

  ;; One bit per type that `ref.test` accepts: s1 s2 a1 a2 r1 r2 p1 p2 t1 t2 u2, from bit 0.
  (func $tests (param $v anyref) (result i32)
    (i32.or (i32.or (i32.or (ref.test (ref $s1) (local.get $v))
                            (i32.shl (ref.test (ref $s2) (local.get $v)) (i32.const 1)))
                    (i32.or (i32.shl (ref.test (ref $a1) (local.get $v)) (i32.const 2))
                            (i32.shl (ref.test (ref $a2) (local.get $v)) (i32.const 3))))
      (i32.or (i32.or (i32.or (i32.shl (ref.test (ref $r1) (local.get $v)) (i32.const 4))
                              (i32.shl (ref.test (ref $r2) (local.get $v)) (i32.const 5)))
                      (i32.or (i32.shl (ref.test (ref $p1) (local.get $v)) (i32.const 6))
                              (i32.shl (ref.test (ref $p2) (local.get $v)) (i32.const 7))))
              (i32.or (i32.shl (ref.test (ref $t1) (local.get $v)) (i32.const 8))
                      (i32.or (i32.shl (ref.test (ref $t2) (local.get $v)) (i32.const 9))
                              (i32.shl (ref.test (ref $u2) (local.get $v)) (i32.const 10)))))))

  ;; Runs a continuation to its end with argument $x, printing what it yields.
  (func $run1 (param $k (ref null $c1)) (param $x i32)
    (local $rest (ref null $cv))
    (block $on (result i32 (ref $cv))
      (resume $c1 (on $yield $on) (local.get $x) (local.get $k))
      (return))
    (local.set $rest)
    (call $print_i32)
    (resume $cv (local.get $rest)))
  (func $run2 (param $k (ref null $c2)) (param $x i64)
    (local $rest (ref null $cv))
    (block $on (result i32 (ref $cv))
      (resume $c2 (on $yield $on) (local.get $x) (local.get $k))
      (return))
    (local.set $rest)
    (call $print_i32)
    (resume $cv (local.get $rest)))

  ;; Runs the continuation a struct or array of continuations holds; prints -1 for the rest.
  (func $dispatch (param $v anyref)
    (block $to_a2 (result (ref $a2))
      (block $to_a1 (result (ref $a1))
        (block $to_s2 (result (ref $s2))
          (block $to_s1 (result (ref $s1))
            (br_on_cast $to_s1 anyref (ref $s1) (local.get $v))
            (br_on_cast $to_s2 anyref (ref $s2))
            (br_on_cast $to_a1 anyref (ref $a1))
            (br_on_cast $to_a2 anyref (ref $a2))
            (drop)
            (call $print_i32 (i32.const -1))
            (return))
          (call $run1 (struct.get $s1 $k) (i32.const 10))
          (return))
        (call $run2 (struct.get $s2 $k) (i64.const 20))
        (return))
      (call $run1 (array.get $a1 (i32.const 0)) (i32.const 30))
      (return))
    (call $run2 (array.get $a2 (i32.const 0)) (i64.const 40)))

  (func (export "_start")
    (local $k (ref null $cv))
    (local $v anyref)
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $done
      (loop $next
        (block $on (result anyref (ref $cv))
          (resume $cv (on $give $on) (local.get $k))
          (br $done))
        (local.set $k)
        (local.set $v)
        (call $print_i32 (call $tests (local.get $v)))
        (call $dispatch (local.get $v))
        (br $next)))))
