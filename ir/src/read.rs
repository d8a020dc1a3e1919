//! Reads a binary module into the IR, validating it as it goes.
//!
//! Validation and reading share one parse. The sections are validated in order first (as
//! `validate::validate` does), then read; each function body is then validated and read in
//! one pass over its operators, the bodies in parallel: every operator is decoded once, handed
//! to the body's `wasmparser` validator, and only then converted, so the reader can rely on
//! indices being in range. Errors come as they would from validating first and reading
//! after: a section's error first, then the first invalid body's, and only for a valid module
//! what the reader refuses (anything it does not support), with the byte offset.
//!
//! Operators become structured sequences: each `block`/`loop`/`if`/`try_table` opens a
//! sequence, `else` opens the `if`'s second arm, and branch depths are resolved to the
//! sequence of the target label.

use crate::error::{Error, Result};
use crate::ids::*;
use crate::instr::Instr;
use crate::module::*;
use crate::types::*;
use rayon::prelude::*;
use std::collections::BTreeMap;
use wasmparser as wp;

mod body;
mod decode;

use crate::instr::ReadLabels;
use body::{BodyOutcome, FuncToValidate, Scratch, read_body};
use decode::{Decoder, InstrSink};

/// Validates `bytes` with `features` and reads them into a module.
pub(crate) fn read(bytes: &[u8], features: wp::WasmFeatures) -> Result<Module> {
    let mut validator = wp::Validator::new_with_features(features);
    let mut payloads = Vec::new();
    let mut funcs = Vec::new();
    for payload in wp::Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        let valid = validator.payload(&payload)?;
        payloads.push(payload);
        match valid {
            wp::ValidPayload::Func(func, _) => funcs.push(func),
            wp::ValidPayload::End(_) => break,
            wp::ValidPayload::Ok | wp::ValidPayload::Parser(_) => {}
        }
    }
    let mut reader = ModuleReader::default();
    for payload in payloads {
        if let Err(refusal) = reader.payload(payload) {
            // An invalid body is reported before what the reader refuses.
            crate::validate::validate_bodies(funcs.into_iter().zip(reader.bodies).collect())?;
            return Err(refusal);
        }
    }
    reader.finish(funcs)
}

#[derive(Default)]
struct ModuleReader<'a> {
    module: Module,
    /// Number of known sections seen so far, for custom-section placement.
    sections_seen: Placement,
    defined_func_types: Vec<TypeId>,
    bodies: Vec<wp::FunctionBody<'a>>,
    names: Option<(wp::NameSectionReader<'a>, Placement)>,
}

/// The known sections in the order the binary format prescribes (custom sections aside).
pub(crate) const SECTION_ORDER: [u8; 13] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

fn placement_after(section_id: u8) -> Placement {
    SECTION_ORDER.iter().position(|&s| s == section_id).map_or(0, |p| p as Placement + 1)
}

