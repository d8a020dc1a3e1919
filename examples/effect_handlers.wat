;; effect_handlers.wat: OCaml 5-style effect handlers over trees of GC structs, the pattern
;; languages that compile to Wasm GC use for effects.
;;
;; An expression tree ($expr with the subtypes $num, $var, $add and $div, one rec group) is
;; evaluated by a plain recursive function that performs effects: `Ask i` reads variable i
;; from an environment (the handler answers), `Tick` counts a step (the handler keeps the
;; count), `Fail` aborts a division by zero (the handler does not resume, and drops the
;; continuation). The same evaluator runs under the handler with two environments (GC arrays).
;;
;; Then the same-fringe problem: two binary trees of different shapes are walked in lockstep
;; by two generators (each `Yield`s its leaves in order), and the consumer compares them leaf
;; by leaf, stopping at the first difference.
;;
;; Run: wasmfx-run examples/effect_handlers.wat (or lowered: wasmfx-run --lower ...)
(module
  (rec
    (type $expr (sub (struct)))
    (type $num (sub final $expr (struct (field $value i32))))
    (type $var (sub final $expr (struct (field $index i32))))
    (type $add (sub final $expr (struct (field $l (ref $expr)) (field $r (ref $expr)))))
    (type $div (sub final $expr (struct (field $l (ref $expr)) (field $r (ref $expr))))))
  (type $env (array i32))
  (type $eval_fn (func (param (ref $expr)) (result i32)))
  (type $eval_k (cont $eval_fn))
  (type $answer_fn (func (param i32) (result i32)))
  (type $answer_k (cont $answer_fn))
  (type $tick_fn (func (result i32)))
  (type $tick_k (cont $tick_fn))
  (type $tree (struct (field $leaf i32) (field $l (ref null $tree)) (field $r (ref null $tree))))
  (type $walk_fn (func (param (ref null $tree))))
  (type $start_fn (func (param i32)))
  (type $start_k (cont $start_fn))
  (type $trees (array (mut (ref null $tree))))
  (type $next_fn (func))
  (type $next_k (cont $next_fn))

  (tag $ask (param i32) (result i32))
  (tag $tick)
  (tag $fail)
  (tag $yield (param i32))

  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "result \00")
  (data (i32.const 80) " after \00")
  (data (i32.const 96) " steps\n\00")
  (data (i32.const 112) "failed: division by zero\n\00")
  (data (i32.const 144) "same fringe\n\00")
  (data (i32.const 160) "fringes differ at leaf \00")
  (data (i32.const 192) "\n\00")
  (global $roots (mut (ref null $trees)) (ref.null $trees))
  (elem declare func $eval $walk_root)

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $print_str (param $s i32)
    (local $end i32)
    (local.set $end (local.get $s))
    (loop $scan
      (if (i32.load8_u (local.get $end))
        (then (local.set $end (i32.add (local.get $end) (i32.const 1))) (br $scan))))
    (call $write (local.get $s) (i32.sub (local.get $end) (local.get $s))))
  (func $print_int (param $n i32)
    (local $p i32)
    (local.set $p (i32.const 32))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $write (local.get $p) (i32.sub (i32.const 32) (local.get $p))))

  ;; The evaluator: plain recursion over the tree, performing effects.
  (func $eval (type $eval_fn) (param $e (ref $expr)) (result i32)
    (local $d i32)
    (suspend $tick)
    (if (ref.test (ref $num) (local.get $e))
      (then (return (struct.get $num $value (ref.cast (ref $num) (local.get $e))))))
    (if (ref.test (ref $var) (local.get $e))
      (then (return (suspend $ask (struct.get $var $index (ref.cast (ref $var) (local.get $e)))))))
    (if (ref.test (ref $add) (local.get $e))
      (then (return (i32.add
        (call $eval (struct.get $add $l (ref.cast (ref $add) (local.get $e))))
        (call $eval (struct.get $add $r (ref.cast (ref $add) (local.get $e))))))))
    (local.set $d (call $eval (struct.get $div $r (ref.cast (ref $div) (local.get $e)))))
    (if (i32.eqz (local.get $d)) (then (suspend $fail)))
    (i32.div_u (call $eval (struct.get $div $l (ref.cast (ref $div) (local.get $e)))) (local.get $d)))

  ;; The handler: `match eval e with v -> v | effect (Ask i) k -> continue k env.(i)
  ;; | effect Tick k -> incr steps; continue k () | effect Fail _ -> print "failed"`.
  (func $run (param $e (ref $expr)) (param $env (ref $env))
    (local $steps i32)
    (local $k_ask (ref null $answer_k))
    (local $k (ref null $tick_k))
    (local $result i32)
    (local $index i32)
    (block $done
      (loop $handle
        (block $on_fail (result (ref $tick_k))
          (block $on_tick (result (ref $tick_k))
            (block $on_ask (result i32 (ref $answer_k))
              ;; The first resume starts the evaluator with the tree (Wasmtime 48 cannot
              ;; `cont.bind` a GC reference); later ones continue where it performed an effect.
              (local.set $result
                (if (result i32) (ref.is_null (local.get $k))
                  (then (resume $eval_k (on $ask $on_ask) (on $tick $on_tick) (on $fail $on_fail)
                    (local.get $e) (cont.new $eval_k (ref.func $eval))))
                  (else (resume $tick_k (on $ask $on_ask) (on $tick $on_tick) (on $fail $on_fail)
                    (local.get $k)))))
              (call $print_str (i32.const 64))
              (call $print_int (local.get $result))
              (call $print_str (i32.const 80))
              (call $print_int (local.get $steps))
              (call $print_str (i32.const 96))
              (br $done))
            (local.set $k_ask)
            (local.set $index)
            (local.set $k (cont.bind $answer_k $tick_k
              (array.get $env (local.get $env) (local.get $index)) (local.get $k_ask)))
            (br $handle))
          (local.set $k)
          (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
          (br $handle))
        (drop)
        (call $print_str (i32.const 112)))))

  ;; A generator: an in-order walk that yields each leaf.
  (func $walk (type $walk_fn) (param $t (ref null $tree))
    (if (ref.is_null (local.get $t)) (then (return)))
    (call $walk (struct.get $tree $l (local.get $t)))
    (if (i32.and (ref.is_null (struct.get $tree $l (local.get $t))) (ref.is_null (struct.get $tree $r (local.get $t))))
      (then (suspend $yield (struct.get $tree $leaf (local.get $t)))))
    (call $walk (struct.get $tree $r (local.get $t))))

  ;; A generator's entry: the walk of tree $i of $roots (an index, since Wasmtime 48 cannot
  ;; `cont.bind` a GC reference).
  (func $walk_root (type $start_fn) (param $i i32)
    (call $walk (array.get $trees (global.get $roots) (local.get $i))))

  (func $leaf (param $v i32) (result (ref $tree)) (struct.new $tree (local.get $v) (ref.null $tree) (ref.null $tree)))
  (func $node (param $l (ref null $tree)) (param $r (ref null $tree)) (result (ref $tree))
    (struct.new $tree (i32.const 0) (local.get $l) (local.get $r)))

  ;; Next leaf of a generator, or -1 when it has none left; the generator's continuation is
  ;; kept in slot $i of the two-element table.
  (table $gens 2 (ref null $next_k))
  (func $next (param $i i32) (result i32)
    (local $k (ref null $next_k))
    (local.set $k (table.get $gens (local.get $i)))
    (if (ref.is_null (local.get $k)) (then (return (i32.const -1))))
    (block $on_yield (result i32 (ref $next_k))
      (resume $next_k (on $yield $on_yield) (local.get $k))
      (table.set $gens (local.get $i) (ref.null $next_k))
      (return (i32.const -1)))
    (local.set $k)
    (table.set $gens (local.get $i) (local.get $k)))

  (func $same_fringe (param $a (ref $tree)) (param $b (ref $tree))
    (local $x i32) (local $y i32) (local $n i32)
    (global.set $roots (array.new_fixed $trees 2 (local.get $a) (local.get $b)))
    (table.set $gens (i32.const 0) (cont.bind $start_k $next_k (i32.const 0) (cont.new $start_k (ref.func $walk_root))))
    (table.set $gens (i32.const 1) (cont.bind $start_k $next_k (i32.const 1) (cont.new $start_k (ref.func $walk_root))))
    (loop $compare
      (local.set $x (call $next (i32.const 0)))
      (local.set $y (call $next (i32.const 1)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (if (i32.ne (local.get $x) (local.get $y))
        (then
          (call $print_str (i32.const 160))
          (call $print_int (local.get $n))
          (call $print_str (i32.const 192))
          (return)))
      (br_if $compare (i32.ne (local.get $x) (i32.const -1))))
    (call $print_str (i32.const 144)))

  (func (export "_start")
    (local $e (ref $expr))
    ;; (x0 + 7) / (x1 + 1) + x2
    (local.set $e
      (struct.new $add
        (struct.new $div
          (struct.new $add (struct.new $var (i32.const 0)) (struct.new $num (i32.const 7)))
          (struct.new $add (struct.new $var (i32.const 1)) (struct.new $num (i32.const 1))))
        (struct.new $var (i32.const 2))))
    (call $run (local.get $e) (array.new_fixed $env 3 (i32.const 35) (i32.const 5) (i32.const 100)))
    (call $run (local.get $e) (array.new_fixed $env 3 (i32.const 1) (i32.const -1) (i32.const 2)))
    ;; ((1 2) 3) and (1 (2 3)) have the same fringe; (1 (2 4)) differs at the third leaf.
    (call $same_fringe
      (call $node (call $node (call $leaf (i32.const 1)) (call $leaf (i32.const 2))) (call $leaf (i32.const 3)))
      (call $node (call $leaf (i32.const 1)) (call $node (call $leaf (i32.const 2)) (call $leaf (i32.const 3)))))
    (call $same_fringe
      (call $node (call $node (call $leaf (i32.const 1)) (call $leaf (i32.const 2))) (call $leaf (i32.const 3)))
      (call $node (call $leaf (i32.const 1)) (call $node (call $leaf (i32.const 2)) (call $leaf (i32.const 4)))))))
