//! Separate lowering (`--pass-arg lower-to-asyncify-shared@RUNTIME`): each module of a
//! program split across modules is lowered on its own, and the lowered modules, linked by
//! their original import and export names, behave as the originals, continuations and tags
//! crossing module boundaries included.
//!
//! # Why
//!
//! Lowered alone, a module merges its own continuation store (`runtime.wat`) into itself: a
//! handle it passes to another module names a record of its store only, a `suspend` whose
//! handler is in another module's frames finds none, and tags with results cannot be imported
//! or exported (the lowering removes them). Merging the modules first (`wasmfx-opt --merge`)
//! avoids all that but ships one module; this mode keeps them apart.
//!
//! # The protocol
//!
//! - **One shared runtime.** `wasmfx-opt --emit-shared-runtime` writes `runtime.wat` (with
//!   every reference-slot kind and `shared_runtime.wat`'s additions) as a module that exports
//!   each of its functions, globals and tables under its name there, and its memory as
//!   `memory`. It is instantiated first and registered under RUNTIME. It owns everything the
//!   single-module runtime owns: the continuation records, the save stacks, the transfer area,
//!   the tables of continuations, the reference slots, in *its* memory, and the hot globals
//!   (`state`, `current`, `sp`, ...).
//! - **A lowered module imports it.** The module is lowered exactly as alone, against a copy
//!   of that runtime merged in by value with its region in a memory of its own; at the end
//!   ([`Shared::import_runtime`]) every runtime function, global and table and that memory
//!   become imports from RUNTIME of the same names, so the rewrites and their typed handles
//!   are the single-module ones, and the unused imports go with the unused runtime. The
//!   module's inline accesses to records and frames name the imported memory: the output
//!   needs multi-memory when the program has a memory of its own.
//! - **Trampolines in one table.** A record names its continuation's trampoline by an index
//!   into the runtime's `tramps` table, so a module resuming another module's continuation
//!   calls the creator's trampoline. Each module's start function appends its trampolines
//!   there (`table.grow`, then `table.init` from a passive segment) and keeps where they start
//!   in a global that `cont.new` adds to its trampoline's number.
//! - **Tags are identities.** Every tag gets an `i32` global, its identity, which `suspend`
//!   and `switch` store and handler clauses compare. A defined tag's is fresh from the
//!   runtime (`wasmfx.rt.new_tag`, in the start function); an exported tag's is exported as
//!   `NAME$tag` and an imported tag's imported as `NAME$tag` from the same module, so a
//!   re-exported tag keeps its identity and a handler in any module matches a suspension from
//!   any other. A tag with results (meaningless without stack switching) is no longer
//!   imported or exported itself; a tag without results is, since it may be an exception.
//! - **Tables of continuations** live in the runtime's region, named by their descriptor's
//!   offset: a defined table's descriptor is allocated by the start function
//!   (`wasmfx.rt.new_table`), exported as `NAME$table` and imported likewise.
//! - **Calls between peers are suspension points.** The peers (`--pass-arg
//!   lower-to-asyncify-peers@A,B`) are the modules lowered this way. Imports of their
//!   functions may suspend and are instrumented like `lower-to-asyncify-imports`; a resume
//!   may forward any tag, since another module's continuation may suspend with a tag this
//!   module never sees. An exported function keeps its host entry (the wrapper, which starts
//!   from a clean runtime state) under its name, and is exported itself as `NAME$peer`,
//!   which peers import instead, so that a suspension unwinds through it and a rewind
//!   re-enters it. Every indirect call may reach a peer's suspending function too (a
//!   function reference passed across modules), so it is a suspension point.
//! - **Exceptions.** A peer's `resume_throw` may raise any exception tag into a continuation
//!   suspended here, so a module with tags without results gets the pending-exception
//!   raiser, which matches them by identity.
//!
//! The design (`docs/separate-lowering.md`) first kept each module's frames in its own memory
//! to avoid multi-memory; keeping all runtime state in the runtime's memory instead, with every
//! module's frames on the continuation's one save stack (unwinding pushes them innermost
//! first and rewinding pops them outermost first, so each module pops its own), needs no
//! change to the rewrites. The output needs multi-memory when the program has a memory of its
//! own, and the shared runtime exception handling and GC (its `exnref` and `anyref` slots).
//!
//! # Before and after
//!
//! ```wat
//! (import "gen" "yield" (tag $yield (param i32)))
//! (import "gen" "sum" (func $sum (param (ref null $g)) (result i32)))
//! ```
//! becomes, in outline,
//! ```wat
//! (import "gen" "yield" (tag $yield (param i32)))          ;; kept: it may be an exception
//! (import "gen" "yield$tag" (global $yield_id (mut i32)))  ;; compared and stored instead
//! (import "gen" "sum$peer" (func $sum (param i64) (result i32)))
//! (import "wasmfx" "state" (global (mut i32))) ...          ;; the runtime, as imports
//! ```
//!
//! # Limits
//!
//! Payloads and arguments are limited to the shared transfer area's size
//! (`contract::SHARED_TRANSFER_SIZE`). An indirect call through a table another module
//! filled is assumed not to reach a suspending function of that module. A frame's owner
//! (written where tail calls may leave another function's frame on top) is a function index
//! of its module, so tail calls across modules into suspending functions are not supported.

