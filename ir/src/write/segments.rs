//! The element and data sections. Data segments are written straight from the module: a
//! compiled program can have a hundred thousand of them and a quarter of its bytes in them.

use super::encode::ByteEmitter;
use super::{ModuleBytes, const_expr, encode_const_expr, leb_len};
use crate::error::Result;
use crate::module::*;
use std::borrow::Cow;
use wasm_encoder::{self as we, Encode};

pub(super) fn write_elems(m: &Module, out: &mut ModuleBytes) -> Result<()> {
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

pub(super) fn write_datas(m: &Module, out: &mut ModuleBytes) -> Result<()> {
    if m.datas.is_empty() {
        return Ok(());
    }
    // A compiled program can have a hundred thousand segments (esbuild.wasm does): their
    // headers go into one buffer, each offset expression encoded in place.
    let mut emit = ByteEmitter::new(false);
    let mut header_ends = Vec::with_capacity(m.datas.len());
    for d in m.datas.values() {
        match &d.mode {
            DataMode::Passive => emit.sink.push(0x01),
            // Memory 0 takes the short form, as `wasm_encoder::DataSection` writes it.
            DataMode::Active { memory, offset } if memory.as_u32() == 0 => {
                emit.sink.push(0x00);
                encode_const_expr(offset, &mut emit)?;
            }
            DataMode::Active { memory, offset } => {
                emit.sink.push(0x02);
                memory.as_u32().encode(&mut emit.sink);
                encode_const_expr(offset, &mut emit)?;
            }
        }
        d.bytes.len().encode(&mut emit.sink);
        header_ends.push(emit.sink.len());
    }
    out.section(&DataSegments { headers: emit.sink, header_ends, module: m });
    Ok(())
}

/// The data section: each segment's mode, offset and length (its header), then its bytes,
/// copied once, straight from the module into the output (a `wasm_encoder::DataSection`
/// would copy them into itself first; a compiled program's data can be a quarter of it).
struct DataSegments<'a> {
    /// The segments' headers, one after the other.
    headers: Vec<u8>,
    /// Where each segment's header ends in `headers`.
    header_ends: Vec<usize>,
    module: &'a Module,
}

impl DataSegments<'_> {
    fn payload_len(&self) -> usize {
        leb_len(self.header_ends.len())
            + self.headers.len()
            + self.module.datas.values().map(|d| d.bytes.len()).sum::<usize>()
    }
}

/// The size of the data section's contents, plus room for its segments' headers.
pub(super) fn datas_len(m: &Module) -> usize {
    m.datas.values().map(|d| d.bytes.len() + 32).sum()
}

impl Encode for DataSegments<'_> {
    fn encode(&self, sink: &mut Vec<u8>) {
        let payload = self.payload_len();
        sink.reserve(leb_len(payload) + payload);
        payload.encode(sink);
        self.header_ends.len().encode(sink);
        let mut start = 0;
        for (&end, data) in self.header_ends.iter().zip(self.module.datas.values()) {
            sink.extend_from_slice(&self.headers[start..end]);
            sink.extend_from_slice(&data.bytes);
            start = end;
        }
    }
}

impl we::Section for DataSegments<'_> {
    fn id(&self) -> u8 {
        we::SectionId::Data as u8
    }
}
