//! Writes the IR as a binary module through `wasm-encoder`.
//!
//! Instructions go out as `wasmparser` operators re-encoded by `wasm_encoder::reencode`, so the
//! encoding of every operator is the one the parser reads; branch depths are computed here
//! from the sequences the labels name. The output is deterministic: writing, reading and
//! writing again gives the same bytes.

use crate::error::{Error, Result};
use crate::ids::*;
use crate::instr::{EmitInstr, Instr, WriteLabels};
use crate::module::*;
use crate::read::SECTION_ORDER;
use crate::types::*;
use encode::ByteEmitter;
use std::borrow::Cow;
use wasm_encoder::{self as we, Encode};

mod encode;
mod segments;

use segments::{datas_len, write_datas, write_elems};

/// Writes `module` as a binary.
pub(crate) fn write(module: &Module) -> Result<Vec<u8>> {
    crate::verify::check_imports_first(module)?;
    // The code goes first: label names are only known once bodies are encoded.
    let code = code_section(module)?;
    let names = name_section(module, &code.label_names);
    write_sections(module, Some((&code, names)))
}

/// Writes the sections that declare what function bodies use (types, imports, functions,
/// tables, memories, tags, globals, exports, start, elements and a data count), without the
/// code, the data and the custom sections: what a validator needs to check bodies that are
/// not written (see `analysis::operand_stacks`).
pub(crate) fn write_declarations(module: &Module) -> Result<Vec<u8>> {
    crate::verify::check_imports_first(module)?;
    write_sections(module, None)
}

/// Writes the known sections in order with the custom sections at their places, or, without
/// `code`, only the declarations before the code section (see [`write_declarations`]).
fn write_sections(module: &Module, code: Option<(&EncodedCode, Option<we::NameSection>)>) -> Result<Vec<u8>> {
    let names_slot = module.names.placement.unwrap_or(SECTION_ORDER.len() as Placement);
    let mut out = ModuleBytes::new();
    let place_customs = |out: &mut ModuleBytes, slot: Placement| {
        let Some((_, names)) = &code else {
            return;
        };
        for c in module.customs.iter().filter(|c| c.placement == slot) {
            out.section(&we::CustomSection { name: Cow::Borrowed(&c.name), data: Cow::Borrowed(&c.data) });
        }
        if names_slot == slot
            && let Some(names) = names
        {
            out.section(names);
        }
    };
    place_customs(&mut out, 0);
    for (slot, id) in (1..).zip(SECTION_ORDER) {
        match id {
            1 => write_types(module, &mut out),
            2 => write_imports(module, &mut out),
            3 => {
                let mut s = we::FunctionSection::new();
                for f in module.funcs.values().filter(|f| !f.def.is_import()) {
                    s.function(f.ty.as_u32());
                }
                if !s.is_empty() {
                    out.section(&s);
                }
            }
            4 => {
                let mut s = we::TableSection::new();
                for t in module.tables.values() {
                    match &t.def {
                        Def::Import(_) => {}
                        Def::Local(None) => {
                            s.table(t.ty.to_we());
                        }
                        Def::Local(Some(init)) => {
                            s.table_with_init(t.ty.to_we(), &const_expr(init)?);
                        }
                    }
                }
                if !s.is_empty() {
                    out.section(&s);
                }
            }
            5 => {
                let mut s = we::MemorySection::new();
                for m in module.memories.values().filter(|m| !m.def.is_import()) {
                    s.memory(memory_type_to_we(m.ty));
                }
                if !s.is_empty() {
                    out.section(&s);
                }
            }
            13 => {
                let mut s = we::TagSection::new();
                for t in module.tags.values().filter(|t| !t.def.is_import()) {
                    s.tag(tag_type(t));
                }
                if !s.is_empty() {
                    out.section(&s);
                }
            }
            6 => {
                let mut s = we::GlobalSection::new();
                for g in module.globals.values() {
                    if let Def::Local(init) = &g.def {
                        s.global(g.ty.to_we(), &const_expr(init)?);
                    }
                }
                if !s.is_empty() {
                    out.section(&s);
                }
            }
            7 => {
                let mut s = we::ExportSection::new();
                for e in &module.exports {
                    let (kind, index) = extern_index(e.item);
                    s.export(&e.name, kind, index);
                }
                if !s.is_empty() {
                    out.section(&s);
                }
            }
            8 => {
                if let Some(f) = module.start {
                    out.section(&we::StartSection { function_index: f.as_u32() });
                }
            }
            9 => write_elems(module, &mut out)?,
            12 => {
                // Declarations alone always count the data: bodies checked against them may
                // use `memory.init` or `data.drop`, and no data section follows to disagree.
                let uses_data = code.as_ref().is_none_or(|(code, _)| code.uses_data);
                if module.has_data_count || uses_data {
                    out.section(&we::DataCountSection { count: module.datas.len() as u32 });
                }
            }
            10 => match &code {
                Some((code, names)) if code.count > 0 => {
                    // The code and what follows it are most of a module: room for all of it
                    // at once, so that the buffer is not copied as it grows.
                    let customs: usize =
                        module.customs.iter().map(|c| c.name.len() + c.data.len() + 16).sum();
                    let names = names.as_ref().map_or(0, |n| n.as_custom().data.len() + 16);
                    out.0.reserve(16 + code.payload_len() + 16 + datas_len(module) + customs + names);
                    out.section(*code);
                }
                Some(_) => {}
                None => break,
            },
            11 => write_datas(module, &mut out)?,
            _ => unreachable!("SECTION_ORDER lists known sections"),
        }
        place_customs(&mut out, slot);
    }
    Ok(out.0)
}

