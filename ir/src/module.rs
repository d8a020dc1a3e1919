//! The module: every section's entities in typed vectors, and the API passes use to build and
//! edit them.
//!
//! Architecture invariants (checked by the writer):
//! - ids are dense indices; in every index space imported entities come before defined ones,
//!   so an id is the index the binary uses;
//! - types are stored in index order and partitioned into rec groups (`rec_groups`);
//! - a function body's instructions live in sequences owned by exactly one structured
//!   instruction (or the body's entry), and branch targets name sequences that enclose them.

use crate::ids::*;
use crate::instr::Instr;
use crate::types::*;
use crate::visit::{IdVisitor, VisitIds, walks};

/// A constant expression: a flat list of constant instructions.
pub type ConstExpr = Vec<Instr>;

/// Whether an entity is imported or defined here, with what a definition holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Def<T> {
    /// Imported by this entry of the import section.
    Import(ImportId),
    /// Defined in this module.
    Local(T),
}

impl<T> Def<T> {
    /// Whether the entity is imported.
    pub fn is_import(&self) -> bool {
        matches!(self, Def::Import(_))
    }

    /// The definition, if the entity is defined here.
    pub fn local(&self) -> Option<&T> {
        match self {
            Def::Local(t) => Some(t),
            Def::Import(_) => None,
        }
    }

    /// The definition, mutably, if the entity is defined here.
    pub fn local_mut(&mut self) -> Option<&mut T> {
        match self {
            Def::Local(t) => Some(t),
            Def::Import(_) => None,
        }
    }
}

/// A function.
#[derive(Clone, Debug, PartialEq)]
pub struct FuncData {
    /// Its type (a function type).
    pub ty: TypeId,
    /// Imported, or its body.
    pub def: Def<FuncBody>,
    /// Its name from the name section.
    pub name: Option<String>,
}

/// A table.
#[derive(Clone, Debug, PartialEq)]
pub struct TableData {
    /// Its type.
    pub ty: TableType,
    /// Imported, or its initialiser expression (`None`: null).
    pub def: Def<Option<ConstExpr>>,
    /// Its name from the name section.
    pub name: Option<String>,
}

/// A memory.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryData {
    /// Its type.
    pub ty: MemoryType,
    /// Imported or defined.
    pub def: Def<()>,
    /// Its name from the name section.
    pub name: Option<String>,
}

/// A global.
#[derive(Clone, Debug, PartialEq)]
pub struct GlobalData {
    /// Its type.
    pub ty: GlobalType,
    /// Imported, or its initialiser.
    pub def: Def<ConstExpr>,
    /// Its name from the name section.
    pub name: Option<String>,
}

/// A tag.
#[derive(Clone, Debug, PartialEq)]
pub struct TagData {
    /// Its function type: parameters are the payload, results what a `suspend` receives.
    pub ty: TypeId,
    /// Imported or defined.
    pub def: Def<()>,
    /// Its name from the name section.
    pub name: Option<String>,
}

/// An entity that can be imported or exported.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExternItem {
    /// A function.
    Func(FuncId),
    /// A table.
    Table(TableId),
    /// A memory.
    Memory(MemoryId),
    /// A global.
    Global(GlobalId),
    /// A tag.
    Tag(TagId),
}

/// An entry of the import section.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportData {
    /// The module name.
    pub module: String,
    /// The field name.
    pub name: String,
    /// The entity it provides.
    pub item: ExternItem,
    /// Custom descriptors: the function is imported with an exact type.
    pub exact: bool,
}

/// An export.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportData {
    /// The exported name.
    pub name: String,
    /// The entity.
    pub item: ExternItem,
}

/// How an element segment is used.
#[derive(Clone, Debug, PartialEq)]
pub enum ElemMode {
    /// Used by `table.init` and `array.new_elem`.
    Passive,
    /// Declares functions for `ref.func`.
    Declared,
    /// Copied into a table at instantiation.
    Active {
        /// The table.
        table: TableId,
        /// Whether the binary named the table explicitly (encoding choice only).
        explicit_table: bool,
        /// Where in the table.
        offset: ConstExpr,
    },
}

/// The items of an element segment.
#[derive(Clone, Debug, PartialEq)]
pub enum ElemItems {
    /// Function indices (`funcref`, non-null).
    Functions(Vec<FuncId>),
    /// Constant expressions of a reference type.
    Expressions(RefType, Vec<ConstExpr>),
}

