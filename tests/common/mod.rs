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
    module
        .to_valid_bytes(features())
        .map_err(|e| format!("write: {e}"))
}
