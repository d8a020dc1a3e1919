;; Creates continuations until Wasmtime cannot map another stack, printing after each one how
;; many it has created, so that the count the runner reports can be checked against the
;; program's own. `make` creates exactly N and returns N.
(module
  (type $f (func))
  (type $c (cont $f))
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (elem declare func $body)

  (func $body)

  (func (export "_start")
    (local $n i32)
    (loop $more
      (drop (cont.new $c (ref.func $body)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (call $print_i32 (local.get $n))
      (br $more)))

  (func (export "make") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (drop (cont.new $c (ref.func $body)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more)))
    (local.get $i)))
