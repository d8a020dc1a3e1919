// wasi-shim.mjs: runs a WASI command on Node.js with a four-function WASI in plain JS
// (fd_write, args_sizes_get, args_get, proc_exit) that reads memory.buffer afresh on every
// call, instead of node:wasi. With it neither grow-then-write.wasm nor the lowered c10m crash.
// Usage: node wasi-shim.mjs MODULE.wasm [ARGS...] (ARGS become argv[1..]).
import { readFileSync, writeSync } from 'node:fs';
const args = process.argv.slice(2);
let memory;
class Exit { constructor(code) { this.code = code; } }
const enc = new TextEncoder();
const wasi = {
  fd_write(fd, iovs, n, nwritten) {
    const v = new DataView(memory.buffer); let total = 0;
    for (let i = 0; i < n; i++) {
      const p = v.getUint32(iovs + 8 * i, true), l = v.getUint32(iovs + 8 * i + 4, true);
      writeSync(fd, new Uint8Array(memory.buffer, p, l)); total += l;
    }
    v.setUint32(nwritten, total, true); return 0;
  },
  args_sizes_get(argc, size) {
    const v = new DataView(memory.buffer);
    v.setUint32(argc, args.length, true);
    v.setUint32(size, args.reduce((s, a) => s + enc.encode(a).length + 1, 0), true); return 0;
  },
  args_get(argv, buf) {
    const v = new DataView(memory.buffer), b = new Uint8Array(memory.buffer);
    args.forEach((a, i) => { const e = enc.encode(a); v.setUint32(argv + 4 * i, buf, true); b.set(e, buf); b[buf + e.length] = 0; buf += e.length + 1; });
    return 0;
  },
  proc_exit(code) { throw new Exit(code); },
};
const { instance } = await WebAssembly.instantiate(readFileSync(args[0]), { wasi_snapshot_preview1: wasi });
memory = instance.exports.memory;
try { instance.exports._start(); } catch (e) { if (e instanceof Exit) process.exitCode = e.code; else throw e; }
