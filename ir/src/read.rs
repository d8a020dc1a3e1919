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
use crate::instr::{IfBody, Instr, ReadLabels};
use crate::module::*;
use crate::types::*;
use rayon::prelude::*;
use std::collections::BTreeMap;
use wasmparser as wp;

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

/// Reads a constant expression (flat, no blocks).
fn const_expr(e: &wp::ConstExpr<'_>) -> Result<ConstExpr> {
    let mut ops = e.get_operators_reader();
    let mut cx = BodyReader::new(ops.original_position());
    let mut instrs = Vec::new();
    while !ops.eof() {
        cx.offset = ops.original_position();
        match ops.read()? {
            wp::Operator::End => {}
            op => instrs.push(Instr::from_operator(op, &mut cx)?),
        }
    }
    Ok(instrs)
}

/// The state of reading one function body: the sequences built so far and the labels open.
struct BodyReader {
    seqs: EntityVec<SeqId, SeqData>,
    labels: Vec<SeqId>,
    label_order: LabelOrder,
    offset: usize,
}

impl BodyReader {
    fn new(offset: usize) -> Self {
        BodyReader { seqs: EntityVec::new(), labels: Vec::new(), label_order: Vec::new(), offset }
    }
}

impl ReadLabels for BodyReader {
    fn label(&self, depth: u32) -> Result<SeqId> {
        let n = self.labels.len();
        (depth as usize)
            .checked_add(1)
            .and_then(|d| n.checked_sub(d))
            .map(|i| self.labels[i])
            .ok_or_else(|| Error::new(format!("branch depth {depth} out of range")).at(self.offset))
    }

    fn open_body(&mut self) -> Result<SeqId> {
        let seq = self.seqs.push(SeqData::default());
        self.labels.push(seq);
        self.label_order.push(seq);
        Ok(seq)
    }

    fn offset(&self) -> usize {
        self.offset
    }
}

/// An open sequence while reading: its instructions so far are `pending[start..]`, and the
/// structured instruction that opened it is `pending[owner]` (so an `else` can record its arm).
struct Frame {
    seq: SeqId,
    start: usize,
    owner: Option<usize>,
}

/// Moves the instructions of the innermost open sequence into it, in a vector of exactly
/// their length: growing each sequence's own vector while reading would leave a third of the
/// memory unused on average and copy every instruction log(n) times.
fn close(seqs: &mut EntityVec<SeqId, SeqData>, pending: &mut Vec<Instr>, frame: &Frame) {
    seqs[frame.seq].instrs = pending.drain(frame.start..).collect();
}

/// A body's validator, ready to take its operators.
type FuncToValidate = wp::FuncToValidate<wp::ValidatorResources>;

/// What a thread keeps between the bodies it reads, so that it allocates it once: the
/// instructions of the open sequences (empty between bodies) and the validator's and the
/// operator reader's stacks.
#[derive(Default)]
struct Scratch {
    pending: Vec<Instr>,
    validator: wp::FuncValidatorAllocations,
    operators: wp::OperatorsReaderAllocations,
}

/// How reading one body ended.
enum BodyOutcome {
    Read(FuncBody, LabelOrder),
    /// The body is invalid (the validator's error).
    Invalid(Error),
    /// The body is valid but holds something the reader does not support.
    Refused(Error),
}

/// Validates and reads one function body.
fn read_body(
    body: &wp::FunctionBody<'_>,
    params: &[ValType],
    func: FuncToValidate,
    scratch: &mut Scratch,
) -> BodyOutcome {
    let features = func.features;
    let mut validator = func.into_validator(std::mem::take(&mut scratch.validator));
    let outcome = read_valid_body(body, params, features, &mut validator, scratch);
    scratch.validator = validator.into_allocations();
    outcome
}

