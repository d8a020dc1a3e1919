//! Linking modules into one: [`Module::link_all`] merges any number of modules and binds each
//! one's imports to the others' exports by name, as Binaryen's `wasm-merge` does;
//! [`Module::link`] is the pair case (`wasmfx-opt --link`), `wasmfx-opt --merge` the general one.
//!
//! Each module has a name, the one the others import it by (the name a `.wast` script
//! `register`s it under). An import whose module name is another module's is bound to that
//! module's export of the field name: the import disappears and its uses use the export's
//! entity. An export that is itself a bound import (a library re-exporting a tag it imports)
//! is followed to the entity it stands for, through any number of modules; a cycle of imports
//! is refused. Imports from names no module has (`spectest`, `env`, WASI) stay imports. Index
//! spaces of the result are: every module's remaining imports, module by module, then every
//! module's definitions, module by module; types, rec groups and segments follow module
//! order. So a tag a scheduler exports and two programs import is one tag, and a module
//! compiled by a C toolchain (importing, say, `fiber.fiber_yield`) and a hand-written library
//! (importing `main.memory` and `main.malloc`) become one module, which the lowering can take.
//!
//! Functions are checked to have the same signature as the import they bind (references to
//! defined types are compared by shape, the rest is left to validation), tags the same type,
//! globals the same type and mutability, and every entity the same kind. Two modules may
//! each define a memory (the result then needs multi-memory, and memory 0 is the first's).
//! Start functions run in module order, through a new start function when several have one.
//! Instantiating the modules one after another applies each module's active segments after
//! the start functions of the modules before it, and a start function may write the memory or
//! table a later module's segment initialises: so once a module with a start function has
//! been placed, every later module's active segments become passive and the new start
//! function applies them (`table.init`, `memory.init`, then `elem.drop`/`data.drop`, which is
//! what instantiation does) in their place in the order, elements before data as in the
//! spec. Modules before the first start function keep their segments active. The custom sections
//! and module name are the first module's; [`LinkedExports`] says which exports stay, and a
//! name two modules would both export is refused.

use crate::Instr;
use crate::error::{Error, Result};
use crate::ids::*;
use crate::module::*;
use crate::remap::{MergeMap, appended};
use crate::types::*;
use crate::visit::VisitIds;

/// The five kinds of importable entity, as an index into per-kind tables.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Kind {
    Func = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
    Tag = 4,
}

const KINDS: [Kind; 5] = [Kind::Func, Kind::Table, Kind::Memory, Kind::Global, Kind::Tag];

fn kind_of(item: ExternItem) -> (Kind, usize) {
    match item {
        ExternItem::Func(f) => (Kind::Func, f.index()),
        ExternItem::Table(t) => (Kind::Table, t.index()),
        ExternItem::Memory(m) => (Kind::Memory, m.index()),
        ExternItem::Global(g) => (Kind::Global, g.index()),
        ExternItem::Tag(t) => (Kind::Tag, t.index()),
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Func => "function",
        Kind::Table => "table",
        Kind::Memory => "memory",
        Kind::Global => "global",
        Kind::Tag => "tag",
    }
}

/// For each entity of each kind, the import it comes from (`None`: defined here).
fn import_ids(m: &Module) -> [Vec<Option<ImportId>>; 5] {
    fn of<T>(def: &Def<T>) -> Option<ImportId> {
        match def {
            Def::Import(i) => Some(*i),
            Def::Local(_) => None,
        }
    }
    [
        m.funcs.values().map(|f| of(&f.def)).collect(),
        m.tables.values().map(|t| of(&t.def)).collect(),
        m.memories.values().map(|x| of(&x.def)).collect(),
        m.globals.values().map(|g| of(&g.def)).collect(),
        m.tags.values().map(|t| of(&t.def)).collect(),
    ]
}

/// Where one module's entities go in the linked module.
struct Layout {
    /// New index per kind and entity (for a resolved import: its target's).
    index: [Vec<usize>; 5],
    /// Whether the entity stays (resolved imports do not).
    keep: [Vec<bool>; 5],
    /// New import id of each import entry, `None` for resolved ones.
    imports: Vec<Option<ImportId>>,
    /// How far types, element and data segments shift.
    types: usize,
    elems: usize,
    datas: usize,
}

