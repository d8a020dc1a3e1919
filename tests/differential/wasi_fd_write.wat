;; WASI output from inside continuations: a generator writes a line with `fd_write` before
;; each yield, yields the address of a word, and the consumer writes that word with
;; `fd_write` too, so host calls made from a continuation and from its resumer interleave in
;; program order on stdout.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == node
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (type $f (func))
  (type $c (cont $f))
  (tag $yield (param i32 i32))
  (memory (export "memory") 1)
  ;; 0..8: iovec; 8..12: bytes written; strings from 16.
  (data (i32.const 16) "gen: ")
  (data (i32.const 24) "got: ")
  (data (i32.const 32) "one\0a")
  (data (i32.const 40) "two\0a")
  (data (i32.const 48) "three\0a")
  (data (i32.const 56) "done\0a")
  (elem declare func $gen)

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $emit (param $ptr i32) (param $len i32)
    (call $write (i32.const 16) (i32.const 5))
    (call $write (local.get $ptr) (local.get $len))
    (suspend $yield (local.get $ptr) (local.get $len)))

  (func $gen
    (call $emit (i32.const 32) (i32.const 4))
    (call $emit (i32.const 40) (i32.const 4))
    (call $emit (i32.const 48) (i32.const 6)))

  (func (export "_start")
    (local $k (ref null $c))
    (local $len i32)
    (local.set $k (cont.new $c (ref.func $gen)))
    (block $done
      (loop $next
        (block $h (result i32 i32 (ref $c))
          (resume $c (on $yield $h) (local.get $k))
          (br $done))
        (local.set $k)
        (local.set $len)
        (call $write (i32.const 24) (i32.const 5))
        (call $write (local.get $len))
        (br $next)))
    (call $write (i32.const 56) (i32.const 5))))
