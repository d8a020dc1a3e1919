//! Renumbering ids: [`Remapping`] after a pass removed entities, and [`MergeMap`] when one
//! module's entities move into another ([`Module::merge`], which appends them after this
//! module's, and `Module::link`, which also interleaves imports).

use crate::ids::*;
use crate::module::*;
use crate::visit::{IdVisitor, VisitIds};

/// Maps from old ids to new ones after entities were removed (`None`: removed).
#[derive(Clone, Debug, Default)]
pub struct Remapping {
    /// Types.
    pub types: Option<Vec<Option<TypeId>>>,
    /// Functions.
    pub funcs: Option<Vec<Option<FuncId>>>,
    /// Tables.
    pub tables: Option<Vec<Option<TableId>>>,
    /// Globals.
    pub globals: Option<Vec<Option<GlobalId>>>,
    /// Tags.
    pub tags: Option<Vec<Option<TagId>>>,
    /// Element segments.
    pub elems: Option<Vec<Option<ElemId>>>,
    /// Data segments.
    pub datas: Option<Vec<Option<DataId>>>,
    /// Import entries.
    pub imports: Option<Vec<Option<ImportId>>>,
}

impl IdVisitor for Remapping {
    fn func(&mut self, id: &mut FuncId) {
        remap_one(&self.funcs, id)
    }
    fn ty(&mut self, id: &mut TypeId) {
        remap_one(&self.types, id)
    }
    fn table(&mut self, id: &mut TableId) {
        remap_one(&self.tables, id)
    }
    fn global(&mut self, id: &mut GlobalId) {
        remap_one(&self.globals, id)
    }
    fn tag(&mut self, id: &mut TagId) {
        remap_one(&self.tags, id)
    }
    fn elem(&mut self, id: &mut ElemId) {
        remap_one(&self.elems, id)
    }
    fn data(&mut self, id: &mut DataId) {
        remap_one(&self.datas, id)
    }
    fn import(&mut self, id: &mut ImportId) {
        remap_one(&self.imports, id)
    }
}

fn remap_one<K: EntityId>(map: &Option<Vec<Option<K>>>, id: &mut K) {
    if let Some(map) = map {
        *id = map[id.index()].unwrap_or_else(|| panic!("{id:?} was removed but is still used"));
    }
}

/// Where the entities of a module moved into another went, for [`Module::merge`] and
/// `Module::link`; as an [`IdVisitor`] it renumbers the moved module's ids. The one
/// renumbering of appended entities.
#[derive(Clone, Debug, Default)]
pub struct MergeMap {
    /// New id of each of the moved module's types.
    pub types: Vec<TypeId>,
    /// New id of each of its functions.
    pub funcs: Vec<FuncId>,
    /// New id of each of its tables.
    pub tables: Vec<TableId>,
    /// New id of each of its memories.
    pub memories: Vec<MemoryId>,
    /// New id of each of its globals.
    pub globals: Vec<GlobalId>,
    /// New id of each of its tags.
    pub tags: Vec<TagId>,
    /// New id of each of its element segments.
    pub elems: Vec<ElemId>,
    /// New id of each of its data segments.
    pub datas: Vec<DataId>,
    /// New id of each of its import entries; `None` for one the combination resolved (its
    /// entity is gone, so no id names that entry any more).
    pub imports: Vec<Option<ImportId>>,
}

/// The ids `start..start + n`: where `n` entities appended after `start` others go.
pub(crate) fn appended<K: EntityId>(start: usize, n: usize) -> Vec<K> {
    (start..start + n).map(K::new).collect()
}

impl IdVisitor for MergeMap {
    fn func(&mut self, id: &mut FuncId) {
        *id = self.funcs[id.index()]
    }
    fn ty(&mut self, id: &mut TypeId) {
        *id = self.types[id.index()]
    }
    fn table(&mut self, id: &mut TableId) {
        *id = self.tables[id.index()]
    }
    fn memory(&mut self, id: &mut MemoryId) {
        *id = self.memories[id.index()]
    }
    fn global(&mut self, id: &mut GlobalId) {
        *id = self.globals[id.index()]
    }
    fn tag(&mut self, id: &mut TagId) {
        *id = self.tags[id.index()]
    }
    fn elem(&mut self, id: &mut ElemId) {
        *id = self.elems[id.index()]
    }
    fn data(&mut self, id: &mut DataId) {
        *id = self.datas[id.index()]
    }
    fn import(&mut self, id: &mut ImportId) {
        if let Some(new) = self.imports[id.index()] {
            *id = new;
        }
    }
}

impl Module {
    /// Appends every type, function, table, global, tag and segment of `other` to this module
    /// and returns where they went. `other` must import nothing and have no start function;
    /// its memories are not added but mapped onto this module's by `memory`. Exports and
    /// custom sections of `other` are dropped.
    pub fn merge(
        &mut self,
        mut other: Module,
        memory: &dyn Fn(MemoryId) -> MemoryId,
    ) -> crate::Result<MergeMap> {
        if !other.imports.is_empty() || other.start.is_some() {
            return Err(crate::Error::new("a merged module may not import or have a start function"));
        }
        let mut map = MergeMap {
            types: appended(self.types.len(), other.types.len()),
            funcs: appended(self.funcs.len(), other.funcs.len()),
            tables: appended(self.tables.len(), other.tables.len()),
            memories: other.memories.ids().map(memory).collect(),
            globals: appended(self.globals.len(), other.globals.len()),
            tags: appended(self.tags.len(), other.tags.len()),
            elems: appended(self.elems.len(), other.elems.len()),
            datas: appended(self.datas.len(), other.datas.len()),
            imports: Vec::new(),
        };
        other.visit_ids(&mut map);
        self.append_types_and_segments(&mut other);
        self.funcs.append(&mut other.funcs);
        self.tables.append(&mut other.tables);
        self.globals.append(&mut other.globals);
        self.tags.append(&mut other.tags);
        Ok(map)
    }

    /// Moves `other`'s types, rec groups and segments after this module's, once `other` is
    /// renumbered (they are appended whole when two modules are combined).
    pub(crate) fn append_types_and_segments(&mut self, other: &mut Module) {
        self.types.append(&mut other.types);
        self.rec_groups.append(&mut other.rec_groups);
        self.elems.append(&mut other.elems);
        self.datas.append(&mut other.datas);
    }
}
