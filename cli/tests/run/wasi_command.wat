;; A WASI command: prints its arguments after argv[0] and its environment, one per line, writes
;; "bye" to stderr, and exits with 40 + argc.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))

  ;; 0: argc, 4: argv buffer size, 8: environ count, 12: environ buffer size, 16..24: iovec,
  ;; 24: bytes written, 32: "\n", 40: "bye\n", 256: argv pointers, 512: environ pointers,
  ;; 1024: argv strings, 4096: environ strings.
  (memory (export "memory") 1)
  (data (i32.const 32) "\n")
  (data (i32.const 40) "bye\n")

  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24))))

  ;; Writes a NUL-terminated string and a newline to stdout.
  (func $line (param $s i32)
    (local $end i32)
    (local.set $end (local.get $s))
    (loop $scan
      (if (i32.load8_u (local.get $end))
        (then
          (local.set $end (i32.add (local.get $end) (i32.const 1)))
          (br $scan))))
    (call $write (i32.const 1) (local.get $s) (i32.sub (local.get $end) (local.get $s)))
    (call $write (i32.const 1) (i32.const 32) (i32.const 1)))

  (func (export "_start")
    (local $i i32)
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $args_get (i32.const 256) (i32.const 1024)))
    (local.set $i (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 0))))
        (call $line (i32.load (i32.add (i32.const 256) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (drop (call $environ_sizes_get (i32.const 8) (i32.const 12)))
    (drop (call $environ_get (i32.const 512) (i32.const 4096)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 8))))
        (call $line (i32.load (i32.add (i32.const 512) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $write (i32.const 2) (i32.const 40) (i32.const 4))
    (call $proc_exit (i32.add (i32.const 40) (i32.load (i32.const 0))))))
