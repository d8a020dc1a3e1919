//! Why a run failed: [`ErrorKind`] names each failure and words its message, [`RunError`]
//! carries it with the module's name, the trap's backtrace and what the guest printed, and
//! [`RunError::exit_code`] maps it to `wasmfx-run`'s exit codes ([`EXIT_ERROR`],
//! [`EXIT_INTERNAL`], [`EXIT_TRAP`], [`EXIT_CONTINUATION_LIMIT`]).

use std::fmt;
use std::time::Duration;

use wasmtime::WasmBacktrace;

/// Process exit code for a usage, load, compile or link error, and for bad `--invoke` arguments.
pub const EXIT_ERROR: i32 = 1;
/// Process exit code for an internal error: a bug in `--lower`'s lowering, not in the module.
pub const EXIT_INTERNAL: i32 = crate::io::EXIT_INTERNAL;
/// Process exit code for a trap (including an unhandled tag, exhausted fuel and a timeout).
pub const EXIT_TRAP: i32 = 3;
/// Process exit code when Wasmtime ran out of native continuation stacks.
pub const EXIT_CONTINUATION_LIMIT: i32 = 4;

/// Why a run failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An option had a value Wasmtime cannot use.
    Options(String),
    /// The module could not be read.
    Read(String),
    /// The module is neither a Wasm binary nor valid text format.
    Parse(String),
    /// Wasmtime rejected the module (validation or compilation).
    Compile(String),
    /// `--lower` could not lower the module.
    Lower(String),
    /// The lowering has a bug: it panicked, broke an invariant it checks, or wrote an invalid
    /// module. The message starts with `internal error`.
    Internal(String),
    /// A precompiled module could not be loaded.
    Precompiled(String),
    /// The module imports something no host module provides.
    MissingImport {
        /// The import's module name.
        module: String,
        /// The import's field name.
        name: String,
        /// The imported item's type.
        ty: String,
    },
    /// Linking failed for another reason (an import of the wrong type, say).
    Link(String),
    /// Without `--invoke` there was nothing to run.
    NoEntryPoint {
        /// The module's function exports, to suggest one.
        exports: Vec<String>,
    },
    /// `--invoke` named an export that does not exist.
    MissingExport {
        /// The requested name.
        name: String,
        /// The module's function exports, to suggest one.
        exports: Vec<String>,
    },
    /// `--invoke` named an export that is not a function.
    NotAFunction(String),
    /// The arguments do not fit the invoked function's parameters.
    Arguments(String),
    /// The guest trapped.
    Trap(String),
    /// A `suspend` or `switch` found no handler for its tag.
    UnhandledTag,
    /// The guest used up its `--fuel`.
    OutOfFuel(u64),
    /// The guest ran past its `--timeout`.
    Timeout(Duration),
    /// `cont.new` could not map another native stack.
    ContinuationLimit {
        /// The number of continuations created before the failure, when known.
        created: Option<u64>,
        /// The size of each continuation stack in bytes.
        stack_size: usize,
        /// The operating system's error.
        os_error: String,
    },
    /// A host function failed, or Wasmtime panicked.
    Host(String),
    /// Writing the precompiled module failed.
    Write(String),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Options(m) => write!(f, "{m}"),
            ErrorKind::Read(m) => write!(f, "cannot read module: {m}"),
            ErrorKind::Parse(m) => write!(f, "{m}"),
            ErrorKind::Compile(m) => write!(f, "invalid module: {m}"),
            ErrorKind::Precompiled(m) => write!(f, "cannot load precompiled module: {m}"),
            ErrorKind::MissingImport { module, name, ty } => write!(
                f,
                "missing import `{module}::{name}` ({ty}): the runner provides \
                 `wasi_snapshot_preview1` and `spectest`"
            ),
            ErrorKind::Link(m) => write!(f, "cannot link: {m}"),
            ErrorKind::NoEntryPoint { exports } => write!(
                f,
                "nothing to run: no `_start` export and no start function; pass \
                 `--invoke NAME` to call one of: {}",
                list(exports)
            ),
            ErrorKind::MissingExport { name, exports } => {
                write!(f, "no exported function `{name}`; exported functions: {}", list(exports))
            }
            ErrorKind::NotAFunction(name) => write!(f, "export `{name}` is not a function"),
            ErrorKind::Arguments(m) => write!(f, "{m}"),
            ErrorKind::Trap(m) => write!(f, "trap: {m}"),
            ErrorKind::Lower(m) => write!(f, "cannot lower: {m}"),
            ErrorKind::Internal(m) => write!(f, "{m}"),
            ErrorKind::UnhandledTag => {
                write!(f, "trap: unhandled suspend/switch tag: no enclosing `resume` handles it")
            }
            ErrorKind::OutOfFuel(fuel) => write!(f, "trap: all fuel consumed (--fuel {fuel})"),
            ErrorKind::Timeout(limit) => {
                write!(f, "trap: timed out after {} s (--timeout)", limit.as_secs_f64())
            }
            ErrorKind::ContinuationLimit { created, stack_size, os_error } => {
                let count = match created {
                    Some(n) => n.to_string(),
                    // Only precompiled modules not made by `precompile` lack the counter.
                    None => "an uncounted number of".to_string(),
                };
                write!(
                    f,
                    "native continuation limit reached after {count} continuations: \
                     Wasmtime 48 keeps every continuation's stack until the program ends; \
                     lower the module with `wasmfx-opt --lower-to-asyncify` to run it \
                     (cont.new: {os_error}; {stack_size}-byte stacks)"
                )
            }
            ErrorKind::Host(m) => write!(f, "{m}"),
            ErrorKind::Write(m) => write!(f, "cannot write precompiled module: {m}"),
        }
    }
}

