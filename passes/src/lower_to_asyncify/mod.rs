//! `--lower-to-asyncify`: lowers stack switching (`cont.new`, `cont.bind`, `resume`,
//! `suspend`) to an Asyncify-style state machine that runs on hosts without stack switching.
//!
//! # The protocol
//!
//! A continuation is a *handle*, an `i64` `gen << 32 | slot`, naming a record in a
//! continuation store (see `runtime.wat`): the function it runs (in the table
//! `fiber_funcs`, at index `slot`), the trampoline that starts it, its state, a one-shot
//! generation counter, arguments bound by `cont.bind`, and its own save buffer, a stack of
//! frames. A handle is valid while its generation equals the record's; `resume` and
//! `cont.bind` consume it by incrementing the record's, so any later use traps
//! ("continuation already consumed"), and the null handle is 0 ("null reference").
//!
//! A global `state` is normal, unwinding or rewinding, and `current` names the continuation
//! running now (0 outside any).
//!
//! - `resume` consumes the handle, writes the bound and given arguments to the transfer area,
//!   makes the continuation current and calls its trampoline: a fresh continuation starts
//!   its function with those arguments; a suspended one is entered in *rewinding* state.
//! - `suspend $e` writes its payload to the transfer area, records `$e` and sets the state to
//!   unwinding. Every instrumented frame on the way out saves its suspension-point index and
//!   its locals on the current continuation's save stack and returns.
//! - Back at the `resume`, unwinding means the continuation suspended. The clauses are matched
//!   first to last against the tag; a match stops the unwind and branches to the clause's
//!   label with the payload and a fresh handle to the suspended continuation. With no match
//!   the `resume` *forwards*: it is itself a suspension point of the function it is in, which
//!   saves its frame (keeping the inner continuation's slot in a local) and goes on unwinding
//!   into the outer continuation's buffer. Each continuation keeps its own frames, so the one
//!   delivered to the outer handler holds the inner ones' stacks.
//! - Rewinding calls the trampoline again; each instrumented function pops its frame on entry,
//!   restores its locals and skips to the point it left: code before it is guarded by
//!   `if (state == normal)`, and each suspension point and each structured instruction that
//!   contains one by `if (state == normal || index in its range)`. A forwarding `resume`
//!   re-enters its inner continuation the same way, and the `suspend` at the bottom stops the
//!   rewind and reads its results (the resume's arguments) from the transfer area.
//!
//! # Phases
//!
//! 1. Analysis: the continuation types; which functions can suspend (a fixpoint over direct
//!    calls, `call_indirect` and `call_ref` to address-taken functions of the called type,
//!    tail calls, `suspend`, and `resume`s whose clauses miss a tag some `suspend` uses);
//!    the operand stack at every instruction (from the validator, see `ir::analysis`).
//!    Functions that will be instrumented lose their unreachable code (`dce`) and have their
//!    locals coalesced (`coalesce-locals`) first, since instrumenting lengthens live ranges.
//! 2. The runtime is merged in, and a trampoline added per function type that continuations
//!    start.
//! 3. Every function is rewritten: stack-switching instructions become runtime calls;
//!    continuation references become `i64` handles (`ref.null` is 0, `ref.is_null` is
//!    `i64.eqz`, `br_on_null` and friends test the handle); typed function references become
//!    `funcref` and `call_ref` a `call_indirect` through a one-entry scratch table, so that the
//!    output needs no typed function references. Functions that can suspend are also
//!    instrumented: the operand stack at each suspension point is spilled to locals (so only
//!    locals need saving), the body is wrapped so that every point can `br` to a shared
//!    frame-saving tail, and the guards above are added. A frame holds only the locals live
//!    after its point (liveness over the structured control flow) and the spill locals the
//!    rewind path reads, then the owning function's index and the point's index.
//!
//!    Tail calls stay tail calls. A function that tail-calls away leaves no frame, so when
//!    its caller is rewound and calls it again, the frame on top belongs to a function its
//!    tail calls reach: seeing another owner, the function tail-calls on (with placeholder
//!    arguments) to the target whose tail-call closure contains the owner, until the owner
//!    itself pops its frame. Any such path is right, since the frames it passes through no
//!    longer exist natively either.
//! 4. Types: continuation types are removed, and every type that mentioned them or a typed
//!    function reference is rewritten.
//!
//! # Before and after
//!
//! ```wat
//! (func $gen (suspend $yield (i32.const 1)) (suspend $yield (i32.const 2)))
//! ```
//! becomes, in outline:
//! ```wat
//! (func $gen (local $ridx i32)
//!   (if (global.get $state) == rewinding (then pop frame; restore locals; set $ridx))
//!   (block $save
//!     (block $body
//!       (if (normal || $ridx == 1) (then ...store payload; state = unwinding; $ridx = 1; br $save...
//!                                   else ...state = normal; read results...))
//!       (if (normal || $ridx == 2) (then ...)))
//!     (return))
//!   push frame ($ridx, locals); return)
//! ```
//!
//! # `switch`
//!
//! `switch $ct1 $e` is a suspension point like `suspend`: it consumes the target's handle
//! (so a null or consumed target traps where the switch is), stores its arguments in the
//! transfer area, records the target's slot, and unwinds marked as a *switch*. Every `resume`
//! matches an unwind by its kind: a suspend against its `(on $e $l)` clauses, a switch against
//! its `(on $e switch)` clauses, so each kind skips the other's clauses even for one tag. The
//! resume that takes a switch marks the continuation it was running as suspended, gets a new
//! handle to it, appends that handle to the switch's arguments (after the target's bound
//! arguments, which go first), and runs the target in the same loop iteration's place: a
//! resume is a loop around the trampoline call, so the target's results become the resume's
//! results, exactly as if the resume had run the target. This is the semantics: the target
//! continues under the handler that took the switch. Without such a handler the unwind
//! reaches the top and traps as an unhandled tag.
//!
//! # Exceptions
//!
//! Exception handling needs no instrumentation of its own: `try_table` bodies are structured
//! like blocks, so rewinding re-enters them and their catch clauses are active again when the
//! code resumes; catch targets are ordinary labels; `throw` and `throw_ref` are ordinary
//! instructions. Liveness follows the catch edges, and `exnref` values are saved in slots
//! like other references. What the lowering adds:
//! - `resume_throw $ct $e` (and `resume_throw_ref`) consumes the handle like `resume`. A fresh
//!   continuation is released and the exception raised right there, since its function has
//!   not started and nothing in it can catch. A suspended one is rewound with the exception
//!   pending (its payload in the transfer area, or the exnref in a slot); the point where the
//!   rewind stops raises it (`wasmfx.rethrow_pending`), inside the continuation's own frames
//!   and `try_table`s, which catch it or let it propagate.
//! - When the program uses exceptions, the trampoline call of every `resume` sits in a
//!   `try_table (catch_all_ref)`: an exception escaping a continuation makes the resumer
//!   current again, releases the continuation's slot and is rethrown, so the runtime's state is
//!   as consistent as after a return, and the exception propagates out of the `resume` as it
//!   does natively. Without exceptions in the input the output has none.
//!
//! # Memory
//!
//! The runtime's records and buffers live in a region at the top of memory 0 (a memory of its
//! own when the module has none). The program's `memory.size` and `memory.grow` on memory 0
//! are rewritten to report and grow only the program's part; when the program grows, the
//! region moves up by the new pages (it holds offsets, never addresses), so it never overlaps
//! memory the program uses. Buffers grow by doubling and are recycled through size-class free
//! lists; records and buffers of returned continuations are reused. If memory cannot grow, the
//! runtime traps (`wasmfx.trap.out_of_memory`).
//!
//! # Options and limits
//!
//! `--pass-arg lower-to-asyncify-imports@MODULE.NAME,...` names imported functions that may
//! suspend (host functions calling back into the module); calls to them become suspension
//! points, and the host must call back again while the module rewinds. Otherwise the module
//! is a closed world: imports are assumed not to suspend, and continuations do not cross
//! into other modules (each lowered module has its own store; see the README). Refused with a
//! clear error: GC
//! struct and array types; references other than `funcref`, `externref` and `exnref` held
//! across a suspension; tables of continuations that are imported, exported or filled by
//! element segments; imported or exported tags with results; a memory 0 that is 64-bit or
//! shared. Known differences from native: an access by the program past its own memory size
//! but inside the region does not trap; an exported memory 0 shows the region; the program's
//! `memory.grow` can fail earlier when memory 0 has a maximum.
//!
//! # Totality and determinism
//!
//! Every other valid module lowers. Dead code needs care: its operand stack is polymorphic,
//! so its operand types may be unknown. Instrumented functions lose their dead code first
//! (`dce`), so no suspension point is in it; in the others, a dead instruction whose rewrite
//! reads its operands' types becomes `unreachable`, which is valid wherever the stack is
//! polymorphic and never runs. Wrappers of exported functions take the erased parameter types,
//! and a function that only its export declared for `ref.func` is declared by an `elem
//! declare` of its own once the export names the wrapper. A refusal names the function and
//! its body's offset in the input; a broken invariant is an internal error, never a panic.
//! Everything the pass iterates over to produce output is ordered (`BTreeMap`/`BTreeSet`;
//! the sets of function types are only asked for membership), so the same input gives the
//! same bytes on every run and with any number of threads.

