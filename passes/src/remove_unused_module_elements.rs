//! Removes module elements nothing reachable uses: functions, globals, tables, tags, types
//! (whole rec groups), and passive element and data segments.
//!
//! Roots are what the outside world or instantiation can observe: exports, the start
//! function, active element and data segments (they write to tables and memories when the
//! module is instantiated, and may trap doing so) and every memory (memories are kept). An
//! active element segment is no root when nothing could see what it writes: its table is
//! defined here, and the segment's constant offset and length fit in the table's initial
//! size (so it cannot trap). Such a segment stays only if its table is used otherwise (by
//! code, an export or a kept element) or one of its functions is (the segment may be what
//! declares it for a `ref.func`): the lowering's table of trampolines, filled by one
//! such segment, goes with the trampolines once every start is a direct call. From
//! the roots the pass follows every id each kept element holds (a function's type and body,
//! a global's initialiser, a segment's items and offset, a type's supertype and fields) to a
//! fixpoint, then removes the rest and renumbers every reference.
//!
//! Declarative element segments only declare functions for `ref.func`; they keep the
//! functions that stay and lose the others (and go if empty). Unused imports are removed
//! too, as `wasm-opt` does, which only makes instantiation ask for less. A rec group stays
//! whole if any of its types is used: removing a member would change the identity of the
//! others.

use crate::{Pass, PassArgs};
use std::collections::BTreeSet;
use wasmfx_ir::*;

/// The `remove-unused-module-elements` pass.
pub struct RemoveUnusedModuleElements;

impl Pass for RemoveUnusedModuleElements {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        let used = find_used(module, None);
        remove_unused(module, &used);
        Ok(())
    }
}

/// Functions, globals and tables another pass added and may take back when nothing uses them
/// (the lowering's runtime).
#[derive(Clone, Debug, Default)]
pub(crate) struct Removable {
    pub funcs: BTreeSet<FuncId>,
    pub globals: BTreeSet<GlobalId>,
    pub tables: BTreeSet<TableId>,
}

/// Removes what `removable` names and nothing else uses; every other element stays (and is
/// a root), so only the removed elements and ids after them change.
pub(crate) fn remove_unused_of(module: &mut Module, removable: &Removable) {
    let used = find_used(module, Some(removable));
    remove_unused(module, &used);
}

/// Which elements are used, by index.
#[derive(Default)]
struct Used {
    funcs: Vec<bool>,
    tables: Vec<bool>,
    globals: Vec<bool>,
    tags: Vec<bool>,
    types: Vec<bool>,
    elems: Vec<bool>,
    datas: Vec<bool>,
}

/// The worklist: ids seen for the first time are queued so their own references are followed.
#[derive(Default)]
struct Reach {
    used: Used,
    funcs: Vec<FuncId>,
    tables: Vec<TableId>,
    globals: Vec<GlobalId>,
    tags: Vec<TagId>,
    types: Vec<TypeId>,
    elems: Vec<ElemId>,
}

fn mark<K: EntityId>(seen: &mut [bool], queue: &mut Vec<K>, id: K) {
    if !seen[id.index()] {
        seen[id.index()] = true;
        queue.push(id);
    }
}

impl IdReader for Reach {
    fn func(&mut self, id: &FuncId) {
        mark(&mut self.used.funcs, &mut self.funcs, *id)
    }
    fn ty(&mut self, id: &TypeId) {
        mark(&mut self.used.types, &mut self.types, *id)
    }
    fn table(&mut self, id: &TableId) {
        mark(&mut self.used.tables, &mut self.tables, *id)
    }
    fn global(&mut self, id: &GlobalId) {
        mark(&mut self.used.globals, &mut self.globals, *id)
    }
    fn tag(&mut self, id: &TagId) {
        mark(&mut self.used.tags, &mut self.tags, *id)
    }
    fn elem(&mut self, id: &ElemId) {
        mark(&mut self.used.elems, &mut self.elems, *id)
    }
    fn data(&mut self, id: &DataId) {
        self.used.datas[id.index()] = true;
    }
}

