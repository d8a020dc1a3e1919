;; `ref.func` of functions that only their export declares (an export counts as a declaration,
;; so the module needs no `elem declare`): the lowering points the exports at wrappers, and
;; must declare the functions itself. The continuations run the exported functions.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $ft (func (result i32)))
  (type $ct (cont $ft))
  (type $vt (func))
  (type $vc (cont $vt))
  (tag $t (param i32))

  (func $seven (export "seven") (result i32)
    (suspend $t (i32.const 7))
    (i32.const 8))

  (func $unhandled (export "unhandled")
    (suspend $t (i32.const 0)))

  (func (export "_start")
    (local $r i32)
    (block $h (result i32 (ref $ct))
      (resume $ct (on $t $h) (cont.new $ct (ref.func $seven)))
      (unreachable))
    (local.set $r (resume $ct))
    (call $print_i32)
    (call $print_i32 (local.get $r))
    (drop (cont.new $vc (ref.func $unhandled)))
    (call $print_i32 (i32.add (call $seven_direct) (i32.const 0))))

  (func $seven_direct (result i32)
    (block $h (result i32 (ref $ct))
      (resume $ct (on $t $h) (cont.new $ct (ref.func $seven)))
      (return))
    (resume $ct)
    (i32.add)))
