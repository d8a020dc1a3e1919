;; Three symmetric coroutines in a ring: peer `id` switches to peer `(id + 1) % 3`, taking its
;; continuation from a table slot, and the peer it starts or resumes stores the switcher's
;; continuation (received as the last `switch` value) back in the switcher's slot. The i32
;; each `switch` carries is the sender's id. A shared step counter is printed as
;; `step * 100 + id * 10 + from` at every turn (from = 9: started by the handler). The peer
;; that reaches the global `$limit` returns `id * 1000 + step`, ending the `resume`.
;; A second `resume` restarts the suspended peer 0 from its slot with a higher limit: its
;; `switch` returns the values the `resume` passes, and peer 1 takes over from there.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param i32 (ref null $c)) (result i32)))
    (type $c (cont $f)))
  (type $g (func (param i32 i32 (ref null $c)) (result i32)))
  (type $gc (cont $g))
  (tag $sw (result i32))
  (table $ring 3 (ref null $c))
  (global $step (mut i32) (i32.const 0))
  (global $limit (mut i32) (i32.const 9))
  (elem declare func $peer)

  (func $peer (param $id i32) (param $from i32) (param $prev (ref null $c)) (result i32)
    (local $next i32)
    (local $k (ref null $c))
    (loop $turn
      (global.set $step (i32.add (global.get $step) (i32.const 1)))
      (call $print_i32
        (i32.add
          (i32.add (i32.mul (global.get $step) (i32.const 100))
            (i32.mul (local.get $id) (i32.const 10)))
          (local.get $from)))
      (if (i32.eqz (ref.is_null (local.get $prev)))
        (then (table.set $ring (local.get $from) (local.get $prev))))
      (if (i32.ge_u (global.get $step) (global.get $limit))
        (then
          (return
            (i32.add (i32.mul (local.get $id) (i32.const 1000)) (global.get $step)))))
      (local.set $next (i32.rem_u (i32.add (local.get $id) (i32.const 1)) (i32.const 3)))
      (local.set $k (table.get $ring (local.get $next)))
      (table.set $ring (local.get $next) (ref.null $c))
      (switch $c $sw (local.get $id) (local.get $k))
      (local.set $prev)
      (local.set $from)
      (br $turn))
    (unreachable))

  (func $new (param $id i32) (result (ref $c))
    (cont.bind $gc $c (local.get $id) (cont.new $gc (ref.func $peer))))

  (func (export "_start")
    (local $k0 (ref null $c))
    (table.set $ring (i32.const 1) (call $new (i32.const 1)))
    (table.set $ring (i32.const 2) (call $new (i32.const 2)))
    (call $print_i32
      (resume $c (on $sw switch) (i32.const 9) (ref.null $c) (call $new (i32.const 0))))
    ;; Peer 0 is suspended in slot 0 (stored there by peer 1 at step 8).
    (global.set $limit (i32.const 11))
    (local.set $k0 (table.get $ring (i32.const 0)))
    (table.set $ring (i32.const 0) (ref.null $c))
    (call $print_i32
      (resume $c (on $sw switch) (i32.const 2) (ref.null $c) (local.get $k0)))))
