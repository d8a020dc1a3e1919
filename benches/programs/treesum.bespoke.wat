;; treesum.bespoke.wat: the treesum benchmark, bespoke version (plain Wasm, no coroutines): the
;; same tree as treesum.wat, summed by a plain recursive walk that adds each leaf's value where
;; the generator would yield it.
;;
;; The tree: a node at depth d holds d and both children of a fork are one shared subtree, so
;; the walk visits 2^h leaves holding h each and the sum is h * 2^h (mod 2^32).
;;
;; A WASI command. Parameter: argv[1] = h (0..30), default 25.
;; Output: the int32-wrapped sum of the leaves in decimal, checked against h * 2^h (exit status
;; 1 on a mismatch).
;;   h = 25 (full):   838860800
;;   h = 15 (quick):  491520
;;
;; Run: wasmfx-run treesum.bespoke.wat [h]
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; Nodes (16 bytes: kind 0 leaf / 1 fork, the leaf's value or the fork's height, left,
  ;; right) are allocated upwards from 65536.
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 65536))
  (data (i32.const 2048) "treesum: wrong sum\0a\00")

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

  ;; A tree of height $height whose root holds $val; both children of a fork share one subtree.
  (func $build (param $height i32) (param $val i32) (result i32)
    (local $node i32)
    (local $sub i32)
    (local.set $node (global.get $heap))
    (global.set $heap (i32.add (local.get $node) (i32.const 16)))
    (if (i32.eqz (local.get $height))
      (then
        (i32.store (local.get $node) (i32.const 0))
        (i32.store offset=4 (local.get $node) (local.get $val)))
      (else
        (local.set $sub
          (call $build (i32.sub (local.get $height) (i32.const 1))
                       (i32.add (local.get $val) (i32.const 1))))
        (i32.store (local.get $node) (i32.const 1))
        (i32.store offset=4 (local.get $node) (local.get $height))
        (i32.store offset=8 (local.get $node) (local.get $sub))
        (i32.store offset=12 (local.get $node) (local.get $sub))))
    (local.get $node))

  ;; The sum of the leaves under $node.
  (func $walk (param $node i32) (result i32)
    (if (result i32) (i32.eqz (i32.load (local.get $node)))
      (then (i32.load offset=4 (local.get $node)))
      (else
        (i32.add (call $walk (i32.load offset=8 (local.get $node)))
                 (call $walk (i32.load offset=12 (local.get $node)))))))

  (func (export "_start")
    (local $h i64)
    (local $sum i32)
    (local.set $h (call $arg (i32.const 1) (i64.const 25) (i64.const 0) (i64.const 30)))
    (local.set $sum (call $walk (call $build (i32.wrap_i64 (local.get $h)) (i32.const 0))))
    (if (i32.ne (local.get $sum) (i32.wrap_i64 (i64.shl (local.get $h) (local.get $h))))
      (then (call $fail (i32.const 2048))))
    (call $print_i64 (i64.extend_i32_s (local.get $sum)))))
