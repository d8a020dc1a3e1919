;; 1,001 frames of recursion before a suspend: $rec(1000) calls itself down to $rec(0), which
;; suspends; each frame keeps a local (3n) live across it. After the handler resumes with 100,
;; every frame returns through its saved state: the result is 3 * (1 + ... + 1000) + 100.
;; A second run (depth 100, answer 7: 3 * 5050 + 7) checks that nothing of the first is left.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $ft (func (param i32) (result i32)))
  (type $ct (cont $ft))
  (tag $bottom (param i32) (result i32))
  (elem declare func $rec)

  (func $rec (param $n i32) (result i32)
    (local $mine i32)
    (local.set $mine (i32.mul (local.get $n) (i32.const 3)))
    (if (result i32) (i32.eqz (local.get $n))
      (then (suspend $bottom (i32.const 7)))
      (else
        (i32.add (local.get $mine) (call $rec (i32.sub (local.get $n) (i32.const 1)))))))

  (func $run (param $depth i32) (param $answer i32) (result i32)
    (local $k (ref null $ct))
    (block $h (result i32 (ref $ct))
      (return (resume $ct (on $bottom $h) (local.get $depth) (cont.new $ct (ref.func $rec)))))
    (local.set $k)
    (call $print_i32)
    (resume $ct (local.get $answer) (local.get $k)))

  (func (export "_start")
    (call $print_i32 (call $run (i32.const 1000) (i32.const 100)))
    (call $print_i32 (call $run (i32.const 100) (i32.const 7)))))
