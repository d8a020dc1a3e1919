//! Phase 2, the runtime: merges `runtime.wat` into the module being lowered, binds its
//! functions, globals and tables by name with their types checked (see `contract.rs`), and
//! generates the parts that depend on the program: one trampoline per function type that
//! `cont.new` starts (a direct call of the function when every `cont.new` of that type is
//! given the same one) and the table of them, a scratch table for `call_ref`, and the
//! function that raises an exception a `resume_throw` left pending. After the rewrites,
//! [`remove_unused_runtime`] drops every runtime function, global and table the lowered
//! program does not use, so a program pays only for the parts of the runtime it needs.

use super::analysis::Analysis;
use super::contract::{self, THROW_REF, THROW_TAG, TRAP_PREFIX, TRAPS};
use super::erasure::Erasure;
use super::frames::{load_value, transfer_size};
use super::shared::{self, Shared};
use crate::remove_unused_module_elements::{Removable, remove_unused_of};
use std::collections::{BTreeMap, BTreeSet};
use wasmfx_ir::*;

const RUNTIME_WAT: &str = include_str!("runtime.wat");
/// What separate lowering adds to the runtime (see `shared.rs`).
const SHARED_RUNTIME_WAT: &str = include_str!("shared_runtime.wat");

/// The runtime's functions, globals and tables, by role, once merged.
pub(crate) struct Runtime {
    pub state: GlobalId,
    pub current: GlobalId,
    /// The current continuation's save-stack top and buffer end (absolute addresses).
    pub sp: GlobalId,
    /// The absolute addresses of the transfer area and of continuation record 0, valid once
    /// a continuation exists (code that may run before uses `transfer`, which creates them).
    pub transfer_addr: GlobalId,
    pub records: GlobalId,
    pub sp_limit: GlobalId,
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
    /// The trap after a call the lists said cannot suspend that came back unwinding.
    pub trap_unlisted: FuncId,
    pub new: FuncId,
    /// `new` for a function type whose trampoline calls its one function directly: no funcref.
    pub new_known: FuncId,
    pub take: FuncId,
    pub handle: FuncId,
    pub release: FuncId,
    pub transfer: FuncId,
    /// Makes a continuation current (never set `current` directly: the save stack is cached).
    pub set_current: FuncId,
    pub grow_stack: FuncId,
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
    /// Present when the program uses GC: slots for the `any` hierarchy (structs, arrays,
    /// `i31`, `eq`...), as `anyref`.
    pub aref_put: Option<FuncId>,
    pub aref_take: Option<FuncId>,
    /// The program's struct and array types, whose references go in the `anyref` slots (every
    /// other concrete type is a function type, whose references go in the `funcref` ones).
    pub any_types: BTreeSet<TypeId>,
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
    /// The function that raises the exception a `resume_throw` left pending (when the program
    /// uses exceptions).
    pub rethrow_pending: Option<FuncId>,
    /// Everything the runtime added, which [`remove_unused_runtime`] may remove.
    pub added: Removable,
    /// In separate lowering, what binds the module to the shared runtime and its peers.
    pub shared: Option<Shared>,
}

/// The named entities of `items`, each with what `info` takes of it.
fn by_name<K: EntityId, V, T>(
    items: &EntityVec<K, V>,
    name: impl Fn(&V) -> &Option<String>,
    info: impl Fn(K, &V) -> T,
) -> BTreeMap<String, (K, T)> {
    items.iter().filter_map(|(id, v)| name(v).clone().map(|n| (n, (id, info(id, v))))).collect()
}

/// The runtime's text, with its reference-slot template instantiated for funcref and
/// externref, exnref when the program uses exception handling, and anyref when it uses GC,
/// and with separate lowering's additions when `shared`.
pub(crate) fn runtime_source(with_exnref: bool, with_anyref: bool, shared: bool) -> String {
    let begin = RUNTIME_WAT.find(";; @ref-slots-begin").expect("template start");
    let end = RUNTIME_WAT.find(";; @ref-slots-end").expect("template end");
    let template = &RUNTIME_WAT[begin..end];
    let mut kinds = vec![("fref", "funcref", "func"), ("xref", "externref", "extern")];
    if with_exnref {
        kinds.push(("eref", "exnref", "exn"));
    }
    if with_anyref {
        kinds.push(("aref", "anyref", "any"));
    }
    let mut source = RUNTIME_WAT[..begin].to_string();
    for (kind, ty, null) in kinds {
        source.push_str(&template.replace("REFKIND", kind).replace("REFTYPE", ty).replace("REFNULL", null));
    }
    let rest = &RUNTIME_WAT[end..];
    if shared {
        let close = rest.rfind(')').expect("the module's closing parenthesis");
        source.push_str(&rest[..close]);
        source.push_str(SHARED_RUNTIME_WAT);
        source.push_str(&rest[close..]);
    } else {
        source.push_str(rest);
    }
    source
}

