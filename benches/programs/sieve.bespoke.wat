;; sieve.bespoke.wat: the sieve benchmark, bespoke version (plain Wasm, no coroutines): the
;; first N primes by the same trial division the pipeline does, each filter reduced to its
;; prime in an array: a candidate is tested against primes[0..p) in order, stopping at the
;; first that divides it; if none does it is the next prime.
;;
;; A WASI command. Parameter: argv[1] = N (1..100000), default 8,100.
;; Output: the N-th prime in decimal. The program checks every prime and the number of
;; divisibility tests against its own sieve of Eratosthenes (exit status 1 on a mismatch).
;;   N = 8,100 (full):  82891   (33,054,559 tests)
;;   N = 300 (quick):   1987    (48,348 tests)
;;
;; Run: wasmfx-run sieve.bespoke.wat [N]
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; primes[0..N) are at 65536; the check's sieve follows them.
  (memory (export "memory") 2)
  (data (i32.const 2048) "sieve: wrong primes\0a\00")
  (data (i32.const 2096) "sieve: wrong number of sends\0a\00")

  ;; ---- WASI command plumbing (the same block in every benchmark program) ----
  ;; Page 0 is for I/O: 0..8 the iovec fd_write reads, 8..12 the count it writes back, 16..48
  ;; the digits of a number being printed, 1024..4096 NUL-terminated messages, 8192..8200 the
  ;; argument count and size, 8448..9472 argv (at most 256 pointers), 9472..65536 the
  ;; argument strings. The benchmark's own data starts at 65536.
  (data (i32.const 1024) "error: the argument is not a decimal number\0a\00")
  (data (i32.const 1088) "error: the argument is out of range\0a\00")
  (data (i32.const 1152) "error: the arguments do not fit in the argument buffer\0a\00")
  (data (i32.const 1216) "error: out of memory\0a\00")

  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; Prints the NUL-terminated message at $msg on stderr and exits with status 1.
  (func $fail (param $msg i32)
    (local $end i32)
    (local.set $end (local.get $msg))
    (loop $scan
      (if (i32.load8_u (local.get $end))
        (then
          (local.set $end (i32.add (local.get $end) (i32.const 1)))
          (br $scan))))
    (call $write (i32.const 2) (local.get $msg) (i32.sub (local.get $end) (local.get $msg)))
    (call $proc_exit (i32.const 1))
    (unreachable))

  ;; Prints $n in signed decimal and a newline on stdout.
  (func $print_i64 (param $n i64)
    (local $p i32)
    (local $u i64)
    (i32.store8 (i32.const 47) (i32.const 10))
    (local.set $p (i32.const 47))
    (local.set $u
      (select (i64.sub (i64.const 0) (local.get $n)) (local.get $n)
        (i64.lt_s (local.get $n) (i64.const 0))))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $u) (i64.const 10)))))
      (local.set $u (i64.div_u (local.get $u) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $u) (i64.const 0))))
    (if (i64.lt_s (local.get $n) (i64.const 0))
      (then
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (i32.store8 (local.get $p) (i32.const 45))))
    (call $write (i32.const 1) (local.get $p) (i32.sub (i32.const 48) (local.get $p))))

  ;; argv[$index] read as a decimal number in $min..=$max, or $default when there are not that
  ;; many arguments. Anything else is a usage error (exit status 1).
  (func $arg (param $index i32) (param $default i64) (param $min i64) (param $max i64)
    (result i64)
    (local $p i32)
    (local $c i32)
    (local $v i64)
    (if (call $args_sizes_get (i32.const 8192) (i32.const 8196))
      (then (call $fail (i32.const 1152))))
    (if (i32.le_u (i32.load (i32.const 8192)) (local.get $index))
      (then (return (local.get $default))))
    (if (i32.or (i32.gt_u (i32.load (i32.const 8192)) (i32.const 256))
                (i32.gt_u (i32.load (i32.const 8196)) (i32.const 56064)))
      (then (call $fail (i32.const 1152))))
    (if (call $args_get (i32.const 8448) (i32.const 9472))
      (then (call $fail (i32.const 1152))))
    (local.set $p (i32.load offset=8448 (i32.shl (local.get $index) (i32.const 2))))
    (if (i32.eqz (i32.load8_u (local.get $p)))
      (then (call $fail (i32.const 1024))))
    (loop $digit
      (local.set $c (i32.load8_u (local.get $p)))
      (if (local.get $c)
        (then
          (if (i32.gt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 9))
            (then (call $fail (i32.const 1024))))
          (local.set $v
            (i64.add (i64.mul (local.get $v) (i64.const 10))
                     (i64.extend_i32_u (i32.sub (local.get $c) (i32.const 48)))))
          (if (i64.gt_u (local.get $v) (local.get $max))
            (then (call $fail (i32.const 1088))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $digit))))
    (if (i64.lt_u (local.get $v) (local.get $min))
      (then (call $fail (i32.const 1088))))
    (local.get $v))

  ;; Grows memory 0 to at least $pages pages.
  (func $reserve_pages (param $pages i32)
    (if (i32.gt_u (local.get $pages) (memory.size))
      (then
        (if (i32.eq (memory.grow (i32.sub (local.get $pages) (memory.size))) (i32.const -1))
          (then (call $fail (i32.const 1216)))))))
  ;; ---- end of the WASI command plumbing ----

  ;; Fills primes[0..$n); the number of divisibility tests (the WasmFX version's sends).
  (func $run (param $n i32) (result i64)
    (local $p i32)
    (local $i i32)
    (local $h i32)
    (local $tests i64)
    (local.set $i (i32.const 2))
    (loop $candidate
      (local.set $h (i32.const 0))
      (block $composite
        (block $prime
          (loop $filter
            (br_if $prime (i32.eq (local.get $h) (local.get $p)))
            (local.set $tests (i64.add (local.get $tests) (i64.const 1)))
            (br_if $composite
              (i32.eqz (i32.rem_u (local.get $i)
                                  (i32.load offset=65536 (i32.shl (local.get $h) (i32.const 2))))))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br $filter)))
        (i32.store offset=65536 (i32.shl (local.get $p) (i32.const 2)) (local.get $i))
        (local.set $p (i32.add (local.get $p) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $candidate (i32.lt_u (local.get $p) (local.get $n))))
    (local.get $tests))

  ;; The check, independent of the pipeline: a sieve of Eratosthenes up to the last prime found
  ;; records for every number the index + 1 of its smallest prime factor (0 for a prime), and
  ;; from it the primes the pipeline should have found and the number of sends it should have
  ;; made (a prime consults every filter before it, a composite the filters up to and
  ;; including its smallest prime factor's). Fails unless both match.
  (func $check (param $n i32) (param $sends i64)
    (local $last i32)
    (local $base i32)
    (local $m i32)
    (local $q i32)
    (local $f i32)
    (local $k i32)
    (local $expected i64)
    (local.set $last (i32.load offset=65532 (i32.shl (local.get $n) (i32.const 2))))
    (local.set $base
      (i32.and (i32.add (i32.add (i32.const 65536) (i32.shl (local.get $n) (i32.const 2)))
                        (i32.const 15))
               (i32.const -16)))
    (call $reserve_pages
      (i32.shr_u
        (i32.add (i32.add (local.get $base)
                          (i32.shl (i32.add (local.get $last) (i32.const 1)) (i32.const 2)))
                 (i32.const 65535))
        (i32.const 16)))
    (memory.fill (local.get $base) (i32.const 0)
      (i32.shl (i32.add (local.get $last) (i32.const 1)) (i32.const 2)))
    (local.set $m (i32.const 2))
    (loop $number
      (local.set $f
        (i32.load (i32.add (local.get $base) (i32.shl (local.get $m) (i32.const 2)))))
      (if (local.get $f)
        (then
          (local.set $expected
            (i64.add (local.get $expected) (i64.extend_i32_u (local.get $f)))))
        (else
          ;; $m is the $k-th prime (from 0).
          (if (i32.ge_u (local.get $k) (local.get $n))
            (then (call $fail (i32.const 2048))))
          (if (i32.ne (i32.load offset=65536 (i32.shl (local.get $k) (i32.const 2)))
                      (local.get $m))
            (then (call $fail (i32.const 2048))))
          (local.set $expected (i64.add (local.get $expected) (i64.extend_i32_u (local.get $k))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (if (i32.le_u (local.get $m) (i32.div_u (local.get $last) (local.get $m)))
            (then
              (local.set $q (i32.mul (local.get $m) (local.get $m)))
              (loop $multiple
                (if (i32.eqz (i32.load (i32.add (local.get $base)
                                                (i32.shl (local.get $q) (i32.const 2)))))
                  (then
                    (i32.store (i32.add (local.get $base) (i32.shl (local.get $q) (i32.const 2)))
                               (local.get $k))))
                (local.set $q (i32.add (local.get $q) (local.get $m)))
                (br_if $multiple (i32.le_u (local.get $q) (local.get $last))))))))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br_if $number (i32.le_u (local.get $m) (local.get $last))))
    (if (i32.ne (local.get $k) (local.get $n))
      (then (call $fail (i32.const 2048))))
    (if (i64.ne (local.get $expected) (local.get $sends))
      (then (call $fail (i32.const 2096)))))

  (func (export "_start")
    (local $n i32)
    (local $tests i64)
    (local.set $n
      (i32.wrap_i64 (call $arg (i32.const 1) (i64.const 8100) (i64.const 1) (i64.const 100000))))
    (call $reserve_pages
      (i32.add (i32.const 2) (i32.shr_u (i32.shl (local.get $n) (i32.const 2)) (i32.const 16))))
    (local.set $tests (call $run (local.get $n)))
    (call $check (local.get $n) (local.get $tests))
    (call $print_i64
      (i64.extend_i32_u (i32.load offset=65532 (i32.shl (local.get $n) (i32.const 2)))))))
