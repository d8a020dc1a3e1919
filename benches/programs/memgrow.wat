;; memgrow.wat: memory grown while continuations are suspended, WasmFX version. C tasks are
;; started, each keeps 3i + 1 in a local and suspends (`suspend $yield`, no values); with all C
;; suspended the program grows memory G times by one page (`memory.grow 1`); then it resumes
;; every task, which adds its value to a sum and returns. Measures what a `memory.grow` costs
;; with many continuations alive (the lowering keeps its runtime's data in memory 0) and what
;; the suspended continuations hold resident.
;;
;; A WASI command. Parameters: argv[1] = C, the continuations (1..30000), default 10,000;
;; argv[2] = G, the grows (0..30000), default 4,000.
;; Output: the sum over the tasks i = 0..C-1 of 3i + 1, that is 3C(C-1)/2 + C (exit status 1
;; if it is not, if a grow does not return the old size or memory.size does not follow it, or
;; if the program's data did not survive the grows).
;;   C = 10,000, G = 4,000 (full):  149995000
;;   C = 1,000, G = 400 (quick):    1499500
;; The grown pages are never touched but the last one's last word (written and read back), so
;; natively they never become resident: what the variants' peak memory adds to native's is
;; their own.
;;
;; Run: wasmfx-run memgrow.wat [C [G]]
(module
  (type $fn (func (param i32)))
  (type $ct (cont $fn))
  ;; A suspended task: resumed with no value, as the tag has no result.
  (type $fn0 (func))
  (type $ct0 (cont $fn0))

  ;; A task's one suspension: no values either way.
  (tag $yield)

  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
  (table $tasks 0 (ref null $ct0))
  (global $sum (mut i64) (i64.const 0))
  (data (i32.const 2048) "memgrow: wrong sum\0a\00")
  (data (i32.const 2112) "memgrow: a grow did not return the old size\0a\00")
  (data (i32.const 2176) "memgrow: the program's data did not survive the grows\0a\00")
  (data (i32.const 2240) "memgrow: a task did not suspend\0a\00")
  (data (i32.const 2304) "memgrow: a task suspended twice\0a\00")
  (elem declare func $task)

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

  ;; Keeps 3 * $id + 1 in a local across its suspension, then adds it to the sum.
  (func $task (type $fn) (param $id i32)
    (local $mine i32)
    (local.set $mine (i32.add (i32.mul (local.get $id) (i32.const 3)) (i32.const 1)))
    (suspend $yield)
    (global.set $sum (i64.add (global.get $sum) (i64.extend_i32_u (local.get $mine)))))

  ;; Grows memory $grows times by one page, checking each grow's result; then writes and reads
  ;; back the last page's last word and checks the marker the program left at 65536.
  (func $grow (param $grows i32)
    (local $i i32)
    (local $old i32)
    (local $last i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $grows)))
        (local.set $old (memory.grow (i32.const 1)))
        (if (i32.or (i32.eq (local.get $old) (i32.const -1))
                    (i32.ne (i32.add (local.get $old) (i32.const 1)) (memory.size)))
          (then (call $fail (i32.const 2112))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.set $last (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 4)))
    (i32.store (local.get $last) (local.get $grows))
    (if (i32.or (i32.ne (i32.load (local.get $last)) (local.get $grows))
                (i32.ne (i32.load (i32.const 65536)) (i32.const 0x6d656d67)))
      (then (call $fail (i32.const 2176)))))

  (func (export "_start")
    (local $tasks i32)
    (local $grows i32)
    (local $i i32)
    (local $k (ref null $ct0))
    (local.set $tasks
      (i32.wrap_i64 (call $arg (i32.const 1) (i64.const 10000) (i64.const 1) (i64.const 30000))))
    (local.set $grows
      (i32.wrap_i64 (call $arg (i32.const 2) (i64.const 4000) (i64.const 0) (i64.const 30000))))
    (i32.store (i32.const 65536) (i32.const 0x6d656d67))
    (drop (table.grow $tasks (ref.null $ct0) (local.get $tasks)))
    ;; Start every task: each runs to its suspension and is kept in the table.
    (block $started
      (loop $start
        (br_if $started (i32.ge_u (local.get $i) (local.get $tasks)))
        (block $returned
          (block $on_yield (result (ref $ct0))
            (resume $ct (on $yield $on_yield) (local.get $i) (cont.new $ct (ref.func $task)))
            (br $returned))
          (local.set $k)
          (table.set $tasks (local.get $i) (local.get $k))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $start))
        (call $fail (i32.const 2240))))
    (call $grow (local.get $grows))
    ;; Resume every task; each adds its value and returns.
    (local.set $i (i32.const 0))
    (block $finished
      (loop $resume
        (br_if $finished (i32.ge_u (local.get $i) (local.get $tasks)))
        (block $returned
          (block $on_yield (result (ref $ct0))
            (resume $ct0 (on $yield $on_yield) (table.get $tasks (local.get $i)))
            (br $returned))
          (drop)
          (call $fail (i32.const 2304)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $resume)))
    (if (i64.ne (global.get $sum)
                (i64.add (i64.div_u (i64.mul (i64.const 3)
                                             (i64.mul (i64.extend_i32_u (local.get $tasks))
                                                      (i64.extend_i32_u (i32.sub (local.get $tasks) (i32.const 1)))))
                                    (i64.const 2))
                         (i64.extend_i32_u (local.get $tasks))))
      (then (call $fail (i32.const 2048))))
    (call $print_i64 (global.get $sum))))
