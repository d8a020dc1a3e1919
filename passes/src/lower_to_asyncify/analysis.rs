//! Phase 1, analysis: everything the rewrites need to know about the module as a whole,
//! computed once before anything changes and read-only afterwards.
//!
//! - Which types are continuation types, and the function type each one runs.
//! - Which tags a `suspend` or `switch` uses (what may unwind to a `resume`).
//! - Which functions can suspend, by a worklist over a call graph built in one scan: a
//!   function suspends if it contains a `suspend`, a `switch` or a `resume` that may forward,
//!   if it calls a function that suspends, or if it calls indirectly (`call_indirect`,
//!   `call_ref` and their tail forms) through a table and type by which a suspending
//!   function can be reached (`targets.rs`: what can be in the table, of a matching type;
//!   for `call_ref`, every address-taken function of a matching type). Each function enters
//!   the worklist at most once, and the callers through a table and type are visited when
//!   the first suspending function reachable that way is found (`call_graph.rs`). The
//!   lists (`lists.rs`) keep functions out of the worklist; given lists, the worklist also
//!   runs without them, and what only that run finds is where the rewrite checks.
//! - For tail calls: the suspending functions each suspending function may tail-call, and
//!   their closures (whose frames may be on top when the caller is rewound).
//! - The function types `cont.new` starts, each with its function when every `cont.new` of
//!   the type is given the same `ref.func` (then its trampoline calls it directly).
//! - The tables of continuations and where their descriptors go in the runtime's region;
//!   whether the program uses exceptions and has a memory 0 of its own.
//!
//! One scan of every function's instructions (`Scan`) collects what the rest is derived from
//! (calls, stack switching, the functions `ref.func` takes, whether exception or GC
//! instructions occur); it asks each instruction `Instr::transfer`, the IR's exhaustive
//! classification of calls and stack switching, so that no operator can be overlooked. The refusals (what the
//! lowering does not support) are checked here too, before any work.

use super::call_graph::{CallGraph, tail_calls};
use super::contract::{TABLE_DESCRIPTOR_SIZE, TABLE_DESCRIPTORS_START};
use super::erasure::Erasure;
use super::lists::FunctionLists;
use super::shared::SharedOptions;
use super::targets::{IndirectKey, TableContents};
use super::{LowerOptions, SUSPENDING_IMPORTS_ARG};
use std::collections::{BTreeMap, BTreeSet};
use wasmfx_ir::func_refs::address_taken;
use wasmfx_ir::*;

/// The tags `suspend` and `switch` use: what may unwind to a `resume`.
#[derive(Default)]
pub(crate) struct UnwindTags {
    /// Tags of `suspend`s, taken by `(on $e $l)` clauses.
    pub suspend: BTreeSet<TagId>,
    /// Tags of `switch`es, taken by `(on $e switch)` clauses.
    pub switch: BTreeSet<TagId>,
    /// In separate lowering, a continuation of another module may suspend with any tag, so
    /// every `resume` may forward.
    pub open: bool,
}

impl UnwindTags {
    /// Whether a `resume` with these clauses may have to forward a suspension or a switch.
    pub(crate) fn may_forward(&self, handlers: &[Handler]) -> bool {
        let on_label =
            |t: &TagId| handlers.iter().any(|h| matches!(h, Handler::OnLabel { tag, .. } if tag == t));
        let on_switch =
            |t: &TagId| handlers.iter().any(|h| matches!(h, Handler::OnSwitch { tag } if tag == t));
        self.open || self.suspend.iter().any(|t| !on_label(t)) || self.switch.iter().any(|t| !on_switch(t))
    }
}

/// A table of continuations, kept in the runtime's region as an array of handles.
#[derive(Copy, Clone, Debug)]
pub(crate) struct ContTable {
    /// Offset of its descriptor in the region.
    pub descriptor: i32,
    pub initial: i32,
    /// The maximum size, -1 for none.
    pub maximum: i32,
}

