//! Counts `cont.new` executions by splicing a counter into a module's binary, so that the runner
//! can say after exactly how many continuations Wasmtime ran out of native stacks.
//!
//! Wasmtime 48 keeps every continuation's stack until the `Store` drops and gives the embedder
//! no way to ask how many there are (the store's list of continuations is private). The only
//! exact count is the program's own, so a module that contains `cont.new` is rewritten:
//!
//! - a mutable `i64` global, defined after all existing globals so that no index moves, is
//!   exported as [`COUNTER_EXPORT`];
//! - every `cont.new` is followed by `global.get $n; i64.const 1; i64.add; global.set $n`, which
//!   leaves the operand stack as it was, so it is valid anywhere (also in unreachable code) and
//!   counts only the `cont.new`s that succeeded;
//! - a start function is moved from the start section to the export [`START_EXPORT`], which the
//!   runner calls right after instantiation: a start function that fails would otherwise leave
//!   no instance whose counter could be read.
//!
//! Everything else is copied byte for byte, and an [`OffsetMap`] translates code offsets in the
//! rewritten binary back to the original, so that backtraces name the offsets of the file the
//! user ran. Modules without `cont.new` are not touched.

use std::collections::HashSet;
use std::ops::Range;

use wasmparser::{BinaryReader, Operator, Parser, Payload};

/// The export name of the counter global: the number of `cont.new` executions that succeeded.
pub const COUNTER_EXPORT: &str = "wasmfx-run:continuations";

/// The export name under which a moved start function is called.
pub const START_EXPORT: &str = "wasmfx-run:start";

/// A module with its `cont.new` executions counted.
#[derive(Debug)]
pub struct Instrumented {
    /// The rewritten binary.
    pub bytes: Vec<u8>,
    /// Translates offsets in `bytes` back to offsets in the original binary.
    pub offsets: OffsetMap,
}

/// Pieces of the original binary copied into the rewritten one, to map offsets back.
#[derive(Debug, Default, Clone)]
pub struct OffsetMap {
    /// `(new_start, original_start, len)`, sorted by `new_start`.
    segments: Vec<(usize, usize, usize)>,
}

impl OffsetMap {
    /// The original offset of the byte at `offset` in the rewritten binary; bytes the rewrite
    /// added map to the end of the original byte before them (for an inserted counter update,
    /// the end of its `cont.new`).
    pub fn to_original(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|&(new, _, _)| new <= offset);
        match i.checked_sub(1).map(|i| self.segments[i]) {
            Some((new, orig, len)) if offset < new + len => orig + (offset - new),
            Some((_, orig, len)) => orig + len,
            None => offset,
        }
    }
}

/// A growing output binary that remembers which of its bytes were copied from where.
#[derive(Default)]
struct Out {
    bytes: Vec<u8>,
    map: OffsetMap,
}

impl Out {
    fn copy(&mut self, wasm: &[u8], range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        self.map.segments.push((self.bytes.len(), range.start, range.len()));
        self.bytes.extend_from_slice(&wasm[range]);
    }

    fn emit(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    fn append(&mut self, other: Out) {
        let base = self.bytes.len();
        self.map
            .segments
            .extend(other.map.segments.into_iter().map(|(new, orig, len)| (new + base, orig, len)));
        self.bytes.extend_from_slice(&other.bytes);
    }

    /// Appends a section with the given id whose payload is `payload`.
    fn section(&mut self, id: u8, payload: Out) {
        self.emit(&[id]);
        self.emit(&leb_u32(payload.bytes.len() as u32));
        self.append(payload);
    }
}

fn leb_u32(mut value: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(5);
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

fn name_bytes(name: &str) -> Vec<u8> {
    let mut out = leb_u32(name.len() as u32);
    out.extend_from_slice(name.as_bytes());
    out
}

/// Reads a LEB128 `u32` at `pos`, returning the value and the position after it.
fn read_leb_u32(wasm: &[u8], pos: usize) -> Result<(u32, usize), String> {
    let mut reader = BinaryReader::new(wasm.get(pos..).unwrap_or_default(), pos);
    let value = reader.read_var_u32().map_err(|e| e.to_string())?;
    Ok((value, reader.original_position()))
}

/// The position of each known section id in the order the binary format requires.
fn section_rank(id: u8) -> Option<u8> {
    Some(match id {
        1 => 1,   // type
        2 => 2,   // import
        3 => 3,   // function
        4 => 4,   // table
        5 => 5,   // memory
        13 => 6,  // tag
        6 => 7,   // global
        7 => 8,   // export
        8 => 9,   // start
        9 => 10,  // element
        12 => 11, // data count
        10 => 12, // code
        11 => 13, // data
        _ => return None,
    })
}

const GLOBAL_RANK: u8 = 7;
const EXPORT_RANK: u8 = 8;

/// What one pass over the module found.
#[derive(Default)]
struct Survey {
    imported_globals: u32,
    defined_globals: u32,
    export_names: HashSet<String>,
    start: Option<u32>,
    /// For each function body: its range and the offsets just after each `cont.new` in it.
    bodies: Vec<(Range<usize>, Vec<usize>)>,
}

fn survey(wasm: &[u8]) -> Result<Option<Survey>, wasmparser::BinaryReaderError> {
    let mut survey = Survey::default();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::Version { encoding: wasmparser::Encoding::Component, .. } => return Ok(None),
            Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    if let wasmparser::TypeRef::Global(_) = import?.ty {
                        survey.imported_globals += 1;
                    }
                }
            }
            Payload::GlobalSection(globals) => survey.defined_globals = globals.count(),
            Payload::ExportSection(exports) => {
                for export in exports {
                    survey.export_names.insert(export?.name.to_string());
                }
            }
            Payload::StartSection { func, .. } => survey.start = Some(func),
            Payload::CodeSectionEntry(body) => {
                let mut ops = body.get_operators_reader()?;
                let mut points = Vec::new();
                while !ops.eof() {
                    if let Operator::ContNew { .. } = ops.read()? {
                        points.push(ops.original_position());
                    }
                }
                survey.bodies.push((body.range(), points));
            }
            _ => {}
        }
    }
    Ok(Some(survey))
}

