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
use crate::visit::{IdReader, ReadIds};
use std::borrow::Cow;
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{self as we, Encode};
use wasmparser as wp;

/// Writes `module` as a binary.
pub(crate) fn write(module: &Module) -> Result<Vec<u8>> {
    crate::verify::check_imports_first(module)?;
    // The code goes first: label names are only known once bodies are encoded.
    let (code, label_names) = code_section(module)?;
    let names = name_section(module, &label_names);
    let names_slot = module.names.placement.unwrap_or(SECTION_ORDER.len() as Placement);
    let mut out = we::Module::new();
    let place_customs = |out: &mut we::Module, slot: Placement| {
        for c in module.customs.iter().filter(|c| c.placement == slot) {
            out.section(&we::CustomSection { name: Cow::Borrowed(&c.name), data: Cow::Borrowed(&c.data) });
        }
        if names_slot == slot
            && let Some(names) = &names
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
                if module.has_data_count || code_uses_data(module) {
                    out.section(&we::DataCountSection { count: module.datas.len() as u32 });
                }
            }
            10 => {
                if !code.is_empty() {
                    out.section(&code);
                }
            }
            11 => write_datas(module, &mut out)?,
            _ => unreachable!("SECTION_ORDER lists known sections"),
        }
        place_customs(&mut out, slot);
    }
    Ok(out.finish())
}

/// Label names (function index, label index, name) collected while writing code.
type LabelNames = Vec<(u32, u32, String)>;

