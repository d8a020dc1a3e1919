;; c10m.wat: the c10m benchmark, WasmFX version: very many short-lived coroutines, many alive
;; at once. Each connection is a worker coroutine that yields once, then touches its stack:
;;     worker(arg): kb = yield(arg); touch ceil(kb*1024/4096) pages below a local on its
;;                  shadow stack (one byte read per page, from the local down); return 1
;;     driver: create workers 0..alive-1; for i in 0..connections: j = i % alive;
;;             resume(j, 32) (runs to the yield, which must hand back 32);
;;             count += resume(j, 32) (runs to completion); free(j); create(j).
;;             Then for each j: resume twice, add the second result, free.
;; with kb = 32, so a worker reads 8 pages (32 KiB) of its stack.
;;
;; Shadow stacks: as a C program compiled to Wasm keeps address-taken locals on a shadow stack
;; in linear memory (the global $sp, growing down), and as the paper's WasmFX fibers gave each
;; fiber a shadow stack of its own, every worker here owns a 32 KiB region of linear memory
;; for its shadow stack. `create` takes a region from a free list (or carves a new one) and
;; `free` puts the finished worker's region back, so regions are reused and at most `alive`
;; exist. The resume wrapper switches $sp to the worker's stack and back, saving the worker's
;; stack pointer while it is suspended. Continuations live in a table of `alive` entries of
;; (ref null $ct), indexed by j.
;;
;; A WASI command. Parameters: argv[1] = connections (0..2000000000), default 10,000,000;
;; argv[2] = alive (1..50000), default 10,000.
;; Output: the sum of the workers' results, connections + alive, in decimal (exit status 1 if
;; it is anything else, or if a worker misbehaves).
;;   10,000,000 10,000 (full):  10010000   (10,010,000 coroutines and suspends)
;;   20,000 1,000 (quick):      21000      (21,000 coroutines and suspends)
;; Natively on Wasmtime 48 the full size stops with "native continuation limit reached after
;; N continuations" (exit status 4): Wasmtime keeps every continuation's stack until the
;; program ends, about 32,700 per process. The lowered module runs it.
;;
;; Run: wasmfx-run c10m.wat [connections [alive]]
(module
  (type $worker_fn (func (param i32) (result i32)))
  (type $ct (cont $worker_fn))

  ;; A worker hands back its argument and receives the kilobytes of stack to touch.
  (tag $yield (param i32) (result i32))

  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; 65536..131072: the driver's shadow stack. 131072..: per-connection records (8 bytes: the
  ;; top of the worker's region, its saved stack pointer), then the free list of regions
  ;; (4 bytes each), then the regions (32 KiB each) from the next 64 KiB boundary.
  (memory (export "memory") 2)
  (table $conns 0 (ref null $ct))
  (global $sp (mut i32) (i32.const 131072))
  (global $free_list (mut i32) (i32.const 0))
  (global $free_count (mut i32) (i32.const 0))
  (global $next_region (mut i32) (i32.const 0))
  ;; What the last resume did: 1 the worker yielded, 0 it returned.
  (global $status (mut i32) (i32.const 0))
  (data (i32.const 2048) "c10m: wrong count\0a\00")
  (data (i32.const 2080) "c10m: a worker did not yield back its argument\0a\00")
  (data (i32.const 2144) "c10m: a worker did not finish\0a\00")
  (data (i32.const 2176) "c10m: the shadow stack pointer was not restored\0a\00")
  (elem declare func $worker)

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

  ;; Reads one byte per 4 KiB page of the $kb kilobytes below a local of its own frame: the
  ;; work a connection does with its stack. The sum of the bytes read.
  (func $stack_use (param $kb i32) (result i32)
    (local $top i32)
    (local $pages i32)
    (local $i i32)
    (local $total i32)
    ;; Prologue: a 16-byte frame whose first word is the local that marks the stack top.
    (local.set $top (i32.sub (global.get $sp) (i32.const 16)))
    (global.set $sp (local.get $top))
    (i32.store (local.get $top) (i32.const 0))
    (local.set $pages
      (i32.shr_u (i32.add (i32.shl (local.get $kb) (i32.const 10)) (i32.const 4095))
                 (i32.const 12)))
    (block $done
      (loop $page
        (br_if $done (i32.ge_u (local.get $i) (local.get $pages)))
        (local.set $total
          (i32.add (local.get $total)
            (i32.load8_u
              (i32.sub (local.get $top) (i32.shl (local.get $i) (i32.const 12))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $page)))
    (global.set $sp (i32.add (local.get $top) (i32.const 16)))
    (local.get $total))

  (func $worker (type $worker_fn) (param $arg i32) (result i32)
    (local $frame i32)
    (local $kb i32)
    (local $result i32)
    ;; Prologue: a 16-byte frame on this worker's shadow stack for `total`, a local that C
    ;; code would keep there because its address is taken.
    (local.set $frame (i32.sub (global.get $sp) (i32.const 16)))
    (global.set $sp (local.get $frame))
    (local.set $kb (suspend $yield (local.get $arg)))
    (i32.store (local.get $frame) (call $stack_use (local.get $kb)))
    ;; total - total + 1, both read from memory as a volatile local is.
    (local.set $result
      (i32.add (i32.sub (i32.load (local.get $frame)) (i32.load (local.get $frame)))
               (i32.const 1)))
    (global.set $sp (i32.add (local.get $frame) (i32.const 16)))
    (local.get $result))

  ;; The record of connection $j.
  (func $record (param $j i32) (result i32)
    (i32.add (i32.const 131072) (i32.shl (local.get $j) (i32.const 3))))

  ;; A new worker in slot $j, on a shadow stack region from the free list or a new one.
  (func $create (param $j i32)
    (local $top i32)
    (if (global.get $free_count)
      (then
        (global.set $free_count (i32.sub (global.get $free_count) (i32.const 1)))
        (local.set $top
          (i32.load (i32.add (global.get $free_list)
                             (i32.shl (global.get $free_count) (i32.const 2))))))
      (else
        (global.set $next_region (i32.add (global.get $next_region) (i32.const 32768)))
        (local.set $top (global.get $next_region))))
    (i32.store (call $record (local.get $j)) (local.get $top))
    (i32.store offset=4 (call $record (local.get $j)) (local.get $top))
    (table.set $conns (local.get $j) (cont.new $ct (ref.func $worker))))

  ;; Forgets the finished worker in slot $j and puts its region on the free list.
  (func $free (param $j i32)
    (i32.store (i32.add (global.get $free_list) (i32.shl (global.get $free_count) (i32.const 2)))
               (i32.load (call $record (local.get $j))))
    (global.set $free_count (i32.add (global.get $free_count) (i32.const 1)))
    (table.set $conns (local.get $j) (ref.null $ct)))

  ;; Resumes the worker in slot $j with $arg on its own shadow stack; what it yielded or
  ;; returned. Sets $status.
  (func $resume (param $j i32) (param $arg i32) (result i32)
    (local $record i32)
    (local $caller_sp i32)
    (local $k (ref null $ct))
    (local $v i32)
    (local.set $record (call $record (local.get $j)))
    (local.set $caller_sp (global.get $sp))
    (global.set $sp (i32.load offset=4 (local.get $record)))
    (block $on_yield (result i32 (ref $ct))
      (local.set $v
        (resume $ct (on $yield $on_yield) (local.get $arg) (table.get $conns (local.get $j))))
      (global.set $status (i32.const 0))
      (global.set $sp (local.get $caller_sp))
      (return (local.get $v)))
    (local.set $k)
    (local.set $v)
    (table.set $conns (local.get $j) (local.get $k))
    (i32.store offset=4 (local.get $record) (global.get $sp))
    (global.set $status (i32.const 1))
    (global.set $sp (local.get $caller_sp))
    (local.get $v))

  ;; Runs connection $j's worker to its end: 1.
  (func $serve (param $j i32) (result i32)
    (local $v i32)
    (if (i32.or (i32.ne (call $resume (local.get $j) (i32.const 32)) (i32.const 32))
                (i32.ne (global.get $status) (i32.const 1)))
      (then (call $fail (i32.const 2080))))
    (local.set $v (call $resume (local.get $j) (i32.const 32)))
    (if (global.get $status)
      (then (call $fail (i32.const 2144))))
    (local.get $v))

  (func $run (param $connections i32) (param $alive i32) (result i32)
    (local $i i32)
    (local $j i32)
    (local $count i32)
    (local $regions i32)
    ;; Lay out the records, the free list and the regions, and make room for them.
    (global.set $free_list (i32.add (i32.const 131072) (i32.shl (local.get $alive) (i32.const 3))))
    (local.set $regions
      (i32.and
        (i32.add (i32.add (global.get $free_list) (i32.shl (local.get $alive) (i32.const 2)))
                 (i32.const 65535))
        (i32.const -65536)))
    (global.set $next_region (local.get $regions))
    (call $reserve_pages
      (i32.add (i32.shr_u (local.get $regions) (i32.const 16))
               (i32.shr_u (i32.add (local.get $alive) (i32.const 1)) (i32.const 1))))
    (if (i32.eq (table.grow $conns (ref.null $ct) (local.get $alive)) (i32.const -1))
      (then (call $fail (i32.const 1216))))
    (loop $spawn
      (call $create (local.get $j))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $spawn (i32.lt_u (local.get $j) (local.get $alive))))
    (local.set $j (i32.const 0))
    (block $all_served
      (loop $connection
        (br_if $all_served (i32.ge_u (local.get $i) (local.get $connections)))
        (local.set $count (i32.add (local.get $count) (call $serve (local.get $j))))
        (call $free (local.get $j))
        (call $create (local.get $j))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (if (i32.eq (local.get $j) (local.get $alive))
          (then (local.set $j (i32.const 0))))
        (br $connection)))
    (local.set $j (i32.const 0))
    (loop $drain
      (local.set $count (i32.add (local.get $count) (call $serve (local.get $j))))
      (call $free (local.get $j))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $drain (i32.lt_u (local.get $j) (local.get $alive))))
    (local.get $count))

  (func (export "_start")
    (local $connections i32)
    (local $alive i32)
    (local $count i32)
    (local.set $connections
      (i32.wrap_i64
        (call $arg (i32.const 1) (i64.const 10000000) (i64.const 0) (i64.const 2000000000))))
    (local.set $alive
      (i32.wrap_i64 (call $arg (i32.const 2) (i64.const 10000) (i64.const 1) (i64.const 50000))))
    (local.set $count (call $run (local.get $connections) (local.get $alive)))
    (if (i32.ne (global.get $sp) (i32.const 131072))
      (then (call $fail (i32.const 2176))))
    (if (i32.ne (local.get $count) (i32.add (local.get $connections) (local.get $alive)))
      (then (call $fail (i32.const 2048))))
    (call $print_i64 (i64.extend_i32_u (local.get $count)))))