/// The runtime's entities by name, with their ids before merging and the types they are
/// checked against, and where the merge put them.
pub(crate) struct Bindings {
    map: MergeMap,
    funcs: BTreeMap<String, (FuncId, FuncType)>,
    globals: BTreeMap<String, (GlobalId, GlobalType)>,
    tables: BTreeMap<String, (TableId, ())>,
}

impl Bindings {
    /// The merged id of the runtime function `name`, checked to have type `params -> results`.
    pub(crate) fn func(&self, name: &str, params: &[ValType], results: &[ValType]) -> Result<FuncId> {
        let (id, ty) = self
            .funcs
            .get(name)
            .ok_or_else(|| Error::internal(format!("runtime.wat has no function ${name}")))?;
        if ty.params != params || ty.results != results {
            return Err(Error::internal(format!(
                "runtime.wat: ${name} has type {:?} -> {:?}, the pass calls it as {params:?} -> {results:?}",
                ty.params, ty.results
            )));
        }
        Ok(self.map.funcs[id.index()])
    }

    fn optional_func(&self, name: &str, params: &[ValType], results: &[ValType]) -> Result<Option<FuncId>> {
        if self.funcs.contains_key(name) { self.func(name, params, results).map(Some) } else { Ok(None) }
    }

    /// The merged id of the runtime's mutable `i32` global `name`.
    fn global(&self, name: &str) -> Result<GlobalId> {
        let (id, ty) = self
            .globals
            .get(name)
            .ok_or_else(|| Error::internal(format!("runtime.wat has no global ${name}")))?;
        if ty.content != ValType::I32 || !ty.mutable {
            return Err(Error::internal(format!("runtime.wat: ${name} is not a mutable i32 global")));
        }
        Ok(self.map.globals[id.index()])
    }

    /// Every named function, global and table of the runtime, where the merge put it (what a
    /// separately lowered module imports from the shared runtime instead).
    pub(crate) fn entities(&self) -> Vec<(ExternItem, String)> {
        let funcs =
            self.funcs.iter().map(|(n, (id, _))| (ExternItem::Func(self.map.funcs[id.index()]), n.clone()));
        let globals = self
            .globals
            .iter()
            .map(|(n, (id, _))| (ExternItem::Global(self.map.globals[id.index()]), n.clone()));
        let tables = self
            .tables
            .iter()
            .map(|(n, (id, ()))| (ExternItem::Table(self.map.tables[id.index()]), n.clone()));
        funcs.chain(globals).chain(tables).collect()
    }

    pub(crate) fn table(&self, name: &str) -> Result<TableId> {
        let (id, ()) = self
            .tables
            .get(name)
            .ok_or_else(|| Error::internal(format!("runtime.wat has no table ${name}")))?;
        Ok(self.map.tables[id.index()])
    }
}

