//! The IR verifier: checks the invariants the IR keeps on top of what a valid binary needs,
//! and names the function and sequence that break one, which the binary validator cannot
//! (it sees depths and offsets of a module that may not even be writable).
//!
//! [`verify`] checks that:
//! - in every index space imported entities come first, and each imported entity and its
//!   import entry name each other;
//! - the rec groups partition the types;
//! - every id, in every entity space, is in range: outside function bodies and inside them
//!   (locals, sequences), and constant expressions hold no locals, labels or bodies;
//! - in each function body, every live sequence is owned once: by the body's entry or by one
//!   structured instruction (no sequence shared by two, none owning an enclosing one);
//! - every branch, catch and handler target is the label of a live sequence that encloses it
//!   (catch targets are resolved outside their `try_table`, as in the binary).
//!
//! `PassRunner` runs it after every pass in debug builds and under `WASMFX_PASS_DEBUG=1`.
//! Errors are [`Error::internal`]: a module that fails holds a bug of ours, not of the input.

use crate::error::{Error, Result};
use crate::ids::*;
use crate::instr::Instr;
use crate::module::*;
use crate::places::{InstrRef, SeqMap};
use crate::visit::{IdReader, ReadIds, Targets};

/// Checks the IR invariants of `module` (see the module documentation).
pub fn verify(module: &Module) -> Result<()> {
    check_imports_first(module).map_err(|e| Error::internal(e.message()))?;
    check_imports(module)?;
    check_module_ids(module)?;
    for (id, f) in module.funcs.iter() {
        if let Def::Local(body) = &f.def {
            check_body(module, body).map_err(|(seq, what)| {
                let name = match &f.name {
                    Some(n) => format!("${n}"),
                    None => id.as_u32().to_string(),
                };
                Error::internal(format!("in function {name}, sequence {}: {what}", seq.as_u32()))
            })?;
        }
    }
    Ok(())
}

/// Imported entities precede defined ones in every index space, and the rec groups
/// partition the types: what the writer needs to write the module at all.
pub(crate) fn check_imports_first(m: &Module) -> Result<()> {
    fn check<K: EntityId, V>(
        what: &str,
        items: &EntityVec<K, V>,
        is_import: impl Fn(&V) -> bool,
    ) -> Result<()> {
        let mut seen_defined = false;
        for (id, v) in items.iter() {
            if is_import(v) && seen_defined {
                return Err(Error::new(format!(
                    "invalid IR: imported {what} {id:?} comes after a defined one"
                )));
            }
            seen_defined |= !is_import(v);
        }
        Ok(())
    }
    check("function", &m.funcs, |f| f.def.is_import())?;
    check("table", &m.tables, |t| t.def.is_import())?;
    check("memory", &m.memories, |t| t.def.is_import())?;
    check("global", &m.globals, |t| t.def.is_import())?;
    check("tag", &m.tags, |t| t.def.is_import())?;
    let total: u64 = m.rec_groups.iter().map(|g| g.len as u64).sum();
    if total != m.types.len() as u64 {
        return Err(Error::new(format!(
            "invalid IR: rec groups do not partition the types (they cover {total}, there are {})",
            m.types.len()
        )));
    }
    Ok(())
}

/// Each import entry names an entity whose definition is that import, and back.
fn check_imports(m: &Module) -> Result<()> {
    fn import_id<T>(def: &Def<T>) -> Option<ImportId> {
        match def {
            Def::Import(i) => Some(*i),
            Def::Local(_) => None,
        }
    }
    for (id, import) in m.imports.iter() {
        let def = match import.item {
            ExternItem::Func(f) => m.funcs.get(f).map(|x| import_id(&x.def)),
            ExternItem::Table(t) => m.tables.get(t).map(|x| import_id(&x.def)),
            ExternItem::Memory(x) => m.memories.get(x).map(|x| import_id(&x.def)),
            ExternItem::Global(g) => m.globals.get(g).map(|x| import_id(&x.def)),
            ExternItem::Tag(t) => m.tags.get(t).map(|x| import_id(&x.def)),
        };
        if def != Some(Some(id)) {
            return Err(Error::internal(format!(
                "invalid IR: {id:?} provides {}, which is not imported by it",
                item_name(import.item)
            )));
        }
    }
    let mut imported = Vec::new();
    imported.extend(m.funcs.iter().map(|(id, x)| (ExternItem::Func(id), import_id(&x.def))));
    imported.extend(m.tables.iter().map(|(id, x)| (ExternItem::Table(id), import_id(&x.def))));
    imported.extend(m.memories.iter().map(|(id, x)| (ExternItem::Memory(id), import_id(&x.def))));
    imported.extend(m.globals.iter().map(|(id, x)| (ExternItem::Global(id), import_id(&x.def))));
    imported.extend(m.tags.iter().map(|(id, x)| (ExternItem::Tag(id), import_id(&x.def))));
    for (item, import) in imported {
        if let Some(i) = import
            && m.imports.get(i).map(|x| x.item) != Some(item)
        {
            return Err(Error::internal(format!(
                "invalid IR: {item:?} is imported by {i:?}, which provides something else"
            )));
        }
    }
    Ok(())
}