fn list(names: &[String]) -> String {
    if names.is_empty() { "(none)".to_string() } else { names.join(", ") }
}

/// A failed run: what went wrong, where, and what the guest printed before.
#[derive(Debug, Clone)]
pub struct RunError {
    // Boxed: a `Result` carrying this stays small on the happy path.
    pub(super) inner: Box<RunErrorData>,
}

#[derive(Debug, Clone)]
pub(super) struct RunErrorData {
    pub(super) module: String,
    pub(super) kind: ErrorKind,
    pub(super) backtrace: Vec<String>,
    pub(super) continuations: Option<u64>,
    pub(super) stdout: Vec<u8>,
    pub(super) stderr: Vec<u8>,
}

impl RunError {
    pub(super) fn new(module: &str, kind: ErrorKind) -> Self {
        RunError {
            inner: Box::new(RunErrorData {
                module: module.to_string(),
                kind,
                backtrace: Vec::new(),
                continuations: None,
                stdout: Vec::new(),
                stderr: Vec::new(),
            }),
        }
    }

    /// The module's name, as in [`super::ModuleSource::name`].
    pub fn module(&self) -> &str {
        &self.inner.module
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The Wasm backtrace of a trap, one frame a line, innermost first; empty for other errors.
    pub fn backtrace(&self) -> &[String] {
        &self.inner.backtrace
    }

    /// How many `cont.new`s succeeded, when the module contains any and got instantiated.
    pub fn continuations(&self) -> Option<u64> {
        self.inner.continuations
    }

    /// The guest's stdout up to the failure, when capturing.
    pub fn stdout(&self) -> &[u8] {
        &self.inner.stdout
    }

    /// The guest's stderr up to the failure, when capturing.
    pub fn stderr(&self) -> &[u8] {
        &self.inner.stderr
    }

    /// The process exit code for this error: [`EXIT_TRAP`] for traps, [`EXIT_CONTINUATION_LIMIT`]
    /// when native stacks ran out, [`EXIT_INTERNAL`] for a bug in the lowering, [`EXIT_ERROR`]
    /// otherwise.
    pub fn exit_code(&self) -> i32 {
        match self.inner.kind {
            ErrorKind::Internal(_) => EXIT_INTERNAL,
            ErrorKind::Trap(_)
            | ErrorKind::UnhandledTag
            | ErrorKind::OutOfFuel(_)
            | ErrorKind::Timeout(_)
            | ErrorKind::Host(_) => EXIT_TRAP,
            ErrorKind::ContinuationLimit { .. } => EXIT_CONTINUATION_LIMIT,
            _ => EXIT_ERROR,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.inner.module, self.inner.kind)
    }
}

impl std::error::Error for RunError {}

/// Joins an error's chain into one line.
pub(super) fn one_line(err: &wasmtime::Error) -> String {
    // A backtrace attached as context shows up in the chain as a multi-line report.
    let backtrace = err.downcast_ref::<WasmBacktrace>().map(|b| b.to_string());
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if backtrace.as_ref() == Some(&text) {
            continue;
        }
        let text = text.lines().next().unwrap_or_default().trim().to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}
