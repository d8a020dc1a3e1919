;; Suspends forwarded through two inner resumes to the outer handler, with struct and array
;; locals live at every level: the innermost task yields its structs to `_start`, past the
;; middle and inner levels, whose own GC locals must survive each forward and rewind.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $s (struct (field $v i32)))
  (type $arr (array (mut i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $up (param (ref $s)))
  (tag $local)
  (elem declare func $leaf $middle $outer)
  (func $leaf
    (local $mine (ref $s))
    (local.set $mine (struct.new $s (i32.const 1)))
    (suspend $up (local.get $mine))
    (suspend $up (struct.new $s (i32.add (struct.get $s $v (local.get $mine)) (i32.const 10))))
    (call $print_i32 (struct.get $s $v (local.get $mine))))
  (func $middle
    (local $counts (ref $arr))
    (local.set $counts (array.new $arr (i32.const 0) (i32.const 2)))
    (block $l (result (ref $cv))
      (resume $cv (on $local $l) (cont.new $cv (ref.func $leaf)))
      (array.set $arr (local.get $counts) (i32.const 0) (i32.const 200))
      (call $print_i32 (array.get $arr (local.get $counts) (i32.const 0)))
      (return))
    (drop))
  (func $outer
    (local $tag (ref $s))
    (local.set $tag (struct.new $s (i32.const 3000)))
    (block $l (result (ref $cv))
      (resume $cv (on $local $l) (cont.new $cv (ref.func $middle)))
      (call $print_i32 (struct.get $s $v (local.get $tag)))
      (return))
    (drop))
  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $outer)))
    (block $done
      (loop $l
        (block $on (result (ref $s) (ref $cv))
          (resume $cv (on $up $on) (local.get $k))
          (br $done))
        (local.set $k)
        (call $print_i32 (struct.get $s $v))
        (br $l)))))
