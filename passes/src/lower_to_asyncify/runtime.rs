//! Merges the runtime (`runtime.wat`) into the module being lowered and generates the parts
//! that depend on it: one trampoline per function type that continuations start, the table
//! of trampolines, and a scratch table for `call_ref`.

use super::Erasure;
use std::collections::BTreeMap;
use wasmfx_ir::*;

const RUNTIME_WAT: &str = include_str!("runtime.wat");

/// The runtime's functions, globals and tables, by role, once merged.
pub(crate) struct Runtime {
    pub state: GlobalId,
    pub current: GlobalId,
    pub tag: GlobalId,
    pub kind: GlobalId,
    pub switch_slot: GlobalId,
    pub switch_len: GlobalId,
    pub throw_kind: GlobalId,
    pub throw_tag: GlobalId,
    pub transfer_size: GlobalId,
    pub transfer_start: GlobalId,
    pub fiber_funcs: TableId,
    pub scratch: TableId,
    pub tramps: TableId,
    pub memory: MemoryId,
    pub trap_null: FuncId,
    pub trap_unhandled: FuncId,
    pub new: FuncId,
    pub take: FuncId,
    pub handle: FuncId,
    pub release: FuncId,
    pub state_of: FuncId,
    pub set_state: FuncId,
    pub tramp_of: FuncId,
    pub transfer: FuncId,
    pub push: FuncId,
    pub pop: FuncId,
    pub top: FuncId,
    pub bind: FuncId,
    pub unbind: FuncId,
    pub unbind_after: FuncId,
    pub fref_put: FuncId,
    pub fref_take: FuncId,
    pub xref_put: FuncId,
    pub xref_take: FuncId,
    /// Present when the program uses exception handling.
    pub eref_put: Option<FuncId>,
    pub eref_take: Option<FuncId>,
    pub memory_size: FuncId,
    pub memory_grow: FuncId,
    pub ctab_get: FuncId,
    pub ctab_set: FuncId,
    pub ctab_size: FuncId,
    pub ctab_grow: FuncId,
    pub ctab_fill: FuncId,
    pub ctab_copy: FuncId,
    /// Trampoline table index for each function type continuations start.
    pub tramp_index: BTreeMap<TypeId, u32>,
    /// The trampolines' own functions, which must not be rewritten.
    pub tramp_funcs: Vec<FuncId>,
}

pub(crate) const STATE_UNWINDING: i32 = 1;
pub(crate) const STATE_REWINDING: i32 = 2;
pub(crate) const FIBER_SUSPENDED: i32 = 2;
pub(crate) const FIBER_RUNNING: i32 = 3;
pub(crate) const KIND_SWITCH: i32 = 1;
pub(crate) const THROW_TAG: i32 = 1;
pub(crate) const THROW_REF: i32 = 2;

fn by_name<K: EntityId, V>(
    items: &EntityVec<K, V>,
    name: impl Fn(&V) -> &Option<String>,
) -> BTreeMap<String, K> {
    items.iter().filter_map(|(id, v)| name(v).clone().map(|n| (n, id))).collect()
}

/// The runtime's text, with its reference-slot template instantiated for funcref and
/// externref, and exnref when the program uses exception handling.
fn runtime_source(with_exnref: bool) -> String {
    let begin = RUNTIME_WAT.find(";; @ref-slots-begin").expect("template start");
    let end = RUNTIME_WAT.find(";; @ref-slots-end").expect("template end");
    let template = &RUNTIME_WAT[begin..end];
    let mut kinds = vec![("fref", "funcref", "func"), ("xref", "externref", "extern")];
    if with_exnref {
        kinds.push(("eref", "exnref", "exn"));
    }
    let mut source = RUNTIME_WAT[..begin].to_string();
    for (kind, ty, null) in kinds {
        source.push_str(&template.replace("REFKIND", kind).replace("REFTYPE", ty).replace("REFNULL", null));
    }
    source.push_str(&RUNTIME_WAT[end..]);
    source
}

