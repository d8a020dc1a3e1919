;; Handler clauses are matched first to last: a resume that names the same tag twice (or a
;; tag after another clause for it) always takes the first clause, whichever block the label
;; is. The first resume site lists `(on $t $first) (on $u $uu) (on $t $second)`, with $first
;; the outermost block; the second lists `(on $u $inner) (on $t $inner) (on $u $outer)` with
;; $inner the innermost. Handlers print 100 + payload for the expected clause and 900 +
;; payload for a clause that must never be taken.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (tag $t (param i32))
  (tag $u (param i32))
  (elem declare func $task1 $task2)

  (func $task1
    (suspend $t (i32.const 1))
    (suspend $u (i32.const 2))
    (suspend $t (i32.const 3)))

  (func $task2
    (suspend $u (i32.const 4))
    (suspend $t (i32.const 5))
    (suspend $u (i32.const 6)))

  (func (export "_start")
    (local $k (ref null $c))
    (local $last i32)
    (local.set $k (cont.new $c (ref.func $task1)))
    (block $done
      (loop $next
        (block $first (result i32 (ref $c))
          (block $second (result i32 (ref $c))
            (block $uu (result i32 (ref $c))
              (resume $c (on $t $first) (on $u $uu) (on $t $second) (local.get $k))
              (br $done))
            (local.set $k)
            (call $print_i32 (i32.add (i32.const 200)))
            (br $next))
          (local.set $k)
          (call $print_i32 (i32.add (i32.const 900)))
          (br $next))
        (local.set $k)
        (call $print_i32 (i32.add (i32.const 100)))
        (br $next)))

    (local.set $k (cont.new $c (ref.func $task2)))
    (block $done
      (loop $next
        (block $outer (result i32 (ref $c))
          (block $inner (result i32 (ref $c))
            (resume $c (on $u $inner) (on $t $inner) (on $u $outer) (local.get $k))
            (br $done))
          (local.set $k)
          (local.tee $last)
          (call $print_i32 (i32.add (i32.const 100)))
          (br $next))
        (local.set $k)
        (call $print_i32 (i32.add (i32.const 900)))
        (br $next)))
    (call $print_i32 (local.get $last))))
