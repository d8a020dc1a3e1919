//! Renumbering ids: [`Remapping`] after a pass removed entities, and [`Module::merge`], which
//! appends another module's entities and shifts its ids past this module's.

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

/// Where the entities of a merged module ended up in the module it was merged into.
#[derive(Clone, Debug, Default)]
pub struct MergeMap {
    /// New id of each of the merged module's types.
    pub types: Vec<TypeId>,
    /// New id of each of its functions.
    pub funcs: Vec<FuncId>,
    /// New id of each of its tables.
    pub tables: Vec<TableId>,
    /// New id of each of its globals.
    pub globals: Vec<GlobalId>,
    /// New id of each of its tags.
    pub tags: Vec<TagId>,
    /// New id of each of its element segments.
    pub elems: Vec<ElemId>,
}

struct Shift<'a> {
    map: &'a MergeMap,
    memory: &'a dyn Fn(MemoryId) -> MemoryId,
    datas: u32,
}

impl IdVisitor for Shift<'_> {
    fn func(&mut self, id: &mut FuncId) {
        *id = self.map.funcs[id.index()]
    }
    fn ty(&mut self, id: &mut TypeId) {
        *id = self.map.types[id.index()]
    }
    fn table(&mut self, id: &mut TableId) {
        *id = self.map.tables[id.index()]
    }
    fn memory(&mut self, id: &mut MemoryId) {
        *id = (self.memory)(*id)
    }
    fn global(&mut self, id: &mut GlobalId) {
        *id = self.map.globals[id.index()]
    }
    fn tag(&mut self, id: &mut TagId) {
        *id = self.map.tags[id.index()]
    }
    fn elem(&mut self, id: &mut ElemId) {
        *id = self.map.elems[id.index()]
    }
    fn data(&mut self, id: &mut DataId) {
        *id = DataId::new(id.index() + self.datas as usize)
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
        fn ids<K: EntityId>(start: usize, n: usize) -> Vec<K> {
            (start..start + n).map(K::new).collect()
        }
        let map = MergeMap {
            types: ids(self.types.len(), other.types.len()),
            funcs: ids(self.funcs.len(), other.funcs.len()),
            tables: ids(self.tables.len(), other.tables.len()),
            globals: ids(self.globals.len(), other.globals.len()),
            tags: ids(self.tags.len(), other.tags.len()),
            elems: ids(self.elems.len(), other.elems.len()),
        };
        let mut shift = Shift { map: &map, memory, datas: self.datas.len() as u32 };
        other.visit_ids(&mut shift);
        self.rec_groups.extend(std::mem::take(&mut other.rec_groups));
        for t in other.types.values() {
            self.types.push(t.clone());
        }
        for f in other.funcs.values() {
            self.funcs.push(f.clone());
        }
        for t in other.tables.values() {
            self.tables.push(t.clone());
        }
        for g in other.globals.values() {
            self.globals.push(g.clone());
        }
        for t in other.tags.values() {
            self.tags.push(t.clone());
        }
        for e in other.elems.values() {
            self.elems.push(e.clone());
        }
        for d in other.datas.values() {
            self.datas.push(d.clone());
        }
        Ok(map)
    }
}
