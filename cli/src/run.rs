//! The native runner behind `wasmfx-run`: loads a module (binary, text or precompiled), links
//! WASI preview 1 and `spectest`, and runs it on Wasmtime 48 with stack switching enabled.
//!
//! [`run`] is what the binary, the tests and the benchmark harness call: it never panics on bad
//! input, can capture the guest's stdout and stderr, and reports failures as a typed
//! [`RunError`] whose [`RunError::exit_code`] the binary passes to the shell.
//!
//! Wasmtime 48 keeps every continuation's native stack until the `Store` is dropped, so a
//! program that creates many continuations runs out of memory mappings after about 32,000 of
//! them. The runner counts `cont.new` executions (see [`instrument`]) to report exactly when
//! that happened, in words that point to the lowering that runs such programs.

mod instrument;
mod spectest;

use std::fmt;
use std::io::{Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use wasmtime::{
    Collector, Config, Engine, ExternType, Instance, Linker, Module, Precompiled, Store, Strategy, Trap, Val,
    ValType, WasmBacktrace, WasmBacktraceDetails,
};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

pub use instrument::{COUNTER_EXPORT, START_EXPORT};

/// Process exit code for a usage, load, compile or link error, and for bad `--invoke` arguments.
pub const EXIT_ERROR: i32 = 1;
/// Process exit code for an internal error: a bug in `--lower`'s lowering, not in the module.
pub const EXIT_INTERNAL: i32 = crate::io::EXIT_INTERNAL;
/// Process exit code for a trap (including an unhandled tag, exhausted fuel and a timeout).
pub const EXIT_TRAP: i32 = 3;
/// Process exit code when Wasmtime ran out of native continuation stacks.
pub const EXIT_CONTINUATION_LIMIT: i32 = 4;

/// Wasmtime's default `max_wasm_stack`, which must not exceed the continuation stack size.
const DEFAULT_MAX_WASM_STACK: usize = 512 * 1024;

/// The smallest `--stack-size` accepted: host calls made from a continuation (WASI's `fd_write`
/// among them) run on the continuation's stack and need room beyond the Wasm frames.
pub const MIN_STACK_SIZE: usize = 64 * 1024;

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

/// A Wasm value passed to or returned from an export, printed so that it reads back the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// An `i32`, printed signed.
    I32(i32),
    /// An `i64`, printed signed.
    I64(i64),
    /// An `f32` by its bits, so that NaN payloads survive.
    F32(u32),
    /// An `f64` by its bits.
    F64(u64),
    /// A `v128`.
    V128(u128),
    /// A null reference of the named heap type.
    NullRef(&'static str),
    /// A non-null reference of the named heap type (its identity cannot be printed).
    Ref(&'static str),
}

impl Value {
    /// The value's type as written in the text format.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::I32(_) => "i32",
            Value::I64(_) => "i64",
            Value::F32(_) => "f32",
            Value::F64(_) => "f64",
            Value::V128(_) => "v128",
            Value::NullRef(_) | Value::Ref(_) => "ref",
        }
    }

    fn from_val(val: &Val) -> Value {
        match val {
            Val::I32(x) => Value::I32(*x),
            Val::I64(x) => Value::I64(*x),
            Val::F32(x) => Value::F32(*x),
            Val::F64(x) => Value::F64(*x),
            Val::V128(x) => Value::V128(x.as_u128()),
            Val::FuncRef(r) => reference(r.is_some(), "func"),
            Val::ExternRef(r) => reference(r.is_some(), "extern"),
            Val::AnyRef(r) => reference(r.is_some(), "any"),
            Val::ExnRef(r) => reference(r.is_some(), "exn"),
            Val::ContRef(r) => reference(r.is_some(), "cont"),
        }
    }

    fn to_val(self) -> Val {
        match self {
            Value::I32(x) => Val::I32(x),
            Value::I64(x) => Val::I64(x),
            Value::F32(x) => Val::F32(x),
            Value::F64(x) => Val::F64(x),
            Value::V128(x) => Val::V128(x.into()),
            // Arguments are only ever parsed as numbers.
            Value::NullRef(_) | Value::Ref(_) => Val::I32(0),
        }
    }

    /// Parses a command-line argument of type `ty`: integers in decimal (signed or unsigned) or
    /// `0x` hex, floats in decimal or as `inf`, `-inf`, `nan`, `nan:0xPAYLOAD`.
    pub fn parse(ty: &ValType, text: &str) -> Result<Value, String> {
        let bad = || format!("`{text}` is not {}", describe(ty));
        match ty {
            ValType::I32 => parse_int(text, 32).map(|bits| Value::I32(bits as u32 as i32)).ok_or_else(bad),
            ValType::I64 => parse_int(text, 64).map(|bits| Value::I64(bits as i64)).ok_or_else(bad),
            ValType::F32 => parse_float(text, 32).map(|bits| Value::F32(bits as u32)).ok_or_else(bad),
            ValType::F64 => parse_float(text, 64).map(Value::F64).ok_or_else(bad),
            other => {
                Err(format!("parameters of type {} cannot be given on the command line", describe(other)))
            }
        }
    }
}

