//! How the tests and the fuzz targets print a Wasm value to compare two runs: references only by
//! kind and nullness, since their identity differs between worlds. Uses nothing but Wasmtime,
//! so that `fuzz/` can include it too.

use wasmtime::Val;

/// `TYPE:VALUE`, floats as their bits.
pub fn show(v: &Val) -> String {
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