/// A module's bytes as its sections are appended: `wasm_encoder::Module`'s, but with room
/// made for the big sections before they are written.
struct ModuleBytes(Vec<u8>);

impl ModuleBytes {
    fn new() -> Self {
        ModuleBytes(we::Module::HEADER.to_vec())
    }

    fn section(&mut self, section: &impl we::Section) {
        section.append_to(&mut self.0);
    }
}

/// Label names (function index, label index, name) collected while writing code.
type LabelNames = Vec<(u32, u32, String)>;

fn write_types(m: &Module, out: &mut ModuleBytes) {
    let mut s = we::TypeSection::new();
    let mut next = 0usize;
    for group in &m.rec_groups {
        let types = (next..next + group.len as usize).map(|i| m.types[TypeId::new(i)].to_we());
        next += group.len as usize;
        if group.explicit {
            s.ty().rec(types);
        } else {
            for t in types {
                s.ty().subtype(&t);
            }
        }
    }
    if !s.is_empty() {
        out.section(&s);
    }
}

fn tag_type(t: &TagData) -> we::TagType {
    we::TagType { kind: we::TagKind::Exception, func_type_idx: t.ty.as_u32() }
}

fn write_imports(m: &Module, out: &mut ModuleBytes) {
    let mut s = we::ImportSection::new();
    for import in m.imports.values() {
        let ty = match import.item {
            ExternItem::Func(f) if import.exact => we::EntityType::FunctionExact(m.funcs[f].ty.as_u32()),
            ExternItem::Func(f) => we::EntityType::Function(m.funcs[f].ty.as_u32()),
            ExternItem::Table(t) => we::EntityType::Table(m.tables[t].ty.to_we()),
            ExternItem::Memory(x) => we::EntityType::Memory(memory_type_to_we(m.memories[x].ty)),
            ExternItem::Global(g) => we::EntityType::Global(m.globals[g].ty.to_we()),
            ExternItem::Tag(t) => we::EntityType::Tag(tag_type(&m.tags[t])),
        };
        s.import(&import.module, &import.name, ty);
    }
    if !s.is_empty() {
        out.section(&s);
    }
}

fn extern_index(item: ExternItem) -> (we::ExportKind, u32) {
    match item {
        ExternItem::Func(f) => (we::ExportKind::Func, f.as_u32()),
        ExternItem::Table(t) => (we::ExportKind::Table, t.as_u32()),
        ExternItem::Memory(x) => (we::ExportKind::Memory, x.as_u32()),
        ExternItem::Global(g) => (we::ExportKind::Global, g.as_u32()),
        ExternItem::Tag(t) => (we::ExportKind::Tag, t.as_u32()),
    }
}