/// Merges the runtime into `module`, in memory 0 (created if absent), and adds what depends
/// on the program: trampolines, the scratch table, the pending-exception raiser.
pub(crate) fn merge_runtime(module: &mut Module, analysis: &Analysis) -> Result<Runtime> {
    let shared = analysis.shared.is_some();
    let bytes = text::parse_text(&contract::instantiate(&runtime_source(
        analysis.uses_exceptions,
        analysis.erasure.gc,
        shared,
    ))?)?;
    let rt = Module::from_bytes(&bytes, validate::default_features())?;
    if shared {
        // The runtime's memory is the shared runtime's, a memory of its own (it becomes an
        // import at the end).
        module.add_memory(shared::RUNTIME_MEMORY);
    } else if module.memories.is_empty() {
        module.add_memory(wasmparser::MemoryType {
            memory64: false,
            shared: false,
            initial: 0,
            maximum: None,
            page_size_log2: None,
        });
    }
    let memory = if shared { MemoryId::new(module.memories.len() - 1) } else { MemoryId::new(0) };
    let (first_func, first_global, first_table) =
        (module.funcs.len(), module.globals.len(), module.tables.len());
    let funcs = by_name(&rt.funcs, |f| &f.name, |id, _| rt.func_type_of(id).clone());
    let globals = by_name(&rt.globals, |g| &g.name, |_, g| g.ty);
    let tables = by_name(&rt.tables, |t| &t.name, |_, _| ());
    let b = Bindings { map: module.merge(rt, &|_| memory)?, funcs, globals, tables };
    for trap in TRAPS {
        b.func(&format!("{TRAP_PREFIX}{}", trap.name), &[], &[])?;
    }
    use ValType::{I32, I64};
    let func_ref = ValType::Ref(RefType::FUNCREF);
    let extern_ref = ValType::Ref(RefType::EXTERNREF);
    let exn_ref = ValType::Ref(RefType {
        nullable: true,
        heap: HeapType::Abstract { shared: false, ty: AbstractHeapType::Exn },
    });
    let any_ref = ValType::Ref(RefType {
        nullable: true,
        heap: HeapType::Abstract { shared: false, ty: AbstractHeapType::Any },
    });
    let scratch = module.add_table(
        TableType { element: RefType::FUNCREF, table64: false, initial: 1, maximum: None, shared: false },
        None,
    );
    let tramps = if shared {
        b.table("tramps")?
    } else {
        module.add_table(
            TableType { element: RefType::FUNCREF, table64: false, initial: 0, maximum: None, shared: false },
            None,
        )
    };
    let mut runtime = Runtime {
        state: b.global("state")?,
        current: b.global("current")?,
        sp: b.global("sp")?,
        transfer_addr: b.global("transfer_addr")?,
        records: b.global("records")?,
        sp_limit: b.global("sp_limit")?,
        tag: b.global("tag")?,
        kind: b.global("kind")?,
        switch_slot: b.global("switch_slot")?,
        switch_len: b.global("switch_len")?,
        throw_kind: b.global("throw_kind")?,
        throw_tag: b.global("throw_tag")?,
        transfer_size: b.global("transfer_size")?,
        transfer_start: b.global("transfer_start")?,
        fiber_funcs: b.table("fiber_funcs")?,
        scratch,
        tramps,
        memory,
        trap_null: b.func("wasmfx.trap.null_reference", &[], &[])?,
        trap_unhandled: b.func("wasmfx.trap.unhandled_tag", &[], &[])?,
        trap_unlisted: b.func("wasmfx.trap.unlisted_suspend", &[], &[])?,
        new: b.func("wasmfx.rt.new", &[func_ref, I32], &[I64])?,
        new_known: b.func("wasmfx.rt.new_known", &[I32], &[I64])?,
        take: b.func("wasmfx.rt.take", &[I64], &[I32])?,
        handle: b.func("wasmfx.rt.handle", &[I32], &[I64])?,
        release: b.func("wasmfx.rt.release", &[I32], &[])?,
        transfer: b.func("wasmfx.rt.transfer", &[], &[I32])?,
        set_current: b.func("wasmfx.rt.set_current", &[I32], &[])?,
        grow_stack: b.func("wasmfx.rt.grow_stack", &[I32], &[])?,
        bind: b.func("wasmfx.rt.bind", &[I64, I32], &[I64])?,
        unbind: b.func("wasmfx.rt.unbind", &[I32], &[I32])?,
        unbind_after: b.func("wasmfx.rt.unbind_after", &[I32, I32], &[I32])?,
        fref_put: b.func("wasmfx.rt.fref_put", &[func_ref], &[I32])?,
        fref_take: b.func("wasmfx.rt.fref_take", &[I32], &[func_ref])?,
        xref_put: b.func("wasmfx.rt.xref_put", &[extern_ref], &[I32])?,
        xref_take: b.func("wasmfx.rt.xref_take", &[I32], &[extern_ref])?,
        eref_put: b.optional_func("wasmfx.rt.eref_put", &[exn_ref], &[I32])?,
        eref_take: b.optional_func("wasmfx.rt.eref_take", &[I32], &[exn_ref])?,
        aref_put: b.optional_func("wasmfx.rt.aref_put", &[any_ref], &[I32])?,
        aref_take: b.optional_func("wasmfx.rt.aref_take", &[I32], &[any_ref])?,
        any_types: module
            .types
            .iter()
            .filter(|(_, t)| {
                matches!(t.composite.inner, CompositeInner::Struct(_) | CompositeInner::Array(_))
            })
            .map(|(id, _)| id)
            .collect(),
        memory_size: b.func("wasmfx.rt.memory_size", &[], &[I32])?,
        memory_grow: b.func("wasmfx.rt.memory_grow", &[I32], &[I32])?,
        ctab_get: b.func("wasmfx.rt.ctab_get", &[I32, I32, I32, I32], &[I64])?,
        ctab_set: b.func("wasmfx.rt.ctab_set", &[I32, I64, I32, I32, I32], &[])?,
        ctab_size: b.func("wasmfx.rt.ctab_size", &[I32, I32, I32], &[I32])?,
        ctab_grow: b.func("wasmfx.rt.ctab_grow", &[I64, I32, I32, I32, I32], &[I32])?,
        ctab_fill: b.func("wasmfx.rt.ctab_fill", &[I32, I64, I32, I32, I32, I32], &[])?,
        ctab_copy: b.func("wasmfx.rt.ctab_copy", &[I32; 9], &[])?,
        tramp_index: BTreeMap::new(),
        tramp_funcs: Vec::new(),
        rethrow_pending: None,
        added: Removable::default(),
        shared: None,
    };
    if let Some(options) = &analysis.shared {
        runtime.shared = Some(shared::bind(module, &b, &runtime, analysis, options)?);
    }
    if analysis.raises_pending() {
        runtime.rethrow_pending = Some(add_rethrow_pending(module, &runtime, analysis)?);
    }
    add_trampolines(module, &mut runtime, &analysis.erasure, &analysis.started)?;
    runtime.added = Removable {
        funcs: (first_func..module.funcs.len()).map(FuncId::new).collect(),
        globals: (first_global..module.globals.len()).map(GlobalId::new).collect(),
        tables: (first_table..module.tables.len()).map(TableId::new).collect(),
    };
    Ok(runtime)
}