/// What is used: reachable from the roots, and, with `only`, everything `only` does not name.
fn find_used(module: &Module, only: Option<&Removable>) -> Used {
    let mut reach = Reach {
        used: Used {
            funcs: vec![false; module.funcs.len()],
            tables: vec![false; module.tables.len()],
            globals: vec![false; module.globals.len()],
            tags: vec![false; module.tags.len()],
            types: vec![false; module.types.len()],
            elems: vec![false; module.elems.len()],
            datas: vec![false; module.datas.len()],
        },
        ..Reach::default()
    };
    for export in &module.exports {
        export.item.read_ids(&mut reach);
    }
    if let Some(start) = &module.start {
        reach.func(start);
    }
    // Active segments nobody could observe, each with its table: kept once the table is.
    let mut unobserved: Vec<(ElemId, TableId)> = Vec::new();
    for (id, elem) in module.elems.iter() {
        if let ElemMode::Active { table, .. } = &elem.mode {
            match unobservable_table(module, elem) {
                true => unobserved.push((id, *table)),
                false => mark(&mut reach.used.elems, &mut reach.elems, id),
            }
        }
    }
    if let Some(removable) = only {
        // Everything not removable is kept, so it is a root; what it names is followed.
        for id in module.funcs.ids().filter(|id| !removable.funcs.contains(id)) {
            mark(&mut reach.used.funcs, &mut reach.funcs, id);
        }
        for id in module.globals.ids().filter(|id| !removable.globals.contains(id)) {
            mark(&mut reach.used.globals, &mut reach.globals, id);
        }
        for id in module.tables.ids().filter(|id| !removable.tables.contains(id)) {
            mark(&mut reach.used.tables, &mut reach.tables, id);
        }
        for id in module.tags.ids() {
            mark(&mut reach.used.tags, &mut reach.tags, id);
        }
        for id in module.elems.ids() {
            mark(&mut reach.used.elems, &mut reach.elems, id);
        }
        reach.used.types.iter_mut().for_each(|u| *u = true);
        reach.used.datas.iter_mut().for_each(|u| *u = true);
    }
    for (id, data) in module.datas.iter() {
        if let DataMode::Active { offset, .. } = &data.mode {
            reach.used.datas[id.index()] = true;
            offset.read_ids(&mut reach);
        }
    }
    loop {
        if reach.funcs.is_empty()
            && reach.tables.is_empty()
            && reach.globals.is_empty()
            && reach.tags.is_empty()
            && reach.elems.is_empty()
            && reach.types.is_empty()
        {
            // Everything reached is followed: the segments of tables now used are kept too,
            // and those naming a function that stays (they may be what declares it for a
            // `ref.func`).
            unobserved.retain(|&(elem, table)| {
                let kept =
                    reach.used.tables[table.index()] || names_used_function(&module.elems[elem], &reach.used);
                if kept {
                    mark(&mut reach.used.elems, &mut reach.elems, elem);
                }
                !kept
            });
        }
        if let Some(f) = reach.funcs.pop() {
            let data = &module.funcs[f];
            reach.ty(&data.ty);
            data.def.read_ids(&mut reach);
        } else if let Some(t) = reach.tables.pop() {
            let data = &module.tables[t];
            data.ty.element.read_ids(&mut reach);
            if let Def::Local(init) = &data.def {
                init.read_ids(&mut reach);
            }
        } else if let Some(g) = reach.globals.pop() {
            let data = &module.globals[g];
            data.ty.content.read_ids(&mut reach);
            if let Def::Local(init) = &data.def {
                init.read_ids(&mut reach);
            }
        } else if let Some(t) = reach.tags.pop() {
            reach.ty(&module.tags[t].ty);
        } else if let Some(e) = reach.elems.pop() {
            module.elems[e].read_ids(&mut reach);
        } else if let Some(t) = reach.types.pop() {
            follow_type_group(module, t, &mut reach);
        } else {
            break;
        }
    }
    reach.used
}

/// Whether the active segment `elem` writes only where nothing outside the module could see
/// it: into a table defined here, at a constant offset, within the table's initial size.
fn unobservable_table(module: &Module, elem: &ElemData) -> bool {
    let ElemMode::Active { table, offset, .. } = &elem.mode else { return false };
    let data = &module.tables[*table];
    let start = match offset.as_slice() {
        [Instr::I32Const { value }] => u64::from(*value as u32),
        [Instr::I64Const { value }] => *value as u64,
        _ => return false,
    };
    let len = match &elem.items {
        ElemItems::Functions(fs) => fs.len(),
        ElemItems::Expressions(_, es) => es.len(),
    } as u64;
    matches!(data.def, Def::Local(_)) && start.checked_add(len).is_some_and(|end| end <= data.ty.initial)
}

