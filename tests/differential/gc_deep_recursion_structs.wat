;; 300 frames of recursion inside a continuation, each holding a struct that links to its
;; caller's, suspend at the bottom and on the way back up; every frame's struct (and the chain
;; through them) survives the resumes.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $link (struct (field $depth i32) (field $up (ref null $link))))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $yield (param i32))
  (elem declare func $task)
  (func $down (param $n i32) (param $up (ref null $link)) (result i32)
    (local $me (ref $link))
    (local $r i32)
    (local.set $me (struct.new $link (local.get $n) (local.get $up)))
    (if (i32.eqz (local.get $n))
      (then (suspend $yield (i32.const -1)))
      (else (local.set $r (call $down (i32.sub (local.get $n) (i32.const 1)) (local.get $me)))))
    (if (i32.eqz (i32.rem_u (local.get $n) (i32.const 100)))
      (then (suspend $yield (local.get $n))))
    (i32.add (local.get $r)
      (i32.add (struct.get $link $depth (local.get $me))
        (if (result i32) (ref.is_null (struct.get $link $up (local.get $me)))
          (then (i32.const 0))
          (else (struct.get $link $depth (struct.get $link $up (local.get $me))))))))
  (func $task (call $print_i32 (call $down (i32.const 300) (ref.null $link))))
  (func (export "_start")
    (local $k (ref null $cv))
    (local.set $k (cont.new $cv (ref.func $task)))
    (block $done
      (loop $l
        (block $on (result i32 (ref $cv))
          (resume $cv (on $yield $on) (local.get $k))
          (br $done))
        (local.set $k)
        (call $print_i32)
        (br $l)))))