/// What the analysis learned; see the module documentation.
pub(crate) struct Analysis {
    pub erasure: Erasure,
    /// The function type of each continuation type.
    pub cont_func: BTreeMap<TypeId, TypeId>,
    pub unwind_tags: UnwindTags,
    /// Functions that can suspend (instrumented), suspending imports included.
    pub suspending: BTreeSet<FuncId>,
    /// The tables and types through which an indirect call may reach a suspending function.
    pub indirect_suspends: BTreeSet<IndirectKey>,
    /// Given lists (`lists.rs`): what may suspend by analysis alone, the functions and the
    /// tables and types of indirect calls. A call to one of them that the lists made an
    /// ordinary call checks that the callee did not unwind.
    pub unlisted: Option<(BTreeSet<FuncId>, BTreeSet<IndirectKey>)>,
    /// For each function that can suspend: the suspending functions its tail calls may enter.
    pub tail_targets: BTreeMap<FuncId, Vec<FuncId>>,
    /// For each of those targets: every function reachable from it through tail calls
    /// (itself included), i.e. whose frame may be on top when the caller is rewound.
    pub tail_closure: BTreeMap<FuncId, Vec<FuncId>>,
    pub cont_tables: BTreeMap<TableId, ContTable>,
    /// Whether the program uses exception handling (then resumes catch what escapes a
    /// continuation to keep the runtime consistent, and exnrefs can be saved).
    pub uses_exceptions: bool,
    /// Whether the program had a memory 0 whose size the runtime must hide.
    pub shares_memory: bool,
    /// Tags `resume_throw` raises, in order.
    pub thrown_tags: Vec<TagId>,
    /// The function types `cont.new` starts, each with the one function every such
    /// `cont.new` is given, when that is known (see [`started_functions`]).
    pub started: BTreeMap<TypeId, Option<FuncId>>,
    /// Separate lowering's options, in that mode (see `shared.rs`).
    pub shared: Option<SharedOptions>,
}

/// The instructions of every defined function, live or not (a cheap superset for scans).
fn all_instrs(module: &Module) -> impl Iterator<Item = &Instr> {
    module.funcs.values().filter_map(|f| f.def.local()).flat_map(|b| b.seqs.values().flat_map(|s| &s.instrs))
}

/// Whether the module uses stack switching at all (otherwise the lowering leaves it alone).
pub(crate) fn uses_stack_switching(module: &Module) -> bool {
    module.types.values().any(|t| t.as_cont().is_some())
        || all_instrs(module).any(|i| i.proposal() == Proposal::StackSwitching)
        || module.tags.values().any(|t| !module.func_type(t.ty).results.is_empty())
}

/// Whether the module uses GC outside its code: struct or array types, declared subtyping,
/// or a reference into the `any` hierarchy anywhere a value type is written. With a GC
/// instruction in the code (which [`Scan`] looks for) this is what makes the output keep GC
/// and typed function references (see `erasure.rs`); otherwise it needs neither.
fn uses_gc_outside_code(module: &Module) -> bool {
    let in_any = |t: &ValType| match t {
        ValType::Ref(r) => match r.heap {
            HeapType::Abstract { ty, .. } => matches!(
                ty,
                AbstractHeapType::Any
                    | AbstractHeapType::Eq
                    | AbstractHeapType::I31
                    | AbstractHeapType::Struct
                    | AbstractHeapType::Array
                    | AbstractHeapType::None
            ),
            HeapType::Concrete(id) | HeapType::Exact(id) => {
                matches!(
                    module.types[id].composite.inner,
                    CompositeInner::Struct(_) | CompositeInner::Array(_)
                )
            }
        },
        _ => false,
    };
    let typed = module.types.values().any(|t| {
        !t.is_final
            || t.supertype.is_some()
            || matches!(t.composite.inner, CompositeInner::Struct(_) | CompositeInner::Array(_))
            || t.as_func().is_some_and(|f| f.params.iter().chain(&f.results).any(in_any))
    });
    typed
        || module.globals.values().any(|g| in_any(&g.ty.content))
        || module.tables.values().any(|t| in_any(&ValType::Ref(t.ty.element)))
        || module
            .funcs
            .values()
            .filter_map(|f| f.def.local())
            .any(|b| b.locals.values().any(|l| in_any(&l.ty)))
}

/// The proposals beyond a plain host's (MVP and its finished extensions, without GC, typed
/// function references or exception handling) that the lowering of `module` keeps because
/// the input uses them: exception handling where the input has an exception instruction (or
/// a `resume_throw`), GC and typed function references where it uses GC. The lowered module
/// needs nothing else beyond a plain host.
pub fn kept_features(module: &Module) -> WasmFeatures {
    let scan = Scan::of(module);
    let mut features = WasmFeatures::empty();
    if scan.uses_exceptions {
        features |= WasmFeatures::EXCEPTIONS;
    }
    if scan.uses_gc_instructions || uses_gc_outside_code(module) {
        features |= WasmFeatures::GC | WasmFeatures::FUNCTION_REFERENCES;
    }
    features
}