fn reference(non_null: bool, heap: &'static str) -> Value {
    if non_null { Value::Ref(heap) } else { Value::NullRef(heap) }
}

fn describe(ty: &ValType) -> String {
    match ty {
        ValType::I32 => "an i32".into(),
        ValType::I64 => "an i64".into(),
        ValType::F32 => "an f32".into(),
        ValType::F64 => "an f64".into(),
        other => other.to_string(),
    }
}

/// Parses an integer of `bits` bits, accepting both signed and unsigned spellings; returns the
/// two's-complement bits.
fn parse_int(text: &str, bits: u32) -> Option<u64> {
    let text = text.replace('_', "");
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    let magnitude = match digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        Some(hex) => u128::from_str_radix(hex, 16).ok()?,
        None if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            digits.parse::<u128>().ok()?
        }
        None => return None,
    };
    let limit = 1u128 << bits;
    if negative {
        if magnitude > limit / 2 {
            return None;
        }
        Some((limit - magnitude) as u64 & (limit - 1) as u64)
    } else if magnitude < limit {
        Some(magnitude as u64)
    } else {
        None
    }
}

/// Parses a float of `bits` bits; returns its bit pattern.
fn parse_float(text: &str, bits: u32) -> Option<u64> {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (sign_bit, exponent_bits, mantissa_bits) =
        if bits == 32 { (1u64 << 31, 0xffu64 << 23, 23) } else { (1u64 << 63, 0x7ffu64 << 52, 52) };
    let sign_bit = if sign { sign_bit } else { 0 };
    if let Some(payload) = body.strip_prefix("nan") {
        let payload = match payload.strip_prefix(":0x") {
            Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16).ok()?,
            None if payload.is_empty() => 1 << (mantissa_bits - 1),
            None => return None,
        };
        if payload == 0 || payload >= 1 << mantissa_bits {
            return None;
        }
        return Some(sign_bit | exponent_bits | payload);
    }
    if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        return Some(sign_bit | exponent_bits);
    }
    // Rust's parser accepts "NaN" and "inf" spellings handled above and nothing else of note;
    // restrict it to plain decimal numbers so that typos are errors.
    if body.is_empty()
        || !body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+' | b'_'))
    {
        return None;
    }
    let body = body.replace('_', "");
    if bits == 32 {
        let value: f32 = body.parse().ok()?;
        Some(sign_bit | u64::from(value.to_bits()))
    } else {
        let value: f64 = body.parse().ok()?;
        Some(sign_bit | value.to_bits())
    }
}

