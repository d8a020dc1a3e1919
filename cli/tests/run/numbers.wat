;; Exports taking and returning each number type, for `--invoke`.
(module
  (func (export "add_i32") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "add_i64") (param i64 i64) (result i64)
    (i64.add (local.get 0) (local.get 1)))
  (func (export "half_f32") (param f32) (result f32)
    (f32.div (local.get 0) (f32.const 2)))
  (func (export "add_f64") (param f64 f64) (result f64)
    (f64.add (local.get 0) (local.get 1)))
  ;; Every type in, every type out, in reverse order.
  (func (export "reverse") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    (local.get 3) (local.get 2) (local.get 1) (local.get 0))
  (func (export "nothing"))
  (global (export "answer") i32 (i32.const 42)))