fn read_valid_body(
    body: &wp::FunctionBody<'_>,
    params: &[ValType],
    features: wp::WasmFeatures,
    validator: &mut wp::FuncValidator<wp::ValidatorResources>,
    scratch: &mut Scratch,
) -> BodyOutcome {
    let invalid = |e: wp::BinaryReaderError| BodyOutcome::Invalid(Error::from(e));
    let mut locals: EntityVec<LocalId, LocalData> =
        params.iter().map(|&ty| LocalData { ty, name: None }).collect();
    // The locals as `FuncValidator::read_locals` reads them, each group validated before the
    // reader makes room for it.
    let mut reader = body.get_binary_reader();
    let groups = match reader.read_var_u32() {
        Ok(n) => n,
        Err(e) => return invalid(e),
    };
    for _ in 0..groups {
        let offset = reader.original_position();
        let group = reader.read::<u32>().and_then(|count| Ok((count, reader.read::<wp::ValType>()?)));
        let (count, ty) = match group
            .and_then(|(count, ty)| validator.define_locals(offset, count, ty).map(|()| (count, ty)))
        {
            Ok(group) => group,
            Err(e) => return invalid(e),
        };
        let ty = ValType::from_wp(ty, 0);
        for _ in 0..count {
            locals.push(LocalData { ty, name: None });
        }
    }
    reader.set_features(features);
    let mut ops = wp::OperatorsReader::new_with_allocs(reader, std::mem::take(&mut scratch.operators));
    let mut builder = BodyBuilder::new(ops.original_position(), &mut scratch.pending);
    // After a refusal the rest of the body is still validated: an invalid operator further on
    // is reported first.
    let mut refused = None;
    let mut outcome = None;
    while !ops.eof() {
        let step =
            ops.read_with_offset().and_then(|(op, offset)| validator.op(offset, &op).map(|()| (op, offset)));
        let (op, offset) = match step {
            Ok(step) => step,
            Err(e) => {
                outcome = Some(invalid(e));
                break;
            }
        };
        if refused.is_none()
            && let Err(e) = builder.operator(op, offset)
        {
            refused = Some(e);
        }
    }
    let outcome = match outcome {
        Some(invalid_body) => invalid_body,
        None => match (ops.finish(), refused) {
            (Err(e), _) => invalid(e),
            (Ok(()), Some(e)) => BodyOutcome::Refused(e),
            (Ok(()), None) => match builder.finish(locals, params.len() as u32, body.range().start) {
                Ok((body, labels)) => BodyOutcome::Read(body, labels),
                Err(e) => BodyOutcome::Refused(e),
            },
        },
    };
    scratch.pending.clear();
    scratch.operators = ops.into_allocations();
    outcome
}

/// A body being built from its operators: the sequences, the labels open, and the
/// instructions of the open sequences in `pending`.
struct BodyBuilder<'p> {
    cx: BodyReader,
    entry: SeqId,
    frames: Vec<Frame>,
    pending: &'p mut Vec<Instr>,
}

impl<'p> BodyBuilder<'p> {
    fn new(offset: usize, pending: &'p mut Vec<Instr>) -> Self {
        let mut cx = BodyReader::new(offset);
        // The function's own label is the entry sequence; it is not counted among label names.
        let entry = cx.seqs.push(SeqData::default());
        cx.labels.push(entry);
        pending.clear();
        BodyBuilder { cx, entry, frames: vec![Frame { seq: entry, start: 0, owner: None }], pending }
    }

    fn operator(&mut self, op: wp::Operator<'_>, offset: usize) -> Result<()> {
        let cx = &mut self.cx;
        let pending = &mut *self.pending;
        cx.offset = offset;
        match op {
            wp::Operator::Else => {
                let frame = self
                    .frames
                    .last_mut()
                    .ok_or_else(|| Error::new("`else` outside a block").at(cx.offset))?;
                let Some(owner) = frame.owner else {
                    return Err(Error::new("`else` outside an `if`").at(cx.offset));
                };
                close(&mut cx.seqs, pending, frame);
                let else_seq = cx.seqs.push(SeqData::default());
                match &mut pending[owner] {
                    Instr::If { blockty: IfBody { else_, .. } } => *else_ = Some(else_seq),
                    _ => return Err(Error::new("`else` outside an `if`").at(cx.offset)),
                }
                frame.seq = else_seq;
            }
            wp::Operator::End => {
                let frame =
                    self.frames.pop().ok_or_else(|| Error::new("`end` outside a block").at(cx.offset))?;
                close(&mut cx.seqs, pending, &frame);
                cx.labels.pop();
            }
            op => {
                if self.frames.is_empty() {
                    return Err(Error::new("operators after the end of the function").at(cx.offset));
                }
                let open_before = cx.labels.len();
                let instr = Instr::from_operator(op, cx)?;
                pending.push(instr);
                if cx.labels.len() > open_before {
                    let seq = *cx.labels.last().expect("a label was just opened");
                    self.frames.push(Frame { seq, start: pending.len(), owner: Some(pending.len() - 1) });
                }
            }
        }
        Ok(())
    }

    fn finish(
        self,
        locals: EntityVec<LocalId, LocalData>,
        num_params: u32,
        source_offset: usize,
    ) -> Result<(FuncBody, LabelOrder)> {
        if !self.frames.is_empty() {
            return Err(Error::new("function body ends inside a block").at(self.cx.offset));
        }
        let body = FuncBody {
            locals,
            num_params,
            seqs: self.cx.seqs,
            entry: self.entry,
            source_offset: Some(source_offset),
        };
        Ok((body, self.cx.label_order))
    }
}