/// Writes a float's bits the way [`Value::parse`] reads them back.
fn write_float(
    f: &mut fmt::Formatter<'_>,
    negative: bool,
    nan_payload: Option<u64>,
    canonical: u64,
    finite: &dyn fmt::Debug,
) -> fmt::Result {
    match nan_payload {
        Some(payload) => {
            let sign = if negative { "-" } else { "" };
            if payload == canonical { write!(f, "{sign}nan") } else { write!(f, "{sign}nan:{payload:#x}") }
        }
        // `Debug` is Rust's shortest round-trip form, with an exponent for large and small
        // magnitudes (Display would print all 300 digits of 1e300); infinities print as `inf`.
        None => write!(f, "{finite:?}"),
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Value::I32(x) => write!(f, "{x}"),
            Value::I64(x) => write!(f, "{x}"),
            Value::F32(bits) => {
                let x = f32::from_bits(bits);
                let payload = x.is_nan().then_some(u64::from(bits & 0x7f_ffff));
                write_float(f, x.is_sign_negative(), payload, 1 << 22, &x)
            }
            Value::F64(bits) => {
                let x = f64::from_bits(bits);
                let payload = x.is_nan().then_some(bits & ((1 << 52) - 1));
                write_float(f, x.is_sign_negative(), payload, 1 << 51, &x)
            }
            Value::V128(x) => write!(f, "{x:#034x}"),
            Value::NullRef(heap) => write!(f, "ref.null {heap}"),
            Value::Ref(heap) => write!(f, "ref.{heap}"),
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

/// The version of the Wasmtime crate the runner embeds (the workspace pins it).
pub const WASMTIME_VERSION: &str = "48.0.8";

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
    inner: Box<RunErrorData>,
}

#[derive(Debug, Clone)]
struct RunErrorData {
    module: String,
    kind: ErrorKind,
    backtrace: Vec<String>,
    continuations: Option<u64>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl RunError {
    fn new(module: &str, kind: ErrorKind) -> Self {
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

    /// The module's name, as in [`ModuleSource::name`].
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
fn one_line(err: &wasmtime::Error) -> String {
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

/// The engine configuration every run and precompilation uses.
pub fn engine(options: &RunOptions) -> Result<Engine, ErrorKind> {
    engine_with(options, options.lower)
}

/// The engine for `options`, with stack switching off if `lowered`.
fn engine_with(options: &RunOptions, lowered: bool) -> Result<Engine, ErrorKind> {
    let mut config = Config::new();
    config
        .strategy(Strategy::Cranelift)
        .wasm_function_references(true)
        .wasm_exceptions(true)
        .wasm_stack_switching(!lowered)
        .wasm_gc(true)
        // The DRC collector panics when it runs while a continuation is suspended
        // (bytecodealliance/wasmtime#14239); the null collector never runs.
        .collector(Collector::Null)
        .wasm_tail_call(true)
        .wasm_multi_memory(true)
        .wasm_memory64(true)
        .wasm_simd(true)
        .wasm_relaxed_simd(true)
        .wasm_threads(true)
        .wasm_wide_arithmetic(true)
        .wasm_extended_const(true)
        .wasm_custom_page_sizes(true)
        // Symbolicating with DWARF would read offsets of the uninstrumented code.
        .wasm_backtrace_details(WasmBacktraceDetails::Disable)
        .consume_fuel(options.fuel.is_some())
        .epoch_interruption(options.timeout.is_some());
    if let Some(size) = options.stack_size {
        if size < MIN_STACK_SIZE {
            return Err(ErrorKind::Options(format!(
                "--stack-size {size} is below the minimum of {MIN_STACK_SIZE} bytes"
            )));
        }
        // Wasm frames may use at most half of a continuation stack, so that host calls made
        // from a continuation still find room; Wasmtime requires max_wasm_stack to fit anyway.
        config.async_stack_size(size).max_wasm_stack(DEFAULT_MAX_WASM_STACK.min(size / 2));
    }
    Engine::new(&config).map_err(|e| ErrorKind::Options(one_line(&e)))
}

/// The store's data: WASI state and where `spectest` prints go.
pub(crate) struct Host {
    wasi: WasiP1Ctx,
    output: Output,
}

/// Where the guest's output goes.
enum Output {
    Inherit,
    Capture(MemoryOutputPipe),
}

impl Output {
    fn write_stdout(&mut self, bytes: &[u8]) {
        match self {
            // The same `std::io::stdout()` that WASI's inherited stdout writes to, so the two
            // interleave in program order. A closed stdout is not the guest's failure.
            Output::Inherit => {
                let _ = std::io::stdout().lock().write_all(bytes);
            }
            Output::Capture(pipe) => {
                use wasmtime_wasi::p2::OutputStream;
                let _ = pipe.write(bytes::Bytes::copy_from_slice(bytes));
            }
        }
    }
}

/// A loaded module and what the runner knows about how it was prepared.
struct Loaded {
    module: Module,
    /// Maps code offsets of an instrumented module back to the original binary.
    offsets: Option<instrument::OffsetMap>,
    /// Whether the module has a start function (unknown for precompiled modules).
    has_start: Option<bool>,
}

impl Loaded {
    fn has_export(&self, name: &str) -> bool {
        self.module.exports().any(|e| e.name() == name)
    }
}

fn read_source(source: &ModuleSource) -> Result<Vec<u8>, ErrorKind> {
    match source {
        ModuleSource::Path(path) => std::fs::read(path).map_err(|e| ErrorKind::Read(e.to_string())),
        ModuleSource::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(|e| ErrorKind::Read(e.to_string()))?;
            Ok(bytes)
        }
        ModuleSource::Bytes { bytes, .. } => Ok(bytes.clone()),
    }
}

/// Converts text format to binary; binaries pass through. Text errors carry their line and
/// column, as `wasmfx-opt` reports them.
fn to_binary(bytes: Vec<u8>) -> Result<Vec<u8>, ErrorKind> {
    if wasmfx_ir::text::is_binary(&bytes) {
        return Ok(bytes);
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ErrorKind::Parse("not a Wasm binary (no `\\0asm` magic), nor UTF-8 text".into()))?;
    wasmfx_ir::text::parse_text(text).map_err(|e| ErrorKind::Parse(e.to_string()))
}

/// Lowers stack switching away, as `wasmfx-opt --lower-to-asyncify` does, with the same
/// errors: bad or unsupported input is [`ErrorKind::Lower`], a bug [`ErrorKind::Internal`].
fn lower_to_asyncify(wasm: &[u8]) -> Result<Vec<u8>, ErrorKind> {
    // The pass runner catches the pass's panics; this catches the reader's and the writer's,
    // which must not pass for Wasmtime's (`run` reports those as traps).
    catch_unwind(AssertUnwindSafe(|| lower_unguarded(wasm))).unwrap_or_else(|payload| {
        let message = wasmfx_passes::runner::describe_panic(payload.as_ref());
        Err(ErrorKind::Internal(format!("internal error while lowering: {message}")))
    })
}

fn lower_unguarded(wasm: &[u8]) -> Result<Vec<u8>, ErrorKind> {
    use wasmfx_ir::validate;
    let classify = |e: wasmfx_ir::Error| {
        if e.is_internal() { ErrorKind::Internal(e.to_string()) } else { ErrorKind::Lower(e.to_string()) }
    };
    let features = validate::default_features();
    let mut module = wasmfx_ir::Module::from_bytes(wasm, features).map_err(classify)?;
    let mut passes = wasmfx_passes::PassRunner::new();
    passes.add("lower-to-asyncify").map_err(classify)?;
    let features = passes.run(&mut module, features).map_err(classify)?;
    // The input was valid, so output that is not is the pass's bug.
    let bytes = module.to_bytes().map_err(|e| classify(passes.invalid_output(&e)))?;
    validate::validate(&bytes, features).map_err(|e| classify(passes.invalid_output(&e)))?;
    Ok(bytes)
}

fn is_cwasm(source: &ModuleSource) -> bool {
    matches!(source, ModuleSource::Path(p) if p.extension().is_some_and(|e| e == "cwasm"))
}

/// The engine to run the module in `bytes` on, and the module compiled or loaded for it.
///
/// A module precompiled with `--lower` was compiled with stack switching off, and its code
/// depends on that (Cranelift's `stack_switch_model` setting), so an engine with stack
/// switching refuses it. Rather than make every run repeat `--lower`, such a module runs on the
/// engine it was made for: the `.cwasm` says how it was compiled.
fn prepare(options: &RunOptions, bytes: &[u8]) -> Result<(Engine, Loaded), ErrorKind> {
    let engine = engine(options)?;
    match load(&engine, &options.module, bytes, options.lower) {
        Err(ErrorKind::Precompiled(message))
            if !options.lower && Engine::detect_precompiled(bytes) == Some(Precompiled::Module) =>
        {
            let lowered = engine_with(options, true)?;
            match load(&lowered, &options.module, bytes, true) {
                Ok(loaded) => Ok((lowered, loaded)),
                // Made by `--lower --precompile` but with other options (`--fuel`, say): the
                // second reason is the one to fix. Otherwise the first is.
                Err(second) if message.contains("stack_switch_model") => Err(second),
                Err(_) => Err(ErrorKind::Precompiled(message)),
            }
        }
        result => result.map(|loaded| (engine, loaded)),
    }
}

fn load(engine: &Engine, source: &ModuleSource, bytes: &[u8], lower: bool) -> Result<Loaded, ErrorKind> {
    if let Some(kind) = Engine::detect_precompiled(bytes) {
        return deserialize(Some(kind), lower, || match source {
            // SAFETY: deserializing trusts that the bytes were written by
            // `Engine::precompile_module` and not altered since; running a file is a decision
            // to trust it, as with a native executable. Wasmtime still checks that it was made
            // by this version with a compatible configuration.
            ModuleSource::Path(path) => unsafe { Module::deserialize_file(engine, path) },
            _ => unsafe { Module::deserialize(engine, bytes) },
        });
    }
    if is_cwasm(source) {
        return Err(ErrorKind::Precompiled("not a module precompiled by this version of wasmfx-run".into()));
    }
    let mut wasm = to_binary(bytes.to_vec())?;
    if lower {
        wasm = lower_to_asyncify(&wasm)?;
    }
    let has_start = instrument::has_start(&wasm);
    let instrumented = instrument::instrument(&wasm);
    let bytes = instrumented.as_ref().map_or(&wasm[..], |done| &done.bytes[..]);
    let module = Module::new(engine, bytes).map_err(|err| {
        // Report the problem with the offsets of the file the user gave.
        let err = match &instrumented {
            Some(_) => Module::new(engine, &wasm).err().unwrap_or(err),
            None => err,
        };
        ErrorKind::Compile(one_line(&err))
    })?;
    Ok(Loaded { module, offsets: instrumented.map(|done| done.offsets), has_start: Some(has_start) })
}

fn deserialize(
    kind: Option<Precompiled>,
    lower: bool,
    load: impl FnOnce() -> wasmtime::Result<Module>,
) -> Result<Loaded, ErrorKind> {
    if let Some(Precompiled::Component) = kind {
        return Err(ErrorKind::Precompiled("it is a component; wasmfx-run runs core modules".into()));
    }
    let module = load().map_err(|e| {
        let message = one_line(&e);
        // Wasmtime names the feature; say what to do about it in our options' terms.
        if lower && message.contains("feature `stack_switching`") {
            ErrorKind::Precompiled(format!(
                "{message}: it was precompiled without --lower, so it runs only without --lower"
            ))
        } else {
            ErrorKind::Precompiled(message)
        }
    })?;
    Ok(Loaded { module, offsets: None, has_start: None })
}

/// Compiles the module as [`run`] would and writes the result to `out`, so that a later run of
/// `out` does not spend time compiling. With [`RunOptions::lower`] the module is lowered first
/// and compiled with stack switching off, as `--lower` runs it; [`run`] recognises the result
/// and runs it that way with or without `--lower`.
/// Pass the same `fuel` and `timeout` settings as the later runs: they change the generated
/// code. `out` is written whole or not at all.
pub fn precompile(options: &RunOptions, out: &Path) -> Result<(), RunError> {
    let name = options.module.name();
    let fail = |kind| RunError::new(&name, kind);
    let engine = engine(options).map_err(fail)?;
    let bytes = read_source(&options.module).map_err(fail)?;
    if Engine::detect_precompiled(&bytes).is_some() {
        return Err(fail(ErrorKind::Precompiled("it is precompiled already".into())));
    }
    let mut wasm = to_binary(bytes).map_err(fail)?;
    if options.lower {
        wasm = lower_to_asyncify(&wasm).map_err(fail)?;
    }
    let wasm = instrument::instrument(&wasm).map_or(wasm, |done| done.bytes);
    let compiled = engine.precompile_module(&wasm).map_err(|e| fail(ErrorKind::Compile(one_line(&e))))?;
    crate::io::write_output(&out.to_string_lossy(), &compiled).map_err(|e| {
        let message = e.message.strip_prefix("cannot write: ").unwrap_or(&e.message);
        fail(ErrorKind::Write(format!("{}: {message}", out.display())))
    })
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

/// Interrupts the store's engine after a timeout unless dropped first.
struct Timer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Timer {
    fn start(engine: &Engine, timeout: Duration) -> Result<Timer, ErrorKind> {
        let (stop, stopped) = mpsc::channel::<()>();
        let engine = engine.clone();
        let thread = std::thread::Builder::new()
            .name("wasmfx-run timeout".into())
            .spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(timeout) {
                    engine.increment_epoch();
                }
            })
            .map_err(|e| ErrorKind::Options(format!("cannot start the timeout thread: {e}")))?;
        Ok(Timer { stop: Some(stop), thread: Some(thread) })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn function_exports(module: &Module) -> Vec<String> {
    module
        .exports()
        .filter(|e| matches!(e.ty(), ExternType::Func(_)) && !e.name().starts_with("wasmfx-run:"))
        .map(|e| e.name().to_string())
        .collect()
}

fn run_inner(options: &RunOptions, name: &str) -> Result<RunOutcome, RunError> {
    let fail = |kind| RunError::new(name, kind);
    let bytes = read_source(&options.module).map_err(fail)?;
    let (engine, loaded) = prepare(options, &bytes).map_err(fail)?;
    // The module is compiled or loaded; its bytes are not needed while it runs.
    drop(bytes);

    let mut wasi = WasiCtxBuilder::new();
    let mut argv = vec![name.to_string()];
    if options.invoke.is_none() {
        argv.extend(options.args.iter().cloned());
    }
    wasi.args(&argv).envs(&options.env);
    for dir in &options.dirs {
        wasi.preopened_dir(&dir.host, &dir.guest, FsPerms::ReadWrite).map_err(|e| {
            fail(ErrorKind::Options(format!("--dir {}: {}", dir.host.display(), one_line(&e))))
        })?;
    }
    let captured = options
        .capture_output
        .then(|| (MemoryOutputPipe::new(usize::MAX), MemoryOutputPipe::new(usize::MAX)));
    match (&options.stdin, &captured) {
        (Some(bytes), _) => {
            wasi.stdin(MemoryInputPipe::new(bytes.clone()));
        }
        (None, None) => {
            wasi.inherit_stdin();
        }
        (None, Some(_)) => {}
    }
    let output = match &captured {
        Some((stdout, stderr)) => {
            wasi.stdout(stdout.clone()).stderr(stderr.clone());
            Output::Capture(stdout.clone())
        }
        None => {
            wasi.inherit_stdout().inherit_stderr();
            Output::Inherit
        }
    };
    let mut store = Store::new(&engine, Host { wasi: wasi.build_p1(), output });
    let collect = |mut error: RunError| {
        if let Some((stdout, stderr)) = &captured {
            error.inner.stdout = stdout.contents().to_vec();
            error.inner.stderr = stderr.contents().to_vec();
        }
        error
    };

    if let Some(fuel) = options.fuel {
        store.set_fuel(fuel).map_err(|e| fail(ErrorKind::Options(one_line(&e))))?;
    }
    let _timer = match options.timeout {
        Some(timeout) => {
            store.set_epoch_deadline(1);
            store.epoch_deadline_trap();
            Some(Timer::start(&engine, timeout).map_err(fail)?)
        }
        None => None,
    };

    let mut linker: Linker<Host> = Linker::new(&engine);
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |host| &mut host.wasi)
        .map_err(|e| fail(ErrorKind::Link(one_line(&e))))?;
    spectest::define(&mut linker, &mut store).map_err(|e| fail(ErrorKind::Link(one_line(&e))))?;
    for import in loaded.module.imports() {
        if linker.get_by_import(&mut store, &import).is_none() {
            return Err(fail(ErrorKind::MissingImport {
                module: import.module().to_string(),
                name: import.name().to_string(),
                ty: describe_extern(&import.ty()),
            }));
        }
    }
    let pre = linker.instantiate_pre(&loaded.module).map_err(|e| fail(ErrorKind::Link(one_line(&e))))?;

    let mut instance: Option<Instance> = None;
    let result = execute(&mut store, &pre, &loaded, options, &mut instance);
    let continuations = instance.and_then(|instance| {
        match instance.get_global(&mut store, COUNTER_EXPORT)?.get(&mut store) {
            Val::I64(n) => u64::try_from(n).ok(),
            _ => None,
        }
    });
    let result = match result {
        Ok(results) => Ok((0, results)),
        Err(Failure::Usage(kind)) => Err(fail(kind)),
        Err(Failure::Wasm(err)) => match err.downcast_ref::<I32Exit>() {
            Some(exit) => Ok((exit.0, Vec::new())),
            None => {
                let mut error = fail(classify(&err, options, continuations));
                error.inner.backtrace = backtrace(&err, &loaded, name);
                Err(error)
            }
        },
    };
    // Dropping the store releases the continuation stacks before anything else is done.
    drop(store);
    match result {
        Ok((exit_code, results)) => {
            let (stdout, stderr) = match &captured {
                Some((stdout, stderr)) => (stdout.contents().to_vec(), stderr.contents().to_vec()),
                None => Default::default(),
            };
            Ok(RunOutcome { exit_code, results, continuations, stdout, stderr })
        }
        Err(mut error) => {
            error.inner.continuations = continuations;
            Err(collect(error))
        }
    }
}

fn describe_extern(ty: &ExternType) -> String {
    match ty {
        ExternType::Func(f) => {
            let mut text = "func".to_string();
            for param in f.params() {
                text.push_str(&format!(" (param {param})"));
            }
            for result in f.results() {
                text.push_str(&format!(" (result {result})"));
            }
            text
        }
        ExternType::Global(g) => format!("global {}", g.content()),
        ExternType::Table(t) => format!("table of {}", t.element()),
        ExternType::Memory(_) => "memory".to_string(),
        ExternType::Tag(_) => "tag".to_string(),
    }
}

/// A failure while executing: either the command line was wrong for the module, or Wasm (or a
/// host function it called) failed.
enum Failure {
    Usage(ErrorKind),
    Wasm(wasmtime::Error),
}

impl From<wasmtime::Error> for Failure {
    fn from(err: wasmtime::Error) -> Self {
        Failure::Wasm(err)
    }
}

fn execute(
    store: &mut Store<Host>,
    pre: &wasmtime::InstancePre<Host>,
    loaded: &Loaded,
    options: &RunOptions,
    instance_out: &mut Option<Instance>,
) -> Result<Vec<Value>, Failure> {
    let instance = pre.instantiate(&mut *store)?;
    *instance_out = Some(instance);
    if loaded.has_export(START_EXPORT) {
        instance.get_typed_func::<(), ()>(&mut *store, START_EXPORT)?.call(&mut *store, ())?;
    }
    let Some(name) = &options.invoke else {
        return match instance.get_func(&mut *store, "_start") {
            Some(start) => {
                let start = start
                    .typed::<(), ()>(&*store)
                    .map_err(|_| Failure::Usage(ErrorKind::NotAFunction("_start".into())))?;
                start.call(&mut *store, ())?;
                Ok(Vec::new())
            }
            None if loaded.has_start == Some(false) => {
                Err(Failure::Usage(ErrorKind::NoEntryPoint { exports: function_exports(&loaded.module) }))
            }
            None => Ok(Vec::new()),
        };
    };
    // A WASI reactor expects `_initialize` before any other export.
    if name != "_initialize"
        && let Some(init) = instance.get_func(&mut *store, "_initialize")
        && let Ok(init) = init.typed::<(), ()>(&*store)
    {
        init.call(&mut *store, ())?;
    }
    let func = match instance.get_export(&mut *store, name) {
        Some(export) => {
            export.into_func().ok_or_else(|| Failure::Usage(ErrorKind::NotAFunction(name.clone())))?
        }
        None => {
            return Err(Failure::Usage(ErrorKind::MissingExport {
                name: name.clone(),
                exports: function_exports(&loaded.module),
            }));
        }
    };
    let ty = func.ty(&*store);
    let params: Vec<ValType> = ty.params().collect();
    if params.len() != options.args.len() {
        let types: Vec<String> = params.iter().map(|t| t.to_string()).collect();
        return Err(Failure::Usage(ErrorKind::Arguments(format!(
            "`{name}` takes {} argument{} ({}), but {} {} given",
            params.len(),
            if params.len() == 1 { "" } else { "s" },
            types.join(" "),
            options.args.len(),
            if options.args.len() == 1 { "was" } else { "were" },
        ))));
    }
    let mut args = Vec::with_capacity(params.len());
    for (i, (ty, text)) in params.iter().zip(&options.args).enumerate() {
        let value = Value::parse(ty, text).map_err(|m| {
            Failure::Usage(ErrorKind::Arguments(format!("argument {} of `{name}`: {m}", i + 1)))
        })?;
        args.push(value.to_val());
    }
    let mut results: Vec<Val> = ty.results().map(|_| Val::I32(0)).collect();
    func.call(&mut *store, &args, &mut results)?;
    Ok(results.iter().map(Value::from_val).collect())
}

/// For a trap raised by the runtime of `--lower-to-asyncify` (which traps through functions
/// named `wasmfx.trap.KIND`), the text of the trap Wasmtime raises for the same failure
/// natively, so that native and lowered runs can be compared.
pub fn lowered_trap_text(err: &wasmtime::Error) -> Option<&'static str> {
    let frame = err.downcast_ref::<WasmBacktrace>()?.frames().first()?;
    Some(match frame.func_name()?.strip_prefix("wasmfx.trap.")? {
        "null_reference" => "null reference",
        "continuation_consumed" => "continuation already consumed",
        "unhandled_tag" => "unhandled tag",
        "table_out_of_bounds" => "undefined element: out of bounds table access",
        "out_of_memory" => "the lowered program's continuation runtime ran out of memory",
        _ => return None,
    })
}

fn lowered_trap(err: &wasmtime::Error) -> Option<ErrorKind> {
    Some(match lowered_trap_text(err)? {
        "unhandled tag" => ErrorKind::UnhandledTag,
        text => ErrorKind::Trap(text.to_string()),
    })
}

/// Names what went wrong in a failed execution.
fn classify(err: &wasmtime::Error, options: &RunOptions, continuations: Option<u64>) -> ErrorKind {
    for cause in err.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::OutOfMemory
        {
            // Only `cont.new` maps memory and reports the OS error as a trap: growing a
            // memory or a table that cannot get more pages returns -1 to the guest instead.
            return ErrorKind::ContinuationLimit {
                created: continuations,
                stack_size: options.stack_size.unwrap_or(2 << 20),
                os_error: io.to_string(),
            };
        }
    }
    if let Some(kind) = lowered_trap(err) {
        return kind;
    }
    match err.downcast_ref::<Trap>() {
        Some(Trap::UnhandledTag) => ErrorKind::UnhandledTag,
        Some(Trap::OutOfFuel) => ErrorKind::OutOfFuel(options.fuel.unwrap_or(0)),
        Some(Trap::Interrupt) if options.timeout.is_some() => {
            ErrorKind::Timeout(options.timeout.unwrap_or_default())
        }
        Some(trap) => {
            let text = trap.to_string();
            ErrorKind::Trap(text.strip_prefix("wasm trap: ").unwrap_or(&text).to_string())
        }
        None => ErrorKind::Host(one_line(err)),
    }
}

/// Formats the Wasm backtrace of a failure, with offsets in the original module.
fn backtrace(err: &wasmtime::Error, loaded: &Loaded, name: &str) -> Vec<String> {
    let Some(trace) = err.downcast_ref::<WasmBacktrace>() else {
        return Vec::new();
    };
    let module_name = Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string());
    trace
        .frames()
        .iter()
        .enumerate()
        .map(|(i, frame)| {
            let module = frame.module().name().unwrap_or(&module_name);
            let func = match frame.func_name() {
                Some(f) => f.to_string(),
                None => format!("<wasm function {}>", frame.func_index()),
            };
            match frame.module_offset() {
                Some(offset) => {
                    let offset = loaded.offsets.as_ref().map_or(offset, |map| map.to_original(offset));
                    format!("  {i:>3}: {offset:#8x} - {module}!{func}")
                }
                None => format!("  {i:>3}: {module}!{func}"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_signed_unsigned_and_hex() {
        assert_eq!(Value::parse(&ValType::I32, "-1"), Ok(Value::I32(-1)));
        assert_eq!(Value::parse(&ValType::I32, "4294967295"), Ok(Value::I32(-1)));
        assert_eq!(Value::parse(&ValType::I32, "0x7fffffff"), Ok(Value::I32(i32::MAX)));
        assert_eq!(Value::parse(&ValType::I32, "-2147483648"), Ok(Value::I32(i32::MIN)));
        assert!(Value::parse(&ValType::I32, "4294967296").is_err());
        assert!(Value::parse(&ValType::I32, "-2147483649").is_err());
        assert!(Value::parse(&ValType::I32, "1.5").is_err());
        assert!(Value::parse(&ValType::I32, "").is_err());
        assert_eq!(Value::parse(&ValType::I64, "-9223372036854775808"), Ok(Value::I64(i64::MIN)));
        assert_eq!(Value::parse(&ValType::I64, "18446744073709551615"), Ok(Value::I64(-1)));
    }

    #[test]
    fn floats_round_trip_through_text() {
        for text in ["0.1", "-0.0", "1e300", "inf", "-inf", "nan", "-nan", "nan:0x1", "2.5"] {
            let value = Value::parse(&ValType::F64, text).unwrap();
            let printed = value.to_string();
            assert_eq!(Value::parse(&ValType::F64, &printed), Ok(value), "{text} -> {printed}");
        }
        for text in ["0.1", "3.4028235e38", "1e-45", "nan:0x200000", "-inf"] {
            let value = Value::parse(&ValType::F32, text).unwrap();
            let printed = value.to_string();
            assert_eq!(Value::parse(&ValType::F32, &printed), Ok(value), "{text} -> {printed}");
        }
        assert_eq!(Value::F64(1.5f64.to_bits()).to_string(), "1.5");
        assert!(Value::parse(&ValType::F64, "1.5x").is_err());
        assert!(Value::parse(&ValType::F32, "nan:0x800000").is_err());
    }

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