impl Analysis {
    /// Analyses `module`, or refuses it with the reason.
    pub(crate) fn of(module: &Module, options: &LowerOptions) -> Result<Analysis> {
        let cont_types: BTreeSet<TypeId> =
            module.types.iter().filter(|(_, t)| t.as_cont().is_some()).map(|(id, _)| id).collect();
        let mut scan = Scan::of(module);
        let erasure = Erasure::new(cont_types, scan.uses_gc_instructions || uses_gc_outside_code(module));
        let shared = options.shared.is_some();
        check_supported(module, &erasure, shared)?;
        let cont_func: BTreeMap<TypeId, TypeId> =
            module.types.iter().filter_map(|(id, t)| t.as_cont().map(|ft| (id, ft))).collect();
        scan.unwind_tags.open = shared;
        let taken = address_taken(module, scan.referenced.iter().copied());
        let contents = TableContents::new(module, all_instrs(module));
        let mut imports = suspending_imports(module, options)?;
        let lists = FunctionLists::of(module, options)?;
        imports.extend(&lists.add);
        let graph = CallGraph::new(module, &erasure, &scan, &contents, &taken);
        lists.check_roots(module, &graph.roots)?;
        let (suspending, indirect_suspends) = graph.suspending(&imports, shared, |f| lists.allows(f));
        let unlisted = lists.given().then(|| graph.suspending(&imports, shared, |_| true));
        let (tail_targets, tail_closure) = tail_calls(&scan, &graph, &suspending);
        let cont_tables = module
            .tables
            .iter()
            .filter(|(_, t)| erasure.val(ValType::Ref(t.ty.element)) == ValType::I64)
            .enumerate()
            .map(|(k, (id, t))| {
                let table = ContTable {
                    descriptor: TABLE_DESCRIPTORS_START + TABLE_DESCRIPTOR_SIZE * k as i32,
                    initial: t.ty.initial.min(i32::MAX as u64) as i32,
                    maximum: t.ty.maximum.map_or(-1, |m| m.min(i32::MAX as u64) as i32),
                };
                (id, table)
            })
            .collect();
        // Separately lowered, a module may resume continuations a peer made, so it keeps a
        // trampoline for every function type its continuations start, each starting its
        // function through `fiber_funcs` (this mode keeps the general protocol throughout).
        let started = if shared {
            cont_func.values().map(|&ft| (ft, None)).collect()
        } else {
            started_functions(&scan, &cont_func)
        };
        Ok(Analysis {
            erasure,
            cont_func,
            unwind_tags: scan.unwind_tags,
            suspending,
            indirect_suspends,
            unlisted,
            tail_targets,
            tail_closure,
            cont_tables,
            uses_exceptions: scan.uses_exceptions,
            started,
            // Separately lowered, the runtime's region is in the shared runtime's memory.
            shares_memory: !shared && !module.memories.is_empty(),
            // Separately lowered, a peer's `resume_throw` may raise any exception tag of the
            // module where one of its continuations was suspended.
            thrown_tags: if shared {
                module
                    .tags
                    .iter()
                    .filter(|(_, t)| module.func_type(t.ty).results.is_empty())
                    .map(|(id, _)| id)
                    .collect()
            } else {
                scan.thrown_tags.into_iter().collect()
            },
            shared: options.shared.clone(),
        })
    }

    /// Whether `instr`, an indirect call, may reach a suspending function.
    pub(crate) fn indirect_may_suspend(&self, instr: &Instr) -> bool {
        IndirectKey::of(instr).is_none_or(|key| self.indirect_suspends.contains(&key))
    }

    /// Whether `instr`, a call that is not a suspension point, may still come back unwinding
    /// because a list said its callee does not suspend: then the lowering checks after it.
    pub(crate) fn unlisted_may_suspend(&self, instr: &Instr) -> bool {
        let Some((functions, indirect)) = &self.unlisted else { return false };
        match instr.transfer() {
            Transfer::Call { callee: Callee::Func(f), tail: false } => functions.contains(&f),
            Transfer::Call { callee: Callee::Signature(_), tail: false } => {
                IndirectKey::of(instr).is_none_or(|key| indirect.contains(&key))
            }
            _ => false,
        }
    }