/// Merges the runtime into `module`, in memory 0 (created if absent).
pub(crate) fn merge_runtime(module: &mut Module, with_exnref: bool) -> Result<Runtime> {
    let bytes = text::parse_text(&runtime_source(with_exnref))?;
    let rt = Module::from_bytes(&bytes, validate::default_features())?;
    let funcs = by_name(&rt.funcs, |f| &f.name);
    let globals = by_name(&rt.globals, |g| &g.name);
    let tables = by_name(&rt.tables, |t| &t.name);
    if module.memories.is_empty() {
        module.add_memory(wasmparser::MemoryType {
            memory64: false,
            shared: false,
            initial: 0,
            maximum: None,
            page_size_log2: None,
        });
    }
    let memory = MemoryId::new(0);
    let map = module.merge(rt, &|_| memory)?;
    let f = |n: &str| map.funcs[funcs[n].index()];
    let g = |n: &str| map.globals[globals[n].index()];
    let t = |n: &str| map.tables[tables[n].index()];
    let scratch = module.add_table(
        TableType { element: RefType::FUNCREF, table64: false, initial: 1, maximum: None, shared: false },
        None,
    );
    let tramps = module.add_table(
        TableType { element: RefType::FUNCREF, table64: false, initial: 0, maximum: None, shared: false },
        None,
    );
    Ok(Runtime {
        state: g("state"),
        current: g("current"),
        tag: g("tag"),
        kind: g("kind"),
        switch_slot: g("switch_slot"),
        switch_len: g("switch_len"),
        throw_kind: g("throw_kind"),
        throw_tag: g("throw_tag"),
        transfer_size: g("transfer_size"),
        transfer_start: g("transfer_start"),
        fiber_funcs: t("fiber_funcs"),
        scratch,
        tramps,
        memory,
        trap_null: f("wasmfx.trap.null_reference"),
        trap_unhandled: f("wasmfx.trap.unhandled_tag"),
        new: f("wasmfx.rt.new"),
        take: f("wasmfx.rt.take"),
        handle: f("wasmfx.rt.handle"),
        release: f("wasmfx.rt.release"),
        state_of: f("wasmfx.rt.state_of"),
        set_state: f("wasmfx.rt.set_state"),
        tramp_of: f("wasmfx.rt.tramp_of"),
        transfer: f("wasmfx.rt.transfer"),
        push: f("wasmfx.rt.push"),
        pop: f("wasmfx.rt.pop"),
        top: f("wasmfx.rt.top"),
        bind: f("wasmfx.rt.bind"),
        unbind: f("wasmfx.rt.unbind"),
        unbind_after: f("wasmfx.rt.unbind_after"),
        fref_put: f("wasmfx.rt.fref_put"),
        fref_take: f("wasmfx.rt.fref_take"),
        xref_put: f("wasmfx.rt.xref_put"),
        xref_take: f("wasmfx.rt.xref_take"),
        eref_put: funcs.get("wasmfx.rt.eref_put").map(|id| map.funcs[id.index()]),
        eref_take: funcs.get("wasmfx.rt.eref_take").map(|id| map.funcs[id.index()]),
        memory_size: f("wasmfx.rt.memory_size"),
        memory_grow: f("wasmfx.rt.memory_grow"),
        ctab_get: f("wasmfx.rt.ctab_get"),
        ctab_set: f("wasmfx.rt.ctab_set"),
        ctab_size: f("wasmfx.rt.ctab_size"),
        ctab_grow: f("wasmfx.rt.ctab_grow"),
        ctab_fill: f("wasmfx.rt.ctab_fill"),
        ctab_copy: f("wasmfx.rt.ctab_copy"),
        tramp_index: BTreeMap::new(),
        tramp_funcs: Vec::new(),
    })
}

/// Adds a trampoline for each function type in `started` and the table that holds them.
/// A trampoline `(param $slot i32) (result t2*)` starts (or, while rewinding, re-enters) the
/// continuation in `slot`: it reads the function's arguments from the transfer area (dummies
/// while rewinding, when the frames restore their own locals) and calls the function through
/// the continuation's entry in `fiber_funcs`.
pub(crate) fn add_trampolines(
    module: &mut Module,
    rt: &mut Runtime,
    erasure: &Erasure,
    started: &[TypeId],
) -> Result<()> {
    let mut elems = Vec::new();
    for (i, &ft) in started.iter().enumerate() {
        let sig = erasure.func_type(module, ft);
        let tramp_ty = module.add_func_type(&[ValType::I32], &sig.results);
        let mut body = FuncBody::new(&[ValType::I32]);
        let slot = LocalId::new(0);
        let addr = body.add_local(ValType::I32);
        let then = body.add_seq();
        let else_ = body.add_seq();
        let mut load =
            vec![Instr::Call { function_index: rt.transfer }, Instr::LocalSet { local_index: addr }];
        let mut offset = 0u64;
        for &p in &sig.params {
            load.extend(super::rewrite::load_value(rt, addr, offset, p)?);
            offset += super::rewrite::transfer_size(p) as u64;
        }
        body.instrs_mut(then).extend(load);
        body.instrs_mut(else_).extend(sig.params.iter().map(|&p| super::rewrite::default_value(p)));
        let params_ty = module.add_func_type(&[], &sig.params);
        let entry = body.entry;
        body.instrs_mut(entry).extend([
            Instr::GlobalGet { global_index: rt.state },
            Instr::I32Eqz,
            Instr::If { blockty: IfBody { ty: BlockType::Func(params_ty), then, else_: Some(else_) } },
            Instr::LocalGet { local_index: slot },
            Instr::CallIndirect { type_index: ft, table_index: rt.fiber_funcs },
        ]);
        let f = module.add_function(tramp_ty, body);
        module.funcs[f].name = Some(format!("wasmfx.trampoline.{}", ft.as_u32()));
        rt.tramp_index.insert(ft, i as u32);
        rt.tramp_funcs.push(f);
        elems.push(f);
    }
    module.tables[rt.tramps].ty.initial = elems.len() as u64;
    if !elems.is_empty() {
        module.elems.push(ElemData {
            mode: ElemMode::Active {
                table: rt.tramps,
                explicit_table: true,
                offset: vec![Instr::I32Const { value: 0 }],
            },
            items: ElemItems::Functions(elems),
            name: None,
        });
    }
    Ok(())
}
