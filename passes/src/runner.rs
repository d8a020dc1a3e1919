//! The pass runner: applies passes in order; after each it runs the IR verifier in debug
//! builds and in pass-debug mode, and in pass-debug mode validates the written module too.
//!
//! Two environment variables are test hooks, so that the tools' handling of a bug in a pass
//! can be tested from a process without a buggy pass: `WASMFX_TEST_PANIC_IN_PASS=NAME` makes
//! pass `NAME` panic instead of running, and `WASMFX_TEST_INVALID_OUTPUT_IN_PASS=NAME` adds an
//! invalid function to the module after pass `NAME` ran. Neither is for anything but tests.

use crate::{Pass, PassInfo};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, PanicHookInfo, catch_unwind};
use std::sync::Mutex;
use wasmfx_ir::{Error, FuncBody, Module, Result, ValType, WasmFeatures, validate, verify};

/// The test hook that makes a pass panic (see the module's documentation).
pub const TEST_PANIC_ENV: &str = "WASMFX_TEST_PANIC_IN_PASS";
/// The test hook that makes a pass's output invalid (see the module's documentation).
pub const TEST_INVALID_OUTPUT_ENV: &str = "WASMFX_TEST_INVALID_OUTPUT_IN_PASS";

/// Arguments given to passes with `--pass-arg KEY@VALUE`.
#[derive(Clone, Debug, Default)]
pub struct PassArgs {
    args: BTreeMap<String, String>,
}

impl PassArgs {
    /// Parses one `KEY@VALUE` (or a bare `KEY`, whose value is empty).
    pub fn add(&mut self, arg: &str) -> Result<()> {
        let (key, value) = arg.split_once('@').unwrap_or((arg, ""));
        if key.is_empty() {
            return Err(Error::new(format!("--pass-arg `{arg}` has no key (expected KEY@VALUE)")));
        }
        self.args.insert(key.to_string(), value.to_string());
        Ok(())
    }

    /// The value given for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.args.get(key).map(String::as_str)
    }

    /// Every key given, in sorted order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.args.keys().map(String::as_str)
    }
}

/// Applies a list of passes.
pub struct PassRunner {
    passes: Vec<(&'static PassInfo, Box<dyn Pass>)>,
    /// Arguments the passes read.
    pub args: PassArgs,
    /// Validate after every pass (`WASMFX_PASS_DEBUG=1` turns it on by default).
    pub debug: bool,
    /// The pass [`TEST_PANIC_ENV`] names.
    test_panic_in: Option<String>,
    /// The pass [`TEST_INVALID_OUTPUT_ENV`] names.
    test_invalid_output_in: Option<String>,
}

impl Default for PassRunner {
    fn default() -> Self {
        PassRunner::new()
    }
}

impl PassRunner {
    /// A runner with no passes; pass-debug mode follows `WASMFX_PASS_DEBUG`.
    pub fn new() -> Self {
        let debug = std::env::var("WASMFX_PASS_DEBUG").is_ok_and(|v| !v.is_empty() && v != "0");
        let hook = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
        PassRunner {
            passes: Vec::new(),
            args: PassArgs::default(),
            debug,
            test_panic_in: hook(TEST_PANIC_ENV),
            test_invalid_output_in: hook(TEST_INVALID_OUTPUT_ENV),
        }
    }

    /// Appends the registered pass `name`.
    pub fn add(&mut self, name: &str) -> Result<()> {
        let info = crate::lookup(name).ok_or_else(|| Error::new(format!("unknown pass `{name}`")))?;
        self.passes.push((info, (info.create)()));
        Ok(())
    }

    /// Whether any pass was added.
    pub fn is_empty(&self) -> bool {
        self.passes.is_empty()
    }

    /// Checks that some pass to be run reads every key of [`PassRunner::args`]: a key none
    /// reads is most likely misspelt, and ignoring it would run the passes without it.
    pub fn check_args(&self) -> Result<()> {
        let mut known: Vec<&str> = Vec::new();
        for (_, pass) in &self.passes {
            for key in pass.arg_keys() {
                if !known.contains(key) {
                    known.push(key);
                }
            }
        }
        match self.args.keys().find(|key| !known.contains(key)) {
            None => Ok(()),
            Some(key) if known.is_empty() => {
                Err(Error::new(format!("--pass-arg {key}: unknown key; no pass being run takes arguments")))
            }
            Some(key) => Err(Error::new(format!(
                "--pass-arg {key}: unknown key; the passes run know: {}",
                known.join(", ")
            ))),
        }
    }

