;; The runtime of the lowering: continuation records, save buffers and the memory they live
;; in. The pass merges this module into every module it lowers; `memory 0` here becomes the
;; program's memory 0 (or a memory of its own when the program has none).
;;
;; Memory: the runtime owns a region [base, base + size) at the top of memory 0, created on
;; first use by growing the memory. The program's `memory.size` and `memory.grow` on memory 0
;; are rewritten to `memory_size`/`memory_grow` below, which report the program's part only
;; and, when the program grows, move the region up (it holds only region-relative offsets),
;; so the region never overlaps memory the program uses.
;;
;; Numbers the pass's code must agree on are placeholders (an at sign and a name in capitals)
;; defined in `contract.rs`, which replaces them before this text is parsed.
;;
;; Region layout (offsets from base): [0, 128) free-list heads of the size classes 2^k;
;; [128, transfer_start) one 16-byte descriptor per table of continuations (data offset,
;; capacity and length in bytes, initialised flag); [transfer_start, + transfer_size) the
;; transfer area, where `resume` puts its arguments and `suspend` its payload; then blocks
;; from the allocator.
;;
;; A continuation record (64 bytes, one cache line when the records are aligned, indexed by
;; slot; slot 0 is never used):
;;   0 gen: the one-shot generation; a handle is gen << 32 | slot and is valid while equal
;;   4 state: 0 free, 1 fresh, 2 suspended, 3 running
;;   8 tramp: index of the trampoline (in the pass's trampoline table) that starts it
;;  12 next: the next free slot while free
;;  16 buf, 20 buf_cap, 24 buf_len: the save buffer, a stack of frames
;;  28 bound, 32 bound_cap, 36 bound_len: arguments bound by cont.bind, in transfer layout,
;;     in the buffer (bound, bound_cap) only when bound_len is over 24
;;  40..64 the bound arguments while bound_len is at most 24 (see `bind`)
(module
  (memory $mem 0)
  (table $fiber_funcs 0 funcref)
  (global $state (mut i32) (i32.const @STATE_NORMAL))
  (global $current (mut i32) (i32.const 0))
  (global $sp (mut i32) (i32.const 0))
  ;; Absolute addresses, moved with the region: the transfer area, and continuation record 0
  ;; (the pass reads records' state and trampoline inline). Valid once the region exists.
  (global $transfer_addr (mut i32) (i32.const 0))
  (global $records (mut i32) (i32.const 0))
  (global $sp_limit (mut i32) (i32.const 0))
  (global $tag (mut i32) (i32.const 0))
  ;; What is unwinding: 0 a `suspend`, 1 a `switch` (to the continuation in `switch_slot`,
  ;; whose arguments take `switch_len` bytes of the transfer area).
  (global $kind (mut i32) (i32.const @KIND_SUSPEND))
  (global $switch_slot (mut i32) (i32.const 0))
  (global $switch_len (mut i32) (i32.const 0))
  ;; An exception `resume_throw` raises where the continuation is rewound to: 0 none, 1 a tag
  ;; (`throw_tag`, payload in the transfer area), 2 an exnref (in slot `throw_tag`).
  (global $throw_kind (mut i32) (i32.const @THROW_NONE))
  (global $throw_tag (mut i32) (i32.const 0))
  (global $base (mut i32) (i32.const -1))
  (global $size (mut i32) (i32.const 0))
  ;; The program's size of memory 0 in pages, once the region exists (it ends at or below base).
  (global $program_pages (mut i32) (i32.const 0))
  (global $bump (mut i32) (i32.const 0))
  (global $transfer_size (mut i32) (i32.const 0))
  (global $transfer_start (mut i32) (i32.const @TABLE_DESCRIPTORS_START))
  (global $fibers (mut i32) (i32.const 0))
  (global $fiber_cap (mut i32) (i32.const 0))
  (global $fiber_count (mut i32) (i32.const 1))
  (global $fiber_free (mut i32) (i32.const 0))

  ;; Traps, one function each so that a backtrace says which (the runner maps the names to
  ;; the messages Wasmtime gives natively).
  (func $wasmfx.trap.null_reference unreachable)
  (func $wasmfx.trap.continuation_consumed unreachable)
  (func $wasmfx.trap.unhandled_tag unreachable)
  (func $wasmfx.trap.out_of_memory unreachable)
  (func $wasmfx.trap.table_out_of_bounds unreachable)
  (func $wasmfx.trap.unlisted_suspend unreachable)

  ;; Grows the region to hold at least `end` bytes, doubling when it can.
  (func $reserve (param $end i32)
    (local $need i32) (local $pages i32)
    (if (i32.le_u (local.get $end) (global.get $size)) (then (return)))
    (local.set $need
      (i32.shr_u (i32.add (i32.sub (local.get $end) (global.get $size)) (i32.const 65535)) (i32.const 16)))
    (local.set $pages
      (select (local.get $need) (i32.shr_u (global.get $size) (i32.const 16))
        (i32.gt_u (local.get $need) (i32.shr_u (global.get $size) (i32.const 16)))))
    (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1))
      (then
        (local.set $pages (local.get $need))
        (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1))
          (then (call $wasmfx.trap.out_of_memory)))))
    (global.set $size (i32.add (global.get $size) (i32.shl (local.get $pages) (i32.const 16)))))

  ;; Creates the region, above a gap as large as the program's memory (at least 16 pages;
  ;; none if memory 0 cannot grow that far) for the program to grow into.
  (func $init
    (if (i32.ge_s (global.get $base) (i32.const 0)) (then (return)))
    (global.set $program_pages (memory.size))
    (drop (memory.grow (call $slack (memory.size))))
    (global.set $base (i32.shl (memory.size) (i32.const 16)))
    (global.set $transfer_addr (i32.add (global.get $base) (global.get $transfer_start)))
    (global.set $records (i32.add (global.get $base) (global.get $fibers)))
    (global.set $bump (i32.and (i32.add (i32.add (global.get $transfer_start) (global.get $transfer_size)) (i32.const 15)) (i32.const -16)))
    (call $reserve (i32.add (global.get $bump) (i32.const 4096))))

  ;; How many pages to leave free above a program of `pages` pages: as many again, at least 16,
  ;; so the region moves O(log) times however the program grows.
  (func $slack (param $pages i32) (result i32)
    (select (local.get $pages) (i32.const 16) (i32.gt_u (local.get $pages) (i32.const 16))))

  (func $class (param $n i32) (result i32)
    (select (i32.sub (i32.const 32) (i32.clz (i32.sub (local.get $n) (i32.const 1)))) (i32.const 4)
      (i32.gt_u (local.get $n) (i32.const 16))))

  ;; A block of at least n bytes; returns its region offset.
  (func $alloc (param $n i32) (result i32)
    (local $head i32) (local $off i32) (local $bytes i32)
    (call $init)
    (local.set $head (i32.add (global.get $base) (i32.shl (call $class (local.get $n)) (i32.const 2))))
    (local.set $off (i32.load (local.get $head)))
    (if (local.get $off)
      (then
        (i32.store (local.get $head) (i32.load (i32.add (global.get $base) (local.get $off))))
        (return (local.get $off))))
    (local.set $bytes (i32.shl (i32.const 1) (call $class (local.get $n))))
    ;; Blocks of a cache line or more start on one (records then never straddle two).
    (local.set $off
      (select (i32.and (i32.add (global.get $bump) (i32.const 63)) (i32.const -64)) (global.get $bump)
        (i32.ge_u (local.get $bytes) (i32.const 64))))
    (call $reserve (i32.add (local.get $off) (local.get $bytes)))
    (global.set $bump (i32.add (local.get $off) (local.get $bytes)))
    (local.get $off))

  (func $free (param $off i32) (param $n i32)
    (local $head i32)
    (local.set $head (i32.add (global.get $base) (i32.shl (call $class (local.get $n)) (i32.const 2))))
    (i32.store (i32.add (global.get $base) (local.get $off)) (i32.load (local.get $head)))
    (i32.store (local.get $head) (local.get $off)))

  ;; Makes the buffer whose (offset, capacity, length) triple is at absolute address `field`
  ;; hold `need` bytes, keeping its contents. A buffer starts at 64 bytes (a frame or two: each of
  ;; WAT c10m's 10,000 suspended workers saves 12), then doubles.
  (func $grow_buffer (param $field i32) (param $need i32)
    (local $cap i32) (local $new i32) (local $new_cap i32)
    (local.set $cap (i32.load offset=4 (local.get $field)))
    (if (i32.le_u (local.get $need) (local.get $cap)) (then (return)))
    (local.set $new_cap (select (i32.shl (local.get $cap) (i32.const 1)) (i32.const 64) (local.get $cap)))
    (if (i32.lt_u (local.get $new_cap) (local.get $need)) (then (local.set $new_cap (local.get $need))))
    (local.set $new (call $alloc (local.get $new_cap)))
    (if (local.get $cap)
      (then
        (memory.copy
          (i32.add (global.get $base) (local.get $new))
          (i32.add (global.get $base) (i32.load (local.get $field)))
          (i32.load offset=8 (local.get $field)))
        (call $free (i32.load (local.get $field)) (local.get $cap))))
    (i32.store (local.get $field) (local.get $new))
    (i32.store offset=4 (local.get $field) (local.get $new_cap)))

  (func $rec (param $slot i32) (result i32)
    (i32.add (global.get $records) (i32.mul (local.get $slot) (i32.const @RECORD_SIZE))))

  (func $new_slot (result i32)
    (local $slot i32) (local $cap i32) (local $new i32)
    (local.set $slot (global.get $fiber_free))
    (if (local.get $slot)
      (then
        (global.set $fiber_free (i32.load offset=12 (call $rec (local.get $slot))))
        (return (local.get $slot))))
    (local.set $slot (global.get $fiber_count))
    (if (i32.ge_u (local.get $slot) (global.get $fiber_cap))
      (then
        (local.set $cap (select (i32.shl (global.get $fiber_cap) (i32.const 1)) (i32.const 64) (global.get $fiber_cap)))
        (local.set $new (call $alloc (i32.mul (local.get $cap) (i32.const @RECORD_SIZE))))
        (memory.fill (i32.add (global.get $base) (local.get $new)) (i32.const 0) (i32.mul (local.get $cap) (i32.const @RECORD_SIZE)))
        (if (global.get $fiber_cap)
          (then
            (memory.copy (i32.add (global.get $base) (local.get $new))
              (i32.add (global.get $base) (global.get $fibers)) (i32.mul (global.get $fiber_cap) (i32.const @RECORD_SIZE)))
            (call $free (global.get $fibers) (i32.mul (global.get $fiber_cap) (i32.const @RECORD_SIZE)))))
        (global.set $fibers (local.get $new))
        (global.set $records (i32.add (global.get $base) (local.get $new)))
        (global.set $fiber_cap (local.get $cap))))
    (global.set $fiber_count (i32.add (local.get $slot) (i32.const 1)))
    (local.get $slot))

  (func $wasmfx.rt.handle (param $slot i32) (result i64)
    (i64.or
      (i64.shl (i64.extend_i32_u (i32.load (call $rec (local.get $slot)))) (i64.const 32))
      (i64.extend_i32_u (local.get $slot))))

  ;; cont.new of a function its trampoline calls directly (every `cont.new` of its type is
  ;; given the one function): a fresh continuation, its funcref not stored anywhere. Profiled
  ;; on c10m (a continuation per connection), Wasmtime's `ref.func` and `table.set` of the
  ;; funcref cost a sixth of the lowered run.
  (func $wasmfx.rt.new_known (param $tramp i32) (result i64)
    (local $slot i32) (local $r i32)
    (local.set $slot (call $new_slot))
    (local.set $r (call $rec (local.get $slot)))
    (if (i32.eqz (i32.load (local.get $r))) (then (i32.store (local.get $r) (i32.const 1))))
    (i32.store offset=@RECORD_STATE (local.get $r) (i32.const @FIBER_FRESH))
    (i32.store offset=@RECORD_TRAMP (local.get $r) (local.get $tramp))
    (i32.store offset=24 (local.get $r) (i32.const 0))
    (i32.store offset=@RECORD_BOUND_LEN (local.get $r) (i32.const 0))
    (call $wasmfx.rt.handle (local.get $slot)))

  ;; cont.new: a fresh continuation that will run `f` through trampoline `tramp`, which calls
  ;; it through `fiber_funcs` (grown here, to the records' capacity, when the slot is past its
  ;; end). A released slot keeps its stale entry: the next `new` of the slot overwrites it.
  (func $wasmfx.rt.new (param $f funcref) (param $tramp i32) (result i64)
    (local $h i64) (local $slot i32)
    (if (ref.is_null (local.get $f)) (then (call $wasmfx.trap.null_reference)))
    (local.set $h (call $wasmfx.rt.new_known (local.get $tramp)))
    (local.set $slot (i32.wrap_i64 (local.get $h)))
    (if (i32.ge_u (local.get $slot) (table.size $fiber_funcs))
      (then
        (if (i32.eq (table.grow $fiber_funcs (ref.null func) (i32.sub (global.get $fiber_cap) (table.size $fiber_funcs))) (i32.const -1))
          (then (call $wasmfx.trap.out_of_memory)))))
    (table.set $fiber_funcs (local.get $slot) (local.get $f))
    (local.get $h))

  ;; Consumes a handle: traps on null or on a consumed continuation; returns the slot.
  (func $wasmfx.rt.take (param $h i64) (result i32)
    (local $slot i32) (local $r i32)
    (if (i64.eqz (local.get $h)) (then (call $wasmfx.trap.null_reference)))
    (local.set $slot (i32.wrap_i64 (local.get $h)))
    (if (i32.ge_u (local.get $slot) (global.get $fiber_count))
      (then (call $wasmfx.trap.continuation_consumed)))
    (local.set $r (call $rec (local.get $slot)))
    (if (i32.ne (i32.load (local.get $r)) (i32.wrap_i64 (i64.shr_u (local.get $h) (i64.const 32))))
      (then (call $wasmfx.trap.continuation_consumed)))
    (i32.store (local.get $r) (i32.add (i32.load (local.get $r)) (i32.const 1)))
    (local.get $slot))

  ;; A continuation that returned: its slot and buffers are reused by later ones.
  (func $wasmfx.rt.release (param $slot i32)
    (local $r i32)
    (local.set $r (call $rec (local.get $slot)))
    (i32.store (local.get $r) (i32.add (i32.load (local.get $r)) (i32.const 1)))
    (i32.store offset=@RECORD_STATE (local.get $r) (i32.const @FIBER_FREE))
    (i32.store offset=12 (local.get $r) (global.get $fiber_free))
    (global.set $fiber_free (local.get $slot)))

  ;; The absolute address of the transfer area.
  (func $wasmfx.rt.transfer (result i32)
    (call $init)
    (global.get $transfer_addr))

;; The current continuation's save stack is cached while it is current: $sp is the absolute
  ;; address of its top and $sp_limit the end of its buffer, so the pass pushes and pops
  ;; frames inline (bump and compare); its record's length is stale meanwhile. Every change of
  ;; the current continuation goes through set_current, which writes the length back and
  ;; loads the new one's; grow_stack makes room out of line; memory_grow moves both with the
  ;; region.
  (func $wasmfx.rt.set_current (param $slot i32)
    (local $r i32)
    (if (global.get $current)
      (then
        (local.set $r (call $rec (global.get $current)))
        (i32.store offset=24 (local.get $r)
          (i32.sub (global.get $sp) (i32.add (global.get $base) (i32.load offset=16 (local.get $r)))))))
    (global.set $current (local.get $slot))
    (if (local.get $slot)
      (then
        (local.set $r (call $rec (local.get $slot)))
        (global.set $sp_limit (i32.add (global.get $base) (i32.load offset=16 (local.get $r))))
        (global.set $sp (i32.add (global.get $sp_limit) (i32.load offset=24 (local.get $r))))
        (global.set $sp_limit (i32.add (global.get $sp_limit) (i32.load offset=20 (local.get $r)))))))

  ;; Makes room for n more bytes on the current continuation's save stack.
  (func $wasmfx.rt.grow_stack (param $n i32)
    (local $field i32) (local $len i32)
    (local.set $field (i32.add (call $rec (global.get $current)) (i32.const 16)))
    (local.set $len (i32.sub (global.get $sp) (i32.add (global.get $base) (i32.load (local.get $field)))))
    (i32.store offset=8 (local.get $field) (local.get $len))
    (call $grow_buffer (local.get $field) (i32.add (local.get $len) (local.get $n)))
    (global.set $sp (i32.add (i32.add (global.get $base) (i32.load (local.get $field))) (local.get $len)))
    (global.set $sp_limit
      (i32.add (i32.add (global.get $base) (i32.load (local.get $field))) (i32.load offset=4 (local.get $field)))))

  ;; Bound arguments: `bound_len` bytes, in the record itself (from RECORD_BOUND_INLINE) while
  ;; they fit there, in the record's bound buffer once they do not; where they are follows
  ;; from the length alone. Profiled on the C c10m and skynet (a fiber is a `cont.new` and a
  ;; `cont.bind` of its entry point, then resumed), the buffer of its own, written one
  ;; continuation lifetime earlier, was a cache miss per continuation (17% of c10m); inside
  ;; the record the arguments share its cache line, and small copies are word moves, not
  ;; Wasmtime's `memory.copy` call.

  ;; Copies n bytes (a multiple of 4, as every transfer layout is) from src to dst, which do
  ;; not overlap.
  (func $copy_words (param $dst i32) (param $src i32) (param $n i32)
    (block $done
      (loop $word
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (i32.store (i32.add (local.get $dst) (local.get $n)) (i32.load (i32.add (local.get $src) (local.get $n))))
        (br $word))))

  ;; cont.bind: consumes `h` and returns a new handle to the same continuation with the first
  ;; n bytes of the transfer area appended to its bound arguments.
  (func $wasmfx.rt.bind (param $h i64) (param $n i32) (result i64)
    (local $slot i32) (local $r i32) (local $len i32) (local $total i32)
    (local.set $slot (call $wasmfx.rt.take (local.get $h)))
    (local.set $r (call $rec (local.get $slot)))
    (local.set $len (i32.load offset=@RECORD_BOUND_LEN (local.get $r)))
    (local.set $total (i32.add (local.get $len) (local.get $n)))
    (if (i32.le_u (local.get $total) (i32.const @BOUND_INLINE_SIZE))
      (then
        (call $copy_words
          (i32.add (i32.add (local.get $r) (i32.const @RECORD_BOUND_INLINE)) (local.get $len))
          (call $wasmfx.rt.transfer) (local.get $n)))
      (else
        (call $grow_buffer (i32.add (local.get $r) (i32.const @RECORD_BOUND)) (local.get $total))
        ;; The region grows at its top, so the record stays where it is.
        (if (i32.le_u (local.get $len) (i32.const @BOUND_INLINE_SIZE))
          (then
            (call $copy_words (call $bound_buffer (local.get $r))
              (i32.add (local.get $r) (i32.const @RECORD_BOUND_INLINE)) (local.get $len))))
        (memory.copy (i32.add (call $bound_buffer (local.get $r)) (local.get $len))
          (call $wasmfx.rt.transfer) (local.get $n))))
    (i32.store offset=@RECORD_BOUND_LEN (local.get $r) (local.get $total))
    (call $wasmfx.rt.handle (local.get $slot)))

  ;; The absolute address of the bound buffer of the record at `r`.
  (func $bound_buffer (param $r i32) (result i32)
    (i32.add (global.get $base) (i32.load offset=@RECORD_BOUND (local.get $r))))

  ;; Moves the bound arguments of the continuation in `slot` to the transfer area at `at`
  ;; (absolute) and forgets them; returns how many bytes they take.
  (func $take_bound (param $slot i32) (param $at i32) (result i32)
    (local $r i32) (local $len i32)
    (local.set $r (call $rec (local.get $slot)))
    (local.set $len (i32.load offset=@RECORD_BOUND_LEN (local.get $r)))
    (if (i32.le_u (local.get $len) (i32.const @BOUND_INLINE_SIZE))
      (then (call $copy_words (local.get $at) (i32.add (local.get $r) (i32.const @RECORD_BOUND_INLINE)) (local.get $len)))
      (else (memory.copy (local.get $at) (call $bound_buffer (local.get $r)) (local.get $len))))
    (i32.store offset=@RECORD_BOUND_LEN (local.get $r) (i32.const 0))
    (local.get $len))

  ;; Before a resume: moves the bound arguments to the start of the transfer area and returns
  ;; how many bytes they take (the resume's own arguments go after them).
  (func $wasmfx.rt.unbind (param $slot i32) (result i32)
    (call $take_bound (local.get $slot) (call $wasmfx.rt.transfer)))

  ;; Before a switch transfers to `slot`: the switch's own arguments (n bytes at the start of
  ;; the transfer area) move up past the target's bound arguments, which go first. Returns
  ;; where the arguments end (the suspended continuation's handle goes there).
  (func $wasmfx.rt.unbind_after (param $slot i32) (param $n i32) (result i32)
    (local $len i32)
    (local.set $len (i32.load offset=@RECORD_BOUND_LEN (call $rec (local.get $slot))))
    (if (local.get $len)
      (then
        (memory.copy (i32.add (call $wasmfx.rt.transfer) (local.get $len)) (call $wasmfx.rt.transfer) (local.get $n))
        (drop (call $take_bound (local.get $slot) (call $wasmfx.rt.transfer)))))
    (i32.add (local.get $len) (local.get $n)))

;; The program's view of memory 0: its own pages, without the gap and the region above them.
  (func $wasmfx.rt.memory_size (result i32)
    (if (result i32) (i32.lt_s (global.get $base) (i32.const 0))
      (then (memory.size))
      (else (global.get $program_pages))))

  ;; The program grows memory 0. Its new pages come from the gap between its pages and the
  ;; region (untouched, so still zero and not resident). When the gap is too small, memory 0
  ;; grows by what is missing plus a new gap (`$slack`), and
  ;; the region moves up once to the new top; the bytes it leaves are zeroed. The region is
  ;; copied O(log) times as the program grows, and pages the program does not touch stay
  ;; untouched.
  (func $wasmfx.rt.memory_grow (param $n i32) (result i32)
    (local $old i32) (local $missing i32) (local $pages i32) (local $delta i32)
    (if (i32.lt_s (global.get $base) (i32.const 0)) (then (return (memory.grow (local.get $n)))))
    (local.set $old (global.get $program_pages))
    (if (i32.gt_u (local.get $n) (i32.sub (i32.const 65536) (local.get $old)))
      (then (return (i32.const -1))))
    (local.set $missing
      (i32.sub (i32.add (local.get $old) (local.get $n)) (i32.shr_u (global.get $base) (i32.const 16))))
    (if (i32.gt_s (local.get $missing) (i32.const 0))
      (then
        (local.set $pages (i32.add (local.get $missing) (call $slack (i32.add (local.get $old) (local.get $n)))))
        (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1))
          (then
            (local.set $pages (local.get $missing))
            (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1)) (then (return (i32.const -1))))))
        (local.set $delta (i32.shl (local.get $pages) (i32.const 16)))
        (memory.copy (i32.add (global.get $base) (local.get $delta)) (global.get $base) (global.get $size))
        (memory.fill (global.get $base) (i32.const 0)
          (select (global.get $size) (local.get $delta) (i32.lt_u (global.get $size) (local.get $delta))))
        (global.set $base (i32.add (global.get $base) (local.get $delta)))
        (global.set $transfer_addr (i32.add (global.get $transfer_addr) (local.get $delta)))
        (global.set $records (i32.add (global.get $records) (local.get $delta)))
        (global.set $sp (i32.add (global.get $sp) (local.get $delta)))
        (global.set $sp_limit (i32.add (global.get $sp_limit) (local.get $delta)))))
    (global.set $program_pages (i32.add (local.get $old) (local.get $n)))
    (local.get $old))