use super::analysis::Analysis;
use super::contract::{PEER_SUFFIX, SHARED_MEMORY, TABLE_SUFFIX, TAG_SUFFIX};
use super::runtime::{Bindings, Runtime};
use crate::remove_unused_module_elements::Removable;
use std::collections::{BTreeMap, BTreeSet};
use wasmfx_ir::*;

/// Options of separate lowering.
#[derive(Clone, Debug, Default)]
pub struct SharedOptions {
    /// The name the shared runtime is registered under.
    pub runtime: String,
    /// The module names of the peers, lowered the same way.
    pub peers: BTreeSet<String>,
}

/// The runtime's memory in a separately lowered module, before it becomes an import.
pub(crate) const RUNTIME_MEMORY: wasmparser::MemoryType = wasmparser::MemoryType {
    memory64: false,
    shared: false,
    initial: 0,
    maximum: None,
    page_size_log2: None,
};

/// What binds a separately lowered module to the shared runtime and its peers.
pub(crate) struct Shared {
    /// Each tag's identity global.
    tag_ids: BTreeMap<TagId, GlobalId>,
    /// Where this module's trampolines start in the runtime's `tramps` table.
    tramp_base: GlobalId,
    /// The passive segment of the trampolines, appended to `tramps` by the start function.
    pub tramp_elem: Option<ElemId>,
    /// The descriptor (offset) global of each table of continuations.
    descriptors: BTreeMap<TableId, GlobalId>,
    new_tag: FuncId,
    new_table: FuncId,
    peers: BTreeSet<String>,
    /// Entities that become imports at the end: what, from which module, under which name.
    imports: Vec<(ExternItem, String, String)>,
}

/// Binds the separate-lowering parts of the merged runtime copy in `b` and adds the globals
/// of tag identities, table descriptors and the trampolines' base.
pub(crate) fn bind(
    module: &mut Module,
    b: &Bindings,
    rt: &Runtime,
    analysis: &Analysis,
    options: &SharedOptions,
) -> Result<Shared> {
    let mut imports: Vec<(ExternItem, String, String)> =
        b.entities().into_iter().map(|(item, name)| (item, options.runtime.clone(), name)).collect();
    imports.push((ExternItem::Memory(rt.memory), options.runtime.clone(), SHARED_MEMORY.to_string()));
    let new_i32 = |module: &mut Module, name: String| {
        let ty = GlobalType { content: ValType::I32, mutable: true, shared: false };
        let g = module.add_global(ty, vec![Instr::I32Const { value: 0 }]);
        module.globals[g].name = Some(name);
        g
    };
    let import_of = |module: &Module, item: ExternItem| {
        module.imports.values().find(|i| i.item == item).map(|i| (i.module.clone(), i.name.clone()))
    };
    let mut tag_ids = BTreeMap::new();
    for t in module.tags.ids().collect::<Vec<_>>() {
        let g = new_i32(module, format!("wasmfx.tag.{}", t.as_u32()));
        if let Some((m, n)) = import_of(module, ExternItem::Tag(t)) {
            imports.push((ExternItem::Global(g), m, format!("{n}{TAG_SUFFIX}")));
        }
        tag_ids.insert(t, g);
    }
    let mut descriptors = BTreeMap::new();
    for &t in analysis.cont_tables.keys() {
        let g = new_i32(module, format!("wasmfx.table.{}", t.as_u32()));
        if let Some((m, n)) = import_of(module, ExternItem::Table(t)) {
            imports.push((ExternItem::Global(g), m, format!("{n}{TABLE_SUFFIX}")));
        }
        descriptors.insert(t, g);
    }
    use ValType::I32;
    Ok(Shared {
        tag_ids,
        tramp_base: new_i32(module, "wasmfx.tramp_base".to_string()),
        tramp_elem: None,
        descriptors,
        new_tag: b.func("wasmfx.rt.new_tag", &[], &[I32])?,
        new_table: b.func("wasmfx.rt.new_table", &[I32], &[I32])?,
        peers: options.peers.clone(),
        imports,
    })
}