mod rewrite;
mod runtime;

use crate::{Pass, PassArgs};
// Sets of function types are only asked for membership (they are never iterated), so hashing
// them cannot reach the output; everything iterated is ordered.
use std::collections::{BTreeMap, BTreeSet, HashSet};
use wasmfx_ir::analysis::{address_taken, operand_stacks};
use wasmfx_ir::*;

/// The `lower-to-asyncify` pass.
pub struct LowerToAsyncify;

/// The pass argument naming imports that may suspend: `MODULE.NAME` separated by commas.
pub const SUSPENDING_IMPORTS_ARG: &str = "lower-to-asyncify-imports";

/// Options of the lowering.
#[derive(Clone, Debug, Default)]
pub struct LowerOptions {
    /// Imported functions (module, name) that may suspend: host functions that call back into
    /// the module, whose callbacks suspend. Calls to them are suspension points, and the host
    /// must call back again while the module rewinds (Asyncify's contract for such imports).
    pub suspending_imports: Vec<(String, String)>,
}

impl Pass for LowerToAsyncify {
    fn run(&self, module: &mut Module, args: &PassArgs) -> Result<()> {
        let mut options = LowerOptions::default();
        if let Some(list) = args.get(SUSPENDING_IMPORTS_ARG) {
            for item in list.split(',').filter(|s| !s.is_empty()) {
                let (m, n) = item.split_once('.').ok_or_else(|| {
                    Error::new(format!("--pass-arg {SUSPENDING_IMPORTS_ARG}: `{item}` is not MODULE.NAME"))
                })?;
                options.suspending_imports.push((m.to_string(), n.to_string()));
            }
        }
        lower_with(module, &options)
    }

