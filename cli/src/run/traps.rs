//! Naming what went wrong in a failed execution: Wasmtime's traps, the lowered runtime's
//! `wasmfx.trap.*` functions (reported in the words Wasmtime uses for the same failure
//! natively), running out of continuation stacks, fuel or time; and the Wasm backtrace, with
//! offsets in the file the user ran.

use std::path::Path;

use wasmfx_passes::lower_to_asyncify::Trap as LoweredTrap;
use wasmtime::{Trap, WasmBacktrace};

use super::RunOptions;
use super::error::{ErrorKind, one_line};
use super::load::Loaded;

/// For a trap raised by the runtime of `--lower-to-asyncify` (which traps through functions
/// named `wasmfx.trap.KIND`), the text of the trap Wasmtime raises for the same failure
/// natively, so that native and lowered runs can be compared.
pub fn lowered_trap_text(err: &wasmtime::Error) -> Option<&'static str> {
    lowered_trap_of(err).map(|trap| trap.message)
}

fn lowered_trap_of(err: &wasmtime::Error) -> Option<&'static LoweredTrap> {
    let frame = err.downcast_ref::<WasmBacktrace>()?.frames().first()?;
    wasmfx_passes::lower_to_asyncify::trap_of_function(frame.func_name()?)
}

/// How `wasmfx-run` reports the lowered runtime's trap `trap`: as the native run reports the
/// same failure. (The Node.js harness's table, `tests/node/traps.json`, is generated from this.)
pub fn lowered_trap_kind(trap: &LoweredTrap) -> ErrorKind {
    match trap.name {
        "unhandled_tag" => ErrorKind::UnhandledTag,
        _ => ErrorKind::Trap(trap.message.to_string()),
    }
}

fn lowered_trap(err: &wasmtime::Error) -> Option<ErrorKind> {
    lowered_trap_of(err).map(lowered_trap_kind)
}

/// Names what went wrong in a failed execution.
pub(super) fn classify(err: &wasmtime::Error, options: &RunOptions, continuations: Option<u64>) -> ErrorKind {
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
pub(super) fn backtrace(err: &wasmtime::Error, loaded: &Loaded, name: &str) -> Vec<String> {
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