;; Tables of continuations hold handles in a region buffer; each operation names the
  ;; table by its descriptor's offset `d` and passes the declared initial size and maximum
  ;; (-1 for none), so the table comes to life on first use with its initial size of nulls.
  (func $ctab (param $d i32) (param $initial i32) (result i32)
    (local $field i32)
    (call $init)
    (local.set $field (i32.add (global.get $base) (local.get $d)))
    (if (i32.eqz (i32.load offset=12 (local.get $field)))
      (then
        (i32.store offset=12 (local.get $field) (i32.const 1))
        (call $grow_buffer (local.get $field) (i32.shl (local.get $initial) (i32.const 3)))
        (memory.fill (i32.add (global.get $base) (i32.load (local.get $field))) (i32.const 0) (i32.shl (local.get $initial) (i32.const 3)))
        (i32.store offset=8 (local.get $field) (i32.shl (local.get $initial) (i32.const 3)))))
    (local.get $field))

  ;; The address of entries [i, i + n) of the table at `field`, trapping when out of bounds.
  (func $ctab_at (param $field i32) (param $i i32) (param $n i32) (result i32)
    (if (i64.gt_u (i64.add (i64.extend_i32_u (local.get $i)) (i64.extend_i32_u (local.get $n)))
                  (i64.extend_i32_u (i32.shr_u (i32.load offset=8 (local.get $field)) (i32.const 3))))
      (then (call $wasmfx.trap.table_out_of_bounds)))
    (i32.add (i32.add (global.get $base) (i32.load (local.get $field))) (i32.shl (local.get $i) (i32.const 3))))

  ;; get, set and size take a fast path, small enough for -O2 to inline at every use, when
  ;; the region exists (then $transfer_addr is not 0) and the table is in use with the index
  ;; in bounds (a table's length is 0 until its first use, so one compare tests both); the
  ;; first use and the trap take the calls of `$ctab_entry`. Profiled on the C benchmarks,
  ;; whose fibers live in a table of continuations: the three calls per access were a sixth
  ;; of the lowered itersum's time.
  (func $ctab_entry (param $i i32) (param $d i32) (param $initial i32) (result i32)
    (call $ctab_at (call $ctab (local.get $d) (local.get $initial)) (local.get $i) (i32.const 1)))

  (func $wasmfx.rt.ctab_get (param $i i32) (param $d i32) (param $initial i32) (param $max i32) (result i64)
    (local $field i32)
    (if (global.get $transfer_addr)
      (then
        (if (i32.lt_u (local.get $i)
              (i32.shr_u (i32.load offset=8 (local.tee $field (i32.add (global.get $base) (local.get $d)))) (i32.const 3)))
          (then
            (return (i64.load (i32.add (i32.add (global.get $base) (i32.load (local.get $field)))
              (i32.shl (local.get $i) (i32.const 3)))))))))
    (i64.load (call $ctab_entry (local.get $i) (local.get $d) (local.get $initial))))

  (func $wasmfx.rt.ctab_set (param $i i32) (param $v i64) (param $d i32) (param $initial i32) (param $max i32)
    (local $field i32)
    (if (global.get $transfer_addr)
      (then
        (if (i32.lt_u (local.get $i)
              (i32.shr_u (i32.load offset=8 (local.tee $field (i32.add (global.get $base) (local.get $d)))) (i32.const 3)))
          (then
            (i64.store (i32.add (i32.add (global.get $base) (i32.load (local.get $field)))
              (i32.shl (local.get $i) (i32.const 3))) (local.get $v))
            (return)))))
    (i64.store (call $ctab_entry (local.get $i) (local.get $d) (local.get $initial)) (local.get $v)))

  (func $wasmfx.rt.ctab_size (param $d i32) (param $initial i32) (param $max i32) (result i32)
    (local $field i32)
    (if (global.get $transfer_addr)
      (then
        (if (i32.load offset=12 (local.tee $field (i32.add (global.get $base) (local.get $d))))
          (then (return (i32.shr_u (i32.load offset=8 (local.get $field)) (i32.const 3)))))))
    (i32.shr_u (i32.load offset=8 (call $ctab (local.get $d) (local.get $initial))) (i32.const 3)))

  (func $wasmfx.rt.ctab_grow (param $v i64) (param $n i32) (param $d i32) (param $initial i32) (param $max i32) (result i32)
    (local $field i32) (local $old i32) (local $new i64) (local $at i32)
    (local.set $field (call $ctab (local.get $d) (local.get $initial)))
    (local.set $old (i32.shr_u (i32.load offset=8 (local.get $field)) (i32.const 3)))
    (local.set $new (i64.add (i64.extend_i32_u (local.get $old)) (i64.extend_i32_u (local.get $n))))
    (if (i64.gt_u (local.get $new)
          (select (i64.extend_i32_u (local.get $max)) (i64.const 0x10000000) (i32.ge_s (local.get $max) (i32.const 0))))
      (then (return (i32.const -1))))
    (call $grow_buffer (local.get $field) (i32.shl (i32.wrap_i64 (local.get $new)) (i32.const 3)))
    (i32.store offset=8 (local.get $field) (i32.shl (i32.wrap_i64 (local.get $new)) (i32.const 3)))
    (local.set $at (call $ctab_at (local.get $field) (local.get $old) (local.get $n)))
    (block $done
      (loop $fill
        (br_if $done (i32.eqz (local.get $n)))
        (i64.store (local.get $at) (local.get $v))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $fill)))
    (local.get $old))

  (func $wasmfx.rt.ctab_fill (param $i i32) (param $v i64) (param $n i32) (param $d i32) (param $initial i32) (param $max i32)
    (local $at i32)
    (local.set $at (call $ctab_at (call $ctab (local.get $d) (local.get $initial)) (local.get $i) (local.get $n)))
    (block $done
      (loop $fill
        (br_if $done (i32.eqz (local.get $n)))
        (i64.store (local.get $at) (local.get $v))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $fill))))

  (func $wasmfx.rt.ctab_copy (param $di i32) (param $si i32) (param $n i32)
      (param $dd i32) (param $dinitial i32) (param $dmax i32) (param $sd i32) (param $sinitial i32) (param $smax i32)
    (local $dst i32)
    (local.set $dst (call $ctab_at (call $ctab (local.get $dd) (local.get $dinitial)) (local.get $di) (local.get $n)))
    (memory.copy (local.get $dst)
      (call $ctab_at (call $ctab (local.get $sd) (local.get $sinitial)) (local.get $si) (local.get $n))
      (i32.shl (local.get $n) (i32.const 3))))

