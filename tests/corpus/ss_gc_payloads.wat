;; Stack switching with GC references: a tree-walking generator yields struct
;; references through a tag, the consumer answers with an i31ref, a continuation
;; takes and returns GC references, and continuation references are passed as
;; suspend payloads.
(module $ss_gc_payloads
  (rec
    (type $tree (struct (field $val i32) (field $left (ref null $tree)) (field $right (ref null $tree)))))
  (type $walk_f (func (param (ref null $tree))))
  (type $walk_ct (cont $walk_f))
  (type $v_f (func))
  (type $v_ct (cont $v_f))
  (type $after_f (func (param (ref i31))))
  (type $after_ct (cont $after_f))
  (type $map_f (func (param (ref $tree)) (result (ref $tree))))
  (type $map_ct (cont $map_f))

  (tag $visit (param (ref $tree)) (result (ref i31)))
  (tag $pass_cont (param (ref $v_ct)))

  (global $acc (mut i32) (i32.const 0))

  ;; in-order traversal; each node is reported to the handler which answers with an i31
  (func $walk (type $walk_f) (param $t (ref null $tree))
    (if (ref.is_null (local.get $t)) (then (return)))
    (call $walk (struct.get $tree $left (local.get $t)))
    (global.set $acc
      (i32.add (i32.mul (global.get $acc) (i32.const 3))
               (i31.get_s (suspend $visit (ref.as_non_null (local.get $t))))))
    (call $walk (struct.get $tree $right (local.get $t))))

  (func $leaf (param $v i32) (result (ref $tree))
    (struct.new $tree (local.get $v) (ref.null $tree) (ref.null $tree)))

  (func $mirror (type $map_f) (param $t (ref $tree)) (result (ref $tree))
    (struct.new $tree (i32.mul (struct.get $tree $val (local.get $t)) (i32.const -1))
      (struct.get $tree $right (local.get $t)) (struct.get $tree $left (local.get $t))))

  (func $inner (type $v_f) (global.set $acc (i32.add (global.get $acc) (i32.const 1000))))

  ;; a continuation that hands another continuation to its handler
  (func $hand_over (type $v_f)
    (suspend $pass_cont (cont.new $v_ct (ref.func $inner))))

  (elem declare func $walk $mirror $inner $hand_over)

  (func (export "tree_walk") (result i32 i32)
    (local $k (ref null $walk_ct)) (local $kk (ref null $after_ct)) (local $node (ref null $tree))
    (local $visits i32) (local $t (ref null $tree))
    (global.set $acc (i32.const 0))
    (local.set $t
      (struct.new $tree (i32.const 4)
        (struct.new $tree (i32.const 2) (call $leaf (i32.const 1)) (call $leaf (i32.const 3)))
        (struct.new $tree (i32.const 6) (call $leaf (i32.const 5)) (ref.null $tree))))
    (block $done
      (block $on_visit (result (ref $tree) (ref $after_ct))
        (resume $walk_ct (on $visit $on_visit) (local.get $t) (cont.new $walk_ct (ref.func $walk)))
        (br $done))
      (loop $l (param (ref $tree) (ref $after_ct))
        (local.set $kk)
        (local.set $node)
        (local.set $visits (i32.add (local.get $visits) (i32.const 1)))
        (block $on_visit2 (result (ref $tree) (ref $after_ct))
          (resume $after_ct (on $visit $on_visit2)
            (ref.i31 (i32.mul (struct.get $tree $val (local.get $node)) (i32.const 2)))
            (local.get $kk))
          (br $done))
        (br $l)))
    (global.get $acc) (local.get $visits))

  (func (export "gc_args_and_results") (result i32 i32)
    (local $r (ref $tree))
    (local.set $r
      (resume $map_ct
        (struct.new $tree (i32.const 7) (call $leaf (i32.const 8)) (ref.null $tree))
        (cont.new $map_ct (ref.func $mirror))))
    (struct.get $tree $val (local.get $r))
    (struct.get $tree $val (ref.as_non_null (struct.get $tree $right (local.get $r)))))

  (func (export "continuation_as_payload") (result i32)
    (local $outer (ref null $v_ct))
    (global.set $acc (i32.const 0))
    (block $on_pass (result (ref $v_ct) (ref $v_ct))
      (resume $v_ct (on $pass_cont $on_pass) (cont.new $v_ct (ref.func $hand_over)))
      (return (i32.const -1)))
    ;; stack: received continuation, continuation of $hand_over
    (local.set $outer)
    (resume $v_ct)                       ;; run the received one: acc += 1000
    (resume $v_ct (local.get $outer))    ;; finish $hand_over
    (global.get $acc))
)
