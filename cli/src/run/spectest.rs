//! The `spectest` host module of the WebAssembly reference interpreter: print functions, and
//! globals, a table and a memory to import, so that spec-style test modules run unchanged.
//! The runner links it beside WASI; [`spectest_host`] gives it to the tests and fuzz targets,
//! which instantiate modules and call their exports themselves.

use wasmtime::{
    Caller, Engine, Global, GlobalType, Linker, Memory, MemoryType, Mutability, Ref, RefType, Store, Table,
    TableType, Val, ValType,
};

use super::Value;
use super::execute::Host;

/// Prints one value per line the way the reference interpreter does: `42 : i32`.
fn print(caller: &mut Caller<'_, Host>, values: &[Value]) {
    let mut text = String::new();
    for value in values {
        text.push_str(&format!("{value} : {}\n", value.type_name()));
    }
    caller.data_mut().output.write_stdout(text.as_bytes());
}

/// Defines the `spectest` module in `linker`, with its globals, table and memory in `store`.
pub(super) fn define(linker: &mut Linker<Host>, store: &mut Store<Host>) -> wasmtime::Result<()> {
    const M: &str = "spectest";
    linker.func_wrap(M, "print", |mut c: Caller<'_, Host>| print(&mut c, &[]))?;
    linker.func_wrap(M, "print_i32", |mut c: Caller<'_, Host>, x: i32| print(&mut c, &[Value::I32(x)]))?;
    linker.func_wrap(M, "print_i64", |mut c: Caller<'_, Host>, x: i64| print(&mut c, &[Value::I64(x)]))?;
    linker.func_wrap(M, "print_f32", |mut c: Caller<'_, Host>, x: f32| {
        print(&mut c, &[Value::F32(x.to_bits())])
    })?;
    linker.func_wrap(M, "print_f64", |mut c: Caller<'_, Host>, x: f64| {
        print(&mut c, &[Value::F64(x.to_bits())])
    })?;
    linker.func_wrap(M, "print_i32_f32", |mut c: Caller<'_, Host>, x: i32, y: f32| {
        print(&mut c, &[Value::I32(x), Value::F32(y.to_bits())])
    })?;
    linker.func_wrap(M, "print_f64_f64", |mut c: Caller<'_, Host>, x: f64, y: f64| {
        print(&mut c, &[Value::F64(x.to_bits()), Value::F64(y.to_bits())])
    })?;

    let constant = |ty| GlobalType::new(ty, Mutability::Const);
    let globals = [
        ("global_i32", ValType::I32, Val::I32(666)),
        ("global_i64", ValType::I64, Val::I64(666)),
        ("global_f32", ValType::F32, Val::F32(666.6f32.to_bits())),
        ("global_f64", ValType::F64, Val::F64(666.6f64.to_bits())),
    ];
    for (name, ty, value) in globals {
        let global = Global::new(&mut *store, constant(ty), value)?;
        linker.define(&*store, M, name, global)?;
    }
    let table = Table::new(&mut *store, TableType::new(RefType::FUNCREF, 10, Some(20)), Ref::Func(None))?;
    linker.define(&*store, M, "table", table)?;
    let memory = Memory::new(&mut *store, MemoryType::new(1, Some(2)))?;
    linker.define(&*store, M, "memory", memory)?;
    Ok(())
}

/// A store of `engine` and a linker that provides `spectest` and nothing else, its prints
/// discarded: for instantiating a module and calling its exports directly, as the tests and
/// the fuzz targets do, with the host `wasmfx-run` links.
pub fn spectest_host(engine: &Engine) -> wasmtime::Result<(Store<Host>, Linker<Host>)> {
    host_with(engine, Host::quiet())
}

/// As [`spectest_host`], but what the module prints is kept ([`Host::printed`]): for tests
/// that compare what two runs print.
pub fn spectest_printing_host(engine: &Engine) -> wasmtime::Result<(Store<Host>, Linker<Host>)> {
    host_with(engine, Host::printing())
}

fn host_with(engine: &Engine, host: Host) -> wasmtime::Result<(Store<Host>, Linker<Host>)> {
    let mut store = Store::new(engine, host);
    let mut linker = Linker::new(engine);
    define(&mut linker, &mut store)?;
    Ok((store, linker))
}
