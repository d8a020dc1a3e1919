//! Helpers shared by the facade's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use wasmfx::ir::{Module, WasmFeatures, validate};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file with extension `ext` under `dir` (relative to the root), sorted.
pub fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    out.sort();
    out
}

/// The features tests read with.
pub fn features() -> WasmFeatures {
    validate::default_features()
}

/// Parses a `.wat` file to a binary, panicking with the file's name on failure.
pub fn wat_file(path: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(path).unwrap();
    wasmfx::ir::text::parse_text(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads and writes a binary through the IR.
pub fn round_trip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let module = Module::from_bytes(bytes, features()).map_err(|e| format!("read: {e}"))?;
    module.to_valid_bytes(features()).map_err(|e| format!("write: {e}"))
}

use wasmtime::{Config, Engine, Linker, Store, Val};

mod exports;

pub fn engine() -> Engine {
    let mut config = Config::new();
    config
        .wasm_function_references(true)
        .wasm_exceptions(true)
        .wasm_stack_switching(true)
        .wasm_gc(true)
        .collector(wasmtime::Collector::Null)
        .wasm_tail_call(true)
        .wasm_simd(true)
        .wasm_relaxed_simd(true)
        .wasm_threads(true)
        .shared_memory(true)
        .wasm_multi_memory(true)
        .wasm_memory64(true)
        .wasm_wide_arithmetic(true)
        .wasm_extended_const(true);
    Engine::new(&config).expect("Wasmtime supports this configuration")
}

/// What calling every zero-parameter export did, in export order, printed.
pub fn run_exports(engine: &Engine, bytes: &[u8]) -> Result<Vec<String>, String> {
    let module = wasmtime::Module::new(engine, bytes).map_err(|e| format!("compile: {e:#}"))?;
    let mut store = Store::new(engine, ());
    let mut linker = Linker::new(engine);
    linker
        .func_wrap("spectest", "print_i32", |_: i32| {})
        .and_then(|l| {
            let g = wasmtime::Global::new(
                &mut store,
                wasmtime::GlobalType::new(wasmtime::ValType::I32, wasmtime::Mutability::Const),
                Val::I32(666),
            )?;
            l.define(&store, "spectest", "global_i32", g)?;
            let t = wasmtime::Table::new(
                &mut store,
                wasmtime::TableType::new(wasmtime::RefType::FUNCREF, 10, Some(20)),
                wasmtime::Ref::Func(None),
            )?;
            l.define(&store, "spectest", "table", t)?;
            let m = wasmtime::Memory::new(&mut store, wasmtime::MemoryType::new(1, Some(2)))?;
            l.define(&store, "spectest", "memory", m)
        })
        .map_err(|e| format!("link: {e:#}"))?;
    let instance = match linker.instantiate(&mut store, &module) {
        Ok(i) => i,
        Err(e) => return Ok(vec![format!("instantiation failed: {}", root_cause(&e))]),
    };
    let outcomes = exports::call_exports(&mut store, &module, &instance, |e| Some(root_cause(e)));
    Ok(outcomes.expect("every cause is comparable"))
}

fn root_cause(e: &wasmtime::Error) -> String {
    if let Some(text) = wasmfx::cli::run::lowered_trap_text(e) {
        return format!("wasm trap: {text}");
    }
    match e.downcast_ref::<wasmtime::Trap>() {
        Some(trap) => trap.to_string(),
        None => e.root_cause().to_string(),
    }
}

/// The features a plain host has (Node.js 20): Wasm 1.0 with mutable globals, sign
/// extension, saturating conversions, multi-value, bulk memory and reference types.
pub fn plain_host_features() -> WasmFeatures {
    WasmFeatures::WASM1
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::REFERENCE_TYPES
}

/// Lowers a module (binary or text) with `--lower-to-asyncify` ([`wasmfx::passes::lower_module`]);
/// the result is validated with stack switching off.
pub fn lower(input: &[u8]) -> Result<Vec<u8>, String> {
    wasmfx::passes::lower_module(input, &Default::default()).map_err(|e| e.to_string())
}

/// Runs a module on Node.js through `tests/node/run.mjs`: (exit code, stdout, stderr).
pub fn run_on_node(wasm: &[u8]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("module.wasm");
    std::fs::write(&path, wasm).unwrap();
    let out = std::process::Command::new("node")
        .arg(root().join("tests/node/run.mjs"))
        .arg(&path)
        .output()
        .expect("Node.js runs (scripts/install-deps installs it)");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}
