;; A handler in one module catches a suspend performed in another: the effect library
;; declares the tag, the program suspends, the handler module resumes and answers.
(module $effects
  (tag $read (export "read") (result i32))
  (tag $emit (export "emit") (param i32)))
(register "effects")

(module $program
  (import "effects" "read" (tag $read (result i32)))
  (import "effects" "emit" (tag $emit (param i32)))
  ;; Emits the running sum of three values it reads.
  (func (export "main")
    (local $sum i32)
    (local.set $sum (suspend $read))
    (suspend $emit (local.get $sum))
    (local.set $sum (i32.add (local.get $sum) (suspend $read)))
    (suspend $emit (local.get $sum))
    (local.set $sum (i32.add (local.get $sum) (suspend $read)))
    (suspend $emit (local.get $sum))))
(register "program")

(module $handler
  (type $f (func))
  (type $c (cont $f))
  (type $fr (func (param i32)))
  (type $cr (cont $fr))
  (import "effects" "read" (tag $read (result i32)))
  (import "effects" "emit" (tag $emit (param i32)))
  (import "program" "main" (func $main))
  (elem declare func $main)
  ;; Feeds 1, 2, 3... to reads; returns the emitted values as decimal digits.
  (func (export "run") (result i32)
    (local $k (ref null $c))
    (local $next i32)
    (local $out i32)
    (local $reading (ref null $cr))
    (local.set $k (cont.new $c (ref.func $main)))
    (loop $again
      (block $on_emit (result i32 (ref $c))
        (block $on_read (result (ref $cr))
          (resume $c (on $read $on_read) (on $emit $on_emit) (local.get $k))
          (return (local.get $out)))
        (local.set $reading)
        (local.set $next (i32.add (local.get $next) (i32.const 1)))
        (local.set $k (cont.bind $cr $c (local.get $next) (local.get $reading)))
        (br $again))
      (local.set $k)
      (local.set $out (i32.add (i32.mul (local.get $out) (i32.const 10))))
      (br $again))
    (unreachable)))

(assert_return (invoke "run") (i32.const 136))
(assert_suspension (invoke $program "main") "unhandled")
