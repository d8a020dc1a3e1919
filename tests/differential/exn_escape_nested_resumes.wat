;; An exception escaping through several nested resumes: `$l1` resumes `$l2` (handling `$a`),
;; which resumes `$l3` (handling `$b`), which suspends `$y` to `_start` and, resumed, throws.
;; `$e` is caught by neither `$l2` (which catches only `$e2`) nor `$l1`, and leaves all three
;; levels to `_start`'s `try_table`. Afterwards, a sibling chain `$s1`/`$s2` that was suspended
;; before goes on: `$s2` suspends `$a` to `$s1`'s handler, both finish. Then a fresh chain in
;; mode 1 throws `$e2`, which `$l2` catches; `$l2` suspends to `_start` from its catch code,
;; is resumed, and both levels finish. Levels print `100 * level + mode` on entry,
;; `+ 10` and `+ 20` later; `$l2` prints `2000 + payload` when it catches, `_start`
;; `1000 + payload`.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $fi (func (param i32)))
  (type $ci (cont $fi))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $y)
  (tag $a)
  (tag $b)
  (tag $e (param i32))
  (tag $e2 (param i32))
  (elem declare func $l1 $l2 $l3 $s1 $s2)

  (func $bind (param $f (ref $fi)) (param $mode i32) (result (ref $cv))
    (cont.bind $ci $cv (local.get $mode) (cont.new $ci (local.get $f))))

  (func $l3 (param $mode i32)
    (call $print_i32 (i32.add (i32.const 300) (local.get $mode)))
    (suspend $y)
    (call $print_i32 (i32.add (i32.const 310) (local.get $mode)))
    (if (local.get $mode)
      (then (throw $e2 (i32.const 8)))
      (else (throw $e (i32.const 7)))))

  (func $l2 (param $mode i32)
    (call $print_i32 (i32.add (i32.const 200) (local.get $mode)))
    (block $caught (result i32)
      (try_table (catch $e2 $caught)
        (block $on_b (result (ref $cv))
          (resume $cv (on $b $on_b) (call $bind (ref.func $l3) (local.get $mode)))
          (call $print_i32 (i32.const 90))
          (return))
        (call $print_i32 (i32.const 91))
        (return))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 2000)))
    (suspend $y)
    (call $print_i32 (i32.add (i32.const 220) (local.get $mode))))

  (func $l1 (param $mode i32)
    (call $print_i32 (i32.add (i32.const 100) (local.get $mode)))
    (block $on_a (result (ref $cv))
      (resume $cv (on $a $on_a) (call $bind (ref.func $l2) (local.get $mode)))
      (call $print_i32 (i32.add (i32.const 120) (local.get $mode)))
      (return))
    (call $print_i32 (i32.const 92))
    (drop))

  (func $s2
    (call $print_i32 (i32.const 500))
    (suspend $y)
    (call $print_i32 (i32.const 510))
    (suspend $a)
    (call $print_i32 (i32.const 520)))

  (func $s1
    (call $print_i32 (i32.const 400))
    (block $on_a (result (ref $cv))
      (resume $cv (on $a $on_a) (cont.new $cv (ref.func $s2)))
      (call $print_i32 (i32.const 93))
      (return))
    (call $print_i32 (i32.const 410))
    (resume $cv)
    (call $print_i32 (i32.const 420)))

  ;; Resumes $k: its next continuation, or null when it returned.
  (func $run (param $k (ref null $cv)) (result (ref null $cv))
    (block $on_y (result (ref $cv))
      (resume $cv (on $y $on_y) (local.get $k))
      (return (ref.null $cv)))
    (return))

  (func (export "_start")
    (local $k (ref null $cv))
    (local $s (ref null $cv))
    (local.set $k (call $run (call $bind (ref.func $l1) (i32.const 0))))
    (local.set $s (call $run (cont.new $cv (ref.func $s1))))
    (block $caught (result i32)
      (try_table (catch $e $caught)
        (drop (call $run (local.get $k))))
      (call $print_i32 (i32.const 94))
      (return))
    (call $print_i32 (i32.add (i32.const 1000)))
    (drop (call $run (local.get $s)))
    (local.set $k (call $run (call $bind (ref.func $l1) (i32.const 1))))
    (local.set $k (call $run (local.get $k)))
    (drop (call $run (local.get $k)))
    (call $print_i32 (i32.const 9))))
