;; Peers that switch from inside their own `try_table`s: `$a`'s catches `$ea`, `$b`'s catches
;; `$eb`. After the switches back and forth, each peer's throws are caught by its own
;; `try_table` (restored with its frames when it is switched back to), never by the other
;; peer's: `$a` catches its `$ea` (prints `100 + payload`), `$b` its `$eb` (prints
;; `200 + payload`), and an `$eb` thrown by `$a` leaves through `_start`'s `resume` (printed
;; as `1000 + payload`) although `$b`, suspended, sits in a `try_table` for `$eb`. `_start`
;; then resumes `$b`, which finishes.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $f (func (param (ref null $c))))
    (type $c (cont $f)))
  (tag $s)
  (tag $ea (param i32))
  (tag $eb (param i32))
  (global $held (mut (ref null $c)) (ref.null $c))
  (elem declare func $a $b)

  (func $a (type $f) (param $prev (ref null $c))
    (local $bk (ref null $c))
    (block $caught (result i32)
      (try_table (catch $ea $caught)
        (call $print_i32 (i32.const 1))
        (local.set $bk (switch $c $s (cont.new $c (ref.func $b))))
        (call $print_i32 (i32.const 3))
        (throw $ea (i32.const 10)))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 100)))
    (global.set $held (switch $c $s (local.get $bk)))
    (call $print_i32 (i32.const 5))
    (throw $eb (i32.const 20)))

  (func $b (type $f) (param $prev (ref null $c))
    (local $ak (ref null $c))
    (block $caught (result i32)
      (try_table (catch $eb $caught)
        (call $print_i32 (i32.const 2))
        (local.set $ak (switch $c $s (local.get $prev)))
        (call $print_i32 (i32.const 4))
        (throw $eb (i32.const 30)))
      (unreachable))
    (call $print_i32 (i32.add (i32.const 200)))
    (block $caught (result i32)
      (try_table (catch $eb $caught)
        (drop (switch $c $s (local.get $ak)))
        (call $print_i32 (i32.const 6))
        (return))
      (unreachable))
    (call $print_i32 (i32.const 90))
    (drop))

  (func (export "_start")
    (block $caught (result i32)
      (try_table (catch $eb $caught)
        (resume $c (on $s switch) (ref.null $c) (cont.new $c (ref.func $a))))
      (call $print_i32 (i32.const 91))
      (return))
    (call $print_i32 (i32.add (i32.const 1000)))
    (resume $c (on $s switch) (ref.null $c) (global.get $held))
    (call $print_i32 (i32.const 7))))
