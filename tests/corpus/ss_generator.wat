;; Stack switching: generators. cont.new, suspend, and resume with one (on $tag $label)
;; clause. The consumer sums the yielded values; a parameterised generator is started
;; with an argument (first resume passes it), and a consumer that stops early
;; abandons the suspended generator.
(module $ss_generator
  (type $gen_f (func))
  (type $gen_ct (cont $gen_f))
  (type $gen_n_f (func (param i64)))
  (type $gen_n_ct (cont $gen_n_f))
  (tag $yield (param i64))

  ;; yields 1, 2, ..., 100
  (func $count_to_100
    (local $i i64)
    (loop $l
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (suspend $yield (local.get $i))
      (br_if $l (i64.lt_u (local.get $i) (i64.const 100)))))

  ;; yields the first $n squares
  (func $squares (param $n i64)
    (local $i i64)
    (block $done
      (loop $l
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (suspend $yield (i64.mul (local.get $i) (local.get $i)))
        (br $l))))

  ;; infinite Fibonacci generator
  (func $fibs
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (loop $l
      (suspend $yield (local.get $a))
      (local.set $t (i64.add (local.get $a) (local.get $b)))
      (local.set $a (local.get $b))
      (local.set $b (local.get $t))
      (br $l)))

  (elem declare func $count_to_100 $squares $fibs)

  ;; drain a generator, summing what it yields
  (func $sum_all (param $k (ref null $gen_ct)) (result i64)
    (local $sum i64)
    (block $done
      (loop $next
        (block $on_yield (result i64 (ref $gen_ct))
          (resume $gen_ct (on $yield $on_yield) (local.get $k))
          (br $done))
        (local.set $k)
        (local.set $sum (i64.add (local.get $sum)))
        (br $next)))
    (local.get $sum))

  (func (export "sum_1_to_100") (result i64)
    (call $sum_all (cont.new $gen_ct (ref.func $count_to_100))))

  (func (export "sum_squares_to_20") (result i64)
    (local $first i64) (local $k (ref null $gen_ct))
    ;; first resume passes the parameter; the generator suspends with its first value
    (block $on_yield (result i64 (ref $gen_ct))
      (resume $gen_n_ct (on $yield $on_yield) (i64.const 20) (cont.new $gen_n_ct (ref.func $squares)))
      (return (i64.const -1)))
    (local.set $k)
    (local.set $first)
    (i64.add (local.get $first) (call $sum_all (local.get $k))))

  (func (export "sum_squares_of_zero") (result i64)
    ;; a generator that finishes without yielding
    (block $on_yield (result i64 (ref $gen_ct))
      (resume $gen_n_ct (on $yield $on_yield) (i64.const 0) (cont.new $gen_n_ct (ref.func $squares)))
      (return (i64.const 12345)))
    (drop) (drop)
    (i64.const -1))

  (func (export "first_50_fibs_sum") (result i64 i32)
    (local $k (ref null $gen_ct)) (local $sum i64) (local $n i32)
    (local.set $k (cont.new $gen_ct (ref.func $fibs)))
    (loop $next
      (block $on_yield (result i64 (ref $gen_ct))
        (resume $gen_ct (on $yield $on_yield) (local.get $k))
        (unreachable))
      (local.set $k)
      (local.set $sum (i64.add (local.get $sum)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $n) (i32.const 50))))
    ;; the generator is abandoned while suspended
    (local.get $sum) (local.get $n))

  ;; two generators interleaved by one consumer
  (func (export "interleave_two_generators") (result i64)
    (local $k1 (ref null $gen_ct)) (local $k2 (ref null $gen_ct)) (local $acc i64) (local $i i32)
    (local.set $k1 (cont.new $gen_ct (ref.func $count_to_100)))
    (local.set $k2 (cont.new $gen_ct (ref.func $fibs)))
    (loop $l
      (block $y1 (result i64 (ref $gen_ct))
        (resume $gen_ct (on $yield $y1) (local.get $k1))
        (unreachable))
      (local.set $k1)
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 3))))
      (block $y2 (result i64 (ref $gen_ct))
        (resume $gen_ct (on $yield $y2) (local.get $k2))
        (unreachable))
      (local.set $k2)
      (local.set $acc (i64.sub (local.get $acc)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 30))))
    (local.get $acc))
)
