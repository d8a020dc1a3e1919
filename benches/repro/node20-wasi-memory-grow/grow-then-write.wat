;; grow-then-write.wat: a plain Wasm 1.0 WASI command (no stack switching, nothing lowered)
;; that crashes Node.js 20's `node:wasi` (SIGSEGV or a V8 fatal error, exit status 139 or 133)
;; most times it runs: it grows its memory by 5,010 pages (about 328 MB), dirties one 4 KiB page
;; in every 32 KiB of it (10,000 pages, about 40 MB, the same pattern as c10m's shadow-stack
;; regions), then writes "done\n" to stdout with fd_write. Wasmtime runs it correctly.
;;
;; Run: wasmfx-opt grow-then-write.wat -o grow-then-write.wasm
;;      node /work/main/tests/node/run.mjs grow-then-write.wasm > out.txt; echo $?
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "done\n")
  (func (export "_start")
    (local $i i32)
    (drop (memory.grow (i32.const 5010)))
    (block $done
      (loop $page
        (br_if $done (i32.ge_u (local.get $i) (i32.const 10000)))
        (i32.store (i32.add (i32.const 0x20000) (i32.mul (local.get $i) (i32.const 32768)))
                   (i32.const 1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $page)))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 5))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
