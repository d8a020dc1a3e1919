;; suspend_resume2.wat: the suspend_resume micro-benchmark's second variant, WasmFX version: as
;; suspend_resume.wat (a coroutine doing `suspend $t` N times, a tag with no values), but the
;; driver alternates between two resume sites, so each site resumes every other suspension.
;;
;; A WASI command. Parameter: argv[1] = N (0..2147483647), default 20,000,000.
;; Output: the number of suspensions the driver saw, which must be N (exit status 1 if not).
;;   N = 20,000,000 (full):  20000000
;;   N = 100,000 (quick):    100000
;; One continuation in all; N comes through a global, so the coroutine's type is (cont (func)).
;;
;; Run: wasmfx-run suspend_resume2.wat [N]
(module
  (type $fn (func))
  (type $ct (cont $fn))

  ;; Suspends with no payload and resumes with none.
  (tag $t)

  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (data (i32.const 2048) "suspend_resume2: wrong number of suspensions\0a\00")
  (elem declare func $body)

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

  ;; Suspends $n times, then returns.
  (func $body (type $fn)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (global.get $n)))
        (suspend $t)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; Resumes the coroutine until it returns, from two sites in turn; the number of times it
  ;; suspended.
  (func $run (result i32)
    (local $k (ref null $ct))
    (local $count i32)
    (local.set $k (cont.new $ct (ref.func $body)))
    (block $finished
      (loop $next
        ;; Site A.
        (block $on_t_a (result (ref $ct))
          (resume $ct (on $t $on_t_a) (local.get $k))
          (br $finished))
        (local.set $k)
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        ;; Site B.
        (block $on_t_b (result (ref $ct))
          (resume $ct (on $t $on_t_b) (local.get $k))
          (br $finished))
        (local.set $k)
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (br $next)))
    (local.get $count))

  (func (export "_start")
    (local $count i32)
    (global.set $n
      (i32.wrap_i64
        (call $arg (i32.const 1) (i64.const 20000000) (i64.const 0) (i64.const 2147483647))))
    (local.set $count (call $run))
    (if (i32.ne (local.get $count) (global.get $n))
      (then (call $fail (i32.const 2048))))
    (call $print_i64 (i64.extend_i32_u (local.get $count)))))
