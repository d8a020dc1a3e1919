// Runs a (lowered) WebAssembly module on Node.js as `wasmfx-run` runs it on Wasmtime: a WASI
// preview 1 command, with the `spectest` host module, printing what it prints; a trap prints
// `error: trap: MESSAGE` on stderr (with the lowering's runtime traps named as Wasmtime names
// them natively) and exits with 3. Usage: node tests/node/run.mjs MODULE.wasm [ARGS...]
import { WASI } from 'node:wasi';
import { readFileSync, writeSync } from 'node:fs';

process.removeAllListeners('warning');
const path = process.argv[2];
const wasi = new WASI({ version: 'preview1', args: [path, ...process.argv.slice(3)], env: {}, returnOnExit: true });
const out = (text) => writeSync(1, text + '\n');
const float = (x) => (Object.is(x, -0) ? '-0.0' : Number.isInteger(x) ? x.toFixed(1) : String(x));
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
const messages = {
  null_reference: 'null reference',
  continuation_consumed: 'continuation already consumed',
  unhandled_tag: 'unhandled suspend/switch tag: no enclosing `resume` handles it',
  table_out_of_bounds: 'undefined element: out of bounds table access',
  out_of_memory: "the lowered program's continuation runtime ran out of memory",
};
try {
  const module = await WebAssembly.compile(readFileSync(path));
  const instance = await WebAssembly.instantiate(module, {
    wasi_snapshot_preview1: wasi.wasiImport,
    spectest,
  });
  const code = instance.exports._start ? wasi.start(instance) : 0;
  process.exitCode = code ?? 0;
} catch (e) {
  if (e instanceof WebAssembly.RuntimeError) {
    const named = /at wasmfx\.trap\.(\w+)/.exec(e.stack ?? '');
    const message = named ? messages[named[1]] ?? named[1] : e.message;
    writeSync(2, `error: trap: ${message}\n`);
    process.exitCode = 3;
  } else {
    writeSync(2, `error: ${e.message}\n`);
    process.exitCode = 1;
  }
}