/// Whether the module has a start section (malformed modules answer `false`; Wasmtime reports
/// what is wrong with them).
pub fn has_start(wasm: &[u8]) -> bool {
    Parser::new(0)
        .parse_all(wasm)
        .map_while(Result::ok)
        .any(|payload| matches!(payload, Payload::StartSection { .. }))
}

/// Rewrites `wasm` to count its `cont.new` executions; `None` when it has no `cont.new`, is a
/// component, or is malformed (then Wasmtime reports the problem on the original bytes).
pub fn instrument(wasm: &[u8]) -> Option<Instrumented> {
    let survey = survey(wasm).ok()??;
    if survey.bodies.iter().all(|(_, points)| points.is_empty()) {
        return None;
    }
    if survey.export_names.contains(COUNTER_EXPORT) || survey.export_names.contains(START_EXPORT) {
        // Already instrumented (by an earlier run of this tool), or the name is the module's own.
        return None;
    }
    rewrite(wasm, &survey).ok()
}

fn rewrite(wasm: &[u8], survey: &Survey) -> Result<Instrumented, String> {
    let counter = survey.imported_globals + survey.defined_globals;
    let new_global: &[u8] = &[0x7e, 0x01, 0x42, 0x00, 0x0b]; // (mut i64) (i64.const 0)
    let mut new_exports = name_bytes(COUNTER_EXPORT);
    new_exports.push(0x03);
    new_exports.extend(leb_u32(counter));
    let mut new_export_count = 1;
    if let Some(start) = survey.start {
        new_exports.extend(name_bytes(START_EXPORT));
        new_exports.push(0x00);
        new_exports.extend(leb_u32(start));
        new_export_count += 1;
    }
    let mut bump = vec![0x23];
    bump.extend(leb_u32(counter));
    bump.extend_from_slice(&[0x42, 0x01, 0x7c, 0x24]);
    bump.extend(leb_u32(counter));

    let mut out = Out::default();
    out.copy(wasm, 0..8);
    let mut pos = 8;
    let mut wrote_globals = false;
    let mut wrote_exports = false;
    let mut bodies = survey.bodies.iter();
    while pos < wasm.len() {
        let id = wasm[pos];
        let (size, payload_start) = read_leb_u32(wasm, pos + 1)?;
        let end = payload_start
            .checked_add(size as usize)
            .filter(|&end| end <= wasm.len())
            .ok_or("section extends past the end")?;
        let rank = section_rank(id);
        if !wrote_globals && rank.is_some_and(|r| r > GLOBAL_RANK) {
            let mut payload = Out::default();
            payload.emit(&leb_u32(1));
            payload.emit(new_global);
            out.section(6, payload);
            wrote_globals = true;
        }
        if !wrote_exports && rank.is_some_and(|r| r > EXPORT_RANK) {
            let mut payload = Out::default();
            payload.emit(&leb_u32(new_export_count));
            payload.emit(&new_exports);
            out.section(7, payload);
            wrote_exports = true;
        }
        match id {
            6 | 7 => {
                let (count, entries) = read_leb_u32(wasm, payload_start)?;
                let mut payload = Out::default();
                if id == 6 {
                    payload.emit(&leb_u32(count + 1));
                    payload.copy(wasm, entries..end);
                    payload.emit(new_global);
                    wrote_globals = true;
                } else {
                    payload.emit(&leb_u32(count + new_export_count));
                    payload.copy(wasm, entries..end);
                    payload.emit(&new_exports);
                    wrote_exports = true;
                }
                out.section(id, payload);
            }
            // The start function is called through its new export instead.
            8 => {}
            10 => {
                let (count, mut cursor) = read_leb_u32(wasm, payload_start)?;
                let mut payload = Out::default();
                payload.copy(wasm, payload_start..cursor);
                for _ in 0..count {
                    let (range, points) = bodies.next().ok_or("code section mismatch")?;
                    let (_, body_start) = read_leb_u32(wasm, cursor)?;
                    if body_start != range.start {
                        return Err("code section mismatch".into());
                    }
                    let new_len = range.len() + points.len() * bump.len();
                    payload.emit(&leb_u32(new_len as u32));
                    let mut from = range.start;
                    for &point in points {
                        payload.copy(wasm, from..point);
                        payload.emit(&bump);
                        from = point;
                    }
                    payload.copy(wasm, from..range.end);
                    cursor = range.end;
                }
                payload.copy(wasm, cursor..end);
                out.section(10, payload);
            }
            _ => out.copy(wasm, pos..end),
        }
        pos = end;
    }
    if !wrote_globals || !wrote_exports {
        return Err("module without a code section".into());
    }
    Ok(Instrumented { bytes: out.bytes, offsets: out.map })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validate(wasm: &[u8]) {
        let mut features = wasmparser::WasmFeatures::default();
        features.insert(wasmparser::WasmFeatures::STACK_SWITCHING);
        features.insert(wasmparser::WasmFeatures::FUNCTION_REFERENCES);
        features.insert(wasmparser::WasmFeatures::EXCEPTIONS);
        features.insert(wasmparser::WasmFeatures::GC);
        wasmparser::Validator::new_with_features(features)
            .validate_all(wasm)
            .expect("instrumented module validates");
    }

    #[test]
    fn module_without_cont_new_is_untouched() {
        let wasm = wat::parse_str("(module (func (export \"f\")))").unwrap();
        assert!(instrument(&wasm).is_none());
    }

    #[test]
    fn counter_and_start_are_added_and_offsets_map_back() {
        let wasm = wat::parse_str(
            r#"(module
                 (type $f (func))
                 (type $c (cont $f))
                 (import "m" "g" (global $imported i32))
                 (global $own (mut i32) (i32.const 0))
                 (elem declare func $body)
                 (func $body)
                 (func $main
                   (drop (cont.new $c (ref.func $body)))
                   (drop (cont.new $c (ref.func $body)))
                   (unreachable)
                   (drop (cont.new $c (ref.func $body))))
                 (start $main))"#,
        )
        .unwrap();
        let out = instrument(&wasm).expect("instrumented");
        validate(&out.bytes);
        let mut exports = Vec::new();
        let mut globals = 0;
        let mut has_start = false;
        for payload in Parser::new(0).parse_all(&out.bytes) {
            match payload.unwrap() {
                Payload::ExportSection(s) => {
                    for e in s {
                        let e = e.unwrap();
                        exports.push((e.name.to_string(), e.index));
                    }
                }
                Payload::GlobalSection(s) => globals = s.count(),
                Payload::StartSection { .. } => has_start = true,
                _ => {}
            }
        }
        assert_eq!(globals, 2);
        assert!(!has_start);
        // Index 2: one imported and one defined global come before the counter.
        assert!(exports.contains(&(COUNTER_EXPORT.to_string(), 2)));
        assert!(exports.contains(&(START_EXPORT.to_string(), 1)));
        // Every `unreachable` sits at the same original offset before and after.
        let find = |bytes: &[u8]| {
            let mut found = Vec::new();
            for payload in Parser::new(0).parse_all(bytes) {
                if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                    let mut ops = body.get_operators_reader().unwrap();
                    while !ops.eof() {
                        let (op, at) = ops.read_with_offset().unwrap();
                        if let Operator::Unreachable = op {
                            found.push(at);
                        }
                    }
                }
            }
            found
        };
        let before = find(&wasm);
        let after = find(&out.bytes);
        assert_eq!(before.len(), 1);
        assert_ne!(before, after);
        assert_eq!(out.offsets.to_original(after[0]), before[0]);
    }

    #[test]
    fn module_without_globals_or_exports_gets_both_sections() {
        let wasm = wat::parse_str(
            r#"(module
                 (type $f (func))
                 (type $c (cont $f))
                 (elem declare func $body)
                 (func $body)
                 (func (drop (cont.new $c (ref.func $body)))))"#,
        )
        .unwrap();
        let out = instrument(&wasm).expect("instrumented");
        validate(&out.bytes);
    }
}