impl Runtime {
    /// The identity `suspend` and `switch` store for `tag` and handler clauses compare: its
    /// number alone, or its identity global when separately lowered.
    pub(crate) fn tag_identity(&self, tag: TagId) -> Instr {
        match &self.shared {
            Some(shared) => Instr::GlobalGet { global_index: shared.tag_ids[&tag] },
            None => Instr::I32Const { value: tag.as_u32() as i32 },
        }
    }

    /// The index `cont.new` records for the trampoline of function type `ft`.
    pub(crate) fn trampoline_index(&self, ft: TypeId) -> Vec<Instr> {
        let index = Instr::I32Const { value: self.tramp_index[&ft] as i32 };
        match &self.shared {
            Some(shared) => vec![index, Instr::GlobalGet { global_index: shared.tramp_base }, Instr::I32Add],
            None => vec![index],
        }
    }

    /// The descriptor of the table of continuations `table`: at `offset` in the region, or in
    /// its descriptor global when separately lowered.
    pub(crate) fn table_descriptor(&self, table: TableId, offset: i32) -> Instr {
        match &self.shared {
            Some(shared) => Instr::GlobalGet { global_index: shared.descriptors[&table] },
            None => Instr::I32Const { value: offset },
        }
    }
}

/// The exports peers call, before the host entries are wrapped: `NAME$peer` for each exported
/// function.
pub(crate) fn peer_exports(module: &Module) -> Vec<ExportData> {
    module
        .exports
        .iter()
        .filter(|e| matches!(e.item, ExternItem::Func(_)))
        .map(|e| ExportData { name: format!("{}{PEER_SUFFIX}", e.name), item: e.item })
        .collect()
}

/// Removes the import entries `gone` (their entities are no longer imported) and renumbers.
fn remove_import_entries(module: &mut Module, gone: &BTreeSet<ImportId>) {
    if gone.is_empty() {
        return;
    }
    let map = module.imports.retain_with_map(|id, _| !gone.contains(&id));
    module.visit_ids(&mut Remapping { imports: Some(map), ..Remapping::default() });
}

impl Shared {
    /// Follows the renumbering of tables after the program's tables of continuations went.
    pub(crate) fn renumber_tables(&mut self, renumber: &dyn Fn(TableId) -> Result<TableId>) -> Result<()> {
        for (item, _, _) in &mut self.imports {
            if let ExternItem::Table(t) = item {
                *t = renumber(*t)?;
            }
        }
        Ok(())
    }

    /// Before the tables of continuations leave the module: an imported one is no longer
    /// imported (its descriptor is), an exported one is exported as its descriptor.
    pub(crate) fn unlink_cont_tables(&self, module: &mut Module) {
        for e in &mut module.exports {
            if let ExternItem::Table(t) = e.item
                && let Some(&g) = self.descriptors.get(&t)
            {
                e.name.push_str(TABLE_SUFFIX);
                e.item = ExternItem::Global(g);
            }
        }
        let mut gone = BTreeSet::new();
        for &t in self.descriptors.keys() {
            if let Def::Import(i) = module.tables[t].def {
                gone.insert(i);
                module.tables[t].def = Def::Local(None);
            }
        }
        remove_import_entries(module, &gone);
    }

    /// The module around the lowered functions: peers' functions imported as `NAME$peer` and
    /// this module's exported so, tags linked by identity, and the start function that sets
    /// the identities, the table descriptors and the trampolines up.
    pub(crate) fn link_module(
        &self,
        module: &mut Module,
        rt: &Runtime,
        peer_exports: Vec<ExportData>,
        analysis: &Analysis,
    ) -> Result<()> {
        module.exports.extend(peer_exports);
        for import in module.imports.values_mut() {
            if matches!(import.item, ExternItem::Func(_)) && self.peers.contains(&import.module) {
                import.name.push_str(PEER_SUFFIX);
            }
        }
        // Tags: the identity beside every exported tag; a tag with results goes from the
        // import and export sections (the rewrites no longer name it).
        let has_results = |module: &Module, t: TagId| !module.func_type(module.tags[t].ty).results.is_empty();
        let mut exports = Vec::new();
        for e in std::mem::take(&mut module.exports) {
            if let ExternItem::Tag(t) = e.item {
                exports.push(ExportData {
                    name: format!("{}{TAG_SUFFIX}", e.name),
                    item: ExternItem::Global(self.tag_ids[&t]),
                });
                if has_results(module, t) {
                    continue;
                }
            }
            exports.push(e);
        }
        module.exports = exports;
        let mut gone = BTreeSet::new();
        for &t in self.tag_ids.keys() {
            if let Def::Import(i) = module.tags[t].def
                && has_results(module, t)
            {
                gone.insert(i);
                module.tags[t].def = Def::Local(());
            }
        }
        remove_import_entries(module, &gone);
        self.add_init(module, rt, analysis);
        Ok(())
    }