fn write_types(m: &Module, out: &mut we::Module) {
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

fn write_imports(m: &Module, out: &mut we::Module) {
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

fn write_elems(m: &Module, out: &mut we::Module) -> Result<()> {
    let mut s = we::ElementSection::new();
    for e in m.elems.values() {
        let exprs;
        let funcs;
        let items = match &e.items {
            ElemItems::Functions(fs) => {
                funcs = fs.iter().map(|f| f.as_u32()).collect::<Vec<_>>();
                we::Elements::Functions(Cow::Borrowed(&funcs))
            }
            ElemItems::Expressions(ty, es) => {
                exprs = es.iter().map(|e| const_expr(e)).collect::<Result<Vec<_>>>()?;
                we::Elements::Expressions(ty.to_we(), Cow::Borrowed(&exprs))
            }
        };
        match &e.mode {
            ElemMode::Passive => {
                s.passive(items);
            }
            ElemMode::Declared => {
                s.declared(items);
            }
            ElemMode::Active { table, explicit_table, offset } => {
                let index = (*explicit_table || table.as_u32() != 0).then_some(table.as_u32());
                s.active(index, &const_expr(offset)?, items);
            }
        }
    }
    if !s.is_empty() {
        out.section(&s);
    }
    Ok(())
}

fn write_datas(m: &Module, out: &mut we::Module) -> Result<()> {
    let mut s = we::DataSection::new();
    for d in m.datas.values() {
        match &d.mode {
            DataMode::Passive => {
                s.passive(d.bytes.iter().copied());
            }
            DataMode::Active { memory, offset } => {
                s.active(memory.as_u32(), &const_expr(offset)?, d.bytes.iter().copied());
            }
        }
    }
    if !s.is_empty() {
        out.section(&s);
    }
    Ok(())
}

fn code_uses_data(m: &Module) -> bool {
    use rayon::prelude::*;
    struct UsesData(bool);
    impl IdReader for UsesData {
        fn data(&mut self, _: &DataId) {
            self.0 = true;
        }
    }
    m.funcs.as_slice().par_iter().any(|f| {
        let mut v = UsesData(false);
        f.def.read_ids(&mut v);
        v.0
    })
}

/// Encodes instructions into bytes.
struct ByteEmitter {
    sink: Vec<u8>,
}

impl EmitInstr for ByteEmitter {
    fn parser(&mut self, op: wp::Operator<'_>) -> Result<()> {
        let instr = RoundtripReencoder
            .instruction(op)
            .map_err(|e| Error::new(format!("cannot encode an instruction: {e}")))?;
        instr.encode(&mut self.sink);
        Ok(())
    }

    fn encoder(&mut self, instr: we::Instruction<'_>) -> Result<()> {
        instr.encode(&mut self.sink);
        Ok(())
    }
}

/// The labels open at the instruction being written.
#[derive(Default)]
struct LabelStack {
    stack: Vec<SeqId>,
    opened: Option<(SeqId, Vec<SeqId>)>,
}

impl WriteLabels for LabelStack {
    fn depth(&self, seq: SeqId) -> Result<u32> {
        self.stack.iter().rev().position(|&s| s == seq).map(|d| d as u32).ok_or_else(|| {
            Error::new(format!("invalid IR: branch to {seq:?}, which does not enclose the branch"))
        })
    }

    fn open_body(&mut self, label: SeqId, seqs: &[SeqId]) {
        self.opened = Some((label, seqs.to_vec()));
    }
}

fn const_expr(instrs: &[Instr]) -> Result<we::ConstExpr> {
    let mut emit = ByteEmitter { sink: Vec::new() };
    let mut labels = LabelStack::default();
    for instr in instrs {
        instr.emit(&mut labels, &mut emit)?;
    }
    Ok(we::ConstExpr::raw(emit.sink))
}

/// An open sequence while writing: the arms still to come (an `if`'s `else`) and the position.
struct WriteFrame {
    seq: SeqId,
    pos: usize,
    next_arms: Vec<SeqId>,
}

/// Writes one function body's instructions (without locals) and collects its label names.
pub(crate) fn body_bytes(body: &FuncBody, labels_out: &mut Vec<(u32, String)>) -> Result<Vec<u8>> {
    let mut emit = ByteEmitter { sink: Vec::new() };
    let mut labels = LabelStack { stack: vec![body.entry], opened: None };
    let mut frames = vec![WriteFrame { seq: body.entry, pos: 0, next_arms: Vec::new() }];
    let mut label_count = 0u32;
    while let Some(frame) = frames.last_mut() {
        let seq = body
            .seqs
            .get(frame.seq)
            .ok_or_else(|| Error::new(format!("invalid IR: missing {:?}", frame.seq)))?;
        if let Some(instr) = seq.instrs.get(frame.pos) {
            frame.pos += 1;
            instr.emit(&mut labels, &mut emit)?;
            if let Some((label, mut arms)) = labels.opened.take() {
                if let Some(name) = &body.seqs[label].name {
                    labels_out.push((label_count, name.clone()));
                }
                label_count += 1;
                labels.stack.push(label);
                let first = arms.remove(0);
                arms.reverse();
                frames.push(WriteFrame { seq: first, pos: 0, next_arms: arms });
            }
        } else if let Some(next) = frame.next_arms.pop() {
            we::Instruction::Else.encode(&mut emit.sink);
            frame.seq = next;
            frame.pos = 0;
        } else {
            we::Instruction::End.encode(&mut emit.sink);
            frames.pop();
            labels.stack.pop();
        }
    }
    Ok(emit.sink)
}

fn code_section(m: &Module) -> Result<(we::CodeSection, LabelNames)> {
    use rayon::prelude::*;
    let defined: Vec<(FuncId, &FuncBody)> =
        m.funcs.iter().filter_map(|(id, f)| f.def.local().map(|b| (id, b))).collect();
    let encoded: Vec<(we::Function, Vec<(u32, String)>)> = defined
        .par_iter()
        .map(|(_, body)| {
            let mut groups: Vec<(u32, we::ValType)> = Vec::new();
            for local in body.locals.values().skip(body.num_params as usize) {
                let ty = local.ty.to_we();
                match groups.last_mut() {
                    Some((n, t)) if *t == ty => *n += 1,
                    _ => groups.push((1, ty)),
                }
            }
            let mut f = we::Function::new(groups);
            let mut names = Vec::new();
            f.raw(body_bytes(body, &mut names)?);
            Ok((f, names))
        })
        .collect::<Result<_>>()?;
    let mut code = we::CodeSection::new();
    let mut label_names = Vec::new();
    for ((id, _), (f, names)) in defined.iter().zip(encoded) {
        code.function(&f);
        label_names.extend(names.into_iter().map(|(l, n)| (id.as_u32(), l, n)));
    }
    Ok((code, label_names))
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