    fn output_features(&self, features: WasmFeatures) -> WasmFeatures {
        features - WasmFeatures::STACK_SWITCHING
    }

    fn arg_keys(&self) -> &'static [&'static str] {
        &[SUSPENDING_IMPORTS_ARG]
    }
}

/// How types change: continuation references become `i64` handles, typed function references
/// become `funcref`, and non-null references nullable.
pub(crate) struct Erasure {
    cont_types: BTreeSet<TypeId>,
}

impl Erasure {
    pub(crate) fn val(&self, t: ValType) -> ValType {
        match t {
            ValType::Ref(r) => match r.heap {
                HeapType::Concrete(id) | HeapType::Exact(id) if self.cont_types.contains(&id) => ValType::I64,
                HeapType::Concrete(_) | HeapType::Exact(_) => ValType::Ref(RefType::FUNCREF),
                HeapType::Abstract { ty: AbstractHeapType::Cont | AbstractHeapType::NoCont, .. } => {
                    ValType::I64
                }
                HeapType::Abstract { ty: AbstractHeapType::NoFunc, shared } => ValType::Ref(RefType {
                    nullable: true,
                    heap: HeapType::Abstract { shared, ty: AbstractHeapType::Func },
                }),
                HeapType::Abstract { ty: AbstractHeapType::NoExtern, shared } => ValType::Ref(RefType {
                    nullable: true,
                    heap: HeapType::Abstract { shared, ty: AbstractHeapType::Extern },
                }),
                HeapType::Abstract { shared, ty } => {
                    ValType::Ref(RefType { nullable: true, heap: HeapType::Abstract { shared, ty } })
                }
            },
            other => other,
        }
    }

    /// Whether values of `t` are continuation handles after erasure.
    pub(crate) fn is_cont(&self, t: ValType) -> bool {
        t != ValType::I64 && self.val(t) == ValType::I64
    }

    pub(crate) fn func_type(&self, module: &Module, ft: TypeId) -> FuncType {
        let f = module.func_type(ft);
        FuncType {
            params: f.params.iter().map(|&t| self.val(t)).collect(),
            results: f.results.iter().map(|&t| self.val(t)).collect(),
        }
    }

    fn block_type(&self, b: BlockType) -> BlockType {
        match b {
            BlockType::Value(t) => BlockType::Value(self.val(t)),
            other => other,
        }
    }
}

/// What every function's rewrite needs to know about the module.
pub(crate) struct Lowering {
    pub erasure: Erasure,
    pub rt: runtime::Runtime,
    /// Functions that can suspend (instrumented).
    pub suspending: BTreeSet<FuncId>,
    /// Tags some `suspend` or `switch` uses.
    pub unwind_tags: UnwindTags,
    /// Whether the program uses exception handling (then resumes catch what escapes a
    /// continuation to keep the runtime consistent, and exnrefs can be saved).
    pub uses_exceptions: bool,
    /// The function that raises the exception a `resume_throw` left pending.
    pub rethrow_pending: Option<FuncId>,
    /// The function type of each continuation type.
    pub cont_func: BTreeMap<TypeId, TypeId>,
    /// Address-taken functions by erased signature, for indirect calls.
    pub indirect_suspends: HashSet<FuncType>,
    /// Whether the program had a memory 0 whose size the runtime must hide.
    pub shares_memory: bool,
    /// For each function that can suspend: the suspending functions its tail calls may enter.
    pub tail_targets: BTreeMap<FuncId, Vec<FuncId>>,
    /// For each of those targets: every function reachable from it through tail calls
    /// (itself included), i.e. whose frame may be on top when the caller is rewound.
    pub tail_closure: BTreeMap<FuncId, Vec<FuncId>>,
    /// Tables of continuations: descriptor offset, initial size, maximum (-1: none).
    pub cont_tables: BTreeMap<TableId, (i32, i32, i32)>,
}