/// The labels open at the instruction being written.
#[derive(Default)]
struct LabelStack {
    stack: Vec<SeqId>,
    /// Where each open label is on `stack`, by sequence ([`NOT_OPEN`] when it is not): the
    /// branch table of a deeply nested dispatch loop (Go's compiler writes them) names
    /// hundreds of labels, so a depth is found without searching the stack.
    position: Vec<u32>,
    /// What the instruction just written opened: its label and its arms (an `if` has two).
    opened: Option<(SeqId, SeqId, Option<SeqId>)>,
    /// An instruction claimed to open more than two arms, which no instruction has.
    too_many_arms: bool,
}

/// The position of a label that is not open.
const NOT_OPEN: u32 = u32::MAX;

impl LabelStack {
    /// The labels of a body of `seq_count` sequences, with the function's own label open.
    fn for_body(entry: SeqId, seq_count: usize) -> Self {
        let mut labels = LabelStack { position: vec![NOT_OPEN; seq_count], ..LabelStack::default() };
        labels.push(entry);
        labels
    }

    fn push(&mut self, seq: SeqId) {
        if let Some(p) = self.position.get_mut(seq.index()) {
            *p = self.stack.len() as u32;
        }
        self.stack.push(seq);
    }

    fn pop(&mut self) {
        if let Some(seq) = self.stack.pop()
            && let Some(p) = self.position.get_mut(seq.index())
        {
            *p = NOT_OPEN;
        }
    }
}

impl WriteLabels for LabelStack {
    fn depth(&self, seq: SeqId) -> Result<u32> {
        match self.position.get(seq.index()) {
            Some(&p) if p != NOT_OPEN => Ok(self.stack.len() as u32 - 1 - p),
            _ => Err(Error::new(format!("invalid IR: branch to {seq:?}, which does not enclose the branch"))),
        }
    }

    fn open_body(&mut self, label: SeqId, seqs: &[SeqId]) {
        match *seqs {
            [first] => self.opened = Some((label, first, None)),
            [first, second] => self.opened = Some((label, first, Some(second))),
            _ => self.too_many_arms = true,
        }
    }
}

fn const_expr(instrs: &[Instr]) -> Result<we::ConstExpr> {
    let mut emit = ByteEmitter::new(false);
    emit_const_instrs(instrs, &mut emit)?;
    Ok(we::ConstExpr::raw(emit.sink))
}

/// Appends a constant expression to what `emit` has written, with its `end`, as
/// `wasm_encoder::ConstExpr` encodes it.
fn encode_const_expr(instrs: &[Instr], emit: &mut ByteEmitter) -> Result<()> {
    emit_const_instrs(instrs, emit)?;
    emit.encoder(we::Instruction::End)
}

/// A constant expression's instructions (flat: no labels), without the `end`.
fn emit_const_instrs(instrs: &[Instr], emit: &mut ByteEmitter) -> Result<()> {
    instrs.iter().try_for_each(|instr| emit.instruction(instr, &mut LabelStack::default()))
}

/// An open sequence while writing: the arm still to come (an `if`'s `else`) and the position.
struct WriteFrame {
    seq: SeqId,
    pos: usize,
    next_arm: Option<SeqId>,
}

