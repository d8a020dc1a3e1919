//! Printing a module for a snapshot: after `--lower-to-asyncify`, either the functions under
//! test without the runtime the pass merges in, or the runtime alone, so that a change to the
//! runtime re-blesses the runtime's own snapshot and not every lowering snapshot.
//!
//! The runtime's items are found by name: the functions, globals and tables that
//! `passes/src/lower_to_asyncify/runtime.wat` names (its `REFKIND` template instantiated for
//! each reference kind) and the input does not. Its types are those only its items use. The
//! trampolines and export wrappers the pass generates for the program stay with the program.

use std::collections::BTreeSet;

use crate::common;
use wasmfx::ir::{EntityId, EntityVec, FuncId, GlobalId, IdVisitor, Module, TableId, TypeId, VisitIds};

/// Which part of a lowered module to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Everything but the runtime.
    Program,
    /// The runtime alone.
    Runtime,
}

/// The module `bytes` printed as text. With the `input` it was lowered from, only `part` of
/// it, with a comment saying what was left out.
pub fn print(bytes: &[u8], input: Option<&[u8]>, part: Part) -> Result<String, String> {
    let text = wasmfx::ir::text::print_text(bytes).map_err(|e| e.to_string())?;
    let Some(input) = input else {
        return Ok(text);
    };
    let module = Module::from_bytes(bytes, common::features()).map_err(|e| e.to_string())?;
    let input = Module::from_input(input, common::features()).map_err(|e| e.to_string())?;
    let runtime = RuntimeItems::of(&module, &input);
    let keep = |owner: Part| owner == part;
    let types = runtime.types_used(&module, part);
    let mut kept_groups = Vec::new();
    let mut first = 0;
    for group in &module.rec_groups {
        let ids = first..first + group.len as usize;
        kept_groups.push(ids.clone().any(|t| types.contains(&TypeId::new(t))));
        first = ids.end;
    }
    let defined = |imported: usize, i: usize| imported + i;
    let imported_funcs = module.funcs.values().filter(|f| f.def.local().is_none()).count();
    let imported_tables = module.tables.values().filter(|t| t.def.local().is_none()).count();
    let imported_globals = module.globals.values().filter(|g| g.def.local().is_none()).count();
    let (mut groups, mut funcs, mut tables, mut globals) = (0, 0, 0, 0);
    let mut out = String::new();
    let mut lines = text.lines();
    out.push_str(lines.next().unwrap_or("(module"));
    out.push('\n');
    if !runtime.funcs.is_empty() {
        out.push_str(match part {
            Part::Program => {
                "  ;; (the lowering's runtime is left out: see tests/filetests/lower-to-asyncify/runtime*)\n"
            }
            Part::Runtime => {
                "  ;; (only the lowering's runtime: its functions, globals, tables and the types they use)\n"
            }
        });
    }
    let mut keeping = true;
    for line in lines {
        if let Some(item) = line.strip_prefix("  (") {
            let next = |counter: &mut usize| {
                *counter += 1;
                *counter - 1
            };
            let owner_of = |runtime_item: bool| if runtime_item { Part::Runtime } else { Part::Program };
            keeping = if item.starts_with("type ") || item.starts_with("rec") {
                kept_groups[next(&mut groups)]
            } else if item.starts_with("func ") {
                let id = FuncId::new(defined(imported_funcs, next(&mut funcs)));
                keep(owner_of(runtime.funcs.contains(&id)))
            } else if item.starts_with("table ") {
                let id = TableId::new(defined(imported_tables, next(&mut tables)));
                keep(owner_of(runtime.tables.contains(&id)))
            } else if item.starts_with("global ") {
                let id = GlobalId::new(defined(imported_globals, next(&mut globals)));
                keep(owner_of(runtime.globals.contains(&id)))
            } else {
                keep(Part::Program)
            };
        } else if line == ")" {
            keeping = true;
        }
        if keeping {
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

/// The runtime's functions, globals and tables in a lowered module.
struct RuntimeItems {
    funcs: BTreeSet<FuncId>,
    globals: BTreeSet<GlobalId>,
    tables: BTreeSet<TableId>,
}

impl RuntimeItems {
    fn of(module: &Module, input: &Module) -> RuntimeItems {
        let names = runtime_names();
        RuntimeItems {
            funcs: named(&names, &module.funcs, &input.funcs, |f| &f.name),
            globals: named(&names, &module.globals, &input.globals, |g| &g.name),
            tables: named(&names, &module.tables, &input.tables, |t| &t.name),
        }
    }

    /// The types that `part`'s items use, directly or through other types. Everything but the
    /// runtime's functions, globals and tables belongs to the program.
    fn types_used(&self, module: &Module, part: Part) -> BTreeSet<TypeId> {
        let mut module = module.clone();
        let mut used = Types::default();
        let program = part == Part::Program;
        for (id, f) in module.funcs.iter_mut() {
            if self.funcs.contains(&id) != program {
                used.ty(&mut f.ty);
                if let Some(body) = f.def.local_mut() {
                    body.visit_ids(&mut used);
                }
            }
        }
        for (id, g) in module.globals.iter_mut() {
            if self.globals.contains(&id) != program {
                g.ty.content.visit_ids(&mut used);
                if let Some(init) = g.def.local_mut() {
                    init.iter_mut().for_each(|i| i.visit_ids(&mut used));
                }
            }
        }
        for (id, t) in module.tables.iter_mut() {
            if self.tables.contains(&id) != program {
                t.ty.element.visit_ids(&mut used);
                if let Some(Some(init)) = t.def.local_mut() {
                    init.iter_mut().for_each(|i| i.visit_ids(&mut used));
                }
            }
        }
        if program {
            for t in module.tags.values_mut() {
                used.ty(&mut t.ty);
            }
            for import in module.imports.values_mut() {
                import.item.visit_ids(&mut used);
            }
            for e in module.elems.values_mut() {
                if let wasmfx::ir::ElemItems::Expressions(ty, exprs) = &mut e.items {
                    ty.visit_ids(&mut used);
                    exprs.iter_mut().flatten().for_each(|i| i.visit_ids(&mut used));
                }
            }
        }
        // Types the used types name.
        let mut done = BTreeSet::new();
        while let Some(&t) = used.0.difference(&done).next() {
            done.insert(t);
            module.types[t].visit_ids(&mut used);
        }
        used.0
    }
}

/// The entities of `output` named as the runtime names its own, but for names the program
/// itself gives: then both stay in the program's snapshot, since hiding the program's own
/// entity would be worse than showing the runtime's.
fn named<K: EntityId + Ord, V>(
    runtime: &BTreeSet<String>,
    output: &EntityVec<K, V>,
    input: &EntityVec<K, V>,
    name: impl Fn(&V) -> &Option<String>,
) -> BTreeSet<K> {
    let theirs: BTreeSet<&str> = input.values().filter_map(|v| name(v).as_deref()).collect();
    output
        .iter()
        .filter(|(_, v)| name(v).as_deref().is_some_and(|n| runtime.contains(n) && !theirs.contains(n)))
        .map(|(id, _)| id)
        .collect()
}

/// Collects the types an item names.
#[derive(Default)]
struct Types(BTreeSet<TypeId>);

impl IdVisitor for Types {
    fn ty(&mut self, id: &mut TypeId) {
        self.0.insert(*id);
    }
}

/// The names of the runtime's functions, globals and tables, read from its source.
fn runtime_names() -> BTreeSet<String> {
    let source = std::fs::read_to_string(common::root().join("passes/src/lower_to_asyncify/runtime.wat"))
        .expect("the runtime's source");
    let mut names = BTreeSet::new();
    for keyword in ["(func $", "(global $", "(table $"] {
        for (at, _) in source.match_indices(keyword) {
            let rest = &source[at + keyword.len()..];
            let name = &rest[..rest.find(|c: char| c.is_whitespace() || c == ')').unwrap_or(rest.len())];
            if name.contains("REFKIND") {
                names.extend(["fref", "xref", "eref", "aref"].map(|kind| name.replace("REFKIND", kind)));
            } else {
                names.insert(name.to_string());
            }
        }
    }
    names
}
