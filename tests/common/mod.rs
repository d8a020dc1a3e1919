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

use wasmtime::Engine;

mod exports;

/// The engine native runs use: `wasmfx-run`'s, with stack switching on.
pub fn engine() -> Engine {
    wasmfx::cli::run::engine(wasmfx::cli::run::EngineOptions::NATIVE)
        .expect("Wasmtime supports this configuration")
}

/// What calling every zero-parameter export did, in export order, printed; instantiated with
/// `wasmfx-run`'s `spectest` host.
pub fn run_exports(engine: &Engine, bytes: &[u8]) -> Result<Vec<String>, String> {
    let cause =
        |e: &wasmtime::Error| Some(exports::trap_text(e).unwrap_or_else(|| e.root_cause().to_string()));
    let outcomes = exports::run_exports(engine, bytes, None, cause)?;
    Ok(outcomes.expect("every cause is comparable"))
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
