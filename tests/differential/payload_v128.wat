;; v128 across suspends: a tag `$t (param v128 i32) (result v128)`, a v128 local live across
;; two suspends, and a v128 left on the operand stack below a suspend (`i64x2.add` of a local
;; and the suspend's result). Vectors are printed as their two i64 lanes.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (type $ft (func (param v128) (result v128)))
  (type $ct (cont $ft))
  (tag $t (param v128 i32) (result v128))
  (elem declare func $task)

  (func $print_lanes (param $v v128)
    (call $print_i64 (i64x2.extract_lane 0 (local.get $v)))
    (call $print_i64 (i64x2.extract_lane 1 (local.get $v))))

  (func $task (param $v v128) (result v128)
    (local $w v128)
    (local.set $w (i32x4.add (local.get $v) (v128.const i32x4 1 2 3 4)))
    (local.set $v (suspend $t (local.get $w) (i32.const 1)))
    (call $print_lanes (local.get $v))
    (call $print_lanes (local.get $w))
    (local.set $v (i64x2.add (local.get $v) (suspend $t (local.get $v) (i32.const 2))))
    (call $print_lanes (local.get $v))
    (local.get $v))

  (func (export "_start")
    (local $k (ref null $ct))
    (local $n i32)
    (local $v v128)
    (local.set $k (cont.new $ct (ref.func $task)))
    (local.set $v (v128.const i32x4 10 20 30 40))
    (block $done (result v128)
      (loop $next
        (block $h (result v128 i32 (ref $ct))
          (br $done (resume $ct (on $t $h) (local.get $v) (local.get $k))))
        (local.set $k)
        (local.set $n)
        (local.set $v)
        (call $print_lanes (local.get $v))
        (call $print_i32 (local.get $n))
        ;; Answer with the payload, its low lane inverted.
        (local.set $v (v128.xor (local.get $v) (v128.const i64x2 -1 0)))
        (br $next))
      (unreachable))
    (call $print_lanes)))
