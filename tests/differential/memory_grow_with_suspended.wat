;; memory.grow while continuations are suspended, and inside a running continuation: each grow
;; returns the old size, memory.size follows, new pages read as zero at both ends, what the
;; program wrote to earlier pages survives every later grow (also after the lowering's runtime
;; region has to move), and the suspended continuations' locals survive too. A grow of 0 pages
;; returns the size; a grow past 4 GiB fails with -1 and changes nothing.
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield)
  (memory (export "memory") 1)
  (table $tasks 50 (ref null $c))
  (global $sum (mut i32) (i32.const 0))
  (global $bad (mut i32) (i32.const 0))

  ;; A task keeps a value in a local, grows memory itself, yields, and adds its value when
  ;; resumed.
  (func $task (param $id i32)
    (local $mine i32)
    (local.set $mine (i32.add (local.get $id) (i32.const 1)))
    (call $grow_and_mark)
    (suspend $yield)
    (global.set $sum (i32.add (global.get $sum) (local.get $mine))))

  ;; Grows by one page; checks the old size, that the new page is zero at both ends, and marks
  ;; its first word with its page number.
  (func $grow_and_mark
    (local $old i32) (local $addr i32)
    (local.set $old (memory.grow (i32.const 1)))
    (if (i32.ne (i32.add (local.get $old) (i32.const 1)) (memory.size))
      (then (global.set $bad (i32.add (global.get $bad) (i32.const 1)))))
    (local.set $addr (i32.shl (local.get $old) (i32.const 16)))
    (if (i32.or (i32.load (local.get $addr)) (i32.load (i32.add (local.get $addr) (i32.const 65532))))
      (then (global.set $bad (i32.add (global.get $bad) (i32.const 1)))))
    (i32.store (local.get $addr) (local.get $old))
    (i32.store (i32.add (local.get $addr) (i32.const 65532)) (local.get $old)))

  (func (export "_start")
    (local $i i32) (local $k (ref null $c)) (local $check i32)
    (call $print (memory.size))
    (i32.store (i32.const 16) (i32.const 1000))
    ;; 50 tasks, each suspended after growing by one page.
    (loop $spawn
      (local.set $k (cont.new $c (ref.func $task0)))
      (block $done
        (block $on_yield (result (ref $c))
          (global.set $next_id (local.get $i))
          (resume $c (on $yield $on_yield) (local.get $k))
          (br $done))
        (local.set $k)
        (table.set $tasks (local.get $i) (local.get $k)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn (i32.lt_u (local.get $i) (i32.const 50))))
    (call $print (global.get $bad))
    ;; 250 more grows with every task suspended.
    (local.set $i (i32.const 0))
    (loop $grow
      (call $grow_and_mark)
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $grow (i32.lt_u (local.get $i) (i32.const 250))))
    (call $print (memory.size))
    (call $print (memory.grow (i32.const 0)))
    (call $print (memory.grow (i32.const 70000)))
    (call $print (memory.size))
    (call $print (global.get $bad))
    ;; Resume every task; each adds its value (1 + its id): 50 * 51 / 2 = 1275.
    (local.set $i (i32.const 0))
    (loop $resume
      (block $done
        (block $on_yield (result (ref $c))
          (resume $c (on $yield $on_yield) (table.get $tasks (local.get $i)))
          (br $done))
        (drop))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $resume (i32.lt_u (local.get $i) (i32.const 50))))
    (call $print (global.get $sum))
    ;; The program's data survived: the word at 16, and every grown page's marks.
    (call $print (i32.load (i32.const 16)))
    (local.set $i (i32.const 1))
    (loop $verify
      (local.set $check (i32.add (local.get $check)
        (i32.add
          (i32.eq (i32.load (i32.shl (local.get $i) (i32.const 16))) (local.get $i))
          (i32.eq (i32.load (i32.add (i32.shl (local.get $i) (i32.const 16)) (i32.const 65532))) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $verify (i32.lt_u (local.get $i) (i32.const 301))))
    ;; 300 pages, two marks each.
    (call $print (local.get $check)))

  ;; Tasks start without arguments and read their id from here.
  (global $next_id (mut i32) (i32.const 0))
  (func $task0
    (call $task (global.get $next_id)))
  (elem declare func $task0))