impl Layout {
    /// The renumbering of `m`'s ids this layout gives (every index is filled by then).
    fn merge_map(&self, m: &Module) -> MergeMap {
        fn ids<K: EntityId>(index: &[usize]) -> Vec<K> {
            index.iter().map(|&i| K::new(i)).collect()
        }
        MergeMap {
            types: appended(self.types, m.types.len()),
            funcs: ids(&self.index[Kind::Func as usize]),
            tables: ids(&self.index[Kind::Table as usize]),
            memories: ids(&self.index[Kind::Memory as usize]),
            globals: ids(&self.index[Kind::Global as usize]),
            tags: ids(&self.index[Kind::Tag as usize]),
            elems: appended(self.elems, m.elems.len()),
            datas: appended(self.datas, m.datas.len()),
            imports: self.imports.clone(),
        }
    }
}

/// Places the entities of kind `kind` each layout keeps at the indices it gives them.
fn place<K: EntityId, V>(
    sizes: &[usize; 5],
    kind: Kind,
    parts: Vec<(EntityVec<K, V>, &Layout)>,
) -> EntityVec<K, V> {
    let mut slots: Vec<Option<V>> = (0..sizes[kind as usize]).map(|_| None).collect();
    for (values, layout) in parts {
        let k = kind as usize;
        for (i, v) in values.into_iter_values().enumerate() {
            if layout.keep[k][i] {
                slots[layout.index[k][i]] = Some(v);
            }
        }
    }
    slots.into_iter().map(|v| v.expect("every index of the linked module is filled")).collect()
}

/// Whether two value types are the same, comparing references to defined types only by
/// their shape (validation compares them exactly).
fn same_val(a: &ValType, b: &ValType) -> bool {
    match (a, b) {
        (ValType::Ref(x), ValType::Ref(y)) => {
            x.nullable == y.nullable
                && match (&x.heap, &y.heap) {
                    (HeapType::Concrete(_), HeapType::Concrete(_)) => true,
                    (h, g) => h == g,
                }
        }
        _ => a == b,
    }
}

fn same_sig(a: &FuncType, b: &FuncType) -> bool {
    a.params.len() == b.params.len()
        && a.results.len() == b.results.len()
        && a.params.iter().zip(&b.params).all(|(x, y)| same_val(x, y))
        && a.results.iter().zip(&b.results).all(|(x, y)| same_val(x, y))
}

/// Checks that `target` (an export of `provider`) can stand for `import` of `importer`.
fn check_match(importer: &Module, import: &ImportData, provider: &Module, target: ExternItem) -> Result<()> {
    let what = format!("{}.{}", import.module, import.name);
    let (want, _) = kind_of(import.item);
    let (have, _) = kind_of(target);
    if want != have {
        return Err(Error::new(format!(
            "cannot link: {what} is imported as a {} but exported as a {}",
            kind_name(want),
            kind_name(have)
        )));
    }
    match (import.item, target) {
        (ExternItem::Func(f), ExternItem::Func(g))
            if !same_sig(importer.func_type_of(f), provider.func_type_of(g)) =>
        {
            Err(Error::new(format!(
                "cannot link: {what} is imported with another signature than it is exported with"
            )))
        }
        (ExternItem::Global(g), ExternItem::Global(h))
            if importer.globals[g].ty.mutable != provider.globals[h].ty.mutable
                || !same_val(&importer.globals[g].ty.content, &provider.globals[h].ty.content) =>
        {
            Err(Error::new(format!(
                "cannot link: {what} is imported with another global type than it is exported with"
            )))
        }
        (ExternItem::Tag(t), ExternItem::Tag(u))
            if !same_sig(
                importer.func_type(importer.tags[t].ty),
                provider.func_type(provider.tags[u].ty),
            ) =>
        {
            Err(Error::new(format!(
                "cannot link: {what} is imported with another tag type than it is exported with"
            )))
        }
        _ => Ok(()),
    }
}

