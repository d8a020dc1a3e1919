//! Running a loaded module: the store and its WASI context (arguments, environment,
//! preopened directories, stdin and captured or inherited output), fuel and the timeout
//! thread, linking WASI preview 1 and [`super::spectest`], and calling `_start` or the
//! `--invoke`d export with its arguments parsed.

use std::io::Write;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use wasmtime::{Engine, ExternType, Instance, Linker, Module, Store, Val, ValType};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

use super::error::{ErrorKind, RunError, one_line};
use super::load::Loaded;
use super::traps::{backtrace, classify};
use super::{COUNTER_EXPORT, RunOptions, RunOutcome, START_EXPORT, Value, spectest};

/// The data of the runner's stores: WASI state and where `spectest` prints go.
pub struct Host {
    wasi: WasiP1Ctx,
    pub(super) output: Output,
}

impl Host {
    /// A host whose guest has no arguments, no environment, no files and empty stdin, and whose
    /// output is discarded.
    pub(super) fn quiet() -> Host {
        Host { wasi: WasiCtxBuilder::new().build_p1(), output: Output::Discard }
    }

    /// A quiet host that keeps what `spectest` prints, for [`Host::printed`].
    pub(super) fn printing() -> Host {
        Host { output: Output::Capture(MemoryOutputPipe::new(usize::MAX)), ..Host::quiet() }
    }

    /// What `spectest` printed so far (empty unless the host keeps it).
    pub fn printed(&self) -> String {
        match &self.output {
            Output::Capture(pipe) => String::from_utf8_lossy(&pipe.contents()).into_owned(),
            _ => String::new(),
        }
    }
}

/// Where the guest's output goes.
pub(super) enum Output {
    Inherit,
    Capture(MemoryOutputPipe),
    Discard,
}

impl Output {
    pub(super) fn write_stdout(&mut self, bytes: &[u8]) {
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
            Output::Discard => {}
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

/// Runs the loaded module on `engine` as `options` say: links WASI and `spectest`, sets the
/// limits, calls the entry point and collects the outcome or names the failure.
pub(super) fn run_loaded(
    engine: &Engine,
    loaded: &Loaded,
    options: &RunOptions,
    name: &str,
) -> Result<RunOutcome, RunError> {
    let fail = |kind| RunError::new(name, kind);
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
    let mut store = Store::new(engine, Host { wasi: wasi.build_p1(), output });
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
            Some(Timer::start(engine, timeout).map_err(fail)?)
        }
        None => None,
    };

    let mut linker: Linker<Host> = Linker::new(engine);
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
    let result = execute(&mut store, &pre, loaded, options, &mut instance);
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
                error.inner.backtrace = backtrace(&err, loaded, name);
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
