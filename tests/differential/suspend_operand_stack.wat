;; Values on the operand stack below a suspend, of every kind: `(i32.add (i32.const 5)
;; (suspend ...))`, an i64 and an f64 below one, call arguments (i32, i64, f32, f64) with two
;; suspends among them, nested suspends in one expression, a v128 below one, and a function
;; reference below one. The handler prints each payload and answers ten times it.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (import "spectest" "print_f64" (func $print_f64 (param f64)))
  (type $f (func (param i32)))
  (type $c (cont $f))
  (type $unary (func (param i32) (result i32)))
  (tag $t (param i32) (result i32))
  (elem declare func $task $double)

  ;; a + 10 b + 100 c + 1000 d + 10000 e + 100000 f: any reordering of the arguments shows.
  (func $weigh (param $a i32) (param $b i64) (param $c i32) (param $d f32) (param $e i32)
      (param $f f64) (result i64)
    (i64.add
      (i64.add
        (i64.add (i64.extend_i32_s (local.get $a)) (i64.mul (local.get $b) (i64.const 10)))
        (i64.add (i64.extend_i32_s (i32.mul (local.get $c) (i32.const 100)))
          (i64.trunc_f32_s (f32.mul (local.get $d) (f32.const 1000)))))
      (i64.add (i64.extend_i32_s (i32.mul (local.get $e) (i32.const 10000)))
        (i64.trunc_f64_s (f64.mul (local.get $f) (f64.const 100000))))))

  (func $double (param $x i32) (result i32)
    (i32.add (local.get $x) (local.get $x)))

  (func $apply (param $fn (ref $unary)) (param $x i32) (result i32)
    (call_ref $unary (local.get $x) (local.get $fn)))

  (func $task (param $x i32)
    (call $print_i32 (i32.add (i32.const 5) (suspend $t (i32.const 1))))
    (call $print_i64
      (i64.add (i64.const 1000000000000) (i64.extend_i32_s (suspend $t (i32.const 2)))))
    (call $print_f64
      (f64.add (f64.const 0.5) (f64.convert_i32_s (suspend $t (i32.const 3)))))
    (call $print_i64
      (call $weigh (i32.const 1) (i64.const 2) (suspend $t (i32.const 4)) (f32.const 3)
        (suspend $t (i32.const 5)) (f64.const 4)))
    (call $print_i32
      (i32.mul (i32.add (local.get $x) (suspend $t (i32.const 6))) (suspend $t (i32.const 7))))
    (call $print_i32
      (i32x4.extract_lane 2
        (i32x4.add (v128.const i32x4 1 2 3 4) (i32x4.splat (suspend $t (i32.const 8))))))
    (call $print_i32 (call $apply (ref.func $double) (suspend $t (i32.const 9)))))

  (func (export "_start")
    (local $k (ref null $c))
    (local $answer i32)
    (local.set $k (cont.new $c (ref.func $task)))
    (local.set $answer (i32.const 2))
    (block $done
      (loop $next
        (block $on_t (result i32 (ref $c))
          (resume $c (on $t $on_t) (local.get $answer) (local.get $k))
          (br $done))
        (local.set $k)
        (local.tee $answer)
        (call $print_i32)
        (local.set $answer (i32.mul (local.get $answer) (i32.const 10)))
        (br $next)))))
