//! Linking two modules into one: `Module::link` merges a module into another and resolves
//! each one's imports by the other's exports, as `wasm-merge` does for a pair.
//!
//! Each module has a name. An import of the first whose module name is the second's is bound
//! to the second's export of that field name (the import disappears; uses of the imported
//! entity use the export's entity), and the other way round. Other imports stay imports, the
//! first module's before the second's. Index spaces of the result are: the first module's
//! remaining imports, the second's, the first module's definitions, the second's; types, rec
//! groups and segments of the second come after the first's. So a module compiled by a C
//! toolchain (importing, say, `fiber.fiber_yield`) and a hand-written library (importing
//! `main.memory` and `main.malloc`) become one module, which the lowering can then take.
//!
//! The result keeps the first module's exports, start function, custom sections and module
//! name; of the second it keeps the exports that resolved nothing (an export name both keep is
//! an error) and its start function when the first has none. Functions are checked to have
//! the same signature as the import they resolve (references to defined types are left to
//! validation), globals the same type and mutability, and every entity the same kind. An
//! import resolved by an export that is itself a resolved import (a chain) is refused.

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
    parts: [(EntityVec<K, V>, &Layout); 2],
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
        _ => Ok(()),
    }
}

/// For each import of `importer` from `provider_name`, the export of `provider` it binds to.
fn resolve(importer: &Module, provider: &Module, provider_name: &str) -> Result<Vec<Option<ExternItem>>> {
    importer
        .imports
        .values()
        .map(|import| {
            if import.module != provider_name {
                return Ok(None);
            }
            let target = provider.export(&import.name).ok_or_else(|| {
                Error::new(format!(
                    "cannot link: {}.{} is imported but `{provider_name}` exports no `{}`",
                    import.module, import.name, import.name
                ))
            })?;
            check_match(importer, import, provider, target)?;
            Ok(Some(target))
        })
        .collect()
}

