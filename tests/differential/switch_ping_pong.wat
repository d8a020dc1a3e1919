;; Symmetric coroutines: two peers, `$ping` and `$pong`, hand control to each other directly
;; with `switch`, never through a handler's code. Each `switch` passes a counter and, to the
;; peer it starts or resumes, the switcher's own suspended continuation (the last parameter of
;; the continuation type, a recursive type). The peers keep a local turn count across the
;; switches. The one whose counter reaches 6 returns, and its result is the result of the
;; `resume` that started the first peer, whichever peer that was; the other peer is abandoned.
;; The second round starts with `$pong`, so the peer that returns is not the one resumed.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param i32 (ref null $c)) (result i32)))
    (type $c (cont $f)))
  (tag $sw (result i32))
  (elem declare func $ping $pong)

  ;; Prints $base + n; at 6 returns turns * 1000 + n, else switches n + 1 to the other peer.
  (func $peer (param $base i32) (param $n i32) (param $other (ref null $c)) (result i32)
    (local $turns i32)
    (loop $turn
      (call $print_i32 (i32.add (local.get $base) (local.get $n)))
      (local.set $turns (i32.add (local.get $turns) (i32.const 1)))
      (if (i32.ge_u (local.get $n) (i32.const 6))
        (then
          (return
            (i32.add (i32.mul (local.get $turns) (i32.const 1000)) (local.get $n)))))
      (switch $c $sw (i32.add (local.get $n) (i32.const 1)) (local.get $other))
      (local.set $other)
      (local.set $n)
      (br $turn))
    (unreachable))

  (func $ping (type $f) (param $n i32) (param $other (ref null $c)) (result i32)
    (call $peer (i32.const 100) (local.get $n) (local.get $other)))

  (func $pong (type $f) (param $n i32) (param $other (ref null $c)) (result i32)
    (call $peer (i32.const 200) (local.get $n) (local.get $other)))

  (func (export "_start")
    (call $print_i32
      (resume $c (on $sw switch)
        (i32.const 0) (cont.new $c (ref.func $pong)) (cont.new $c (ref.func $ping))))
    (call $print_i32
      (resume $c (on $sw switch)
        (i32.const 3) (cont.new $c (ref.func $ping)) (cont.new $c (ref.func $pong))))))
