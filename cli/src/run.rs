//! The native runner behind `wasmfx-run`: loads a module (binary, text or precompiled), links
//! WASI preview 1 and `spectest`, and runs it on Wasmtime 48 with stack switching enabled.
//!
//! [`run`] is what the binary, the tests and the benchmark harness call: it never panics on bad
//! input, can capture the guest's stdout and stderr, and reports failures as a typed
//! [`RunError`] whose [`RunError::exit_code`] the binary passes to the shell.
//!
//! Wasmtime 48 keeps every continuation's native stack until the `Store` is dropped, so a
//! program that creates many continuations runs out of memory mappings after about 32,000 of
//! them. The runner counts `cont.new` executions (see `run/instrument.rs`) to report exactly when
//! that happened, in words that point to the lowering that runs such programs.
//!
//! The work is split by job, one file each under `run/`: `values` (argument and result
//! values), `error` (the error taxonomy and exit codes), `engine` (the one Wasmtime
//! configuration), `load` (reading, lowering, compiling and precompiling), `execute` (linking
//! and calling), `traps` (naming failures), `spectest` (the host module) and `instrument`
//! (counting `cont.new`).

mod engine;
mod error;
mod execute;
mod instrument;
mod load;
mod spectest;
mod traps;
mod values;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

pub use engine::{EngineOptions, MIN_STACK_SIZE, WASMTIME_VERSION, engine};
pub use error::{EXIT_CONTINUATION_LIMIT, EXIT_ERROR, EXIT_INTERNAL, EXIT_TRAP, ErrorKind, RunError};
pub use execute::Host;
pub use instrument::{COUNTER_EXPORT, START_EXPORT};
pub use load::precompile;
pub use spectest::{spectest_host, spectest_printing_host};
pub use traps::{lowered_trap_kind, lowered_trap_text};
pub use values::Value;

/// Where the module comes from.
#[derive(Debug, Clone)]
pub enum ModuleSource {
    /// A file: `.wasm`, `.wat`, or a module precompiled by [`precompile`].
    Path(PathBuf),
    /// The runner's standard input, read to the end.
    Stdin,
    /// Bytes in memory (binary, text or precompiled), with the name used in messages and argv.
    Bytes {
        /// The name used in messages and as `argv[0]`.
        name: String,
        /// The module's bytes.
        bytes: Vec<u8>,
    },
}

impl ModuleSource {
    /// The name of the module in messages and as the guest's `argv[0]`.
    pub fn name(&self) -> String {
        match self {
            ModuleSource::Path(path) => path.display().to_string(),
            ModuleSource::Stdin => "-".to_string(),
            ModuleSource::Bytes { name, .. } => name.clone(),
        }
    }
}

/// A host directory made visible to the guest, from `HOST[::GUEST]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirMapping {
    /// The directory on the host.
    pub host: PathBuf,
    /// The name the guest opens it by.
    pub guest: String,
}

impl FromStr for DirMapping {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (host, guest) = match text.split_once("::") {
            Some((host, guest)) => (host, guest),
            None => (text, text),
        };
        if host.is_empty() || guest.is_empty() {
            return Err(format!("`{text}` is not HOST or HOST::GUEST"));
        }
        Ok(DirMapping { host: PathBuf::from(host), guest: guest.to_string() })
    }
}

/// Everything [`run`] needs to know.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The module to run.
    pub module: ModuleSource,
    /// Call this export instead of running the WASI command's `_start`.
    pub invoke: Option<String>,
    /// Arguments of the invoked export, or the guest's `argv[1..]` when not invoking.
    pub args: Vec<String>,
    /// Environment variables of the guest.
    pub env: Vec<(String, String)>,
    /// Host directories preopened for the guest.
    pub dirs: Vec<DirMapping>,
    /// Size in bytes of each continuation's native stack (`Config::async_stack_size`); Wasmtime
    /// uses 2 MiB when `None`.
    pub stack_size: Option<usize>,
    /// Run with this much fuel; running out is a trap.
    pub fuel: Option<u64>,
    /// Interrupt the guest after this long; being interrupted is a trap.
    pub timeout: Option<Duration>,
    /// Collect the guest's stdout and stderr (WASI and `spectest` prints) in the outcome or
    /// error instead of writing them to the runner's own.
    pub capture_output: bool,
    /// The guest's stdin; the runner's own stdin when `None` and not capturing, empty otherwise.
    pub stdin: Option<Vec<u8>>,
    /// Lower the module with `--lower-to-asyncify` in memory and run the result with stack
    /// switching off, as a plain host would.
    pub lower: bool,
}

impl RunOptions {
    /// Options that run `module` as a WASI command with no arguments and default limits.
    pub fn new(module: ModuleSource) -> Self {
        RunOptions {
            module,
            invoke: None,
            args: Vec::new(),
            env: Vec::new(),
            dirs: Vec::new(),
            stack_size: None,
            fuel: None,
            timeout: None,
            capture_output: false,
            stdin: None,
            lower: false,
        }
    }
}

/// What a run that did not fail produced.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// The guest's exit code: 0, or what it passed to WASI `proc_exit`.
    pub exit_code: i32,
    /// The results of the `--invoke`d export (empty when running `_start`).
    pub results: Vec<Value>,
    /// How many `cont.new`s succeeded, when the module contains any (see [`COUNTER_EXPORT`]).
    pub continuations: Option<u64>,
    /// The guest's stdout, when [`RunOptions::capture_output`] is set.
    pub stdout: Vec<u8>,
    /// The guest's stderr, when [`RunOptions::capture_output`] is set.
    pub stderr: Vec<u8>,
}

/// Runs a module as [`RunOptions`] say: the WASI command's `_start`, or the `--invoke`d export.
pub fn run(options: &RunOptions) -> Result<RunOutcome, RunError> {
    let name = options.module.name();
    match catch_unwind(AssertUnwindSafe(|| run_inner(options, &name))) {
        Ok(result) => result,
        Err(panic) => {
            let message = wasmfx_passes::runner::panic_message(panic.as_ref());
            Err(RunError::new(&name, ErrorKind::Host(format!("Wasmtime panicked: {message}"))))
        }
    }
}

fn run_inner(options: &RunOptions, name: &str) -> Result<RunOutcome, RunError> {
    let fail = |kind| RunError::new(name, kind);
    let bytes = load::read_source(&options.module).map_err(fail)?;
    let (engine, loaded) = load::prepare(options, &bytes).map_err(fail)?;
    // The module is compiled or loaded; its bytes are not needed while it runs.
    drop(bytes);
    execute::run_loaded(&engine, &loaded, options, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_mappings_parse() {
        assert_eq!(
            "a/b::/data".parse::<DirMapping>(),
            Ok(DirMapping { host: "a/b".into(), guest: "/data".into() })
        );
        assert_eq!("x".parse::<DirMapping>().map(|d| d.guest), Ok("x".to_string()));
        assert!("::g".parse::<DirMapping>().is_err());
    }
}