    /// The start function: trampolines appended to the shared table, identities for the tags
    /// defined here, descriptors for the tables of continuations defined here, then the
    /// module's own start function.
    fn add_init(&self, module: &mut Module, rt: &Runtime, analysis: &Analysis) {
        let mut code = Vec::new();
        if let Some(elem) = self.tramp_elem {
            let n = rt.tramp_funcs.len() as i32;
            code.extend([
                Instr::RefNull { hty: HeapType::Abstract { shared: false, ty: AbstractHeapType::Func } },
                Instr::I32Const { value: n },
                Instr::TableGrow { table: rt.tramps },
                Instr::GlobalSet { global_index: self.tramp_base },
                Instr::GlobalGet { global_index: self.tramp_base },
                Instr::I32Const { value: 0 },
                Instr::I32Const { value: n },
                Instr::TableInit { elem_index: elem, table: rt.tramps },
            ]);
        }
        for (&t, &g) in &self.tag_ids {
            if !module.tags[t].def.is_import() {
                code.extend([
                    Instr::Call { function_index: self.new_tag },
                    Instr::GlobalSet { global_index: g },
                ]);
            }
        }
        for (&t, &g) in &self.descriptors {
            let imported = self.imports.iter().any(|(item, _, _)| *item == ExternItem::Global(g));
            if !imported {
                code.extend([
                    Instr::I32Const { value: analysis.cont_tables[&t].initial },
                    Instr::Call { function_index: self.new_table },
                    Instr::GlobalSet { global_index: g },
                ]);
            }
        }
        if code.is_empty() {
            return;
        }
        if let Some(start) = module.start {
            code.push(Instr::Call { function_index: start });
        }
        module.start = Some(module.add_nullary_function("wasmfx.shared.init", code));
    }

    /// Turns the runtime's entities (and the identities and descriptors of imported tags and
    /// tables) into imports, placed after the module's own imports, and renumbers the module
    /// and `removable` to match.
    pub(crate) fn import_runtime(self, module: &mut Module, removable: &mut Removable) {
        let converted = |kind: fn(&ExternItem) -> Option<usize>| -> BTreeSet<usize> {
            self.imports.iter().filter_map(|(item, _, _)| kind(item)).collect()
        };
        let funcs = converted(|i| if let ExternItem::Func(f) = i { Some(f.index()) } else { None });
        let tables = converted(|i| if let ExternItem::Table(t) = i { Some(t.index()) } else { None });
        let memories = converted(|i| if let ExternItem::Memory(m) = i { Some(m.index()) } else { None });
        let globals = converted(|i| if let ExternItem::Global(g) = i { Some(g.index()) } else { None });
        let func_order = order(module.funcs.values().map(|f| f.def.is_import()), &funcs);
        let table_order = order(module.tables.values().map(|t| t.def.is_import()), &tables);
        let memory_order = order(module.memories.values().map(|m| m.def.is_import()), &memories);
        let global_order = order(module.globals.values().map(|g| g.def.is_import()), &globals);
        // The import entries, in the order the entities will have, named by the old ids
        // (renumbered with everything else below).
        let mut entries: Vec<&(ExternItem, String, String)> = self.imports.iter().collect();
        entries.sort_by_key(|(item, _, _)| match *item {
            ExternItem::Func(f) => (0, f.index()),
            ExternItem::Table(t) => (1, t.index()),
            ExternItem::Memory(m) => (2, m.index()),
            ExternItem::Global(g) => (3, g.index()),
            ExternItem::Tag(t) => (4, t.index()),
        });
        for (item, from, name) in entries {
            let id = module.imports.push(ImportData {
                module: from.clone(),
                name: name.clone(),
                item: *item,
                exact: false,
            });
            match *item {
                ExternItem::Func(f) => module.funcs[f].def = Def::Import(id),
                ExternItem::Table(t) => module.tables[t].def = Def::Import(id),
                ExternItem::Memory(m) => module.memories[m].def = Def::Import(id),
                ExternItem::Global(g) => module.globals[g].def = Def::Import(id),
                ExternItem::Tag(_) => unreachable!("no tag becomes an import"),
            }
        }
        let identity = |n: usize| -> Vec<usize> { (0..n).collect() };
        let mut map = MergeMap {
            types: identity(module.types.len()).into_iter().map(TypeId::new).collect(),
            funcs: new_ids(&func_order),
            tables: new_ids(&table_order),
            memories: new_ids(&memory_order),
            globals: new_ids(&global_order),
            tags: identity(module.tags.len()).into_iter().map(TagId::new).collect(),
            elems: identity(module.elems.len()).into_iter().map(ElemId::new).collect(),
            datas: identity(module.datas.len()).into_iter().map(DataId::new).collect(),
            imports: identity(module.imports.len()).into_iter().map(|i| Some(ImportId::new(i))).collect(),
        };
        module.visit_ids(&mut map);
        permute(&mut module.funcs, &func_order);
        permute(&mut module.tables, &table_order);
        permute(&mut module.memories, &memory_order);
        permute(&mut module.globals, &global_order);
        *removable = Removable {
            funcs: removable.funcs.iter().map(|f| map.funcs[f.index()]).collect(),
            globals: removable
                .globals
                .iter()
                .chain(&self.imported_globals())
                .map(|g| map.globals[g.index()])
                .collect(),
            tables: removable.tables.iter().map(|t| map.tables[t.index()]).collect(),
        };
    }