/// Which exports a linked module keeps.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LinkedExports {
    /// The first module's exports, and the others' that no import of the first binds
    /// (`Module::link`, `wasmfx-opt --link`: a program and the libraries it uses).
    FirstAndUnbound,
    /// Every module's exports under their own names but tags (`wasmfx-opt --merge`): a merged
    /// program is whole, so the tags its modules shared are bound inside it, and a control
    /// tag (one with results) exported could not be lowered.
    Program,
    /// Every module's exports but tags, each named `NAME.FIELD` after the module that exports
    /// it, so that a test can reach every module's entities however their names collide.
    Qualified,
}

/// What linking will do, decided from the modules before any of them changes, so that a
/// refusal leaves them as they were.
struct Plan {
    /// Where each module's entities go.
    layouts: Vec<Layout>,
    /// How many entities of each kind the linked module has.
    sizes: [usize; 5],
    /// For each module, its exports the linked module keeps, under their new names.
    exports: Vec<Vec<ExportData>>,
}

/// For each import of `parts[m]`, the module and export it is bound to: imports from another
/// module's name are bound (missing exports and mismatches are refused), others stay imports.
fn bindings(parts: &[(&str, &Module)], m: usize) -> Result<Vec<Option<(usize, ExternItem)>>> {
    let (_, importer) = parts[m];
    importer
        .imports
        .values()
        .map(|import| {
            let Some(p) = parts.iter().position(|(name, _)| *name == import.module) else { return Ok(None) };
            if p == m {
                return Ok(None);
            }
            let provider = parts[p].1;
            let target = provider.export(&import.name).ok_or_else(|| {
                Error::new(format!(
                    "cannot link: {}.{} is imported but `{}` exports no `{}`",
                    import.module, import.name, import.module, import.name
                ))
            })?;
            check_match(importer, import, provider, target)?;
            Ok(Some((p, target)))
        })
        .collect()
}

/// Binds the imports, finds each entity's canonical one, numbers the linked index spaces and
/// picks the exports, refusing what cannot be linked.
fn plan(parts: &[(&str, &Module)], policy: LinkedExports) -> Result<Plan> {
    for (i, (name, _)) in parts.iter().enumerate() {
        if parts[..i].iter().any(|(other, _)| other == name) {
            return Err(Error::new(format!("cannot link: two modules are named `{name}`")));
        }
    }
    let bound: Vec<_> = (0..parts.len()).map(|m| bindings(parts, m)).collect::<Result<_>>()?;
    let imports: Vec<_> = parts.iter().map(|(_, module)| import_ids(module)).collect();
    let total: usize = imports.iter().map(|per_kind| per_kind.iter().map(Vec::len).sum::<usize>()).sum();
    // Every entity stands for its canonical one: a definition, or an import nothing binds,
    // found by following bound imports (through any number of re-exports).
    let canonical = |kind: Kind, mut m: usize, mut e: usize| -> Result<(usize, usize)> {
        let k = kind as usize;
        for _ in 0..=total {
            let Some((p, item)) = imports[m][k][e].and_then(|i| bound[m][i.index()]) else {
                return Ok((m, e));
            };
            (m, e) = (p, kind_of(item).1);
        }
        let import = &parts[m].1.imports[imports[m][k][e].expect("a cycle is of imports")];
        Err(Error::new(format!(
            "cannot link: {}.{} is bound to itself through a cycle of imports",
            import.module, import.name
        )))
    };
    let mut layouts: Vec<Layout> = Vec::with_capacity(parts.len());
    let (mut types, mut elems, mut datas) = (0, 0, 0);
    for (_, module) in parts {
        layouts.push(Layout {
            index: Default::default(),
            keep: Default::default(),
            imports: Vec::new(),
            types,
            elems,
            datas,
        });
        types += module.types.len();
        elems += module.elems.len();
        datas += module.datas.len();
    }
    let mut sizes = [0usize; 5];
    for kind in KINDS {
        let k = kind as usize;
        let mut canon: Vec<Vec<(usize, usize)>> = Vec::with_capacity(parts.len());
        for (m, per_kind) in imports.iter().enumerate() {
            let of_module =
                (0..per_kind[k].len()).map(|e| canonical(kind, m, e)).collect::<Result<Vec<_>>>()?;
            layouts[m].keep[k] = of_module.iter().enumerate().map(|(e, c)| *c == (m, e)).collect();
            layouts[m].index[k] = vec![usize::MAX; of_module.len()];
            canon.push(of_module);
        }
        // Unbound imports first (module by module), then definitions.
        let mut next = 0;
        for want_import in [true, false] {
            for (m, layout) in layouts.iter_mut().enumerate() {
                for (e, import) in imports[m][k].iter().enumerate() {
                    if import.is_some() == want_import && layout.keep[k][e] {
                        layout.index[k][e] = next;
                        next += 1;
                    }
                }
            }
        }
        sizes[k] = next;
        for (m, of_module) in canon.iter().enumerate() {
            for (e, &(cm, ce)) in of_module.iter().enumerate() {
                layouts[m].index[k][e] = layouts[cm].index[k][ce];
            }
        }
    }
    let mut next_import = 0;
    for (layout, bound) in layouts.iter_mut().zip(&bound) {
        layout.imports = bound
            .iter()
            .map(|b| {
                b.is_none().then(|| {
                    next_import += 1;
                    ImportId::new(next_import - 1)
                })
            })
            .collect();
    }
    let exports = kept_exports(parts, &bound, policy)?;
    Ok(Plan { layouts, sizes, exports })
}

