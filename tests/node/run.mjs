// Runs a (lowered) WebAssembly module on Node.js as `wasmfx-run` runs it on Wasmtime: a WASI
// preview 1 command, with the `spectest` host module, printing what it prints; a trap prints
// `error: trap: MESSAGE` on stderr (with the lowering's runtime traps named as Wasmtime names
// them natively) and exits with 3. Usage: node tests/node/run.mjs MODULE.wasm [ARGS...]
//
// WASI is implemented here (fd_write, args, environ, clocks, random, proc_exit; other calls
// answer ENOSYS) rather than with node:wasi, whose Node 20 version crashes after a large
// memory.grow (nodejs/node#51303; see benches/repro/node20-wasi-memory-grow).
//
// `node tests/node/run.mjs MODULE.wasm --calls CALLS.json` calls exports instead of `_start`:
// CALLS.json lists `{"export": NAME, "args": [["i32", "5"], ["i64", "7"], ...]}`, and each
// call prints, after what it printed, `=> i32:5 i64:7` (its integer results) or `=> trap`
// (then the next call runs), as tests/multi_module.rs expects.
import { readFileSync, writeSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';

const path = process.argv[2];
const callsAt = process.argv.indexOf('--calls');
const calls = callsAt > 0 ? JSON.parse(readFileSync(process.argv[callsAt + 1], 'utf8')) : null;
const args = [path, ...process.argv.slice(3).filter((_, i) => callsAt < 0 || (i !== callsAt - 3 && i !== callsAt - 2))];
let memory;
class Exit {
  constructor(code) { this.code = code; }
}
const encoder = new TextEncoder();
const view = () => new DataView(memory.buffer);
const putStrings = (strings, ptrs, buf) => {
  const bytes = new Uint8Array(memory.buffer);
  strings.forEach((s, i) => {
    const e = encoder.encode(s);
    view().setUint32(ptrs + 4 * i, buf, true);
    bytes.set(e, buf);
    bytes[buf + e.length] = 0;
    buf += e.length + 1;
  });
  return 0;
};
const sizes = (strings, count, size) => {
  view().setUint32(count, strings.length, true);
  view().setUint32(size, strings.reduce((n, s) => n + encoder.encode(s).length + 1, 0), true);
  return 0;
};
const wasiImpl = {
  fd_write(fd, iovs, n, written) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const p = view().getUint32(iovs + 8 * i, true);
      const l = view().getUint32(iovs + 8 * i + 4, true);
      writeSync(fd, new Uint8Array(memory.buffer, p, l));
      total += l;
    }
    view().setUint32(written, total, true);
    return 0;
  },
  args_sizes_get: (count, size) => sizes(args, count, size),
  args_get: (ptrs, buf) => putStrings(args, ptrs, buf),
  environ_sizes_get: (count, size) => sizes([], count, size),
  environ_get: (ptrs, buf) => putStrings([], ptrs, buf),
  clock_time_get(id, precision, out) {
    view().setBigUint64(out, process.hrtime.bigint(), true);
    return 0;
  },
  random_get(buf, len) {
    randomFillSync(new Uint8Array(memory.buffer, buf, len));
    return 0;
  },
  proc_exit(code) { throw new Exit(code); },
};
const ENOSYS = 52;
const wasi = new Proxy(wasiImpl, { get: (t, name) => t[name] ?? (() => ENOSYS) });
const float = (x) => (Object.is(x, -0) ? '-0.0' : Number.isInteger(x) ? x.toFixed(1) : String(x));
const out = (text) => writeSync(1, text + '\n');
const spectest = {
  print: () => {},
  print_i32: (x) => out(`${x} : i32`),
  print_i64: (x) => out(`${x} : i64`),
  print_f32: (x) => out(`${float(x)} : f32`),
  print_f64: (x) => out(`${float(x)} : f64`),
  print_i32_f32: (x, y) => { out(`${x} : i32`); out(`${float(y)} : f32`); },
  print_f64_f64: (x, y) => { out(`${float(x)} : f64`); out(`${float(y)} : f64`); },
  global_i32: new WebAssembly.Global({ value: 'i32' }, 666),
  global_i64: new WebAssembly.Global({ value: 'i64' }, 666n),
  global_f32: new WebAssembly.Global({ value: 'f32' }, 666.6),
  global_f64: new WebAssembly.Global({ value: 'f64' }, 666.6),
  table: new WebAssembly.Table({ element: 'anyfunc', initial: 10, maximum: 20 }),
  memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }),
};
// The lowered runtime's traps in wasmfx-run's words, generated from the pass's one list
// (tests/lowering.rs rewrites it under WASMFX_BLESS=1).
const messages = JSON.parse(readFileSync(new URL('./traps.json', import.meta.url), 'utf8'));
try {
  const module = await WebAssembly.compile(readFileSync(path));
  const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi, spectest });
  memory = instance.exports.memory;
  if (calls) {
    const show = (v) => (typeof v === 'bigint' ? `i64:${v}` : `i32:${v}`);
    for (const call of calls) {
      const given = call.args.map(([type, value]) => (type === 'i64' ? BigInt(value) : Number(value)));
      try {
        const results = instance.exports[call.export](...given);
        const list = results === undefined ? [] : Array.isArray(results) ? results : [results];
        out(`=> ${list.map(show).join(' ')}`.trimEnd());
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        out('=> trap');
      }
    }
  } else if (instance.exports._start) instance.exports._start();
  process.exitCode = 0;
} catch (e) {
  if (e instanceof Exit) {
    process.exitCode = e.code;
  } else if (e instanceof WebAssembly.RuntimeError) {
    const named = /at wasmfx\.trap\.(\w+)/.exec(e.stack ?? '');
    const message = named ? messages[named[1]] ?? named[1] : e.message;
    writeSync(2, `error: trap: ${message}\n`);
    process.exitCode = 3;
  } else {
    writeSync(2, `error: ${e.message}\n`);
    process.exitCode = 1;
  }
}