/// Whether `elem` holds a function that is used.
fn names_used_function(elem: &ElemData, used: &Used) -> bool {
    match &elem.items {
        ElemItems::Functions(fs) => fs.iter().any(|f| used.funcs[f.index()]),
        ElemItems::Expressions(_, es) => es.iter().flatten().any(|i| match i {
            Instr::RefFunc { function_index } => used.funcs[function_index.index()],
            _ => false,
        }),
    }
}

/// Marks every type of `t`'s rec group and follows what they name.
fn follow_type_group(module: &Module, t: TypeId, reach: &mut Reach) {
    let mut start = 0usize;
    for group in &module.rec_groups {
        let end = start + group.len as usize;
        if (start..end).contains(&t.index()) {
            for i in start..end {
                reach.used.types[i] = true;
                module.types[TypeId::new(i)].read_ids(reach);
            }
            return;
        }
        start = end;
    }
}

fn remove_unused(module: &mut Module, used: &Used) {
    // Declarative segments declare only functions that stay.
    for elem in module.elems.values_mut() {
        if elem.mode == ElemMode::Declared {
            match &mut elem.items {
                ElemItems::Functions(fs) => fs.retain(|f| used.funcs[f.index()]),
                ElemItems::Expressions(_, exprs) => exprs.retain(|e| {
                    e.iter().all(|i| match i {
                        Instr::RefFunc { function_index } => used.funcs[function_index.index()],
                        _ => true,
                    })
                }),
            }
        }
    }
    let elem_kept: Vec<bool> = module
        .elems
        .values()
        .enumerate()
        .map(|(i, e)| match (&e.mode, &e.items) {
            (ElemMode::Declared, ElemItems::Functions(fs)) => !fs.is_empty(),
            (ElemMode::Declared, ElemItems::Expressions(_, es)) => !es.is_empty(),
            _ => used.elems[i],
        })
        .collect();
    let data_kept = &used.datas;

    let types = retain_types(module, &used.types);
    // Imports of removed entities go; the rest are renumbered like every other id.
    let import_kept: Vec<bool> = module
        .imports
        .values()
        .map(|import| match import.item {
            ExternItem::Func(f) => used.funcs[f.index()],
            ExternItem::Table(t) => used.tables[t.index()],
            ExternItem::Memory(_) => true,
            ExternItem::Global(g) => used.globals[g.index()],
            ExternItem::Tag(t) => used.tags[t.index()],
        })
        .collect();
    let mut remap = Remapping {
        types: Some(types),
        funcs: Some(module.funcs.retain_with_map(|id, _| used.funcs[id.index()])),
        tables: Some(module.tables.retain_with_map(|id, _| used.tables[id.index()])),
        globals: Some(module.globals.retain_with_map(|id, _| used.globals[id.index()])),
        tags: Some(module.tags.retain_with_map(|id, _| used.tags[id.index()])),
        elems: Some(module.elems.retain_with_map(|id, _| elem_kept[id.index()])),
        datas: Some(module.datas.retain_with_map(|id, _| data_kept[id.index()])),
        imports: Some(module.imports.retain_with_map(|id, _| import_kept[id.index()])),
    };
    module.visit_ids(&mut remap);
}

/// Keeps the rec groups with a used type; returns the map from old type ids to new ones.
fn retain_types(module: &mut Module, used: &[bool]) -> Vec<Option<TypeId>> {
    let mut keep = vec![false; module.types.len()];
    let mut groups = Vec::new();
    let mut start = 0usize;
    for group in &module.rec_groups {
        let end = start + group.len as usize;
        if used[start..end].iter().any(|&u| u) {
            keep[start..end].iter_mut().for_each(|k| *k = true);
            groups.push(*group);
        }
        start = end;
    }
    module.rec_groups = groups;
    module.types.retain_with_map(|id, _| keep[id.index()])
}