/// An entity as the text format names it: `(func 3)`.
fn item_name(item: ExternItem) -> String {
    match item {
        ExternItem::Func(f) => format!("{f:?}"),
        ExternItem::Table(t) => format!("{t:?}"),
        ExternItem::Memory(x) => format!("{x:?}"),
        ExternItem::Global(g) => format!("{g:?}"),
        ExternItem::Tag(t) => format!("{t:?}"),
    }
}

/// Counts of every module-level entity space, for range checks.
struct Spaces {
    funcs: usize,
    types: usize,
    tables: usize,
    memories: usize,
    globals: usize,
    tags: usize,
    elems: usize,
    datas: usize,
    imports: usize,
}

impl Spaces {
    fn of(m: &Module) -> Spaces {
        Spaces {
            funcs: m.funcs.len(),
            types: m.types.len(),
            tables: m.tables.len(),
            memories: m.memories.len(),
            globals: m.globals.len(),
            tags: m.tags.len(),
            elems: m.elems.len(),
            datas: m.datas.len(),
            imports: m.imports.len(),
        }
    }
}

/// Checks that every id it is shown is in range; remembers the first that is not. Locals and
/// sequences are in range of `locals` and `seqs` (none outside a function body).
struct Ranges<'a> {
    spaces: &'a Spaces,
    locals: usize,
    seqs: usize,
    first: Option<String>,
}

impl Ranges<'_> {
    fn check<K: EntityId>(&mut self, id: &K, len: usize, what: &str) {
        if id.index() >= len && self.first.is_none() {
            self.first = Some(format!("{id:?} is out of range ({len} {what})"));
        }
    }
}

impl IdReader for Ranges<'_> {
    fn func(&mut self, id: &FuncId) {
        self.check(id, self.spaces.funcs, "functions")
    }
    fn ty(&mut self, id: &TypeId) {
        self.check(id, self.spaces.types, "types")
    }
    fn table(&mut self, id: &TableId) {
        self.check(id, self.spaces.tables, "tables")
    }
    fn memory(&mut self, id: &MemoryId) {
        self.check(id, self.spaces.memories, "memories")
    }
    fn global(&mut self, id: &GlobalId) {
        self.check(id, self.spaces.globals, "globals")
    }
    fn tag(&mut self, id: &TagId) {
        self.check(id, self.spaces.tags, "tags")
    }
    fn elem(&mut self, id: &ElemId) {
        self.check(id, self.spaces.elems, "element segments")
    }
    fn data(&mut self, id: &DataId) {
        self.check(id, self.spaces.datas, "data segments")
    }
    fn import(&mut self, id: &ImportId) {
        self.check(id, self.spaces.imports, "imports")
    }
    fn local(&mut self, id: &LocalId) {
        self.check(id, self.locals, "locals")
    }
    fn label(&mut self, id: &SeqId) {
        self.check(id, self.seqs, "sequences")
    }
    fn body(&mut self, id: &SeqId) {
        self.check(id, self.seqs, "sequences")
    }
}

/// Every id outside function bodies is in range (constant expressions have no locals or
/// sequences, so any they hold is out of range).
fn check_module_ids(m: &Module) -> Result<()> {
    let spaces = Spaces::of(m);
    let mut ranges = Ranges { spaces: &spaces, locals: 0, seqs: 0, first: None };
    m.read_module_ids(&mut ranges);
    match ranges.first {
        Some(what) => Err(Error::internal(format!("invalid IR outside function bodies: {what}"))),
        None => Ok(()),
    }
}

/// An error inside a body: the sequence where it is and what is wrong.
type BodyError = (SeqId, String);

/// One open sequence of the walk: where it is, the instruction to look at next, and whether
/// it carries a label (an `else` arm shares its `if`'s label, the `then` sequence).
struct Open {
    seq: SeqId,
    pos: usize,
    labelled: bool,
}

