//! Which functions an indirect call may reach: by the table it calls through and what can be
//! in that table, then by type, rather than by type alone.
//!
//! A `call_indirect` through table `T` can only call a function that is in `T` when it runs,
//! and only one whose type matches the one the call names. Before this, the lowering took
//! every address-taken function of the called type as a target, so in C, where stdio's
//! `f->write` shares its type with a fiber's entry point, every `call_indirect` of that type
//! counted as a possible suspension and the whole `printf` chain was instrumented. Now the
//! candidates of a call through `T` are *what can be in `T`* ([`TableContents`]):
//!
//! - the functions of the active element segments for `T` and of its initialiser;
//! - what `table.init` copies into `T` from a passive segment, and what `table.copy` copies
//!   into `T` from another table (so the contents of that table too, to a fixed point);
//! - *anything* (every address-taken function, as before) when `T` is imported or
//!   exported (the host or another module may put any function there), when code writes it
//!   with `table.set`, `table.fill` or `table.grow` (the value may come from anywhere: a
//!   `ref.func`, a global, a call's result), when a segment or initialiser item is not a
//!   plain `ref.func` or `ref.null`, and for any other instruction naming `T` that is not
//!   known to only read it (so an operator added later is treated as a writer).
//!
//! A `call_ref` has no table: its candidates are every address-taken function, as before.
//! Of the candidates, a call reaches those whose type may match: without GC, the erased
//! signatures are equal (types are structural); with GC a function's type may be a subtype
//! of the called one, whose parameters and results differ only in reference types, so two
//! signatures match when they have the same arity and agree on every numeric type (a
//! superset of subtyping and of type equivalence, which keeps it simple and sound).
//!
//! Before/after: in a C program whose fiber entry `$fiber` (which suspends) is in the table
//! `$fibers` and stdio's `write` callbacks in `$__indirect_function_table`, a `call_indirect
//! $__indirect_function_table (type $i32_i32)` used to be a suspension point because
//! `$fiber` has type `$i32_i32`; now it is not, and neither are its callers.
//!
//! Soundness is what matters: a missed target is a missed suspension point, which corrupts
//! the program's state when it suspends. Everything here over-approximates: dead code is
//! scanned too, and a separately lowered module (whose peers may put anything anywhere)
//! takes every indirect call as one that may suspend (see `analysis.rs`).

use super::erasure::Erasure;
use std::collections::{BTreeMap, BTreeSet};
use wasmfx_ir::visit::{IdReader, ReadIds};
use wasmfx_ir::*;

/// What an indirect call calls through: the table (`None` for `call_ref`) and the type as
/// the instruction names it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct IndirectKey {
    pub table: Option<TableId>,
    pub ty: TypeId,
}

impl IndirectKey {
    /// The key of `instr` if it is an indirect call (`call_indirect`, `call_ref` and their
    /// tail forms).
    pub(crate) fn of(instr: &Instr) -> Option<IndirectKey> {
        match *instr {
            Instr::CallIndirect { type_index, table_index }
            | Instr::ReturnCallIndirect { type_index, table_index } => {
                Some(IndirectKey { table: Some(table_index), ty: type_index })
            }
            Instr::CallRef { type_index } | Instr::ReturnCallRef { type_index } => {
                Some(IndirectKey { table: None, ty: type_index })
            }
            _ => None,
        }
    }
}

/// What a table can hold when an indirect call reads it.
#[derive(Clone, Debug, PartialEq)]
enum Contents {
    /// Any address-taken function.
    Open,
    /// Only these functions (and nulls).
    Known(BTreeSet<FuncId>),
}

impl Contents {
    fn add(&mut self, f: FuncId) {
        if let Contents::Known(set) = self {
            set.insert(f);
        }
    }

    /// Adds `item`, a segment item or a table initialiser: a `ref.func` adds its function, a
    /// null nothing, anything else (a `global.get`, a GC constant) opens the table.
    fn add_item(&mut self, item: &[Instr]) {
        match item {
            [Instr::RefFunc { function_index }] => self.add(*function_index),
            [Instr::RefNull { .. }] => {}
            _ => *self = Contents::Open,
        }
    }

    fn add_segment(&mut self, items: &ElemItems) {
        match items {
            ElemItems::Functions(fs) => fs.iter().for_each(|&f| self.add(f)),
            ElemItems::Expressions(_, exprs) => exprs.iter().for_each(|e| self.add_item(e)),
        }
    }