/// An element segment.
#[derive(Clone, Debug, PartialEq)]
pub struct ElemData {
    /// How it is used.
    pub mode: ElemMode,
    /// Its items.
    pub items: ElemItems,
    /// Its name from the name section.
    pub name: Option<String>,
}

/// How a data segment is used.
#[derive(Clone, Debug, PartialEq)]
pub enum DataMode {
    /// Used by `memory.init` and `array.new_data`.
    Passive,
    /// Copied into a memory at instantiation.
    Active {
        /// The memory.
        memory: MemoryId,
        /// Where in the memory.
        offset: ConstExpr,
    },
}

/// A data segment.
#[derive(Clone, Debug, PartialEq)]
pub struct DataData {
    /// How it is used.
    pub mode: DataMode,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its name from the name section.
    pub name: Option<String>,
}

/// A custom section other than `name`, kept as bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomSection {
    /// The section's name.
    pub name: String,
    /// Its contents.
    pub data: Vec<u8>,
    /// How many known sections precede it (see [`Placement`]).
    pub placement: Placement,
}

/// Where a custom section goes: after this many of the known sections, counted in the order
/// the binary format prescribes (type, import, function, table, memory, tag, global, export,
/// start, element, data count, code, data).
pub type Placement = u8;

/// A rec group: how many consecutive types it holds and whether it was written as `(rec ...)`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RecGroupData {
    /// Whether the group is explicit (`(rec ...)`), which a single type need not be.
    pub explicit: bool,
    /// How many types it holds.
    pub len: u32,
}

/// A local variable (or parameter) of a function.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalData {
    /// Its type.
    pub ty: ValType,
    /// Its name from the name section.
    pub name: Option<String>,
}

/// An instruction sequence: a function body, block, loop, `if` arm or `try_table` body.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SeqData {
    /// The instructions.
    pub instrs: Vec<Instr>,
    /// The label's name from the name section.
    pub name: Option<String>,
}

/// The body of a defined function.
#[derive(Clone, Debug)]
pub struct FuncBody {
    /// Parameters then declared locals.
    pub locals: EntityVec<LocalId, LocalData>,
    /// How many of the locals are parameters.
    pub num_params: u32,
    /// Every sequence; `entry` and those reachable from it through bodies are live.
    pub seqs: EntityVec<SeqId, SeqData>,
    /// The function's top-level sequence (whose label is the function's).
    pub entry: SeqId,
    /// Where the body began in the binary it was read from, for error messages that point
    /// into the input (`None` for bodies built by passes). Not part of the body's identity.
    pub source_offset: Option<usize>,
}

impl PartialEq for FuncBody {
    fn eq(&self, other: &Self) -> bool {
        self.locals == other.locals
            && self.num_params == other.num_params
            && self.seqs == other.seqs
            && self.entry == other.entry
    }
}

impl FuncBody {
    /// An empty body for a function with these parameter types.
    pub fn new(params: &[ValType]) -> Self {
        let mut seqs = EntityVec::new();
        let entry = seqs.push(SeqData::default());
        FuncBody {
            locals: params.iter().map(|&ty| LocalData { ty, name: None }).collect(),
            num_params: params.len() as u32,
            seqs,
            entry,
            source_offset: None,
        }
    }

    /// Adds a local of type `ty`.
    pub fn add_local(&mut self, ty: ValType) -> LocalId {
        self.locals.push(LocalData { ty, name: None })
    }

    /// Adds an empty sequence, to be owned by a structured instruction the caller adds.
    pub fn add_seq(&mut self) -> SeqId {
        self.seqs.push(SeqData::default())
    }

    /// The instructions of a sequence.
    pub fn instrs(&self, seq: SeqId) -> &[Instr] {
        &self.seqs[seq].instrs
    }

    /// The instructions of a sequence, to edit (`Vec::splice`, `insert`, `push`...).
    pub fn instrs_mut(&mut self, seq: SeqId) -> &mut Vec<Instr> {
        &mut self.seqs[seq].instrs
    }

    /// Replaces `range` of `seq` with `with`, returning the instructions removed.
    pub fn splice(
        &mut self,
        seq: SeqId,
        range: std::ops::Range<usize>,
        with: impl IntoIterator<Item = Instr>,
    ) -> Vec<Instr> {
        self.seqs[seq].instrs.splice(range, with).collect()
    }