impl Module {
    /// Links `other` into this module: this module, named `self_name`, has its imports from
    /// `other_name` bound to `other`'s exports, and `other`'s imports from `self_name` are bound
    /// to this module's exports (see the module documentation for the rest).
    pub fn link(&mut self, mut other: Module, self_name: &str, other_name: &str) -> Result<()> {
        if self_name == other_name {
            return Err(Error::new(format!("cannot link: both modules are named `{self_name}`")));
        }
        let mine = resolve(self, &other, other_name)?;
        let theirs = resolve(&other, self, self_name)?;
        if other.start.is_some() && self.start.is_some() {
            return Err(Error::new("cannot link: both modules have a start function"));
        }
        let (my_imports, their_imports) = (import_ids(self), import_ids(&other));
        // Layout: my unresolved imports, theirs, my definitions, theirs.
        let remaining = |ids: &[Option<ImportId>], resolved: &[Option<ExternItem>]| -> Vec<bool> {
            ids.iter().map(|i| i.is_none_or(|i| resolved[i.index()].is_none())).collect()
        };
        let mut me = Layout {
            index: Default::default(),
            keep: Default::default(),
            imports: Vec::new(),
            types: 0,
            elems: 0,
            datas: 0,
        };
        let mut them = Layout {
            index: Default::default(),
            keep: Default::default(),
            imports: Vec::new(),
            types: self.types.len(),
            elems: self.elems.len(),
            datas: self.datas.len(),
        };
        let mut sizes = [0usize; 5];
        for kind in KINDS {
            let k = kind as usize;
            me.keep[k] = remaining(&my_imports[k], &mine);
            them.keep[k] = remaining(&their_imports[k], &theirs);
            me.index[k] = vec![usize::MAX; my_imports[k].len()];
            them.index[k] = vec![usize::MAX; their_imports[k].len()];
            let mut next = 0;
            for (want_import, mine_first) in [(true, true), (true, false), (false, true), (false, false)] {
                let (ids, p) =
                    if mine_first { (&my_imports[k], &mut me) } else { (&their_imports[k], &mut them) };
                for (e, import) in ids.iter().enumerate() {
                    if import.is_some() == want_import && p.keep[k][e] {
                        p.index[k][e] = next;
                        next += 1;
                    }
                }
            }
            sizes[k] = next;
        }
        // Resolved imports take their target's index; a target that is a resolved import
        // itself would make a chain.
        let bind = |p: &mut Layout,
                    ids: &[Vec<Option<ImportId>>; 5],
                    resolved: &[Option<ExternItem>],
                    target: &Layout,
                    imports: &EntityVec<ImportId, ImportData>|
         -> Result<()> {
            for kind in KINDS {
                let k = kind as usize;
                for (e, import) in ids[k].iter().enumerate() {
                    let Some(item) = import.and_then(|i| resolved[i.index()]) else { continue };
                    let (_, t) = kind_of(item);
                    if !target.keep[k][t] {
                        let data = &imports[import.expect("resolved imports are imports")];
                        return Err(Error::new(format!(
                            "cannot link: {}.{} resolves to an export that is itself a linked import",
                            data.module, data.name
                        )));
                    }
                    p.index[k][e] = target.index[k][t];
                }
            }
            Ok(())
        };
        bind(&mut me, &my_imports, &mine, &them, &self.imports)?;
        bind(&mut them, &their_imports, &theirs, &me, &other.imports)?;
        // Import entries: mine that remain, then theirs (filled in once remapped, below).
        let mut next_import = 0;
        for (p, resolved) in [(&mut me, &mine), (&mut them, &theirs)] {
            p.imports = resolved
                .iter()
                .map(|r| {
                    r.is_none().then(|| {
                        next_import += 1;
                        ImportId::new(next_import - 1)
                    })
                })
                .collect();
        }

        // Exports of `other` that resolved none of mine stay, unless the name is taken.
        let used: Vec<&str> = self
            .imports
            .values()
            .zip(&mine)
            .filter(|(_, r)| r.is_some())
            .map(|(data, _)| data.name.as_str())
            .collect();
        let mut extra_exports: Vec<ExportData> = Vec::new();
        for e in std::mem::take(&mut other.exports) {
            if used.contains(&e.name.as_str()) {
                continue;
            }
            if self.export(&e.name).is_some() {
                return Err(Error::new(format!("cannot link: both modules export `{}`", e.name)));
            }
            extra_exports.push(e);
        }
        other.exports = extra_exports;

        let mut my_map = me.merge_map(self);
        self.visit_ids(&mut my_map);
        let mut their_map = them.merge_map(&other);
        other.visit_ids(&mut their_map);

        let mut imports = EntityVec::new();
        for (entries, resolved) in [(&self.imports, &mine), (&other.imports, &theirs)] {
            for (data, r) in entries.values().zip(resolved.iter()) {
                if r.is_none() {
                    imports.push(data.clone());
                }
            }
        }
        self.imports = imports;
        self.append_types_and_segments(&mut other);
        self.exports.append(&mut other.exports);
        // `Module` frees its bodies in parallel on drop, so `other`'s fields are taken, not
        // moved; this module keeps its custom sections and names.
        use std::mem::take;
        self.funcs =
            place(&sizes, Kind::Func, [(take(&mut self.funcs), &me), (take(&mut other.funcs), &them)]);
        self.tables =
            place(&sizes, Kind::Table, [(take(&mut self.tables), &me), (take(&mut other.tables), &them)]);
        self.memories = place(
            &sizes,
            Kind::Memory,
            [(take(&mut self.memories), &me), (take(&mut other.memories), &them)],
        );
        self.globals =
            place(&sizes, Kind::Global, [(take(&mut self.globals), &me), (take(&mut other.globals), &them)]);
        self.tags = place(&sizes, Kind::Tag, [(take(&mut self.tags), &me), (take(&mut other.tags), &them)]);
        self.start = self.start.or(other.start);
        self.has_data_count |= other.has_data_count;
        Ok(())
    }
}