impl Runtime {
    /// The trampoline a `resume` whose continuations return `results` calls, when only one
    /// has that type: every continuation such a `resume` can run was made by a `cont.new` of
    /// a type with those results (typing guarantees it), so its record names that trampoline
    /// and a direct call does what the `call_indirect` through `tramps` would. Never when
    /// separately lowered: a peer's continuation names the peer's trampoline.
    pub(crate) fn only_trampoline(&self, module: &Module, results: &[ValType]) -> Option<FuncId> {
        if self.shared.is_some() {
            return None;
        }
        let mut with =
            self.tramp_funcs.iter().filter(|&&f| module.func_type(module.funcs[f].ty).results == results);
        match (with.next(), with.next()) {
            (Some(&f), None) => Some(f),
            _ => None,
        }
    }

    /// Follows the renumbering of tables (`map`, old index to new) after the program's tables
    /// of continuations were removed.
    pub(crate) fn renumber_tables(&mut self, map: &[Option<TableId>]) -> Result<()> {
        let renumber = |t: TableId| {
            map[t.index()]
                .ok_or_else(|| Error::internal("a runtime table was removed with the continuation tables"))
        };
        self.fiber_funcs = renumber(self.fiber_funcs)?;
        self.scratch = renumber(self.scratch)?;
        self.tramps = renumber(self.tramps)?;
        self.added.tables = self.added.tables.iter().map(|&t| renumber(t)).collect::<Result<_>>()?;
        if let Some(shared) = &mut self.shared {
            shared.renumber_tables(&renumber)?;
        }
        Ok(())
    }
}

/// Removes the runtime's functions, globals and tables that nothing in the lowered program
/// (and nothing it keeps of the runtime) uses. The program's own entities keep their ids.
pub(crate) fn remove_unused_runtime(module: &mut Module, rt: &Runtime) {
    remove_unused_of(module, &rt.added);
}