    /// The declared locals (parameters aside) as the binary declares them: runs of one type,
    /// each `(count, type)`.
    pub fn local_groups(&self) -> Vec<(u32, ValType)> {
        let mut groups: Vec<(u32, ValType)> = Vec::new();
        for local in self.locals.values().skip(self.num_params as usize) {
            match groups.last_mut() {
                Some((n, t)) if *t == local.ty => *n += 1,
                _ => groups.push((1, local.ty)),
            }
        }
        groups
    }

    /// The live sequences (the entry and every body reachable from it), parents before
    /// children. Iterative, so deep nesting cannot overflow the stack.
    pub fn live_seqs(&self) -> Vec<SeqId> {
        let mut order = Vec::new();
        let mut stack = vec![self.entry];
        while let Some(seq) = stack.pop() {
            order.push(seq);
            for instr in self.seqs[seq].instrs.iter().rev() {
                let bodies: Vec<SeqId> = instr.bodies().collect();
                stack.extend(bodies.into_iter().rev());
            }
        }
        order
    }

    /// Drops sequences no longer reachable from the entry and renumbers the rest.
    pub fn compact_seqs(&mut self) {
        let mut live = vec![false; self.seqs.len()];
        for s in self.live_seqs() {
            live[s.index()] = true;
        }
        if live.iter().all(|&l| l) {
            return;
        }
        let map = self.seqs.retain_with_map(|s, _| live[s.index()]);
        struct Renumber<'a>(&'a [Option<SeqId>]);
        impl IdVisitor for Renumber<'_> {
            fn label(&mut self, id: &mut SeqId) {
                *id = self.0[id.index()].expect("branch to a sequence that is not live");
            }
            fn body(&mut self, id: &mut SeqId) {
                *id = self.0[id.index()].expect("live body");
            }
        }
        let mut renumber = Renumber(&map);
        for seq in self.seqs.values_mut() {
            for instr in &mut seq.instrs {
                instr.visit_ids(&mut renumber);
            }
        }
        self.entry = map[self.entry.index()].expect("entry is live");
    }
}

// A body shows the local types, then every id in the live code.
walks! {
    FuncBody => |this, v| {
        let live = this.live_seqs();
        let FuncBody { locals, seqs, .. } = this;
        for local in locals {
            local.ty.walk(v);
        }
        for seq in live {
            seqs[seq].instrs.walk(v);
        }
    }
}

/// Names from the name section that belong to no entity the IR stores otherwise.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ModuleNames {
    /// The module's name.
    pub module: Option<String>,
    /// Where the name section was (written at the end when `None`).
    pub placement: Option<Placement>,
}

/// A WebAssembly module.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Module {
    /// Types, in index order.
    pub types: EntityVec<TypeId, SubTypeData>,
    /// The rec groups that partition `types`.
    pub rec_groups: Vec<RecGroupData>,
    /// The import section, in order.
    pub imports: EntityVec<ImportId, ImportData>,
    /// Functions: imported first, then defined.
    pub funcs: EntityVec<FuncId, FuncData>,
    /// Tables: imported first, then defined.
    pub tables: EntityVec<TableId, TableData>,
    /// Memories: imported first, then defined.
    pub memories: EntityVec<MemoryId, MemoryData>,
    /// Globals: imported first, then defined.
    pub globals: EntityVec<GlobalId, GlobalData>,
    /// Tags: imported first, then defined.
    pub tags: EntityVec<TagId, TagData>,
    /// Exports, in order.
    pub exports: Vec<ExportData>,
    /// The start function.
    pub start: Option<FuncId>,
    /// Element segments.
    pub elems: EntityVec<ElemId, ElemData>,
    /// Data segments.
    pub datas: EntityVec<DataId, DataData>,
    /// Whether the binary had a data count section (written again, and whenever needed).
    pub has_data_count: bool,
    /// Custom sections other than `name`.
    pub customs: Vec<CustomSection>,
    /// The module name and where the name section goes.
    pub names: ModuleNames,
}

impl Module {
    /// An empty module.
    pub fn new() -> Self {
        Module::default()
    }

