;; state.wat: the state benchmark, WasmFX version: a state effect counting to a limit. count
;; reads and writes its state only through the effects `get` and `put`:
;;     count(limit): while get() < limit: put(get() + 1); return get()
;; and handle_count runs it in a coroutine holding the state: on `$get` it binds the current
;; state into the continuation with `cont.bind` (so every continuation it resumes has the
;; same type, (cont (func (result i32)))), on `$put v` it stores v; when count returns, it
;; returns the state. The first continuation is `cont.bind` of `cont.new $count` to the limit.
;;
;; A WASI command. Parameter: argv[1] = limit (0..2147483646), default 10,000,000.
;; Output: the final state, which must equal the limit and count's own result (exit status 1
;; if not).
;;   limit = 10,000,000 (full):  10000000   (30,000,002 suspends, 20,000,003 cont.binds)
;;   limit = 100,000 (quick):    100000
;; One `cont.new` in all.
;;
;; Run: wasmfx-run state.wat [limit]
(module
  (type $count_fn (func (param i32) (result i32)))
  ;; A fresh count waiting for its limit, or one suspended in `$get` waiting for the state.
  (type $count_ct (cont $count_fn))
  (type $run_fn (func (result i32)))
  ;; What the handler resumes: everything bound.
  (type $run_ct (cont $run_fn))

  (tag $get (result i32))
  (tag $put (param i32))

  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 2048) "state: wrong final state\0a\00")
  (elem declare func $count)

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

  (func $count (type $count_fn) (param $limit i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (suspend $get) (local.get $limit)))
        (suspend $put (i32.add (suspend $get) (i32.const 1)))
        (br $next)))
    (suspend $get))

  ;; Runs count($limit) with the state starting at $init; the final state.
  (func $handle_count (param $init i32) (param $limit i32) (result i32)
    (local $state i32)
    (local $k (ref null $run_ct))
    (local $waiting (ref null $count_ct))
    (local $result i32)
    (local.set $state (local.get $init))
    (local.set $k
      (cont.bind $count_ct $run_ct (local.get $limit) (cont.new $count_ct (ref.func $count))))
    (loop $run
      (block $on_put (result i32 (ref $run_ct))
        (block $on_get (result (ref $count_ct))
          (local.set $result
            (resume $run_ct (on $get $on_get) (on $put $on_put) (local.get $k)))
          ;; count returned its last `get`.
          (if (i32.ne (local.get $result) (local.get $state))
            (then (call $fail (i32.const 2048))))
          (return (local.get $state)))
        ;; get: resume with the state bound.
        (local.set $waiting)
        (local.set $k (cont.bind $count_ct $run_ct (local.get $state) (local.get $waiting)))
        (br $run))
      ;; put v: store v and resume.
      (local.set $k)
      (local.set $state)
      (br $run))
    (unreachable))

  (func (export "_start")
    (local $limit i32)
    (local.set $limit
      (i32.wrap_i64
        (call $arg (i32.const 1) (i64.const 10000000) (i64.const 0) (i64.const 2147483646))))
    (if (i32.ne (call $handle_count (i32.const 0) (local.get $limit)) (local.get $limit))
      (then (call $fail (i32.const 2048))))
    (call $print_i64 (i64.extend_i32_u (local.get $limit)))))
