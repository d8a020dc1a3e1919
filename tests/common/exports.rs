//! Calling a module's zero-parameter exports and printing what they did, to compare two runs
//! of one module (before and after a pass, natively and lowered): shared by the tests and the
//! fuzz targets, so it uses nothing but Wasmtime.

use wasmtime::{Extern, Instance, Module, Store, Val};

/// Calls every zero-parameter export of `instance` once, in export order, and prints each
/// outcome as `NAME: RESULTS` or `NAME: trap: CAUSE`. `cause` says a failure in the terms both
/// runs share, or `None` when it makes the runs incomparable (then so is the whole call).
pub fn call_exports<T>(
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
