;; A suspend forwarded through an inner resume that does not handle its tag, with a value on
;; the operand stack across the suspension; the outer handler resumes it with 20 and gets 42.
;; RUN: wasmfx-opt --lower-to-asyncify
;; RUN: exports == wasmfx-opt --lower-to-asyncify | exports
(module
  (type $ft (func (result i32)))
  (type $ct (cont $ft))
  (type $ft2 (func (param i32) (result i32)))
  (type $ct2 (cont $ft2))
  (tag $outer (result i32))
  (tag $inner)
  (func $leaf (result i32) (i32.add (i32.const 1) (suspend $outer)))
  (func $middle (result i32)
    (block $h (result (ref $ct))
      (return (i32.mul (i32.const 2) (resume $ct (on $inner $h) (cont.new $ct (ref.func $leaf))))))
    (drop)
    (i32.const -1))
  (elem declare func $leaf $middle)
  (func (export "run") (result i32)
    (local $k (ref null $ct2))
    (block $h (result (ref $ct2))
      (return (resume $ct (on $outer $h) (cont.new $ct (ref.func $middle)))))
    (local.set $k)
    (resume $ct2 (i32.const 20) (local.get $k))))