/// The exports each module keeps under `policy`, refusing a name two of them would export.
fn kept_exports(
    parts: &[(&str, &Module)],
    bound: &[Vec<Option<(usize, ExternItem)>>],
    policy: LinkedExports,
) -> Result<Vec<Vec<ExportData>>> {
    let mut taken: std::collections::BTreeMap<String, &str> = Default::default();
    let mut kept = Vec::with_capacity(parts.len());
    for (m, (name, module)) in parts.iter().enumerate() {
        let mut of_module = Vec::new();
        for export in &module.exports {
            let bound_by_first = || {
                parts[0]
                    .1
                    .imports
                    .values()
                    .zip(&bound[0])
                    .any(|(import, b)| b.is_some_and(|(p, _)| p == m) && import.name == export.name)
            };
            let dropped = match policy {
                LinkedExports::FirstAndUnbound => m > 0 && bound_by_first(),
                LinkedExports::Program | LinkedExports::Qualified => {
                    matches!(export.item, ExternItem::Tag(_))
                }
            };
            if dropped {
                continue;
            }
            let new_name = if policy == LinkedExports::Qualified {
                format!("{name}.{}", export.name)
            } else {
                export.name.clone()
            };
            if let Some(first) = taken.insert(new_name.clone(), name) {
                return Err(Error::new(format!(
                    "cannot link: `{first}` and `{name}` both export `{new_name}`"
                )));
            }
            of_module.push(ExportData { name: new_name, item: export.item });
        }
        kept.push(of_module);
    }
    Ok(kept)
}

impl Module {
    /// Links `other` into this module: this module, named `self_name`, has its imports from
    /// `other_name` bound to `other`'s exports, and `other`'s imports from `self_name` are bound
    /// to this module's exports ([`Module::link_all`] with [`LinkedExports::FirstAndUnbound`]).
    /// On an error this module is unchanged.
    pub fn link(&mut self, other: Module, self_name: &str, other_name: &str) -> Result<()> {
        let plan = plan(&[(self_name, self), (other_name, &other)], LinkedExports::FirstAndUnbound)?;
        let first = std::mem::take(self);
        *self = build(vec![first, other], plan);
        Ok(())
    }

    /// Links any number of modules, each with the name the others import it by, into one (see
    /// the module documentation): imports between them are bound, start functions run in the
    /// order the modules are given, and `exports` says which exports the result keeps.
    pub fn link_all(parts: Vec<(String, Module)>, exports: LinkedExports) -> Result<Module> {
        let refs: Vec<(&str, &Module)> = parts.iter().map(|(name, module)| (name.as_str(), module)).collect();
        let plan = plan(&refs, exports)?;
        Ok(build(parts.into_iter().map(|(_, module)| module).collect(), plan))
    }
}