    /// Adds everything `other` may hold; whether that changed anything.
    fn absorb(&mut self, other: &Contents) -> bool {
        match (&mut *self, other) {
            (Contents::Open, _) => false,
            (_, Contents::Open) => {
                *self = Contents::Open;
                true
            }
            (Contents::Known(mine), Contents::Known(theirs)) => {
                let before = mine.len();
                mine.extend(theirs);
                mine.len() != before
            }
        }
    }
}

/// What each table of the module can hold, from its segments, initialiser, exports, imports
/// and the instructions that write it (see the module documentation).
pub(crate) struct TableContents {
    tables: BTreeMap<TableId, Contents>,
}

/// The tables one instruction names.
struct TablesNamed(Vec<TableId>);

impl IdReader for TablesNamed {
    fn table(&mut self, id: &TableId) {
        self.0.push(*id);
    }
}

impl TableContents {
    /// Collects the contents of every table from the module and from `instrs`, every
    /// instruction of every body (a superset of the live ones is fine).
    pub(crate) fn new<'m>(module: &Module, instrs: impl Iterator<Item = &'m Instr>) -> TableContents {
        let mut tables: BTreeMap<TableId, Contents> = BTreeMap::new();
        for (id, table) in module.tables.iter() {
            let mut contents = Contents::Known(BTreeSet::new());
            match &table.def {
                Def::Import(_) => contents = Contents::Open,
                Def::Local(Some(init)) => contents.add_item(init),
                Def::Local(None) => {}
            }
            if module.exports.iter().any(|e| e.item == ExternItem::Table(id)) {
                contents = Contents::Open;
            }
            tables.insert(id, contents);
        }
        for elem in module.elems.values() {
            if let ElemMode::Active { table, .. } = elem.mode
                && let Some(contents) = tables.get_mut(&table)
            {
                contents.add_segment(&elem.items);
            }
        }
        // `table.copy` edges (source, destination), applied to a fixed point below.
        let mut copies: BTreeSet<(TableId, TableId)> = BTreeSet::new();
        let open = |tables: &mut BTreeMap<TableId, Contents>, t: TableId| {
            tables.insert(t, Contents::Open);
        };
        for instr in instrs {
            match *instr {
                // Reading a table puts nothing in it.
                Instr::CallIndirect { .. }
                | Instr::ReturnCallIndirect { .. }
                | Instr::TableGet { .. }
                | Instr::TableSize { .. } => {}
                Instr::TableCopy { dst_table, src_table } => {
                    copies.insert((src_table, dst_table));
                }
                Instr::TableInit { elem_index, table } => {
                    if let Some(contents) = tables.get_mut(&table) {
                        contents.add_segment(&module.elems[elem_index].items);
                    }
                }
                // `table.set`, `table.fill`, `table.grow`, and anything else that names a
                // table: what it stores may be any function reference.
                _ => {
                    let mut named = TablesNamed(Vec::new());
                    instr.read_ids(&mut named);
                    for t in named.0 {
                        open(&mut tables, t);
                    }
                }
            }
        }
        let mut changed = true;
        while changed {
            changed = false;
            for &(src, dst) in &copies {
                let from = tables.get(&src).cloned().unwrap_or(Contents::Open);
                if let Some(to) = tables.get_mut(&dst) {
                    changed |= to.absorb(&from);
                }
            }
        }
        TableContents { tables }
    }

    /// The functions a call through `key` may reach, of the address-taken functions `taken`
    /// (every possible target of an indirect call).
    pub(crate) fn targets(
        &self,
        module: &Module,
        erasure: &Erasure,
        key: IndirectKey,
        taken: &BTreeSet<FuncId>,
    ) -> BTreeSet<FuncId> {
        let candidates: &BTreeSet<FuncId> = match key.table.and_then(|t| self.tables.get(&t)) {
            Some(Contents::Known(set)) => set,
            _ => taken,
        };
        let called = erasure.func_type(module, key.ty);
        candidates
            .iter()
            .copied()
            .filter(|&f| {
                signatures_may_match(erasure, &erasure.func_type(module, module.funcs[f].ty), &called)
            })
            .collect()
    }
}

/// Whether a function of signature `callee` may be called through `called` (both erased):
/// equal signatures without GC; with GC, where subtyping and equivalent types let signatures
/// differ in their reference types, the same arity and the same numeric types.
fn signatures_may_match(erasure: &Erasure, callee: &FuncType, called: &FuncType) -> bool {
    if !erasure.gc {
        return callee == called;
    }
    let agree = |a: &[ValType], b: &[ValType]| {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| match (x, y) {
                (ValType::Ref(_), ValType::Ref(_)) => true,
                _ => x == y,
            })
    };
    agree(&callee.params, &called.params) && agree(&callee.results, &called.results)
}