    /// Adds a type in a rec group of its own, reusing an identical lone type if there is one.
    pub fn add_type(&mut self, ty: SubTypeData) -> TypeId {
        if let Some(id) = self.find_type(&ty) {
            return id;
        }
        self.rec_groups.push(RecGroupData { explicit: false, len: 1 });
        self.types.push(ty)
    }

    /// The type [`add_type`](Self::add_type) would reuse for `ty`: one of the same structure
    /// alone in an implicit rec group (so that it is the same type, not merely an equal one).
    /// Names are not compared: they do not make types distinct.
    pub fn find_type(&self, ty: &SubTypeData) -> Option<TypeId> {
        let same = |t: &SubTypeData| {
            t.is_final == ty.is_final && t.supertype == ty.supertype && t.composite == ty.composite
        };
        let mut start = 0usize;
        for group in &self.rec_groups {
            if group.len == 1 && !group.explicit && same(&self.types[TypeId::new(start)]) {
                return Some(TypeId::new(start));
            }
            start += group.len as usize;
        }
        None
    }

    /// Adds (or reuses) the function type `params -> results`.
    pub fn add_func_type(&mut self, params: &[ValType], results: &[ValType]) -> TypeId {
        self.add_type(SubTypeData::func(params.to_vec(), results.to_vec()))
    }

    /// The function type `ty` names.
    ///
    /// # Panics
    /// If `ty` is not a function type (the module was validated, so callers know).
    pub fn func_type(&self, ty: TypeId) -> &FuncType {
        self.types[ty].as_func().expect("not a function type")
    }

    /// The type of function `f`.
    pub fn func_type_of(&self, f: FuncId) -> &FuncType {
        self.func_type(self.funcs[f].ty)
    }

    /// Adds a defined function of type `ty` with `body` and returns its id.
    pub fn add_function(&mut self, ty: TypeId, body: FuncBody) -> FuncId {
        self.funcs.push(FuncData { ty, def: Def::Local(body), name: None })
    }

    /// Adds a defined function of type `[] -> []`, named `name`, whose body is the
    /// straight-line `code` (a start function made of calls and initialisations).
    pub fn add_nullary_function(&mut self, name: &str, code: Vec<Instr>) -> FuncId {
        let ty = self.add_func_type(&[], &[]);
        let mut body = FuncBody::new(&[]);
        let entry = body.entry;
        body.instrs_mut(entry).extend(code);
        let f = self.add_function(ty, body);
        self.funcs[f].name = Some(name.to_string());
        f
    }

    /// Adds a defined global and returns its id.
    pub fn add_global(&mut self, ty: GlobalType, init: ConstExpr) -> GlobalId {
        self.globals.push(GlobalData { ty, def: Def::Local(init), name: None })
    }

    /// Adds a defined table and returns its id.
    pub fn add_table(&mut self, ty: TableType, init: Option<ConstExpr>) -> TableId {
        self.tables.push(TableData { ty, def: Def::Local(init), name: None })
    }

    /// Adds a defined memory and returns its id.
    pub fn add_memory(&mut self, ty: MemoryType) -> MemoryId {
        self.memories.push(MemoryData { ty, def: Def::Local(()), name: None })
    }

    /// Exports `item` as `name`.
    pub fn add_export(&mut self, name: impl Into<String>, item: ExternItem) {
        self.exports.push(ExportData { name: name.into(), item });
    }

    /// The export named `name`.
    pub fn export(&self, name: &str) -> Option<ExternItem> {
        self.exports.iter().find(|e| e.name == name).map(|e| e.item)
    }

    /// The body of function `f`, if it is defined here.
    pub fn body(&self, f: FuncId) -> Option<&FuncBody> {
        self.funcs[f].def.local()
    }

    /// The body of function `f`, mutably, if it is defined here.
    pub fn body_mut(&mut self, f: FuncId) -> Option<&mut FuncBody> {
        self.funcs[f].def.local_mut()
    }
}

impl Drop for Module {
    /// Frees a big module's function bodies in parallel: millions of instructions and
    /// sequences make freeing them a visible part of a round trip.
    fn drop(&mut self) {
        use rayon::prelude::*;
        const PARALLEL_FROM: usize = 256;
        if self.funcs.len() >= PARALLEL_FROM {
            std::mem::take(&mut self.funcs).into_vec().into_par_iter().for_each(drop);
        }
    }
}

/// Label names gathered while reading, applied once the name section is read.
pub(crate) type LabelOrder = Vec<SeqId>;
