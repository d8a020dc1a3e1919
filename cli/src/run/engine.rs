//! The one Wasmtime configuration: every proposal the IR reads, stack switching on for native
//! runs and off for lowered ones, the null collector, and the fuel, epoch and stack-size
//! settings a run asks for.

use wasmtime::{Collector, Config, Engine, Strategy, WasmBacktraceDetails};

use super::RunOptions;
use super::error::{ErrorKind, one_line};

/// Wasmtime's default `max_wasm_stack`, which must not exceed the continuation stack size.
const DEFAULT_MAX_WASM_STACK: usize = 512 * 1024;

/// The smallest `--stack-size` accepted: host calls made from a continuation (WASI's `fd_write`
/// among them) run on the continuation's stack and need room beyond the Wasm frames.
pub const MIN_STACK_SIZE: usize = 64 * 1024;

/// The version of the Wasmtime crate the runner embeds (the workspace pins it).
pub const WASMTIME_VERSION: &str = "48.0.8";

/// The engine configuration every run and precompilation uses.
pub fn engine(options: &RunOptions) -> Result<Engine, ErrorKind> {
    engine_with(options, options.lower)
}

/// The engine for `options`, with stack switching off if `lowered`.
pub(super) fn engine_with(options: &RunOptions, lowered: bool) -> Result<Engine, ErrorKind> {
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