/// Emits one function body's instructions (without locals) into `emit` in the writer's order:
/// depth first, with the `else`s and `end`s the sequences imply. `each` sees every instruction
/// as it is emitted, with the label it opens if it is structured.
pub(crate) fn emit_body<E: EmitInstr>(
    body: &FuncBody,
    emit: &mut E,
    mut each: impl FnMut(&Instr, Option<SeqId>),
) -> Result<()> {
    let mut labels = LabelStack::for_body(body.entry, body.seqs.len());
    let mut frames = vec![WriteFrame { seq: body.entry, pos: 0, next_arm: None }];
    while let Some(frame) = frames.last_mut() {
        let seq = body
            .seqs
            .get(frame.seq)
            .ok_or_else(|| Error::new(format!("invalid IR: missing {:?}", frame.seq)))?;
        if let Some(instr) = seq.instrs.get(frame.pos) {
            frame.pos += 1;
            emit.instruction(instr, &mut labels)?;
            if labels.too_many_arms {
                return Err(Error::internal(format!("{} opens more than two arms", instr.visitor_name())));
            }
            if let Some((label, first, next_arm)) = labels.opened.take() {
                each(instr, Some(label));
                labels.push(label);
                frames.push(WriteFrame { seq: first, pos: 0, next_arm });
            } else {
                each(instr, None);
            }
        } else if let Some(next) = frame.next_arm.take() {
            emit.encoder(we::Instruction::Else)?;
            frame.seq = next;
            frame.pos = 0;
        } else {
            emit.encoder(we::Instruction::End)?;
            frames.pop();
            labels.pop();
        }
    }
    Ok(())
}

/// The code section's contents as written, and what the other sections need to know of it.
/// The bodies stay in their own buffers until the section is written into the module, so
/// that they are copied once (a big module's code is most of its bytes).
struct EncodedCode {
    /// Each body's bytes, in function order.
    bodies: Vec<Box<[u8]>>,
    /// How many bodies.
    count: u32,
    /// Label names (function index, label index, name).
    label_names: LabelNames,
    /// Whether any body names a data segment.
    uses_data: bool,
}

/// One function's code entry as written, without its size.
struct EncodedBody {
    /// The locals, then the instructions.
    bytes: Box<[u8]>,
    /// Label names (label index in the function, name).
    label_names: Vec<(u32, String)>,
    /// Whether an instruction names a data segment (only looked for when asked).
    uses_data: bool,
}

/// Encodes one function's locals and instructions; `look_for_data` asks whether any
/// instruction names a data segment. `emit` is the thread's emitter, whose buffer has grown
/// to the largest body it has written: the body is encoded there and copied out once into a
/// buffer of exactly its length, instead of growing a buffer of its own by doubling (which
/// copies every byte about twice more and leaves a quarter of it unused on average).
fn function_bytes(body: &FuncBody, look_for_data: bool, emit: &mut ByteEmitter) -> Result<EncodedBody> {
    emit.start(look_for_data);
    let groups = body.local_groups();
    (groups.len() as u32).encode(&mut emit.sink);
    for (n, ty) in groups {
        n.encode(&mut emit.sink);
        ty.to_we().encode(&mut emit.sink);
    }
    let mut label_names = Vec::new();
    let mut label_count = 0u32;
    emit_body(body, emit, |_, opened| {
        if let Some(label) = opened {
            if let Some(name) = &body.seqs[label].name {
                label_names.push((label_count, name.clone()));
            }
            label_count += 1;
        }
    })?;
    Ok(EncodedBody {
        bytes: emit.sink.as_slice().into(),
        label_names,
        uses_data: look_for_data && emit.uses_data,
    })
}

/// Encodes the function bodies in parallel, each into a buffer of its own (joined when the
/// section is written).
fn code_section(m: &Module) -> Result<EncodedCode> {
    use rayon::prelude::*;
    let defined: Vec<(FuncId, &FuncBody)> =
        m.funcs.iter().filter_map(|(id, f)| f.def.local().map(|b| (id, b))).collect();
    // Once the module says it has a data count, nobody needs to look for data uses.
    let look_for_data = !m.has_data_count;
    let encoded: Vec<EncodedBody> = defined
        .par_iter()
        .map_init(ByteEmitter::default, |emit, (_, body)| function_bytes(body, look_for_data, emit))
        .collect::<Result<_>>()?;
    let count = encoded.len() as u32;
    let mut bodies = Vec::with_capacity(encoded.len());
    let mut label_names = Vec::new();
    let mut uses_data = false;
    for ((id, _), body) in defined.iter().zip(encoded) {
        bodies.push(body.bytes);
        label_names.extend(body.label_names.into_iter().map(|(l, n)| (id.as_u32(), l, n)));
        uses_data |= body.uses_data;
    }
    Ok(EncodedCode { bodies, count, label_names, uses_data })
}

