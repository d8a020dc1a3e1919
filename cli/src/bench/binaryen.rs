//! Binaryen's `wasm-opt`, the one way the harness runs it: for the C programs' Asyncify build
//! (`--asyncify ... -O2`) and for the `+binaryen-O2` variants, which give our lowering's
//! output to `wasm-opt -O2` instead of our own `-O2`, so that the two optimisers are compared
//! on the same input.
//!
//! A module without a `target_features` section is read by `wasm-opt` as MVP Wasm, and our
//! lowered output has none (we strip custom sections), so [`WasmOpt::optimise_lowered`] enables
//! the features our lowering's output may use: the runtime's bulk memory, reference types
//! (its table of started functions) and multi-value blocks, and those that stay from the input
//! (sign extension, saturating conversions, mutable globals, tail calls). Not GC or the like:
//! given them, `wasm-opt` could refine types into features the input never used.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The Binaryen version `scripts/install-deps` installs.
pub const BINARYEN_VERSION: &str = "132";

/// The flags of the `+binaryen-O2` variants.
pub const LOWERED_O2_FLAGS: [&str; 9] = [
    "-O2",
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-reference-types",
    "--enable-multivalue",
    "--enable-sign-ext",
    "--enable-nontrapping-float-to-int",
    "--enable-mutable-globals",
    "--enable-tail-call",
];

/// `tool --version`'s first line, if it runs.
pub(super) fn version_line(tool: &Path) -> Option<String> {
    let out = Command::new(tool).arg("--version").output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).lines().next().map(|l| l.trim().to_string())
}

/// Runs a build command; a failure is one line naming the step and the tool's first error.
pub(super) fn step(what: &str, cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr
        .lines()
        .find(|l| l.contains("error"))
        .or_else(|| stderr.lines().next())
        .unwrap_or("")
        .trim()
        .to_string();
    Err(format!("{what} failed: {first}"))
}

/// Binaryen's optimiser, found.
#[derive(Clone, Debug)]
pub struct WasmOpt {
    /// `tools/binaryen/node_modules/.bin/wasm-opt`, or `$WASMFX_WASM_OPT`.
    pub path: PathBuf,
    /// Its version line, for the C cache key and the report.
    pub version: String,
}

impl WasmOpt {
    /// Finds `wasm-opt` under `tools_dir`, or says in one line what is missing, what needs it
    /// (`needed_by`, e.g. "the C benchmarks") and how to get it.
    pub fn find(tools_dir: &Path, needed_by: &str, hint: &str) -> Result<WasmOpt, String> {
        let path = std::env::var_os("WASMFX_WASM_OPT")
            .map_or_else(|| tools_dir.join("binaryen/node_modules/.bin/wasm-opt"), PathBuf::from);
        let version = version_line(&path).ok_or_else(|| {
            format!(
                "{needed_by} need Binaryen {BINARYEN_VERSION}'s wasm-opt at {} (not found or not runnable): {hint}",
                path.display()
            )
        })?;
        Ok(WasmOpt { path, version })
    }

    /// Runs `wasm-opt INPUT FLAGS -o OUTPUT`; `what` names the step in an error.
    pub fn run(&self, what: &str, input: &Path, flags: &[&str], output: &Path) -> Result<(), String> {
        step(what, Command::new(&self.path).arg(input).args(flags).arg("-o").arg(output))
    }

    /// `wasm-opt -O2` of a module our lowering wrote, into `output`.
    pub fn optimise_lowered(&self, what: &str, input: &Path, output: &Path) -> Result<(), String> {
        self.run(&format!("{what}: wasm-opt -O2"), input, &LOWERED_O2_FLAGS, output)
    }
}
