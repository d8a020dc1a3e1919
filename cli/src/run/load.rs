//! Getting a module ready to run: reading it (file, stdin or memory), converting text to
//! binary, lowering it for `--lower`, counting its `cont.new`s ([`super::instrument`]) and
//! compiling it, or loading a `.cwasm` that [`precompile`] wrote on the engine it was made for.

use std::io::Read;
use std::path::Path;

use wasmtime::{Engine, Module, Precompiled};

use super::engine::{EngineOptions, engine};
use super::error::{ErrorKind, RunError, one_line};
use super::{ModuleSource, RunOptions, instrument};

/// A loaded module and what the runner knows about how it was prepared.
pub(super) struct Loaded {
    pub(super) module: Module,
    /// Maps code offsets of an instrumented module back to the original binary.
    pub(super) offsets: Option<instrument::OffsetMap>,
    /// Whether the module has a start function (unknown for precompiled modules).
    pub(super) has_start: Option<bool>,
}

impl Loaded {
    pub(super) fn has_export(&self, name: &str) -> bool {
        self.module.exports().any(|e| e.name() == name)
    }
}

pub(super) fn read_source(source: &ModuleSource) -> Result<Vec<u8>, ErrorKind> {
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

/// Lowers stack switching away with [`wasmfx_passes::lower_module`], as `wasmfx-opt
/// --lower-to-asyncify` does: bad or unsupported input is [`ErrorKind::Lower`], a bug
/// [`ErrorKind::Internal`].
fn lower_to_asyncify(wasm: &[u8]) -> Result<Vec<u8>, ErrorKind> {
    wasmfx_passes::lower_module(wasm, &Default::default()).map_err(|e| {
        if e.is_internal() { ErrorKind::Internal(e.to_string()) } else { ErrorKind::Lower(e.to_string()) }
    })
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
pub(super) fn prepare(options: &RunOptions, bytes: &[u8]) -> Result<(Engine, Loaded), ErrorKind> {
    let asked = engine(EngineOptions::for_run(options, options.lower))?;
    match load(&asked, &options.module, bytes, options.lower) {
        Err(ErrorKind::Precompiled(message))
            if !options.lower && Engine::detect_precompiled(bytes) == Some(Precompiled::Module) =>
        {
            let lowered = engine(EngineOptions::for_run(options, true))?;
            match load(&lowered, &options.module, bytes, true) {
                Ok(loaded) => Ok((lowered, loaded)),
                // Made by `--lower --precompile` but with other options (`--fuel`, say): the
                // second reason is the one to fix. Otherwise the first is.
                // (The engines differ in stack switching and in the collector, and Wasmtime
                // may name either first.)
                Err(second) if message.contains("stack_switch_model") || message.contains("collector") => {
                    Err(second)
                }
                Err(_) => Err(ErrorKind::Precompiled(message)),
            }
        }
        result => result.map(|loaded| (asked, loaded)),
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
        if lower && (message.contains("feature `stack_switching`") || message.contains("collector")) {
            ErrorKind::Precompiled(format!(
                "{message}: it was precompiled without --lower, so it runs only without --lower"
            ))
        } else {
            ErrorKind::Precompiled(message)
        }
    })?;
    Ok(Loaded { module, offsets: None, has_start: None })
}

/// Compiles the module as [`super::run`] would and writes the result to `out`, so that a later run of
/// `out` does not spend time compiling. With [`RunOptions::lower`] the module is lowered first
/// and compiled with stack switching off, as `--lower` runs it; [`super::run`] recognises the result
/// and runs it that way with or without `--lower`.
/// Pass the same `fuel` and `timeout` settings as the later runs: they change the generated
/// code. `out` is written whole or not at all.
pub fn precompile(options: &RunOptions, out: &Path) -> Result<(), RunError> {
    let name = options.module.name();
    let fail = |kind| RunError::new(&name, kind);
    let engine = engine(EngineOptions::for_run(options, options.lower)).map_err(fail)?;
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