/// Lowers every stack-switching instruction and type in `module`, assuming no import
/// suspends. This is the library entry point for build pipelines; the output is valid with
/// stack switching off (see the module documentation for what it needs).
pub fn lower(module: &mut Module) -> Result<()> {
    lower_with(module, &LowerOptions::default())
}

/// [`lower`] with options.
pub fn lower_with(module: &mut Module, options: &LowerOptions) -> Result<()> {
    let cont_types: BTreeSet<TypeId> =
        module.types.iter().filter(|(_, t)| t.as_cont().is_some()).map(|(id, _)| id).collect();
    let uses_stack_switching = !cont_types.is_empty()
        || module.funcs.values().any(|f| {
            f.def.local().is_some_and(|b| {
                b.seqs.values().flat_map(|s| &s.instrs).any(|i| i.proposal() == "stack_switching")
            })
        });
    let control_tag = |t: &TagData| !module.func_type(t.ty).results.is_empty();
    let uses_stack_switching = uses_stack_switching || module.tags.values().any(control_tag);
    if !uses_stack_switching {
        return Ok(());
    }
    check_supported(module, &cont_types)?;
    let erasure = Erasure { cont_types: cont_types.clone() };
    let cont_func: BTreeMap<TypeId, TypeId> =
        cont_types.iter().map(|&ct| (ct, module.types[ct].as_cont().expect("a continuation type"))).collect();

    // Unreachable code has no operand types to spill; remove it where we instrument.
    let unwind_tags = unwind_tags(module);
    let taken = address_taken(module);
    let mut suspending_imports = BTreeSet::new();
    for (m, n) in &options.suspending_imports {
        let found = module.imports.values().find_map(|i| match i.item {
            ExternItem::Func(f) if &i.module == m && &i.name == n => Some(f),
            _ => None,
        });
        suspending_imports.insert(found.ok_or_else(|| {
            Error::new(format!(
                "--pass-arg {SUSPENDING_IMPORTS_ARG}: the module imports no function `{m}.{n}`"
            ))
        })?);
    }
    let (suspending, indirect_suspends) =
        find_suspending(module, &erasure, &unwind_tags, &taken, suspending_imports);
    let (tail_targets, tail_closure) = tail_calls(module, &erasure, &suspending, &taken);
    for &f in &suspending {
        if let Some(body) = module.body_mut(f) {
            crate::dce::eliminate_dead_code(body);
            crate::coalesce_locals::coalesce_locals(body);
        }
    }
    let defined: BTreeSet<FuncId> =
        module.funcs.iter().filter(|(_, f)| !f.def.is_import()).map(|(id, _)| id).collect();
    let stacks = operand_stacks(module, validate::default_features(), &defined)?;

    let shares_memory = !module.memories.is_empty();
    let cont_tables: BTreeMap<TableId, (i32, i32, i32)> = module
        .tables
        .iter()
        .filter(|(_, t)| erasure.val(ValType::Ref(t.ty.element)) == ValType::I64)
        .enumerate()
        .map(|(k, (id, t))| {
            let max = t.ty.maximum.map_or(-1, |m| m.min(i32::MAX as u64) as i32);
            (id, (128 + 16 * k as i32, t.ty.initial.min(i32::MAX as u64) as i32, max))
        })
        .collect();
    let uses_exceptions = module.funcs.values().any(|f| {
        f.def.local().is_some_and(|b| {
            b.seqs.values().flat_map(|s| &s.instrs).any(|i| {
                i.proposal() == "exceptions"
                    || matches!(i, Instr::ResumeThrow { .. } | Instr::ResumeThrowRef { .. })
            })
        })
    });
    let mut rt = runtime::merge_runtime(module, uses_exceptions)?;
    let rethrow_pending =
        if uses_exceptions { Some(add_rethrow_pending(module, &rt, &erasure)?) } else { None };
    // Sorted and without repeats: a set, in order.
    let started: Vec<TypeId> = cont_func.values().copied().collect::<BTreeSet<_>>().into_iter().collect();
    runtime::add_trampolines(module, &mut rt, &erasure, &started)?;
    let transfer_start = 128 + 16 * cont_tables.len() as i32;
    let lowering = Lowering {
        erasure,
        rt,
        suspending,
        unwind_tags,
        uses_exceptions,
        rethrow_pending,
        cont_func,
        indirect_suspends,
        shares_memory,
        tail_targets,
        tail_closure,
        cont_tables,
    };

    let mut transfer_size = 0u32;
    let rewritten: Vec<FuncId> = defined.iter().copied().collect();
    for f in rewritten {
        let stacks = &stacks[&f];
        let source_offset = module.body(f).and_then(|b| b.source_offset);
        let needs = rewrite::rewrite_function(module, &lowering, f, stacks)
            .map_err(|e| in_function(module, f, source_offset, e))?;
        transfer_size = transfer_size.max(needs);
    }
    for (_, ct) in lowering.cont_func.iter() {
        transfer_size =
            transfer_size.max(rewrite::values_size(&lowering.erasure.func_type(module, *ct).params));
    }
    module.globals[lowering.rt.transfer_size].def =
        Def::Local(vec![Instr::I32Const { value: transfer_size as i32 }]);
    module.globals[lowering.rt.transfer_start].def =
        Def::Local(vec![Instr::I32Const { value: transfer_start }]);
    // Tables of continuations now live in the runtime's region.
    let tables = module.tables.retain_with_map(|id, _| !lowering.cont_tables.contains_key(&id));
    module.visit_ids(&mut Remapping { tables: Some(tables), ..Remapping::default() });
    wrap_exports(module, &lowering.rt, &lowering.erasure);
    declare_referenced_functions(module);
    erase_module_types(module, &lowering.erasure)?;
    remove_unused_tags(module);
    Ok(())
}

