;; One `resume` with three handler clauses for three tags of different payload and result
;; types ($a: i32 -> i32, $b: i64 -> i64, $c: no values). The task suspends each of them; the
;; handler for each turns the new continuation back into the loop's type with `cont.bind`
;; (binding the tag's result), so one loop resumes them all. The clauses, the handler blocks
;; and the suspends are in three different orders.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (type $f (func))
  (type $c0 (cont $f))
  (type $fa (func (param i32)))
  (type $ca (cont $fa))
  (type $fb (func (param i64)))
  (type $cb (cont $fb))
  (tag $a (param i32) (result i32))
  (tag $b (param i64) (result i64))
  (tag $c)
  (elem declare func $task)

  (func $task
    (local $x i32)
    (local $y i64)
    (local.set $x (suspend $a (i32.const 1)))
    (call $print_i32 (local.get $x))
    (suspend $c)
    (local.set $y (suspend $b (i64.const 2)))
    (call $print_i64 (local.get $y))
    (suspend $c)
    (local.set $x (suspend $a (i32.add (local.get $x) (i32.wrap_i64 (local.get $y)))))
    (call $print_i32 (local.get $x)))

  (func (export "_start")
    (local $k (ref null $c0))
    (local $ka (ref null $ca))
    (local $kb (ref null $cb))
    (local $x i32)
    (local $y i64)
    (local $resumes i32)
    (local.set $k (cont.new $c0 (ref.func $task)))
    (block $done
      (loop $next
        (local.set $resumes (i32.add (local.get $resumes) (i32.const 1)))
        (block $hb (result i64 (ref $cb))
          (block $ha (result i32 (ref $ca))
            (block $hc (result (ref $c0))
              (resume $c0 (on $c $hc) (on $a $ha) (on $b $hb) (local.get $k))
              (br $done))
            ;; $c: no payload, no result.
            (local.set $k)
            (call $print_i32 (i32.const -3))
            (br $next))
          ;; $a: print the payload, answer ten times it.
          (local.set $ka)
          (local.set $x)
          (call $print_i32 (local.get $x))
          (local.set $k
            (cont.bind $ca $c0 (i32.mul (local.get $x) (i32.const 10)) (local.get $ka)))
          (br $next))
        ;; $b: the same for i64.
        (local.set $kb)
        (local.set $y)
        (call $print_i64 (local.get $y))
        (local.set $k
          (cont.bind $cb $c0 (i64.mul (local.get $y) (i64.const 10)) (local.get $kb)))
        (br $next)))
    (call $print_i32 (local.get $resumes))))
