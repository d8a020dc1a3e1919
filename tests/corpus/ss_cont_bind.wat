;; Stack switching: cont.bind. Partial application of a fresh continuation in
;; several steps (3 params -> 1 -> 0) with mixed numeric types, binding the answer
;; of a suspended continuation. (Consumption traps are in ss_traps.wat.)
(module $ss_cont_bind
  (type $f3 (func (param i32 i64 f64) (result f64)))
  (type $ct3 (cont $f3))
  (type $f1 (func (param f64) (result f64)))
  (type $ct1 (cont $f1))
  (type $f0 (func (result f64)))
  (type $ct0 (cont $f0))
  (type $g_f (func (param f32) (result i32)))
  (type $g_ct (cont $g_f))
  (type $g0_f (func (result i32)))
  (type $g0_ct (cont $g0_f))

  (tag $need_f32 (result f32))

  (func $combine (type $f3) (param $a i32) (param $b i64) (param $c f64) (result f64)
    (f64.add (f64.add (f64.convert_i32_s (local.get $a)) (f64.convert_i64_s (local.get $b)))
             (f64.mul (local.get $c) (f64.const 0.5))))

  (func $needs_input (result i32)
    (i32.trunc_f32_s (f32.mul (suspend $need_f32) (f32.const 4))))

  (elem declare func $combine $needs_input)

  (func (export "bind_in_steps") (result f64)
    (local $k3 (ref null $ct3)) (local $k1 (ref null $ct1)) (local $k0 (ref null $ct0))
    (local.set $k3 (cont.new $ct3 (ref.func $combine)))
    (local.set $k1 (cont.bind $ct3 $ct1 (i32.const 40) (i64.const 2) (local.get $k3)))
    (local.set $k0 (cont.bind $ct1 $ct0 (f64.const 1.0) (local.get $k1)))
    (resume $ct0 (local.get $k0)))

  (func (export "bind_nothing") (result f64)
    ;; binding zero arguments yields an equivalent continuation of the same type
    (resume $ct1 (f64.const 8) (cont.bind $ct1 $ct1
      (cont.bind $ct3 $ct1 (i32.const 1) (i64.const 1) (cont.new $ct3 (ref.func $combine))))))

  (func (export "bind_answer_of_suspension") (result i32)
    (local $k (ref null $g_ct))
    (block $on (result (ref $g_ct))
      (resume $g0_ct (on $need_f32 $on) (cont.new $g0_ct (ref.func $needs_input)))
      (return (i32.const -1)))
    (local.set $k)
    (resume $g0_ct (cont.bind $g_ct $g0_ct (f32.const 2.75) (local.get $k))))

)