/// An error the rewrite of function `f` refused it with, saying where: `WHAT (in function
/// NAME, at byte offset N)`, the name from the name section or else the index, the offset
/// the function's body had in the input. Internal errors are left as they are.
fn in_function(module: &Module, f: FuncId, source_offset: Option<usize>, e: Error) -> Error {
    if e.is_internal() {
        return e;
    }
    let func = &module.funcs[f];
    let name = func.name.clone().map_or_else(|| f.as_u32().to_string(), |n| format!("${n}"));
    let offset = e.offset().or(source_offset);
    let place = match offset {
        Some(offset) => format!("in function {name}, at byte offset {offset}"),
        None => format!("in function {name}"),
    };
    Error::new(format!("{} ({place})", e.message()))
}

/// Every exported function is called through a wrapper that starts from a clean runtime state
/// (normal, outside any continuation) and restores the caller's afterwards. A trap ends a call
/// without unwinding the runtime's bookkeeping; natively the instance stays usable after a
/// trap, and with the wrapper so does the lowered one. A host function that calls back in
/// while a continuation runs gets the same: its callback cannot suspend past the host frame,
/// as natively.
fn wrap_exports(module: &mut Module, rt: &runtime::Runtime, erasure: &Erasure) {
    for e in 0..module.exports.len() {
        let ExternItem::Func(f) = module.exports[e].item else {
            continue;
        };
        if module.funcs[f].def.is_import() {
            continue;
        }
        let ty = module.funcs[f].ty;
        // The wrapper's parameters are locals of the erased types (handles for continuations);
        // its function type is erased with every other type afterwards.
        let sig = erasure.func_type(module, ty);
        let mut body = FuncBody::new(&sig.params);
        let saved_state = body.add_local(ValType::I32);
        let saved_current = body.add_local(ValType::I32);
        let entry = body.entry;
        let code = body.instrs_mut(entry);
        code.extend([
            Instr::GlobalGet { global_index: rt.state },
            Instr::LocalSet { local_index: saved_state },
            Instr::GlobalGet { global_index: rt.current },
            Instr::LocalSet { local_index: saved_current },
            Instr::I32Const { value: 0 },
            Instr::GlobalSet { global_index: rt.state },
            Instr::I32Const { value: 0 },
            Instr::GlobalSet { global_index: rt.current },
        ]);
        code.extend((0..sig.params.len()).map(|i| Instr::LocalGet { local_index: LocalId::new(i) }));
        code.extend([
            Instr::Call { function_index: f },
            Instr::LocalGet { local_index: saved_state },
            Instr::GlobalSet { global_index: rt.state },
            Instr::LocalGet { local_index: saved_current },
            Instr::GlobalSet { global_index: rt.current },
        ]);
        let wrapper = module.add_function(ty, body);
        module.funcs[wrapper].name = Some(format!("wasmfx.export.{}", module.exports[e].name));
        module.exports[e].item = ExternItem::Func(wrapper);
    }
}