/// Adds the function that raises the exception a `resume_throw` (or `resume_throw_ref`) left
/// pending for the continuation it resumed: called where that continuation's rewind ends,
/// so the exception is raised at its suspension point, inside its own `try_table`s.
fn add_rethrow_pending(module: &mut Module, rt: &Runtime, analysis: &Analysis) -> Result<FuncId> {
    let ty = module.add_func_type(&[], &[]);
    let mut body = FuncBody::new(&[]);
    let addr = body.add_local(ValType::I32);
    let pending = |kind: i32| {
        vec![Instr::GlobalGet { global_index: rt.throw_kind }, Instr::I32Const { value: kind }, Instr::I32Eq]
    };
    let clear =
        [Instr::I32Const { value: contract::THROW_NONE }, Instr::GlobalSet { global_index: rt.throw_kind }];
    let mut code = Vec::new();
    if let Some(take) = rt.eref_take {
        let then = body.add_seq();
        body.instrs_mut(then).extend(clear.clone());
        body.instrs_mut(then).extend([
            Instr::GlobalGet { global_index: rt.throw_tag },
            Instr::Call { function_index: take },
            Instr::ThrowRef,
        ]);
        code.extend(pending(THROW_REF));
        code.push(Instr::If { blockty: IfBody { ty: BlockType::Empty, then, else_: None } });
    }
    for &tag in &analysis.thrown_tags {
        let then = body.add_seq();
        body.instrs_mut(then).extend(clear.clone());
        body.instrs_mut(then).extend([
            Instr::GlobalGet { global_index: rt.transfer_addr },
            Instr::LocalSet { local_index: addr },
        ]);
        let mut offset = 0u64;
        for t in analysis.erasure.func_type(module, module.tags[tag].ty).params {
            body.instrs_mut(then).extend(load_value(rt, addr, offset, t)?);
            offset += transfer_size(t) as u64;
        }
        body.instrs_mut(then).push(Instr::Throw { tag_index: tag });
        code.extend(pending(THROW_TAG));
        code.extend([
            Instr::GlobalGet { global_index: rt.throw_tag },
            rt.tag_identity(tag),
            Instr::I32Eq,
            Instr::I32And,
            Instr::If { blockty: IfBody { ty: BlockType::Empty, then, else_: None } },
        ]);
    }
    code.push(Instr::Unreachable);
    let entry = body.entry;
    body.instrs_mut(entry).extend(code);
    let f = module.add_function(ty, body);
    module.funcs[f].name = Some("wasmfx.rethrow_pending".to_string());
    Ok(f)
}

/// Adds a trampoline for each function type in `started` and the table that holds them.
/// A trampoline `(param $slot i32) (result t2*)` starts (or, while rewinding, re-enters) the
/// continuation in `slot`: it reads the function's arguments from the transfer area (dummies
/// while rewinding, when the frames restore their own locals) and calls the function through
/// the continuation's entry in `fiber_funcs`, or directly when every `cont.new` of its type
/// is given one known function.
fn add_trampolines(
    module: &mut Module,
    rt: &mut Runtime,
    erasure: &Erasure,
    started: &BTreeMap<TypeId, Option<FuncId>>,
) -> Result<()> {
    let mut elems = Vec::new();
    for (i, (&ft, &known)) in started.iter().enumerate() {
        let sig = erasure.func_type(module, ft);
        let tramp_ty = module.add_func_type(&[ValType::I32], &sig.results);
        let mut body = FuncBody::new(&[ValType::I32]);
        let slot = LocalId::new(0);
        let addr = body.add_local(ValType::I32);
        let then = body.add_seq();
        let else_ = body.add_seq();
        let mut load =
            vec![Instr::GlobalGet { global_index: rt.transfer_addr }, Instr::LocalSet { local_index: addr }];
        let mut offset = 0u64;
        for &p in &sig.params {
            load.extend(load_value(rt, addr, offset, p)?);
            offset += transfer_size(p) as u64;
        }
        body.instrs_mut(then).extend(load);
        body.instrs_mut(else_).extend(sig.params.iter().map(|&p| super::frames::default_value(p)));
        let params_ty = module.add_func_type(&[], &sig.params);
        let entry = body.entry;
        body.instrs_mut(entry).extend([
            Instr::GlobalGet { global_index: rt.state },
            Instr::I32Eqz,
            Instr::If { blockty: IfBody { ty: BlockType::Func(params_ty), then, else_: Some(else_) } },
        ]);
        body.instrs_mut(entry).extend(match known {
            Some(f) => vec![Instr::Call { function_index: f }],
            None => vec![
                Instr::LocalGet { local_index: slot },
                Instr::CallIndirect { type_index: ft, table_index: rt.fiber_funcs },
            ],
        });
        let f = module.add_function(tramp_ty, body);
        module.funcs[f].name = Some(format!("wasmfx.trampoline.{}", ft.as_u32()));
        rt.tramp_index.insert(ft, i as u32);
        rt.tramp_funcs.push(f);
        elems.push(f);
    }
    if let Some(shared) = &mut rt.shared {
        // Appended to the shared table by the start function (`shared::add_init`).
        if !elems.is_empty() {
            shared.tramp_elem = Some(module.elems.push(ElemData {
                mode: ElemMode::Passive,
                items: ElemItems::Functions(elems),
                name: None,
            }));
        }
        return Ok(());
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
