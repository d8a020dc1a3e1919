//! Fuzzes `--lower-to-asyncify` for totality and behaviour: every module built from the input
//! (a random-generator program or a `wasm-smith` module with stack switching inserted, see
//! `common`) must lower, or be refused as unsupported, never panic or fail internally, and
//! give a module valid with stack switching off. The input and its lowering then run with
//! fuel, natively (stack switching on) and lowered (off), and must behave the same: the
//! generator's programs print the same and end the same way, the `wasm-smith` module's
//! zero-parameter exports return the same values or trap the same. The lowered module is
//! also optimised with `-O2` (validated after every pass), and runs the same again.
#![no_main]

mod common;
#[path = "../../tests/common/exports.rs"]
mod exports;

use common::Source;
use libfuzzer_sys::fuzz_target;
use wasmfx_cli::run::EngineOptions;

/// Enough for the generator's programs (which terminate by construction) and far more than a
/// fuzzing run wants to spend on one input.
const FUEL: u64 = 20_000_000;

fuzz_target!(|data: &[u8]| {
    let Some((source, bytes)) = common::module_from_bytes(data) else { return };
    let lowered = match common::lower(&bytes) {
        Ok(Some(lowered)) => lowered,
        Ok(None) => return,
        Err(e) => panic!("the lowering failed: {e}"),
    };
    let optimized = optimize(&lowered);
    match source {
        Source::Generator => {
            let native = run_command(&bytes, false);
            let low = run_command(&lowered, true);
            if native.contains("fuel") || low.contains("fuel") {
                return;
            }
            assert_eq!(native, low, "native and lowered runs differ");
            let opt = run_command(&optimized, true);
            // The optimised module may use less fuel, never more than the budget's difference.
            if !opt.contains("fuel") {
                assert_eq!(native, opt, "native and lowered -O2 runs differ");
            }
        }
        Source::Smith => {
            let (Some(native), Some(low)) = (run_exports(&bytes, true), run_exports(&lowered, false)) else {
                return;
            };
            assert_eq!(native, low, "native and lowered exports differ");
            if let Some(opt) = run_exports(&optimized, false) {
                assert_eq!(native, opt, "native and lowered -O2 exports differ");
            }
        }
    }
});

/// The lowered module optimised with `-O2`'s passes, validated after each: the optimiser
/// must be total on the lowering's output (no panic, no internal error, a valid module).
fn optimize(lowered: &[u8]) -> Vec<u8> {
    let features = wasmfx_ir::validate::default_features();
    let mut module = wasmfx_ir::Module::from_bytes(lowered, features).expect("the lowered module reads");
    let mut runner = wasmfx_passes::PassRunner::new();
    runner.debug = true;
    for pass in wasmfx_passes::pipelines::pipeline("2").unwrap_or_default() {
        runner.add(pass).expect("a registered pass");
    }
    let out = runner.run(&mut module, features).unwrap_or_else(|e| panic!("-O2 failed: {e}"));
    module.to_valid_bytes(out).unwrap_or_else(|e| panic!("the -O2 output is invalid: {e}"))
}

/// A generator program run as `wasmfx-run` would (`lowered`: the lowered module, with stack
/// switching off): its output, exit code and error, as one string.
fn run_command(bytes: &[u8], lowered: bool) -> String {
    use wasmfx_cli::run::{ModuleSource, RunOptions, run};
    let mut options =
        RunOptions::new(ModuleSource::Bytes { name: "fuzz.wasm".into(), bytes: bytes.to_vec() });
    options.capture_output = true;
    options.stdin = Some(Vec::new());
    options.fuel = Some(FUEL);
    // The lowered module has no stack switching left; `lower` would lower it again (a no-op)
    // and run it with stack switching off, as a plain host would.
    options.lower = lowered;
    match run(&options) {
        Ok(o) => format!(
            "{}{}exit {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
            o.exit_code
        ),
        Err(e) => format!(
            "{}{}error {} {}",
            String::from_utf8_lossy(e.stdout()),
            String::from_utf8_lossy(e.stderr()),
            e.exit_code(),
            e.kind()
        ),
    }
}

/// Every zero-parameter export called once, with fuel, in export order: results or trap.
/// `None` when the module cannot be compared (out of fuel, or natively out of continuation
/// stacks, which Wasmtime keeps until the store drops).
fn run_exports(bytes: &[u8], stack_switching: bool) -> Option<Vec<String>> {
    let options = EngineOptions { stack_switching, fuel: true, ..EngineOptions::NATIVE };
    let engine = wasmfx_cli::run::engine(options).expect("a supported configuration");
    exports::run_exports(&engine, bytes, Some(FUEL), cause).expect("valid modules compile")
}

/// A trap's message in terms both worlds share; `None` for the endings that cannot be compared.
fn cause(e: &wasmtime::Error) -> Option<String> {
    if let Some(wasmtime::Trap::OutOfFuel) = e.downcast_ref::<wasmtime::Trap>() {
        return None;
    }
    if let Some(text) = exports::trap_text(e) {
        return Some(text);
    }
    let text = format!("{e:#}");
    if text.contains("fuel") || text.contains("stack") || text.contains("continuation") {
        None
    } else {
        Some(text)
    }
}