/// Declares every function that code takes a `ref.func` of but that nothing outside the code
/// (an export, an element segment, a global or table initialiser) names any more. An exported
/// function is implicitly declared; once its export names the wrapper instead, a `ref.func`
/// of it would be invalid without a declaration of its own.
fn declare_referenced_functions(module: &mut Module) {
    let mut taken: BTreeSet<FuncId> = BTreeSet::new();
    for f in module.funcs.values() {
        let Some(body) = f.def.local() else { continue };
        for seq in body.live_seqs() {
            for instr in body.instrs(seq) {
                if let Instr::RefFunc { function_index } = instr {
                    taken.insert(*function_index);
                }
            }
        }
    }
    let mut declared: BTreeSet<FuncId> = BTreeSet::new();
    let note_const = |expr: &[Instr], declared: &mut BTreeSet<FuncId>| {
        for instr in expr {
            if let Instr::RefFunc { function_index } = instr {
                declared.insert(*function_index);
            }
        }
    };
    for e in &module.exports {
        if let ExternItem::Func(f) = e.item {
            declared.insert(f);
        }
    }
    for e in module.elems.values() {
        match &e.items {
            ElemItems::Functions(fs) => declared.extend(fs.iter().copied()),
            ElemItems::Expressions(_, exprs) => exprs.iter().for_each(|x| note_const(x, &mut declared)),
        }
    }
    for g in module.globals.values() {
        if let Def::Local(init) = &g.def {
            note_const(init, &mut declared);
        }
    }
    for t in module.tables.values() {
        if let Def::Local(Some(init)) = &t.def {
            note_const(init, &mut declared);
        }
    }
    let missing: Vec<FuncId> = taken.difference(&declared).copied().collect();
    if !missing.is_empty() {
        module.elems.push(ElemData {
            mode: ElemMode::Declared,
            items: ElemItems::Functions(missing),
            name: None,
        });
    }
}

/// Tags only `suspend` and `resume` used are gone with them; keeping them would make the
/// output need the exception-handling proposal. (Their indices, already turned into the
/// constants the runtime compares, need not stay valid.)
fn remove_unused_tags(module: &mut Module) {
    struct Used(Vec<bool>);
    impl IdVisitor for Used {
        fn tag(&mut self, id: &mut TagId) {
            self.0[id.index()] = true;
        }
    }
    let mut used = Used(vec![false; module.tags.len()]);
    module.visit_ids(&mut used);
    for import in module.imports.values() {
        if let ExternItem::Tag(t) = import.item {
            used.0[t.index()] = true;
        }
    }
    let map = module.tags.retain_with_map(|id, _| used.0[id.index()]);
    module.visit_ids(&mut Remapping { tags: Some(map), ..Remapping::default() });
}

