//! Calling a module's zero-parameter exports and printing what they did, to compare two runs
//! of one module (before and after a pass, natively and lowered), on the `spectest` host
//! `wasmfx-run` links: shared by the tests and the fuzz targets (which include this file).

use wasmfx_cli::run::{lowered_trap_text, spectest_host};
use wasmtime::{Engine, Extern, Instance, Module, Store, Val};

/// Compiles `bytes` for `engine`, instantiates it with the runner's `spectest` host (with
/// `fuel`, if given) and calls every zero-parameter export ([`call_exports`]); a failed
/// instantiation is the one outcome, `instantiation failed: CAUSE`. `Err` when the module does
/// not compile.
pub fn run_exports(
    engine: &Engine,
    bytes: &[u8],
    fuel: Option<u64>,
    cause: impl Fn(&wasmtime::Error) -> Option<String>,
) -> Result<Option<Vec<String>>, String> {
    let module = Module::new(engine, bytes).map_err(|e| format!("compile: {e:#}"))?;
    let (mut store, linker) = spectest_host(engine).map_err(|e| format!("link: {e:#}"))?;
    if let Some(fuel) = fuel {
        store.set_fuel(fuel).map_err(|e| format!("fuel: {e:#}"))?;
    }
    let instance = match linker.instantiate(&mut store, &module) {
        Ok(i) => i,
        Err(e) => return Ok(cause(&e).map(|cause| vec![format!("instantiation failed: {cause}")])),
    };
    Ok(call_exports(&mut store, &module, &instance, cause))
}

/// A trap's message as Wasmtime words it natively (`wasm trap: ...`), also when the lowered
/// runtime raised it through a `wasmfx.trap.*` function; `None` when `e` is not a trap.
pub fn trap_text(e: &wasmtime::Error) -> Option<String> {
    if let Some(text) = lowered_trap_text(e) {
        return Some(format!("wasm trap: {text}"));
    }
    e.downcast_ref::<wasmtime::Trap>().map(|trap| trap.to_string())
}

/// Calls every zero-parameter export of `instance` once, in export order, and prints each
/// outcome as `NAME: RESULTS` or `NAME: trap: CAUSE`. `cause` says a failure in the terms both
/// runs share, or `None` when it makes the runs incomparable (then so is the whole call).
fn call_exports<T>(
    store: &mut Store<T>,
    module: &Module,
    instance: &Instance,
    cause: impl Fn(&wasmtime::Error) -> Option<String>,
) -> Option<Vec<String>> {
    let mut outcomes = Vec::new();
    for export in module.exports() {
        let Some(Extern::Func(func)) = instance.get_export(&mut *store, export.name()) else {
            continue;
        };
        let ty = func.ty(&*store);
        if ty.params().len() != 0 {
            continue;
        }
        let mut results = vec![Val::I32(0); ty.results().len()];
        let outcome = match func.call(&mut *store, &[], &mut results) {
            Ok(()) => results.iter().map(show).collect::<Vec<_>>().join(" "),
            Err(e) => format!("trap: {}", cause(&e)?),
        };
        outcomes.push(format!("{}: {outcome}", export.name()));
    }
    Some(outcomes)
}

/// `TYPE:VALUE`, floats as their bits.
fn show(v: &Val) -> String {
    match v {
        Val::I32(x) => format!("i32:{x}"),
        Val::I64(x) => format!("i64:{x}"),
        Val::F32(x) => format!("f32:{x:#x}"),
        Val::F64(x) => format!("f64:{x:#x}"),
        Val::V128(x) => format!("v128:{:#x}", x.as_u128()),
        Val::FuncRef(f) => format!("funcref:{}", if f.is_some() { "func" } else { "null" }),
        Val::ExternRef(r) => format!("externref:{}", if r.is_some() { "some" } else { "null" }),
        Val::AnyRef(r) => format!("anyref:{}", if r.is_some() { "some" } else { "null" }),
        Val::ExnRef(r) => format!("exnref:{}", if r.is_some() { "some" } else { "null" }),
        Val::ContRef(r) => format!("contref:{}", if r.is_some() { "some" } else { "null" }),
    }
}