    /// The globals that become imports from peers (identities and descriptors): removable
    /// like the runtime when nothing uses them.
    fn imported_globals(&self) -> Vec<GlobalId> {
        self.imports
            .iter()
            .filter_map(|(item, _, _)| match item {
                ExternItem::Global(g) => Some(*g),
                _ => None,
            })
            .collect()
    }
}

/// The new order of entities (old indices): the imported ones, then those in `converted`, then
/// the other defined ones, each in their old order.
fn order(imported: impl Iterator<Item = bool>, converted: &BTreeSet<usize>) -> Vec<usize> {
    let imported: Vec<bool> = imported.collect();
    let first = (0..imported.len()).filter(|&i| imported[i]);
    let then = converted.iter().copied();
    let rest = (0..imported.len()).filter(|&i| !imported[i] && !converted.contains(&i));
    first.chain(then).chain(rest).collect()
}

/// The new id of each old index, from the new order.
fn new_ids<K: EntityId>(order: &[usize]) -> Vec<K> {
    let mut ids = vec![K::new(0); order.len()];
    for (new, &old) in order.iter().enumerate() {
        ids[old] = K::new(new);
    }
    ids
}

/// Puts the entities of `items` in `order` (old indices).
fn permute<K: EntityId, V>(items: &mut EntityVec<K, V>, order: &[usize]) {
    let mut old: Vec<Option<V>> = std::mem::take(items).into_iter_values().map(Some).collect();
    *items = order.iter().map(|&i| old[i].take().expect("each entity once")).collect();
}

/// The shared runtime's binary: `runtime.wat` with every reference-slot kind and separate
/// lowering's additions, exporting each function, global and table under its name and its
/// memory as `memory` (what `wasmfx-opt --emit-shared-runtime` writes).
pub fn emit_shared_runtime() -> Result<Vec<u8>> {
    let source = super::runtime::runtime_source(true, true, true);
    let bytes = text::parse_text(&super::contract::instantiate(&source)?)?;
    let mut rt = Module::from_bytes(&bytes, validate::default_features())?;
    for (name, value) in [
        ("transfer_size", super::contract::SHARED_TRANSFER_SIZE),
        ("transfer_start", super::contract::TABLE_DESCRIPTORS_START),
    ] {
        let g = rt
            .globals
            .ids()
            .find(|&g| rt.globals[g].name.as_deref() == Some(name))
            .ok_or_else(|| Error::internal(format!("runtime.wat has no global ${name}")))?;
        rt.globals[g].def = Def::Local(vec![Instr::I32Const { value }]);
    }
    let mut exports = Vec::new();
    exports.extend(rt.funcs.iter().filter_map(|(id, f)| f.name.clone().map(|n| (n, ExternItem::Func(id)))));
    exports
        .extend(rt.globals.iter().filter_map(|(id, g)| g.name.clone().map(|n| (n, ExternItem::Global(id)))));
    exports.extend(rt.tables.iter().filter_map(|(id, t)| t.name.clone().map(|n| (n, ExternItem::Table(id)))));
    exports.push((SHARED_MEMORY.to_string(), ExternItem::Memory(MemoryId::new(0))));
    for (name, item) in exports {
        rt.add_export(name, item);
    }
    rt.to_valid_bytes(validate::default_features())
}