    /// Runs every pass in order on `module`, whose input needed `features`; returns the
    /// features the output needs. In debug mode (and in debug builds for the IR verifier)
    /// the module is verified and validated after each pass, and a failure names the pass.
    ///
    /// A pass's own errors come back as it made them (an unsupported construct keeps its
    /// message and offset). A bug in a pass, a panic or a broken invariant it caught itself,
    /// comes back as an [`Error::internal`] error reading `internal error in pass NAME: ...`.
    /// A `--pass-arg` key no pass reads is an error before any pass runs
    /// ([`PassRunner::check_args`]).
    pub fn run(&self, module: &mut Module, mut features: WasmFeatures) -> Result<WasmFeatures> {
        self.check_args()?;
        for (info, pass) in &self.passes {
            // A location left by a panic caught elsewhere must not be blamed on this pass.
            take_panic_location();
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                if self.test_panic_in.as_deref() == Some(info.name) {
                    panic!("a deliberate panic ({TEST_PANIC_ENV}={})", info.name);
                }
                pass.run(module, &self.args)
            }));
            match outcome {
                Ok(Ok(())) => {}
                Ok(Err(e)) if e.is_internal() => return Err(internal_in(info.name, e.message())),
                Ok(Err(e)) => return Err(e),
                Err(payload) => return Err(internal_in(info.name, &describe_panic(payload.as_ref()))),
            }
            if self.test_invalid_output_in.as_deref() == Some(info.name) {
                // A function whose body lacks the `i32` its type promises.
                let ty = module.add_func_type(&[], &[ValType::I32]);
                module.add_function(ty, FuncBody::new(&[]));
            }
            features = pass.output_features(features);
            // The IR verifier names the function and sequence a pass broke, which the
            // validator below cannot; it is cheap enough for every debug build.
            if cfg!(debug_assertions) || self.debug {
                verify::verify(module)
                    .map_err(|e| internal_in(info.name, &format!("it broke the IR: {}", e.message())))?;
            }
            if self.debug {
                let bytes = module.to_bytes().map_err(|e| internal_in(info.name, e.message()))?;
                validate::validate(&bytes, features)
                    .map_err(|e| internal_in(info.name, &format!("it produced an invalid module: {e}")))?;
            }
        }
        Ok(features)
    }

    /// The names of the passes, in the order they run.
    pub fn names(&self) -> Vec<&'static str> {
        self.passes.iter().map(|(info, _)| info.name).collect()
    }

    /// The error for output that `error` (from writing or validating the module after
    /// [`PassRunner::run`]) says is broken: the input was valid, so one of the passes has a
    /// bug. It names every pass that ran, since the output cannot tell which one it was.
    pub fn invalid_output(&self, error: &Error) -> Error {
        let mut names: Vec<&str> = Vec::new();
        for name in self.names() {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let which = match names.as_slice() {
            [] => "internal error".to_string(),
            [one] => format!("internal error in pass {one}"),
            many => format!("internal error in passes {}", many.join(", ")),
        };
        let e = Error::internal(format!("{which}: the output is invalid: {}", error.message()));
        match error.offset() {
            Some(offset) => e.at(offset),
            None => e,
        }
    }
}

/// `internal error in pass NAME: MESSAGE`, as an internal error.
pub fn internal_in(pass: &str, message: &str) -> Error {
    Error::internal(format!("internal error in pass {pass}: {message}"))
}

/// Where the last panic happened, as `FILE:LINE`, when a panic hook recorded it.
static PANIC_LOCATION: Mutex<Option<String>> = Mutex::new(None);

/// Records where a panic happened, for [`describe_panic`]; a tool's panic hook calls it. A
/// panic's payload holds only its message, and the location is what points to the bug. It
/// is process-wide, not per thread, since a pass may panic on a worker thread (rayon) and
/// the panic is caught on the thread that called [`PassRunner::run`].
pub fn record_panic_location(info: &PanicHookInfo<'_>) {
    if let Some(location) = info.location() {
        let text = format!("{}:{}", location.file(), location.line());
        *PANIC_LOCATION.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(text);
    }
}

/// The location [`record_panic_location`] recorded last, which is then forgotten.
pub fn take_panic_location() -> Option<String> {
    PANIC_LOCATION.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take()
}

/// A caught panic's message, followed by ` (at FILE:LINE)` when its location was recorded.
pub fn describe_panic(payload: &(dyn std::any::Any + Send)) -> String {
    let message = panic_message(payload);
    match take_panic_location() {
        Some(location) => format!("{message} (at {location})"),
        None => message,
    }
}

/// The message a panic was raised with.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with no message".to_string()
    }
}