/// Checks one body: ids in range, each live sequence owned once, every target enclosing.
fn check_body(m: &Module, body: &FuncBody) -> std::result::Result<(), BodyError> {
    let n = body.seqs.len();
    if body.entry.index() >= n {
        return Err((body.entry, format!("the entry is out of range ({n} sequences)")));
    }
    if body.num_params as usize > body.locals.len() {
        return Err((body.entry, format!("{} parameters but {} locals", body.num_params, body.locals.len())));
    }
    let spaces = Spaces::of(m);
    let mut ranges = Ranges { spaces: &spaces, locals: body.locals.len(), seqs: n, first: None };
    for local in body.locals.values() {
        local.ty.read_ids(&mut ranges);
    }
    if let Some(what) = ranges.first.take() {
        return Err((body.entry, format!("a local's type: {what}")));
    }
    // Who owns each sequence: `None` before it is met.
    let mut owner: SeqMap<Option<InstrRef>> = SeqMap::filled(body, None);
    // The labels open at the instruction being checked, innermost last.
    let mut labels: Vec<SeqId> = vec![body.entry];
    let mut stack = vec![Open { seq: body.entry, pos: 0, labelled: true }];
    let mut targets = Targets(Vec::new());
    while let Some(open) = stack.last_mut() {
        let seq = open.seq;
        let Some(instr) = body.seqs[seq].instrs.get(open.pos) else {
            if stack.pop().is_some_and(|o| o.labelled) {
                labels.pop();
            }
            continue;
        };
        let index = open.pos;
        open.pos += 1;
        let at = |what: String| (seq, format!("instruction {index} ({}): {what}", instr.visitor_name()));
        if matches!(
            instr,
            Instr::Else
                | Instr::End
                | Instr::Try { .. }
                | Instr::Catch { .. }
                | Instr::CatchAll
                | Instr::Delegate { .. }
                | Instr::Rethrow { .. }
        ) {
            return Err(at("the IR holds no `else`, `end` or legacy exception handling".to_string()));
        }
        instr.read_ids(&mut ranges);
        if let Some(what) = ranges.first.take() {
            return Err(at(what));
        }
        targets.0.clear();
        instr.read_ids(&mut targets);
        for t in &targets.0 {
            if !labels.contains(t) {
                return Err(at(format!(
                    "it targets sequence {}, which is not an enclosing label",
                    t.as_u32()
                )));
            }
        }
        let bodies: Vec<SeqId> = instr.bodies().collect();
        for b in &bodies {
            let by = match owner[*b] {
                _ if *b == body.entry => "is the function's entry".to_string(),
                Some(o) => {
                    format!("is already owned by instruction {} of sequence {}", o.index, o.seq.as_u32())
                }
                None => {
                    owner[*b] = Some(InstrRef::new(seq, index));
                    continue;
                }
            };
            return Err(at(format!("its body, sequence {}, {by}", b.as_u32())));
        }
        // The first body's sequence is the label of all (an `if`'s `then`); the arms run
        // first to last, and the last to end closes the label.
        if let Some(&label) = bodies.first() {
            labels.push(label);
            for (k, &arm) in bodies.iter().enumerate().rev() {
                stack.push(Open { seq: arm, pos: 0, labelled: k + 1 == bodies.len() });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instr::{Body, BrTargets};
    use crate::types::BlockType;

    fn module(text: &str) -> Module {
        Module::from_input(text.as_bytes(), crate::validate::default_features()).unwrap()
    }

    fn body_mut(m: &mut Module, f: usize) -> &mut FuncBody {
        m.body_mut(FuncId::new(f)).unwrap()
    }

    fn error(m: &Module) -> String {
        let e = verify(m).expect_err("the IR is broken");
        assert!(e.is_internal(), "{e}");
        e.message().to_string()
    }

    /// Two sibling blocks in `$f`: sequence 1 holds `br 0`, sequence 2 `nop`.
    const TWO_BLOCKS: &str = "(module (func $f (local i32) (block (br 0)) (block (nop))))";

    #[test]
    fn every_corpus_module_verifies() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "wat") {
                let m =
                    Module::from_input(&std::fs::read(&path).unwrap(), crate::validate::default_features())
                        .unwrap();
                verify(&m).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
        }
    }

    #[test]
    fn a_branch_to_a_label_that_does_not_enclose_it() {
        let mut m = module(TWO_BLOCKS);
        let body = body_mut(&mut m, 0);
        body.instrs_mut(SeqId::new(2))[0] = Instr::Br { relative_depth: SeqId::new(1) };
        assert_eq!(
            error(&m),
            "in function $f, sequence 2: instruction 0 (visit_br): it targets sequence 1, which is not an \
             enclosing label"
        );
    }

    #[test]
    fn a_branch_table_target_out_of_range() {
        let mut m = module(TWO_BLOCKS);
        let body = body_mut(&mut m, 0);
        let targets = Box::new(BrTargets { targets: vec![SeqId::new(1)], default: SeqId::new(7) });
        body.instrs_mut(SeqId::new(1))[0] = Instr::BrTable { targets };
        assert_eq!(
            error(&m),
            "in function $f, sequence 1: instruction 0 (visit_br_table): (seq 7) is out of range (3 sequences)"
        );
    }

    #[test]
    fn a_sequence_owned_twice() {
        let mut m = module(TWO_BLOCKS);
        let body = body_mut(&mut m, 0);
        let entry = body.entry;
        body.instrs_mut(entry)[1] =
            Instr::Block { blockty: Body { ty: BlockType::Empty, seq: SeqId::new(1) } };
        assert_eq!(
            error(&m),
            "in function $f, sequence 0: instruction 1 (visit_block): its body, sequence 1, is already owned by \
             instruction 0 of sequence 0"
        );
    }

    #[test]
    fn a_body_that_owns_the_entry() {
        let mut m = module(TWO_BLOCKS);
        let body = body_mut(&mut m, 0);
        body.instrs_mut(SeqId::new(2))[0] =
            Instr::Loop { blockty: Body { ty: BlockType::Empty, seq: SeqId::new(0) } };
        assert_eq!(
            error(&m),
            "in function $f, sequence 2: instruction 0 (visit_loop): its body, sequence 0, is the function's entry"
        );
    }

    #[test]
    fn a_local_out_of_range_in_an_unnamed_function() {
        let mut m = module("(module (func (local i32) (local.set 0 (i32.const 1))))");
        let body = body_mut(&mut m, 0);
        let entry = body.entry;
        body.instrs_mut(entry)[1] = Instr::LocalSet { local_index: LocalId::new(1) };
        assert_eq!(
            error(&m),
            "in function 0, sequence 0: instruction 1 (visit_local_set): (local 1) is out of range (1 locals)"
        );
    }

    #[test]
    fn a_call_to_a_function_that_does_not_exist() {
        let mut m = module(TWO_BLOCKS);
        body_mut(&mut m, 0).instrs_mut(SeqId::new(2))[0] = Instr::Call { function_index: FuncId::new(5) };
        assert_eq!(
            error(&m),
            "in function $f, sequence 2: instruction 0 (visit_call): (func 5) is out of range (1 functions)"
        );
    }

    #[test]
    fn an_else_left_in_the_ir() {
        let mut m = module(TWO_BLOCKS);
        body_mut(&mut m, 0).instrs_mut(SeqId::new(2))[0] = Instr::Else;
        assert_eq!(
            error(&m),
            "in function $f, sequence 2: instruction 0 (visit_else): the IR holds no `else`, `end` or legacy \
             exception handling"
        );
    }

    #[test]
    fn module_level_invariants() {
        let mut m = module("(module (import \"m\" \"g\" (func)) (func) (global i32 (i32.const 0)))");
        m.funcs.push(FuncData { ty: TypeId::new(0), def: Def::Import(ImportId::new(0)), name: None });
        assert_eq!(error(&m), "invalid IR: imported function (func 2) comes after a defined one");

        let mut m = module("(module (type (func)) (type (func)))");
        m.rec_groups.pop();
        assert_eq!(
            error(&m),
            "invalid IR: rec groups do not partition the types (they cover 1, there are 2)"
        );

        let mut m = module("(module (global i32 (i32.const 0)) (export \"g\" (global 0)))");
        m.exports[0].item = ExternItem::Global(GlobalId::new(3));
        assert_eq!(error(&m), "invalid IR outside function bodies: (global 3) is out of range (1 globals)");

        let mut m = module("(module (global i32 (i32.const 0)))");
        m.globals[GlobalId::new(0)].def = Def::Local(vec![Instr::LocalGet { local_index: LocalId::new(0) }]);
        assert_eq!(error(&m), "invalid IR outside function bodies: (local 0) is out of range (0 locals)");

        let mut m = module("(module (import \"m\" \"f\" (func)) (import \"m\" \"g\" (func)))");
        m.funcs[FuncId::new(1)].def = Def::Import(ImportId::new(0));
        assert_eq!(error(&m), "invalid IR: (import 1) provides (func 1), which is not imported by it");
    }
}
