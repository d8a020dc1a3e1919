//! The editing API builds and changes modules that then run: a function built from scratch
//! (with a global, locals, a loop and a branch named by sequence id), and a splice into a
//! function read from text.

mod common;

use common::*;
use wasmfx::ir::*;

#[test]
fn build_a_counting_loop_from_scratch() {
    let mut m = Module::new();
    let ty = m.add_func_type(&[ValType::I32], &[ValType::I32]);
    let total = m.add_global(
        GlobalType { content: ValType::I32, mutable: true, shared: false },
        vec![Instr::I32Const { value: 0 }],
    );
    let mut body = FuncBody::new(&[ValType::I32]);
    let n = LocalId::new(0);
    let i = body.add_local(ValType::I32);
    // block $done (loop $again (br_if $done (i >= n)) (total += i) (i += 1) (br $again))
    let done = body.add_seq();
    let again = body.add_seq();
    body.instrs_mut(again).extend([
        Instr::LocalGet { local_index: i },
        Instr::LocalGet { local_index: n },
        Instr::I32GeS,
        Instr::BrIf { relative_depth: done },
        Instr::GlobalGet { global_index: total },
        Instr::LocalGet { local_index: i },
        Instr::I32Add,
        Instr::GlobalSet { global_index: total },
        Instr::LocalGet { local_index: i },
        Instr::I32Const { value: 1 },
        Instr::I32Add,
        Instr::LocalSet { local_index: i },
        Instr::Br { relative_depth: again },
    ]);
    body.instrs_mut(done).push(Instr::Loop { blockty: Body { ty: BlockType::Empty, seq: again } });
    let entry = body.entry;
    body.instrs_mut(entry).extend([
        Instr::Block { blockty: Body { ty: BlockType::Empty, seq: done } },
        Instr::GlobalGet { global_index: total },
    ]);
    let f = m.add_function(ty, body);
    m.add_export("sum_below", ExternItem::Func(f));

    let bytes = m.to_valid_bytes(features()).expect("the built module is valid");
    let engine = engine();
    let module = wasmtime::Module::new(&engine, &bytes).unwrap();
    let mut store = wasmtime::Store::new(&engine, ());
    let instance = wasmtime::Instance::new(&mut store, &module, &[]).unwrap();
    let sum = instance.get_typed_func::<i32, i32>(&mut store, "sum_below").unwrap();
    assert_eq!(sum.call(&mut store, 10).unwrap(), 45);
}

#[test]
fn splice_instructions_into_a_read_function() {
    let text = r#"(module (func (export "f") (result i32) (i32.const 20) (i32.const 1) (i32.add)))"#;
    let mut m = Module::from_bytes(&wat::parse_str(text).unwrap(), features()).unwrap();
    let f = match m.export("f") {
        Some(ExternItem::Func(f)) => f,
        other => panic!("{other:?}"),
    };
    let body = m.body_mut(f).unwrap();
    let entry = body.entry;
    // Double the first operand: 20 becomes (20 * 2).
    let removed = body.splice(entry, 1..1, [Instr::I32Const { value: 2 }, Instr::I32Mul]);
    assert!(removed.is_empty());
    assert_eq!(run_exports(&engine(), &m.to_valid_bytes(features()).unwrap()).unwrap(), vec!["f: i32:41"]);
}