    /// Where the transfer area starts in the region: after the tables' descriptors.
    pub(crate) fn transfer_start(&self) -> i32 {
        TABLE_DESCRIPTORS_START + TABLE_DESCRIPTOR_SIZE * self.cont_tables.len() as i32
    }

    /// Whether a rewind may end with an exception to raise (`rethrow_pending`): when the
    /// program raises one with `resume_throw`, or, separately lowered, when it has a tag a
    /// peer's `resume_throw` may raise into one of its continuations.
    pub(crate) fn raises_pending(&self) -> bool {
        self.uses_exceptions || (self.shared.is_some() && !self.thrown_tags.is_empty())
    }
}

fn suspending_imports(module: &Module, options: &LowerOptions) -> Result<BTreeSet<FuncId>> {
    let mut found = BTreeSet::new();
    for (m, n) in &options.suspending_imports {
        let import = module.imports.values().find_map(|i| match i.item {
            ExternItem::Func(f) if &i.module == m && &i.name == n => Some(f),
            _ => None,
        });
        found.insert(import.ok_or_else(|| {
            Error::new(format!(
                "--pass-arg {SUSPENDING_IMPORTS_ARG}: the module imports no function `{m}.{n}`"
            ))
        })?);
    }
    // Functions of peers lowered the same way may suspend, as calls between them do natively.
    if let Some(shared) = &options.shared {
        found.extend(module.imports.values().filter_map(|i| match i.item {
            ExternItem::Func(f) if shared.peers.contains(&i.module) => Some(f),
            _ => None,
        }));
    }
    Ok(found)
}

fn check_supported(module: &Module, erasure: &Erasure, shared: bool) -> Result<()> {
    let refuse =
        |what: &str| Err(Error::unsupported(&format!("{what} (not lowered by --lower-to-asyncify yet)")));
    for (id, t) in module.tags.iter() {
        let exported = module.exports.iter().any(|e| e.item == ExternItem::Tag(id));
        if !shared && !module.func_type(t.ty).results.is_empty() && (t.def.is_import() || exported) {
            return refuse(
                "an imported or exported tag with results (it has no meaning without stack switching)",
            );
        }
    }
    if let Some(m) = module.memories.values().next()
        && (m.ty.memory64 || m.ty.shared)
    {
        return refuse("a 64-bit or shared memory 0");
    }
    for (t, table) in module.tables.iter() {
        if erasure.val(ValType::Ref(table.ty.element)) != ValType::I64 {
            continue;
        }
        let null_init = match &table.def {
            // Separately lowered, its descriptor is imported (see `shared.rs`).
            Def::Import(_) if shared => true,
            Def::Import(_) => return refuse("an imported table of continuations"),
            Def::Local(None) => true,
            Def::Local(Some(init)) => matches!(init.as_slice(), [Instr::RefNull { .. }]),
        };
        if !null_init {
            return refuse("a table of continuations initialised with non-null references");
        }
        if !shared && module.exports.iter().any(|e| e.item == ExternItem::Table(t)) {
            return refuse("an exported table of continuations");
        }
        if module.elems.values().any(|e| matches!(&e.mode, ElemMode::Active { table, .. } if *table == t)) {
            return refuse("element segments for a table of continuations");
        }
    }
    Ok(())
}

/// What one function's instructions say about calls and stack switching.
#[derive(Default)]
pub(super) struct FuncScan<'m> {
    /// Whether it contains a `suspend` or a `switch`.
    pub(super) switches: bool,
    /// The handler clauses of its `resume`s (whether one may forward depends on the tags of
    /// every function, known only after the scan).
    pub(super) resumes: Vec<&'m [Handler]>,
    /// The functions it calls directly (`call`, `return_call`).
    pub(super) calls: BTreeSet<FuncId>,
    /// What it calls through (`call_indirect`, `call_ref`, tail forms too): the table and
    /// the type as written (erasing it needs to know whether the module uses GC, which the
    /// scan decides).
    pub(super) indirect: BTreeSet<IndirectKey>,
    /// The functions it tail-calls directly.
    pub(super) tail_calls: BTreeSet<FuncId>,
    /// What it tail-calls through.
    pub(super) tail_indirect: Vec<IndirectKey>,
}

