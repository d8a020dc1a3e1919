;; `br_table` with suspends: the index comes from a suspend (`$pick` answers 7i mod 4, so
;; 0, 3 (the default), 2, 1, 0), every arm suspends again (`$t` answers ten times its payload),
;; and a value-carrying `br_table` takes both its value and its index from suspends. The task
;; prints 100/200/300 + the arm's answer.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $f (func (param i32)))
  (type $c (cont $f))
  (tag $pick (param i32) (result i32))
  (tag $t (param i32) (result i32))
  (elem declare func $task)

  (func $carry (param $value i32) (param $index i32) (result i32)
    (block $v0 (result i32)
      (block $v1 (result i32)
        (br_table $v1 $v0
          (suspend $t (local.get $value))
          (suspend $pick (local.get $index))))
      (i32.add (i32.const 1000))))

  (func $task (param $unused i32)
    (local $i i32)
    (loop $l
      (block $end
        (block $b2
          (block $b1
            (block $b0
              (br_table $b0 $b1 $b2 (suspend $pick (local.get $i))))
            (call $print_i32 (i32.add (i32.const 100) (suspend $t (local.get $i))))
            (br $end))
          (call $print_i32 (i32.add (i32.const 200) (suspend $t (local.get $i))))
          (br $end))
        (call $print_i32 (i32.add (i32.const 300) (suspend $t (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 5))))
    ;; $pick(1) = 3: the default, $v0, with the value 50.
    (call $print_i32 (call $carry (i32.const 5) (i32.const 1)))
    ;; $pick(4) = 0: $v1, then 1000 + 60.
    (call $print_i32 (call $carry (i32.const 6) (i32.const 4))))

  (func (export "_start")
    (local $k (ref null $c))
    (local $answer i32)
    (local.set $k (cont.new $c (ref.func $task)))
    (block $done
      (loop $next
        (block $on_t (result i32 (ref $c))
          (block $on_pick (result i32 (ref $c))
            (resume $c (on $pick $on_pick) (on $t $on_t) (local.get $answer) (local.get $k))
            (br $done))
          (local.set $k)
          (local.set $answer (i32.rem_u (i32.mul (i32.const 7)) (i32.const 4)))
          (br $next))
        (local.set $k)
        (local.set $answer (i32.mul (i32.const 10)))
        (br $next)))))
