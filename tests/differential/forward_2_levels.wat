;; Forwarding through two levels: $L3 suspends $t0 past the resumes of $L2 and $L1, $t1 past
;; $L2's, and $t2 to $L2; after $L3 returns, $L2 and $L1 suspend to the levels above them.
;;
;; Level i (i >= 1) is $Li, run in a continuation that level i-1 resumes; each level's `resume`
;; handles only its own tag $ti, printing the payload and resuming with payload + 10^i (level
;; 0, `_start`, adds 1). A suspend of $tj from level i therefore passes through the resumes of
;; levels i-1 .. j+1, which do not name $tj, and resuming it must come back exactly where it
;; stopped, through every level in between.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $ft (func (param i32) (result i32)))
  (type $ct (cont $ft))
  (tag $t0 (param i32) (result i32))
  (tag $t1 (param i32) (result i32))
  (tag $t2 (param i32) (result i32))
  (elem declare func $L1 $L2 $L3)

  (func $L1 (param $x i32) (result i32)
    (local $k (ref null $ct))
    (local $v i32)
    (local.set $k (cont.new $ct (ref.func $L2)))
    (local.set $v (local.get $x))
    (block $done (result i32)
      (loop $again
        (block $h (result i32 (ref $ct))
          (br $done (resume $ct (on $t1 $h) (local.get $v) (local.get $k))))
        (local.set $k)
        (local.set $v)
        (call $print_i32 (local.get $v))
        (local.set $v (i32.add (local.get $v) (i32.const 10)))
        (br $again))
      (unreachable))
    (local.set $v)
    (local.set $v (suspend $t0 (i32.add (local.get $v) (i32.const 1))))
    (call $print_i32 (local.get $v))
    (i32.add (local.get $v) (i32.const 1)))

  (func $L2 (param $x i32) (result i32)
    (local $k (ref null $ct))
    (local $v i32)
    (local.set $k (cont.new $ct (ref.func $L3)))
    (local.set $v (local.get $x))
    (block $done (result i32)
      (loop $again
        (block $h (result i32 (ref $ct))
          (br $done (resume $ct (on $t2 $h) (local.get $v) (local.get $k))))
        (local.set $k)
        (local.set $v)
        (call $print_i32 (local.get $v))
        (local.set $v (i32.add (local.get $v) (i32.const 100)))
        (br $again))
      (unreachable))
    (local.set $v)
    (local.set $v (suspend $t1 (i32.add (local.get $v) (i32.const 1))))
    (call $print_i32 (local.get $v))
    (local.set $v (suspend $t0 (i32.add (local.get $v) (i32.const 1))))
    (call $print_i32 (local.get $v))
    (i32.add (local.get $v) (i32.const 1)))

  (func $L3 (param $x i32) (result i32)
    (local $v i32)
    (call $print_i32 (local.get $x))
    (local.set $v (local.get $x))
    (local.set $v (suspend $t0 (i32.add (local.get $v) (i32.const 1))))
    (call $print_i32 (local.get $v))
    (local.set $v (suspend $t2 (i32.add (local.get $v) (i32.const 1))))
    (call $print_i32 (local.get $v))
    (local.set $v (suspend $t1 (i32.add (local.get $v) (i32.const 1))))
    (call $print_i32 (local.get $v))
    (local.set $v (suspend $t0 (i32.add (local.get $v) (i32.const 1))))
    (call $print_i32 (local.get $v))
    (i32.add (local.get $v) (i32.const 1)))

  ;; Level 0 handles $t0, adding 1 to each payload.
  (func (export "_start")
    (local $k (ref null $ct))
    (local $v i32)
    (local.set $k (cont.new $ct (ref.func $L1)))
    (block $done (result i32)
      (loop $again
        (block $h (result i32 (ref $ct))
          (br $done (resume $ct (on $t0 $h) (local.get $v) (local.get $k))))
        (local.set $k)
        (local.set $v)
        (call $print_i32 (local.get $v))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br $again))
      (unreachable))
    (call $print_i32)))
