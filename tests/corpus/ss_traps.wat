;; Stack switching: deliberate traps (every export is named trap_*): resuming a
;; consumed continuation (after resume and after cont.bind), binding twice, a suspend
;; with no enclosing handler (on the main stack and inside a continuation), resuming
;; or creating from null, and a trap inside a running continuation.
;; Note: patterns known to crash Wasmtime (a trap on the parent stack in the same call
;; after a handled suspension, wasmtime#13298) are deliberately not included.
(module $ss_traps
  (type $f (func (result i32)))
  (type $ct (cont $f))
  (type $f1 (func (param i32) (result i32)))
  (type $ct1 (cont $f1))
  (tag $t)

  (func $one (type $f) (i32.const 1))
  (func $inc (type $f1) (i32.add (local.get 0) (i32.const 1)))
  (func $unhandled (type $f) (suspend $t) (i32.const 2))
  (func $boom (type $f) (unreachable))
  (elem declare func $one $inc $unhandled $boom)

  (func (export "trap_resume_twice") (result i32)
    (local $k (ref null $ct))
    (local.set $k (cont.new $ct (ref.func $one)))
    (drop (resume $ct (local.get $k)))
    (resume $ct (local.get $k)))

  (func (export "trap_resume_after_bind") (result i32)
    (local $k (ref null $ct1))
    (local.set $k (cont.new $ct1 (ref.func $inc)))
    (drop (cont.bind $ct1 $ct (i32.const 1) (local.get $k)))
    (resume $ct1 (i32.const 5) (local.get $k)))

  (func (export "trap_bind_twice") (result i32)
    (local $k (ref null $ct))
    (local.set $k (cont.new $ct (ref.func $one)))
    (drop (cont.bind $ct $ct (local.get $k)))
    (drop (cont.bind $ct $ct (local.get $k)))
    (i32.const 0))

  (func (export "trap_suspend_without_handler") (result i32)
    (suspend $t)
    (i32.const 0))

  (func (export "trap_unhandled_tag_in_continuation") (result i32)
    (resume $ct (cont.new $ct (ref.func $unhandled))))

  (func (export "trap_resume_null") (result i32)
    (resume $ct (ref.null $ct)))

  (func (export "trap_cont_new_null") (result i32)
    (resume $ct (cont.new $ct (ref.null $f))))

  (func (export "trap_inside_continuation") (result i32)
    (resume $ct (cont.new $ct (ref.func $boom))))
)