impl<'a> ModuleReader<'a> {
    fn payload(&mut self, payload: wp::Payload<'a>) -> Result<()> {
        use wp::Payload::*;
        let m = &mut self.module;
        match payload {
            Version { encoding, range, .. } => {
                if encoding != wp::Encoding::Module {
                    return Err(Error::unsupported("components (only core modules are read)").at(range.start));
                }
            }
            TypeSection(r) => {
                self.sections_seen = placement_after(1);
                for group in r {
                    let group = group?;
                    let start = m.types.len() as u32;
                    let explicit = group.is_explicit_rec_group();
                    let mut len = 0;
                    for sub in group.into_types() {
                        m.types.push(SubTypeData::from_wp(&sub, start));
                        len += 1;
                    }
                    m.rec_groups.push(RecGroupData { explicit, len });
                }
            }
            ImportSection(r) => {
                self.sections_seen = placement_after(2);
                for import in r.into_imports() {
                    let import = import?;
                    let id = ImportId::new(m.imports.len());
                    let (item, exact) = match import.ty {
                        wp::TypeRef::Func(t) | wp::TypeRef::FuncExact(t) => (
                            ExternItem::Func(m.funcs.push(FuncData {
                                ty: TypeId::new(t as usize),
                                def: Def::Import(id),
                                name: None,
                            })),
                            matches!(import.ty, wp::TypeRef::FuncExact(_)),
                        ),
                        wp::TypeRef::Table(t) => (
                            ExternItem::Table(m.tables.push(TableData {
                                ty: TableType::from_wp(t),
                                def: Def::Import(id),
                                name: None,
                            })),
                            false,
                        ),
                        wp::TypeRef::Memory(t) => (
                            ExternItem::Memory(m.memories.push(MemoryData {
                                ty: t,
                                def: Def::Import(id),
                                name: None,
                            })),
                            false,
                        ),
                        wp::TypeRef::Global(t) => (
                            ExternItem::Global(m.globals.push(GlobalData {
                                ty: GlobalType::from_wp(t),
                                def: Def::Import(id),
                                name: None,
                            })),
                            false,
                        ),
                        wp::TypeRef::Tag(t) => (
                            ExternItem::Tag(m.tags.push(TagData {
                                ty: TypeId::new(t.func_type_idx as usize),
                                def: Def::Import(id),
                                name: None,
                            })),
                            false,
                        ),
                    };
                    m.imports.push(ImportData {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        item,
                        exact,
                    });
                }
            }
            FunctionSection(r) => {
                self.sections_seen = placement_after(3);
                for ty in r {
                    self.defined_func_types.push(TypeId::new(ty? as usize));
                }
            }
            TableSection(r) => {
                self.sections_seen = placement_after(4);
                for table in r {
                    let table = table?;
                    let init = match table.init {
                        wp::TableInit::RefNull => None,
                        wp::TableInit::Expr(e) => Some(const_expr(&e)?),
                    };
                    m.tables.push(TableData {
                        ty: TableType::from_wp(table.ty),
                        def: Def::Local(init),
                        name: None,
                    });
                }
            }
            MemorySection(r) => {
                self.sections_seen = placement_after(5);
                for mem in r {
                    m.memories.push(MemoryData { ty: mem?, def: Def::Local(()), name: None });
                }
            }
            TagSection(r) => {
                self.sections_seen = placement_after(13);
                for tag in r {
                    let tag = tag?;
                    m.tags.push(TagData {
                        ty: TypeId::new(tag.func_type_idx as usize),
                        def: Def::Local(()),
                        name: None,
                    });
                }
            }
            GlobalSection(r) => {
                self.sections_seen = placement_after(6);
                for global in r {
                    let global = global?;
                    let init = const_expr(&global.init_expr)?;
                    m.globals.push(GlobalData {
                        ty: GlobalType::from_wp(global.ty),
                        def: Def::Local(init),
                        name: None,
                    });
                }
            }
            ExportSection(r) => {
                self.sections_seen = placement_after(7);
                for export in r {
                    let export = export?;
                    let index = export.index as usize;
                    let item = match export.kind {
                        wp::ExternalKind::Func | wp::ExternalKind::FuncExact => {
                            ExternItem::Func(FuncId::new(index))
                        }
                        wp::ExternalKind::Table => ExternItem::Table(TableId::new(index)),
                        wp::ExternalKind::Memory => ExternItem::Memory(MemoryId::new(index)),
                        wp::ExternalKind::Global => ExternItem::Global(GlobalId::new(index)),
                        wp::ExternalKind::Tag => ExternItem::Tag(TagId::new(index)),
                    };
                    m.exports.push(ExportData { name: export.name.to_string(), item });
                }
            }
            StartSection { func, .. } => {
                self.sections_seen = placement_after(8);
                m.start = Some(FuncId::new(func as usize));
            }
            ElementSection(r) => {
                self.sections_seen = placement_after(9);
                for elem in r {
                    let elem = elem?;
                    let mode = match elem.kind {
                        wp::ElementKind::Passive => ElemMode::Passive,
                        wp::ElementKind::Declared => ElemMode::Declared,
                        wp::ElementKind::Active { table_index, offset_expr } => ElemMode::Active {
                            table: TableId::new(table_index.unwrap_or(0) as usize),
                            explicit_table: table_index.is_some(),
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    let items = match elem.items {
                        wp::ElementItems::Functions(fs) => ElemItems::Functions(
                            fs.into_iter().map(|f| Ok(FuncId::new(f? as usize))).collect::<Result<_>>()?,
                        ),
                        wp::ElementItems::Expressions(ty, exprs) => ElemItems::Expressions(
                            RefType::from_wp(ty, 0),
                            exprs.into_iter().map(|e| const_expr(&e?)).collect::<Result<_>>()?,
                        ),
                    };
                    m.elems.push(ElemData { mode, items, name: None });
                }
            }
            DataCountSection { .. } => {
                self.sections_seen = placement_after(12);
                m.has_data_count = true;
            }
            DataSection(r) => {
                self.sections_seen = placement_after(11);
                for data in r {
                    let data = data?;
                    let mode = match data.kind {
                        wp::DataKind::Passive => DataMode::Passive,
                        wp::DataKind::Active { memory_index, offset_expr } => DataMode::Active {
                            memory: MemoryId::new(memory_index as usize),
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    m.datas.push(DataData { mode, bytes: data.data.to_vec(), name: None });
                }
            }
            CodeSectionStart { .. } => {
                self.sections_seen = placement_after(10);
            }
            CodeSectionEntry(body) => self.bodies.push(body),
            CustomSection(c) => {
                if c.name() == "name"
                    && let wp::KnownCustom::Name(names) = c.as_known()
                    && self.names.is_none()
                    && names_are_known(names.clone())
                {
                    self.names = Some((names, self.sections_seen));
                    return Ok(());
                }
                m.customs.push(crate::module::CustomSection {
                    name: c.name().to_string(),
                    data: c.data().to_vec(),
                    placement: self.sections_seen,
                });
            }
            ModuleSection { .. } | ComponentSection { .. } => {
                return Err(Error::unsupported("components (only core modules are read)"));
            }
            UnknownSection { id, range, .. } => {
                return Err(Error::new(format!("unknown section with id {id}")).at(range.start));
            }
            End(_) => {}
            _ => return Err(Error::unsupported("a section this build does not know")),
        }
        Ok(())
    }

    fn finish(mut self, funcs: Vec<FuncToValidate>) -> Result<Module> {
        let m = &mut self.module;
        let first_defined = m.funcs.len();
        let param_types: Vec<Vec<ValType>> = self
            .defined_func_types
            .iter()
            .map(|&ty| m.types[ty].as_func().map(|f| f.params.clone()).unwrap_or_default())
            .collect();
        let bodies: Vec<_> =
            std::mem::take(&mut self.bodies).into_iter().zip(funcs).zip(&param_types).collect();
        let outcomes: Vec<BodyOutcome> = bodies
            .into_par_iter()
            .map_init(Scratch::default, |scratch, ((body, func), params)| {
                read_body(&body, params, func, scratch)
            })
            .collect();
        // The first invalid body, in order, as validating the whole module first would say;
        // then the first the reader refuses.
        let mut read_bodies = Vec::with_capacity(outcomes.len());
        let mut refused = None;
        for outcome in outcomes {
            match outcome {
                BodyOutcome::Read(body, labels) => read_bodies.push((body, labels)),
                BodyOutcome::Invalid(e) => return Err(e),
                BodyOutcome::Refused(e) => {
                    refused.get_or_insert(e);
                }
            }
        }
        if let Some(e) = refused {
            return Err(e);
        }
        let mut label_orders = Vec::with_capacity(read_bodies.len());
        for (ty, (body, labels)) in self.defined_func_types.iter().zip(read_bodies) {
            m.funcs.push(FuncData { ty: *ty, def: Def::Local(body), name: None });
            label_orders.push(labels);
        }
        if let Some((names, placement)) = self.names.take() {
            m.names.placement = Some(placement);
            apply_names(m, names, first_defined, &label_orders)?;
        }
        Ok(self.module)
    }
}

/// Whether every subsection of a name section is one the IR keeps structurally; otherwise
/// the section is kept as raw bytes so nothing is lost.
fn names_are_known(names: wp::NameSectionReader<'_>) -> bool {
    names.into_iter().all(|n| match n {
        Ok(wp::Name::Unknown { .. }) | Err(_) => false,
        Ok(_) => true,
    })
}

fn name_map(map: wp::NameMap<'_>) -> Result<Vec<(u32, String)>> {
    map.into_iter().map(|n| n.map(|n| (n.index, n.name.to_string())).map_err(Error::from)).collect()
}

fn set_names<K: EntityId, V>(
    items: &mut EntityVec<K, V>,
    map: wp::NameMap<'_>,
    name: impl Fn(&mut V) -> &mut Option<String>,
) -> Result<()> {
    for (index, n) in name_map(map)? {
        if let Some(item) = items.get_mut(K::new(index as usize)) {
            *name(item) = Some(n);
        }
    }
    Ok(())
}

fn apply_names(
    m: &mut Module,
    names: wp::NameSectionReader<'_>,
    first_defined: usize,
    labels: &[LabelOrder],
) -> Result<()> {
    for name in names {
        match name? {
            wp::Name::Module { name, .. } => m.names.module = Some(name.to_string()),
            wp::Name::Function(map) => set_names(&mut m.funcs, map, |f| &mut f.name)?,
            wp::Name::Local(map) => {
                for indirect in map {
                    let indirect = indirect?;
                    if let Some(Def::Local(body)) =
                        m.funcs.get_mut(FuncId::new(indirect.index as usize)).map(|f| &mut f.def)
                    {
                        set_names(&mut body.locals, indirect.names, |l| &mut l.name)?;
                    }
                }
            }
            wp::Name::Label(map) => {
                for indirect in map {
                    let indirect = indirect?;
                    let func = indirect.index as usize;
                    let Some(order) = func.checked_sub(first_defined).and_then(|i| labels.get(i)) else {
                        continue;
                    };
                    if let Some(Def::Local(body)) = m.funcs.get_mut(FuncId::new(func)).map(|f| &mut f.def) {
                        for (index, n) in name_map(indirect.names)? {
                            if let Some(&seq) = order.get(index as usize) {
                                body.seqs[seq].name = Some(n);
                            }
                        }
                    }
                }
            }
            wp::Name::Type(map) => set_names(&mut m.types, map, |t| &mut t.name)?,
            wp::Name::Table(map) => set_names(&mut m.tables, map, |t| &mut t.name)?,
            wp::Name::Memory(map) => set_names(&mut m.memories, map, |t| &mut t.name)?,
            wp::Name::Global(map) => set_names(&mut m.globals, map, |t| &mut t.name)?,
            wp::Name::Element(map) => set_names(&mut m.elems, map, |t| &mut t.name)?,
            wp::Name::Data(map) => set_names(&mut m.datas, map, |t| &mut t.name)?,
            wp::Name::Tag(map) => set_names(&mut m.tags, map, |t| &mut t.name)?,
            wp::Name::Field(map) => {
                for indirect in map {
                    let indirect = indirect?;
                    if let Some(ty) = m.types.get_mut(TypeId::new(indirect.index as usize)) {
                        let fields: BTreeMap<u32, String> = name_map(indirect.names)?.into_iter().collect();
                        ty.field_names = fields;
                    }
                }
            }
            wp::Name::Unknown { .. } => unreachable!("checked by names_are_known"),
        }
    }
    Ok(())
}

/// Reads a constant expression (flat, no blocks: the validator has checked it).
fn const_expr(e: &wp::ConstExpr<'_>) -> Result<ConstExpr> {
    let mut ops = e.get_operators_reader();
    let mut sink = ConstExprReader { instrs: Vec::new(), offset: ops.original_position() };
    while !ops.eof() {
        sink.offset = ops.original_position();
        ops.visit_operator(&mut Decoder(&mut sink))??;
    }
    Ok(sink.instrs)
}

/// The instructions of a constant expression, whose final `end` closes nothing.
struct ConstExprReader {
    instrs: Vec<Instr>,
    offset: usize,
}

impl ReadLabels for ConstExprReader {
    fn label(&self, _: u32) -> Result<SeqId> {
        Err(Error::new("a branch in a constant expression").at(self.offset))
    }

    fn open_body(&mut self) -> Result<SeqId> {
        Err(Error::new("a block in a constant expression").at(self.offset))
    }

    fn offset(&self) -> usize {
        self.offset
    }
}

impl InstrSink for ConstExprReader {
    fn push(&mut self, instr: Instr) -> Result<()> {
        self.instrs.push(instr);
        Ok(())
    }

    fn else_(&mut self) -> Result<()> {
        Err(Error::new("`else` in a constant expression").at(self.offset))
    }

    fn end(&mut self) -> Result<()> {
        Ok(())
    }
}
