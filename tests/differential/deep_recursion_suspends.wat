;; Suspends at several depths of a 1,001-frame recursion: $rec(n) suspends `$down` on the way
;; down at every n divisible by 250 (including 0) and `$up` on the way back up at every
;; positive multiple of 250, so the continuation is captured with 1, 251, 501, 751 and 1001
;; frames and resumed into them. Each frame's accumulator lives across its suspends. The
;; handler answers `$down` with 1 and `$up` with 1, so the result is 500500 + 5 + 4.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $ft (func (param i32) (result i32)))
  (type $ct (cont $ft))
  (tag $down (param i32) (result i32))
  (tag $up (param i32) (result i32))
  (elem declare func $rec)

  (func $rec (param $n i32) (result i32)
    (local $acc i32)
    (local.set $acc (local.get $n))
    (if (i32.eqz (i32.rem_u (local.get $n) (i32.const 250)))
      (then
        (local.set $acc (i32.add (local.get $acc) (suspend $down (local.get $n))))))
    (if (local.get $n)
      (then
        (local.set $acc
          (i32.add (local.get $acc) (call $rec (i32.sub (local.get $n) (i32.const 1)))))
        (if (i32.eqz (i32.rem_u (local.get $n) (i32.const 250)))
          (then
            (local.set $acc (i32.add (local.get $acc) (suspend $up (local.get $acc))))))))
    (local.get $acc))

  (func (export "_start")
    (local $k (ref null $ct))
    (local $arg i32)
    (local.set $k (cont.new $ct (ref.func $rec)))
    (local.set $arg (i32.const 1000))
    (block $done (result i32)
      (loop $next
        (block $on_up (result i32 (ref $ct))
          (block $on_down (result i32 (ref $ct))
            (br $done
              (resume $ct (on $down $on_down) (on $up $on_up) (local.get $arg) (local.get $k))))
          (local.set $k)
          (call $print_i32)
          (local.set $arg (i32.const 1))
          (br $next))
        (local.set $k)
        (call $print_i32)
        (local.set $arg (i32.const 1))
        (br $next))
      (unreachable))
    (call $print_i32)))