/// Renumbers every module by its layout and puts their entities together.
fn build(mut modules: Vec<Module>, plan: Plan) -> Module {
    let Plan { layouts, sizes, exports } = plan;
    for ((module, layout), kept) in modules.iter_mut().zip(&layouts).zip(exports) {
        module.exports = kept;
        let mut map = layout.merge_map(module);
        module.visit_ids(&mut map);
    }
    let mut imports = EntityVec::new();
    for (module, layout) in modules.iter().zip(&layouts) {
        for (data, new) in module.imports.values().zip(&layout.imports) {
            if new.is_some() {
                imports.push(data.clone());
            }
        }
    }
    let mut linked = Module::new();
    linked.imports = imports;
    // What the start function does, in instantiation order, and how many start functions it calls.
    let mut start_code = Vec::new();
    let mut starts = 0;
    // `Module` frees its bodies in parallel on drop, so its fields are taken, not moved.
    let (mut funcs, mut tables, mut memories, mut globals, mut tags) =
        (vec![], vec![], vec![], vec![], vec![]);
    for (m, module) in modules.iter_mut().enumerate() {
        if starts > 0 {
            start_code.extend(defer_active_segments(module, linked.elems.len(), linked.datas.len()));
        }
        linked.append_types_and_segments(module);
        linked.exports.append(&mut module.exports);
        if let Some(function_index) = module.start {
            start_code.push(Instr::Call { function_index });
            starts += 1;
        }
        linked.has_data_count |= module.has_data_count;
        if m == 0 {
            linked.customs = std::mem::take(&mut module.customs);
            linked.names = std::mem::take(&mut module.names);
        }
        funcs.push((std::mem::take(&mut module.funcs), &layouts[m]));
        tables.push((std::mem::take(&mut module.tables), &layouts[m]));
        memories.push((std::mem::take(&mut module.memories), &layouts[m]));
        globals.push((std::mem::take(&mut module.globals), &layouts[m]));
        tags.push((std::mem::take(&mut module.tags), &layouts[m]));
    }
    linked.funcs = place(&sizes, Kind::Func, funcs);
    linked.tables = place(&sizes, Kind::Table, tables);
    linked.memories = place(&sizes, Kind::Memory, memories);
    linked.globals = place(&sizes, Kind::Global, globals);
    linked.tags = place(&sizes, Kind::Tag, tags);
    linked.start = match start_code[..] {
        [] => None,
        [Instr::Call { function_index }] => Some(function_index),
        // The linked modules' start functions in their order, with the deferred segments of
        // each module between, as instantiating them one after the other would.
        _ => Some(linked.add_nullary_function("wasmfx.link.start", start_code)),
    };
    linked
}

/// Makes `module`'s active segments passive and returns the code that applies them as its
/// instantiation would: each element segment, then each data segment, copied to its offset and
/// dropped. Its segments will be numbered from `first_elem` and `first_data` in the linked
/// module (its ids are already renumbered).
fn defer_active_segments(module: &mut Module, first_elem: usize, first_data: usize) -> Vec<Instr> {
    let mut code = Vec::new();
    for (i, elem) in module.elems.values_mut().enumerate() {
        if let ElemMode::Active { table, offset, .. } = std::mem::replace(&mut elem.mode, ElemMode::Passive) {
            let elem_index = ElemId::new(first_elem + i);
            let len = match &elem.items {
                ElemItems::Functions(functions) => functions.len(),
                ElemItems::Expressions(_, items) => items.len(),
            };
            code.extend(offset);
            code.extend([
                Instr::I32Const { value: 0 },
                Instr::I32Const { value: len as i32 },
                Instr::TableInit { elem_index, table },
                Instr::ElemDrop { elem_index },
            ]);
        }
    }
    for (i, data) in module.datas.values_mut().enumerate() {
        if let DataMode::Active { memory, offset } = std::mem::replace(&mut data.mode, DataMode::Passive) {
            let data_index = DataId::new(first_data + i);
            code.extend(offset);
            code.extend([
                Instr::I32Const { value: 0 },
                Instr::I32Const { value: data.bytes.len() as i32 },
                Instr::MemoryInit { data_index, mem: memory },
                Instr::DataDrop { data_index },
            ]);
            module.has_data_count = true;
        }
    }
    code
}
