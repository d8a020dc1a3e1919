;; c10m.bespoke.wat: the c10m benchmark, bespoke version (plain Wasm, no coroutines): every
;; connection's work done by a direct call on the one shadow stack, as many connections as the
;; WasmFX driver serves (the `connections`, then the `alive` still open at the end):
;;     worker(kb): touch ceil(kb*1024/4096) pages below a local on the shadow stack (one byte
;;                 read per page, from the local down); return 1
;; with kb = 32, so each connection reads 8 pages (32 KiB) of stack, as in c10m.wat. There is
;; one shadow stack (the global $sp, growing down from 131072), so every connection touches
;; the same pages; nothing is allocated per connection.
;;
;; A WASI command. Parameters: argv[1] = connections (0..2000000000), default 10,000,000;
;; argv[2] = alive (1..50000), default 10,000.
;; Output: the sum of the workers' results, connections + alive, in decimal (exit status 1 if
;; it is anything else).
;;   10,000,000 10,000 (full):  10010000
;;   20,000 1,000 (quick):      21000
;;
;; Run: wasmfx-run c10m.bespoke.wat [connections [alive]]
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; 65536..131072: the shadow stack.
  (memory (export "memory") 2)
  (global $sp (mut i32) (i32.const 131072))
  (data (i32.const 2048) "c10m: wrong count\0a\00")
  (data (i32.const 2176) "c10m: the shadow stack pointer was not restored\0a\00")

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

  (func $worker (param $kb i32) (result i32)
    (local $frame i32)
    (local $result i32)
    ;; Prologue: a 16-byte frame on the shadow stack for `total`, a local that C code would
    ;; keep there because its address is taken.
    (local.set $frame (i32.sub (global.get $sp) (i32.const 16)))
    (global.set $sp (local.get $frame))
    (i32.store (local.get $frame) (call $stack_use (local.get $kb)))
    ;; total - total + 1, both read from memory as a volatile local is.
    (local.set $result
      (i32.add (i32.sub (i32.load (local.get $frame)) (i32.load (local.get $frame)))
               (i32.const 1)))
    (global.set $sp (i32.add (local.get $frame) (i32.const 16)))
    (local.get $result))

  (func $run (param $connections i32) (param $alive i32) (result i32)
    (local $i i32)
    (local $count i32)
    (block $all_served
      (loop $connection
        (br_if $all_served (i32.ge_u (local.get $i) (local.get $connections)))
        (local.set $count (i32.add (local.get $count) (call $worker (i32.const 32))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $connection)))
    (local.set $i (i32.const 0))
    (loop $drain
      (local.set $count (i32.add (local.get $count) (call $worker (i32.const 32))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $drain (i32.lt_u (local.get $i) (local.get $alive))))
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