/// The number of bytes of `n` in LEB128.
fn leb_len(n: usize) -> usize {
    (usize::BITS - (n | 1).leading_zeros()).div_ceil(7) as usize
}

impl EncodedCode {
    /// The size of the section's contents: the count of bodies, then each body with its size.
    fn payload_len(&self) -> usize {
        leb_len(self.count as usize) + self.bodies.iter().map(|b| leb_len(b.len()) + b.len()).sum::<usize>()
    }
}

impl Encode for EncodedCode {
    /// The section's size, the count of bodies, then each body with its size.
    fn encode(&self, sink: &mut Vec<u8>) {
        let payload = self.payload_len();
        sink.reserve(leb_len(payload) + payload);
        payload.encode(sink);
        self.count.encode(sink);
        for body in &self.bodies {
            body.len().encode(sink);
            sink.extend_from_slice(body);
        }
    }
}

impl we::Section for EncodedCode {
    fn id(&self) -> u8 {
        we::SectionId::Code as u8
    }
}

fn name_map<'a, K: EntityId, V: 'a>(
    items: &'a EntityVec<K, V>,
    name: impl Fn(&V) -> &Option<String>,
) -> Option<we::NameMap> {
    let mut map = we::NameMap::new();
    for (id, v) in items.iter() {
        if let Some(n) = name(v) {
            map.append(id.index() as u32, n);
        }
    }
    (!map.is_empty()).then_some(map)
}

fn name_section(m: &Module, labels: &[(u32, u32, String)]) -> Option<we::NameSection> {
    let mut s = we::NameSection::new();
    let mut any = false;
    if let Some(n) = &m.names.module {
        s.module(n);
        any = true;
    }
    if let Some(map) = name_map(&m.funcs, |f| &f.name) {
        s.functions(&map);
        any = true;
    }
    let mut locals = we::IndirectNameMap::new();
    let mut any_locals = false;
    for (id, f) in m.funcs.iter() {
        if let Def::Local(body) = &f.def
            && let Some(map) = name_map(&body.locals, |l| &l.name)
        {
            locals.append(id.as_u32(), &map);
            any_locals = true;
        }
    }
    if any_locals {
        s.locals(&locals);
        any = true;
    }
    if !labels.is_empty() {
        let mut map = we::IndirectNameMap::new();
        let mut i = 0;
        while i < labels.len() {
            let func = labels[i].0;
            let mut names = we::NameMap::new();
            while i < labels.len() && labels[i].0 == func {
                names.append(labels[i].1, &labels[i].2);
                i += 1;
            }
            map.append(func, &names);
        }
        s.labels(&map);
        any = true;
    }
    if let Some(map) = name_map(&m.types, |t| &t.name) {
        s.types(&map);
        any = true;
    }
    if let Some(map) = name_map(&m.tables, |t| &t.name) {
        s.tables(&map);
        any = true;
    }
    if let Some(map) = name_map(&m.memories, |t| &t.name) {
        s.memories(&map);
        any = true;
    }
    if let Some(map) = name_map(&m.globals, |t| &t.name) {
        s.globals(&map);
        any = true;
    }
    if let Some(map) = name_map(&m.elems, |t| &t.name) {
        s.elements(&map);
        any = true;
    }
    if let Some(map) = name_map(&m.datas, |t| &t.name) {
        s.data(&map);
        any = true;
    }
    let mut fields = we::IndirectNameMap::new();
    let mut any_fields = false;
    for (id, t) in m.types.iter() {
        if !t.field_names.is_empty() {
            any_fields = true;
            let mut map = we::NameMap::new();
            for (i, n) in &t.field_names {
                map.append(*i, n);
            }
            fields.append(id.as_u32(), &map);
        }
    }
    if any_fields {
        s.fields(&fields);
        any = true;
    }
    if let Some(map) = name_map(&m.tags, |t| &t.name) {
        s.tags(&map);
        any = true;
    }
    any.then_some(s)
}