/// What the one scan of every defined function's instructions (live or not: a cheap
/// superset) finds; everything else the analysis derives from it.
#[derive(Default)]
pub(super) struct Scan<'m> {
    pub(super) funcs: BTreeMap<FuncId, FuncScan<'m>>,
    pub(super) unwind_tags: UnwindTags,
    /// Tags `resume_throw` raises.
    thrown_tags: BTreeSet<TagId>,
    /// Whether an instruction of the exception-handling proposal, or a `resume_throw` or
    /// `resume_throw_ref`, occurs.
    uses_exceptions: bool,
    /// Whether an instruction of the GC proposal occurs.
    uses_gc_instructions: bool,
    /// The functions a `ref.func` takes (the part of the address-taken set code gives).
    referenced: BTreeSet<FuncId>,
    /// Every `cont.new`, in body order: its continuation type and the function a `ref.func`
    /// right before it gives (`None` for a computed reference).
    cont_news: Vec<(TypeId, Option<FuncId>)>,
}

impl<'m> Scan<'m> {
    fn of(module: &'m Module) -> Scan<'m> {
        let mut scan = Scan::default();
        for (id, f) in module.funcs.iter() {
            let Some(body) = f.def.local() else { continue };
            let mut func = FuncScan::default();
            // Each instruction with the one before it in its sequence.
            let pairs = body.seqs.values().flat_map(|s| {
                let before = std::iter::once(None).chain(s.instrs.iter().map(Some));
                before.zip(&s.instrs)
            });
            for (before, instr) in pairs {
                match instr.proposal() {
                    Proposal::Exceptions => scan.uses_exceptions = true,
                    Proposal::Gc => scan.uses_gc_instructions = true,
                    _ => {}
                }
                match instr {
                    Instr::RefFunc { function_index } => {
                        scan.referenced.insert(*function_index);
                    }
                    Instr::ContNew { cont_type_index } => {
                        let given = match before {
                            Some(Instr::RefFunc { function_index }) => Some(*function_index),
                            _ => None,
                        };
                        scan.cont_news.push((*cont_type_index, given));
                    }
                    _ => {}
                }
                match instr.transfer() {
                    Transfer::Call { callee: Callee::Func(g), tail } => {
                        func.calls.insert(g);
                        if tail {
                            func.tail_calls.insert(g);
                        }
                    }
                    Transfer::Call { callee: Callee::Signature(ty), tail } => {
                        // Any other indirect call is taken as one without a table, whose
                        // targets are every address-taken function of a matching type.
                        let key = IndirectKey::of(instr).unwrap_or(IndirectKey { table: None, ty });
                        if tail {
                            func.tail_indirect.push(key);
                        }
                        func.indirect.insert(key);
                    }
                    Transfer::Suspend { tag } => {
                        func.switches = true;
                        scan.unwind_tags.suspend.insert(tag);
                    }
                    Transfer::Switch { tag, .. } => {
                        func.switches = true;
                        scan.unwind_tags.switch.insert(tag);
                    }
                    Transfer::Resume { with, handlers, .. } => {
                        func.resumes.push(handlers);
                        match with {
                            ResumeWith::Arguments => {}
                            ResumeWith::Exception(tag) => {
                                scan.thrown_tags.insert(tag);
                                scan.uses_exceptions = true;
                            }
                            ResumeWith::ExnRef => scan.uses_exceptions = true,
                        }
                    }
                    Transfer::Stays => {}
                }
            }
            scan.funcs.insert(id, func);
        }
        scan
    }
}

/// The function types that `cont.new` starts, each with the function it is given when every
/// `cont.new` of that function type takes `ref.func $f` of one `$f` right before it (the
/// usual shape, as in a fiber library's `cont.new (ref.func $trampoline)`), and `None` when
/// any takes a computed reference or two take different functions. Only `cont.new` makes a
/// fresh continuation, so a trampoline whose type has a known function calls it directly
/// rather than through `fiber_funcs`. Read from the scan's `cont.new`s, which cover every
/// defined body, live or not (a superset, which only makes a function less known).
fn started_functions(
    scan: &Scan<'_>,
    cont_func: &BTreeMap<TypeId, TypeId>,
) -> BTreeMap<TypeId, Option<FuncId>> {
    let mut started: BTreeMap<TypeId, Option<FuncId>> = BTreeMap::new();
    for &(cont_type, given) in &scan.cont_news {
        let ft = cont_func[&cont_type];
        match started.get(&ft) {
            None => {
                started.insert(ft, given);
            }
            Some(known) if *known != given => {
                started.insert(ft, None);
            }
            Some(_) => {}
        }
    }
    started
}