;; Reference slots: references saved in frames or passed through the transfer area are put
  ;; in a table and named by their index; freed indices are kept on a stack in the region.
  ;; This block is a template, instantiated once per kind of reference the program has
  ;; (REFKIND fref for funcref, xref for externref, eref for exnref).
  ;; @ref-slots-begin
  (table $REFKINDs 0 REFTYPE)
  (global $REFKIND_free (mut i32) (i32.const 0))
  (global $REFKIND_free_cap (mut i32) (i32.const 0))
  (global $REFKIND_free_len (mut i32) (i32.const 0))

  (func $wasmfx.rt.REFKIND_put (param $v REFTYPE) (result i32)
    (local $i i32)
    (if (global.get $REFKIND_free_len)
      (then
        (global.set $REFKIND_free_len (i32.sub (global.get $REFKIND_free_len) (i32.const 1)))
        (local.set $i (i32.load (i32.add (i32.add (global.get $base) (global.get $REFKIND_free))
          (i32.shl (global.get $REFKIND_free_len) (i32.const 2))))))
      (else
        (local.set $i (table.grow $REFKINDs (ref.null REFNULL) (i32.const 1)))
        (if (i32.eq (local.get $i) (i32.const -1)) (then (call $wasmfx.trap.out_of_memory)))))
    (table.set $REFKINDs (local.get $i) (local.get $v))
    (local.get $i))

  (func $wasmfx.rt.REFKIND_take (param $i i32) (result REFTYPE)
    (local $v REFTYPE) (local $field i32)
    (local.set $v (table.get $REFKINDs (local.get $i)))
    (table.set $REFKINDs (local.get $i) (ref.null REFNULL))
    (call $init)
    (if (i32.ge_u (global.get $REFKIND_free_len) (i32.shr_u (global.get $REFKIND_free_cap) (i32.const 2)))
      (then
        (local.set $field (call $alloc (i32.const 12)))
        (i32.store (i32.add (global.get $base) (local.get $field)) (global.get $REFKIND_free))
        (i32.store offset=4 (i32.add (global.get $base) (local.get $field)) (global.get $REFKIND_free_cap))
        (i32.store offset=8 (i32.add (global.get $base) (local.get $field)) (i32.shl (global.get $REFKIND_free_len) (i32.const 2)))
        (call $grow_buffer (i32.add (global.get $base) (local.get $field)) (i32.add (i32.shl (global.get $REFKIND_free_len) (i32.const 2)) (i32.const 4)))
        (global.set $REFKIND_free (i32.load (i32.add (global.get $base) (local.get $field))))
        (global.set $REFKIND_free_cap (i32.load offset=4 (i32.add (global.get $base) (local.get $field))))
        (call $free (local.get $field) (i32.const 12))))
    (i32.store (i32.add (i32.add (global.get $base) (global.get $REFKIND_free)) (i32.shl (global.get $REFKIND_free_len) (i32.const 2)))
      (local.get $i))
    (global.set $REFKIND_free_len (i32.add (global.get $REFKIND_free_len) (i32.const 1)))
    (local.get $v))
  ;; @ref-slots-end
)
