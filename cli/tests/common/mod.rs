//! What the `wasmfx-opt` process tests share.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `wasmfx-opt` with `args` in `cwd`.
pub fn opt(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasmfx-opt"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("wasmfx-opt runs")
}

/// A process's standard error.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}
