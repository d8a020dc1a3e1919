//! The one Wasmtime configuration: every proposal the IR reads, stack switching on for native
//! runs and off for lowered ones, the null collector natively and the DRC collector lowered,
//! and the fuel, epoch and stack-size settings a run asks for.

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

/// What may differ between the engines that run modules here; every other setting is fixed by
/// [`engine`], so that `wasmfx-run`, the tests and the fuzz targets run modules alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EngineOptions {
    /// Stack switching on: the native engine. Off for lowered modules, which run as a plain
    /// host runs them.
    pub stack_switching: bool,
    /// Meter fuel, so that a store can be given a budget (`Store::set_fuel`).
    pub fuel: bool,
    /// Epoch interruption, which the runner's timeout uses.
    pub epochs: bool,
    /// The native stack of each continuation, in bytes, at least [`MIN_STACK_SIZE`]; Wasmtime
    /// uses 2 MiB when `None`.
    pub stack_size: Option<usize>,
}

impl EngineOptions {
    /// Stack switching on, no fuel, no epochs, Wasmtime's stack size.
    pub const NATIVE: EngineOptions =
        EngineOptions { stack_switching: true, fuel: false, epochs: false, stack_size: None };

    /// As [`EngineOptions::NATIVE`] but with stack switching off, for lowered modules.
    pub const LOWERED: EngineOptions = EngineOptions { stack_switching: false, ..EngineOptions::NATIVE };

    /// The engine a run with `options` needs, with stack switching off if `lowered`.
    pub fn for_run(options: &RunOptions, lowered: bool) -> EngineOptions {
        EngineOptions {
            stack_switching: !lowered,
            fuel: options.fuel.is_some(),
            epochs: options.timeout.is_some(),
            stack_size: options.stack_size,
        }
    }
}

/// The one Wasmtime engine configuration, which every run, precompilation, test and fuzz target
/// uses: every proposal the IR reads, with stack switching as `options` say. Only a stack size
/// below [`MIN_STACK_SIZE`] (or one Wasmtime cannot use) is an error.
pub fn engine(options: EngineOptions) -> Result<Engine, ErrorKind> {
    let mut config = Config::new();
    config
        .strategy(Strategy::Cranelift)
        .wasm_function_references(true)
        .wasm_exceptions(true)
        .wasm_stack_switching(options.stack_switching)
        .wasm_gc(true)
        // The DRC collector panics when it runs while a continuation is suspended
        // (bytecodealliance/wasmtime#14239), so native runs use the null collector, which never
        // runs (a GC program allocates until its heap is full). Lowered modules have no native
        // continuations, so they get Wasmtime's default, the DRC collector, as a host without
        // stack switching would run them.
        .collector(if options.stack_switching {
            Collector::Null
        } else {
            Collector::DeferredReferenceCounting
        })
        .wasm_tail_call(true)
        .wasm_multi_memory(true)
        .wasm_memory64(true)
        .wasm_simd(true)
        .wasm_relaxed_simd(true)
        .wasm_threads(true)
        // Without it a module that defines a shared memory fails to instantiate.
        .shared_memory(true)
        .wasm_wide_arithmetic(true)
        .wasm_extended_const(true)
        .wasm_custom_page_sizes(true)
        // Symbolicating with DWARF would read offsets of the uninstrumented code.
        .wasm_backtrace_details(WasmBacktraceDetails::Disable)
        .consume_fuel(options.fuel)
        .epoch_interruption(options.epochs);
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
    // `WASMFX_PERFMAP=1`: a perf map for profiling the generated code with `perf`; nothing
    // else about the engine changes, so profiles show what the benchmarks run.
    if std::env::var_os("WASMFX_PERFMAP").is_some() {
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    Engine::new(&config).map_err(|e| ErrorKind::Options(one_line(&e)))
}