fn check_supported(module: &Module, cont_types: &BTreeSet<TypeId>) -> Result<()> {
    let refuse =
        |what: &str| Err(Error::unsupported(&format!("{what} (not lowered by --lower-to-asyncify yet)")));
    for t in module.types.values() {
        if matches!(t.composite.inner, CompositeInner::Struct(_) | CompositeInner::Array(_)) {
            return refuse("GC struct and array types");
        }
    }
    for (id, t) in module.tags.iter() {
        let exported = module.exports.iter().any(|e| e.item == ExternItem::Tag(id));
        if !module.func_type(t.ty).results.is_empty() && (t.def.is_import() || exported) {
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
    let erasure = Erasure { cont_types: cont_types.clone() };
    let cont_tables: BTreeSet<TableId> = module
        .tables
        .iter()
        .filter(|(_, t)| erasure.val(ValType::Ref(t.ty.element)) == ValType::I64)
        .map(|(id, _)| id)
        .collect();
    for &t in &cont_tables {
        let table = &module.tables[t];
        let null_init = match &table.def {
            Def::Import(_) => return refuse("an imported table of continuations"),
            Def::Local(None) => true,
            Def::Local(Some(init)) => matches!(init.as_slice(), [Instr::RefNull { .. }]),
        };
        if !null_init {
            return refuse("a table of continuations initialised with non-null references");
        }
        if module.exports.iter().any(|e| e.item == ExternItem::Table(t)) {
            return refuse("an exported table of continuations");
        }
        if module.elems.values().any(|e| matches!(&e.mode, ElemMode::Active { table, .. } if *table == t)) {
            return refuse("element segments for a table of continuations");
        }
    }
    Ok(())
}

/// The tags `suspend` and `switch` use: what may unwind to a `resume`.
#[derive(Default)]
pub(crate) struct UnwindTags {
    /// Tags of `suspend`s, taken by `(on $e $l)` clauses.
    pub suspend: BTreeSet<TagId>,
    /// Tags of `switch`es, taken by `(on $e switch)` clauses.
    pub switch: BTreeSet<TagId>,
}

fn unwind_tags(module: &Module) -> UnwindTags {
    let mut tags = UnwindTags::default();
    for f in module.funcs.values() {
        let Some(body) = f.def.local() else { continue };
        for instr in body.seqs.values().flat_map(|s| &s.instrs) {
            match instr {
                Instr::Suspend { tag_index } => {
                    tags.suspend.insert(*tag_index);
                }
                Instr::Switch { tag_index, .. } => {
                    tags.switch.insert(*tag_index);
                }
                _ => {}
            }
        }
    }
    tags
}

/// Whether a `resume` with these clauses may have to forward a suspension or a switch.
pub(crate) fn may_forward(handlers: &[Handler], tags: &UnwindTags) -> bool {
    let on_label = |t: &TagId| handlers.iter().any(|h| matches!(h, Handler::OnLabel { tag, .. } if tag == t));
    let on_switch = |t: &TagId| handlers.iter().any(|h| matches!(h, Handler::OnSwitch { tag } if tag == t));
    tags.suspend.iter().any(|t| !on_label(t)) || tags.switch.iter().any(|t| !on_switch(t))
}

/// The functions that can suspend, and the erased signatures through which an indirect call
/// can reach one of them.
fn find_suspending(
    module: &Module,
    erasure: &Erasure,
    tags: &UnwindTags,
    taken: &BTreeSet<FuncId>,
    imports: BTreeSet<FuncId>,
) -> (BTreeSet<FuncId>, HashSet<FuncType>) {
    let signature = |f: FuncId| erasure.func_type(module, module.funcs[f].ty);
    let mut indirect: HashSet<FuncType> =
        imports.iter().filter(|f| taken.contains(f)).map(|&f| signature(f)).collect();
    let mut suspending: BTreeSet<FuncId> = imports;
    loop {
        let mut changed = false;
        for (id, f) in module.funcs.iter() {
            if suspending.contains(&id) {
                continue;
            }
            let Some(body) = f.def.local() else { continue };
            let can = body.seqs.values().flat_map(|s| &s.instrs).any(|i| match i {
                Instr::Suspend { .. } | Instr::Switch { .. } => true,
                Instr::Resume { resume_table, .. }
                | Instr::ResumeThrow { resume_table, .. }
                | Instr::ResumeThrowRef { resume_table, .. } => may_forward(resume_table, tags),
                Instr::Call { function_index } | Instr::ReturnCall { function_index } => {
                    suspending.contains(function_index)
                }
                Instr::CallIndirect { type_index, .. }
                | Instr::ReturnCallIndirect { type_index, .. }
                | Instr::CallRef { type_index }
                | Instr::ReturnCallRef { type_index } => {
                    indirect.contains(&erasure.func_type(module, *type_index))
                }
                _ => false,
            });
            if can {
                suspending.insert(id);
                if taken.contains(&id) {
                    indirect.insert(signature(id));
                }
                changed = true;
            }
        }
        if !changed {
            return (suspending, indirect);
        }
    }
}

/// Adds the function that raises the exception a `resume_throw` (or `resume_throw_ref`) left
/// pending for the continuation it resumed: called where that continuation's rewind ends,
/// so the exception is raised at its suspension point, inside its own `try_table`s.
fn add_rethrow_pending(module: &mut Module, rt: &runtime::Runtime, erasure: &Erasure) -> Result<FuncId> {
    use runtime::{THROW_REF, THROW_TAG};
    let mut tags: Vec<TagId> = module
        .funcs
        .values()
        .filter_map(|f| f.def.local())
        .flat_map(|b| b.seqs.values().flat_map(|s| &s.instrs))
        .filter_map(|i| match i {
            Instr::ResumeThrow { tag_index, .. } => Some(*tag_index),
            _ => None,
        })
        .collect();
    tags.sort();
    tags.dedup();
    let ty = module.add_func_type(&[], &[]);
    let mut body = FuncBody::new(&[]);
    let addr = body.add_local(ValType::I32);
    let pending = |kind: i32| {
        vec![Instr::GlobalGet { global_index: rt.throw_kind }, Instr::I32Const { value: kind }, Instr::I32Eq]
    };
    let clear = [Instr::I32Const { value: 0 }, Instr::GlobalSet { global_index: rt.throw_kind }];
    let mut code = Vec::new();
    if let Some(take) = rt.eref_take {
        let then = body.add_seq();
        body.instrs_mut(then).extend(clear.clone());
        body.instrs_mut(then).extend([
            Instr::GlobalGet { global_index: rt.throw_tag },
            Instr::Call { function_index: take },
            Instr::ThrowRef,
        ]);
        code.extend(pending(THROW_REF));
        code.push(Instr::If { blockty: IfBody { ty: BlockType::Empty, then, else_: None } });
    }
    for tag in tags {
        let then = body.add_seq();
        body.instrs_mut(then).extend(clear.clone());
        body.instrs_mut(then)
            .extend([Instr::Call { function_index: rt.transfer }, Instr::LocalSet { local_index: addr }]);
        let mut offset = 0u64;
        for t in erasure.func_type(module, module.tags[tag].ty).params {
            body.instrs_mut(then).extend(rewrite::load_value(rt, addr, offset, t)?);
            offset += rewrite::transfer_size(t) as u64;
        }
        body.instrs_mut(then).push(Instr::Throw { tag_index: tag });
        code.extend(pending(THROW_TAG));
        code.extend([
            Instr::GlobalGet { global_index: rt.throw_tag },
            Instr::I32Const { value: tag.as_u32() as i32 },
            Instr::I32Eq,
            Instr::I32And,
            Instr::If { blockty: IfBody { ty: BlockType::Empty, then, else_: None } },
        ]);
    }
    code.push(Instr::Unreachable);
    let entry = body.entry;
    body.instrs_mut(entry).extend(code);
    let f = module.add_function(ty, body);
    module.funcs[f].name = Some("wasmfx.rethrow_pending".to_string());
    Ok(f)
}

/// The suspending functions each suspending function's tail calls may enter, and for each of
/// those the functions reachable from it through further tail calls.
#[allow(clippy::type_complexity)]
fn tail_calls(
    module: &Module,
    erasure: &Erasure,
    suspending: &BTreeSet<FuncId>,
    taken: &BTreeSet<FuncId>,
) -> (BTreeMap<FuncId, Vec<FuncId>>, BTreeMap<FuncId, Vec<FuncId>>) {
    let mut targets: BTreeMap<FuncId, Vec<FuncId>> = BTreeMap::new();
    for &f in suspending {
        let Some(body) = module.body(f) else { continue };
        let mut list: Vec<FuncId> = Vec::new();
        for instr in body.seqs.values().flat_map(|s| &s.instrs) {
            match instr {
                Instr::ReturnCall { function_index } if suspending.contains(function_index) => {
                    list.push(*function_index)
                }
                Instr::ReturnCallIndirect { type_index, .. } | Instr::ReturnCallRef { type_index } => {
                    let sig = erasure.func_type(module, *type_index);
                    let mut candidates: Vec<FuncId> = suspending
                        .iter()
                        .filter(|g| {
                            taken.contains(g) && erasure.func_type(module, module.funcs[**g].ty) == sig
                        })
                        .copied()
                        .collect();
                    candidates.sort();
                    list.extend(candidates);
                }
                _ => {}
            }
        }
        list.sort();
        list.dedup();
        if !list.is_empty() {
            targets.insert(f, list);
        }
    }
    let mut closure: BTreeMap<FuncId, Vec<FuncId>> = BTreeMap::new();
    for &t in targets.values().flatten() {
        if closure.contains_key(&t) {
            continue;
        }
        let mut seen: BTreeSet<FuncId> = BTreeSet::from([t]);
        let mut stack = vec![t];
        while let Some(g) = stack.pop() {
            for &h in targets.get(&g).into_iter().flatten() {
                if seen.insert(h) {
                    stack.push(h);
                }
            }
        }
        let mut reached: Vec<FuncId> = seen.into_iter().collect();
        reached.sort();
        closure.insert(t, reached);
    }
    (targets, closure)
}

/// Rewrites the type section and every entity type: continuation types go, the rest erased.
fn erase_module_types(module: &mut Module, erasure: &Erasure) -> Result<()> {
    for t in module.types.values_mut() {
        match &mut t.composite.inner {
            CompositeInner::Func(f) => {
                f.params.iter_mut().chain(f.results.iter_mut()).for_each(|v| *v = erasure.val(*v));
            }
            CompositeInner::Cont(_) | CompositeInner::Struct(_) | CompositeInner::Array(_) => {}
        }
        t.supertype = None;
        t.is_final = true;
    }
    for g in module.globals.values_mut() {
        g.ty.content = erasure.val(g.ty.content);
        if let Def::Local(init) = &mut g.def {
            erase_const(init, erasure);
        }
    }
    for t in module.tables.values_mut() {
        if let ValType::Ref(r) = erasure.val(ValType::Ref(t.ty.element)) {
            t.ty.element = r;
        }
        if let Def::Local(Some(init)) = &mut t.def {
            erase_const(init, erasure);
        }
    }
    for e in module.elems.values_mut() {
        if let ElemItems::Expressions(ty, exprs) = &mut e.items {
            if let ValType::Ref(r) = erasure.val(ValType::Ref(*ty)) {
                *ty = r;
            }
            exprs.iter_mut().for_each(|e| erase_const(e, erasure));
        }
    }
    // Continuation types are no longer referenced: remove them.
    let keep: Vec<bool> = module.types.values().map(|t| t.as_cont().is_none()).collect();
    // Without continuation types and typed references (and without GC, which the lowering
    // refuses), no type refers to another: each becomes a rec group of its own, as plain hosts
    // without the GC proposal require.
    let kept = keep.iter().filter(|&&k| k).count();
    module.rec_groups = vec![RecGroupData { explicit: false, len: 1 }; kept];
    let types = module.types.retain_with_map(|id, _| keep[id.index()]);
    let mut remap = Remapping { types: Some(types), ..Remapping::default() };
    module.visit_ids(&mut remap);
    Ok(())
}

fn erase_const(init: &mut [Instr], erasure: &Erasure) {
    for i in init {
        if let Instr::RefNull { hty } = i {
            match erasure.val(ValType::Ref(RefType { nullable: true, heap: *hty })) {
                ValType::I64 => *i = Instr::I64Const { value: 0 },
                ValType::Ref(r) => *hty = r.heap,
                _ => {}
            }
        }
    }
}
