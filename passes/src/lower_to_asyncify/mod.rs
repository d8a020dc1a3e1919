//! `--lower-to-asyncify`: lowers stack switching (`cont.new`, `cont.bind`, `resume`,
//! `suspend`) to an Asyncify-style state machine that runs on hosts without stack switching.
//!
//! # The protocol
//!
//! A continuation is a *handle*, an `i64` `gen << 32 | slot`, naming a record in a
//! continuation store (see `runtime.wat`): the function it runs (in the table
//! `fiber_funcs`, at index `slot`, unless its trampoline calls it directly), the trampoline that starts it, its state, a one-shot
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
//! Shaped like Binaryen's Asyncify (an analysis, then separate rewrites, then the module
//! around them); [`lower_with`] reads as this list, and each phase is a file:
//!
//! 1. `analysis.rs`: one read-only [`Analysis`] of the whole module: the continuation types;
//!    which functions can suspend (a worklist over a call graph built in one scan: direct
//!    calls, `call_indirect` to the functions of a matching type that can be in the table it
//!    calls through (`targets.rs`), `call_ref` to address-taken functions of a matching type,
//!    tail calls, `suspend`, `switch`, and `resume`s whose clauses miss a tag some `suspend`
//!    uses; the worklist is in `call_graph.rs`, and the lists of `lists.rs` bound it);
//!    tail-call targets; tables of continuations; the refusals. Then the functions
//!    that will be instrumented lose their unreachable code (`dce`) and have their locals
//!    coalesced (`coalesce-locals`), since instrumenting lengthens live ranges, and the
//!    operand stack at every instruction is learned (see `ir::analysis`).
//! 2. `runtime.rs`: the runtime (`runtime.wat`) is merged in and bound by typed handles, and
//!    a trampoline is added per function type that `cont.new` starts (calling the function
//!    directly when every such `cont.new` is given the same `ref.func`). The numbers and
//!    names the runtime, the rewrites and the hosts share are in `contract.rs`. Separately
//!    lowered (`shared.rs`), every function type continuations start gets a trampoline,
//!    none calls its function directly and every `resume` calls through `tramps` (a peer may
//!    resume what this module made), the runtime gets a memory of its own and identity
//!    globals for tags and tables, and at the end of phase 4 its entities become imports of
//!    the shared runtime.
//! 3. `rewrite.rs`: every function is rewritten, in parallel, reading the analysis and the
//!    runtime, never writing the module; new function types are requested through
//!    `NewTypes` and added afterwards in function order. The rewrite's jobs:
//!    - `instructions.rs`: stack-switching instructions become runtime calls; continuation
//!      references become `i64` handles (`ref.null` is 0, `ref.is_null` is `i64.eqz`,
//!      `br_on_null` and friends test the handle); without GC, typed function references
//!      become `funcref` and `call_ref` a `call_indirect` through a one-entry scratch table,
//!      so that the output needs no typed function references (with GC they stay: see
//!      below);
//!    - `control.rs`: in functions that can suspend, the operand stack at each suspension
//!      point is spilled to locals (so only locals need saving) and the guards above are
//!      added;
//!    - `switching.rs`: `suspend`, `switch` and the `resume` family as suspension points;
//!    - `frames.rs`: every point saves its frame inline when it finds the state unwinding
//!      and branches to the function's return, and a prologue restores the frame when
//!      rewinding. A frame holds only the locals live after its point (liveness over the
//!      structured control flow) and the spill locals the rewind path reads (not a call's
//!      arguments, which an instrumented callee ignores when rewound, nor the conditions of
//!      the `if`s around the point, which the point decides), then, where needed, the owning
//!      function's index and the point's index.
//!
//!    Tail calls stay tail calls. A function that tail-calls away leaves no frame, so when
//!    its caller is rewound and calls it again, the frame on top belongs to a function its
//!    tail calls reach: seeing another owner, the function tail-calls on (with placeholder
//!    arguments) to the target whose tail-call closure contains the owner, until the owner
//!    itself pops its frame. Any such path is right, since the frames it passes through no
//!    longer exist natively either.
//! 4. `exports.rs` and `erasure.rs`: exports get wrappers, `ref.func` targets declarations,
//!    continuation types are removed and every type that mentioned them (or, without GC, a
//!    typed function reference) is rewritten; unused tags go. Last, the runtime's functions, globals and
//!    tables the lowered program does not use are removed (`remove_unused_runtime`), so a
//!    program that never binds, switches or saves a reference carries none of that code.
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
//!       (if (normal || $ridx == 1) (then ...store payload; state = unwinding;
//!                                         push frame (locals, 1); br $save...
//!                                   else ...state = normal; read results...))
//!       (if (normal || $ridx == 2) (then ...)))
//!     (return))
//!   return)
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
//! # GC
//!
//! A module that uses GC (struct or array types, subtyping, GC instructions or `any`-hierarchy
//! references) is lowered with GC kept, and only there: the output uses GC and typed function
//! references exactly when the input uses GC, and a module without it comes out as before,
//! byte for byte. What changes:
//! - *Types* (`erasure.rs`): continuation references become `i64` handles wherever they
//!   are, struct fields and array elements included, so a continuation stored in a GC object
//!   is its handle; every other reference keeps its heap type and becomes nullable (which
//!   never lets a null through, see there). Rec groups keep their members in order, minus
//!   the continuation types, and subtypes their supertypes; every index goes through one
//!   remapping. Erasure is monotone, so subtyping still validates. Types that would become
//!   equal because only continuation types told them apart are kept apart by a *brand*, an
//!   extra member at the end of the rec group, so casts and `call_indirect` see them as
//!   natively.
//! - *Side storage* (`frames.rs`, `runtime.wat`): a reference live across a suspension, or
//!   passed through the transfer area, waits in a runtime table of its hierarchy's top type
//!   and the frame holds its index (4 bytes), as funcref, externref and exnref did already;
//!   GC programs get a fourth table, of `anyref`, for structs, arrays, `i31`, `eq` and the
//!   rest of the `any` hierarchy. Restoring casts the top-typed value back to the slot's
//!   static type with `ref.cast (ref null T)`: only a value of type `T` was put in that slot,
//!   so the cast cannot fail (it is left out when `T` is the top type, and a reference to a
//!   bottom type, always null, is not stored at all but restored as `ref.null`). One table
//!   per hierarchy rather than a typed array per type or per continuation keeps the runtime
//!   fixed (one put/take pair per hierarchy, slots recycled through the same free list) at the
//!   price of a cast per restored reference, which an engine implements as a type-id
//!   compare. A non-GC program has no anyref table and no casts: its path is unchanged.
//!   What it costs, measured on `benches/gc/` (a recursive generator over a tree of structs,
//!   17 frames holding a reference at every suspend, one run): lowered, 10.2x the native
//!   time, against 6.7x for the same program over a tree in linear memory, so the slots make
//!   the lowered run 2.6x slower there; the slot functions add about 400 bytes.
//! - *Instructions*: `call_ref` and `return_call_ref` stay; `br_on_cast`'s source type is
//!   made nullable like its operand; every GC instruction is copied as it is. Exceptions
//!   whose payloads hold GC references work as before: the payload goes through the transfer
//!   area's slots like a suspension's.
//!
//! Natively Wasmtime 48 runs GC with the null collector (its DRC collector cannot run while a
//! continuation is suspended); lowered modules have no native continuations and run with the
//! DRC collector (`cli::run::engine`).
//!
//! # Memory
//!
//! The runtime's records and buffers live in a region at the top of memory 0 (a memory of its
//! own when the module has none). The program's `memory.size` and `memory.grow` on memory 0
//! are rewritten to report and grow only the program's part. Between the program's pages and
//! the region is a gap: the program's new pages come from it, untouched (so zero, and not
//! resident until used). It starts as large as the program's memory (at least 16 pages). Only
//! when it is exhausted does memory 0 grow, by what is missing plus a new gap as large as the
//! program, and the region move up to the new top (it holds
//! offsets, never addresses), zeroing what it leaves. So a `memory.grow` costs O(1) amortised,
//! the region is copied O(log) times as the program grows, and it never overlaps memory the
//! program uses. (A memory of its own would avoid even that, but needs multi-memory, which
//! Node.js 20 lacks.) Buffers grow by doubling and are recycled through size-class free
//! lists; records and buffers of returned continuations are reused. If memory cannot grow, the
//! runtime traps (`wasmfx.trap.out_of_memory`).
//!
//! # Options and limits
//!
//! `--pass-arg lower-to-asyncify-only@F,...`, `lower-to-asyncify-remove@F,...` and
//! `lower-to-asyncify-add@F,...` are Binaryen's only-, remove- and add-lists, for what
//! analysis cannot know (`lists.rs`): instrument only these, these never suspend, these may
//! suspend; functions are named by `$name`, an export name or an import's `MODULE.NAME`, with
//! `*` as a wildcard, and an entry naming nothing is an error. A function that suspends by
//! itself is always instrumented. A list that is wrong traps at run time
//! (`wasmfx.trap.unlisted_suspend`, checked after each call the lists made ordinary) rather
//! than corrupting the program.
//!
//! `--pass-arg lower-to-asyncify-imports@MODULE.NAME,...` names imported functions that may
//! suspend (host functions calling back into the module); calls to them become suspension
//! points, and the host must call back again while the module rewinds. Otherwise the module
//! is a closed world: imports are assumed not to suspend, and continuations do not cross
//! into other modules (each lowered module has its own store; see the README): a program
//! split across modules is merged into one first (`wasmfx-opt --merge`, `Module::link_all`),
//! or its modules are lowered one at a time with `--pass-arg lower-to-asyncify-shared@NAME`
//! (and `lower-to-asyncify-peers@A,B`) against the shared runtime `wasmfx-opt
//! --emit-shared-runtime` writes (`shared.rs`, `docs/separate-lowering.md`): the runtime's
//! entities become imports, tags and tables of continuations are linked as identity
//! globals, and calls between the modules are suspension points. Refused with a clear error
//! (outside that mode for the first two): tables of continuations that are imported or
//! exported; imported or exported tags with results; tables of continuations filled by
//! element segments; a memory 0 that is 64-bit or shared; shared references held across a
//! suspension. Known differences from native: an access by the program past its own memory size
//! but inside the gap or the region does not trap; an exported memory 0 shows the gap and the
//! region; the program's `memory.grow` can fail earlier when memory 0 has a maximum; without
//! GC, function types that differ only in continuation types become one type, so a
//! `call_indirect` between them does not trap (see `erasure.rs`).
//!
//! # Where the time goes (profiled)
//!
//! Profiled with `perf` on Wasmtime's perf maps (`WASMFX_PERFMAP=1 wasmfx-run`) over the
//! lowered C benchmarks (`benches/c/`), whose fibers keep their continuations in a table and
//! start through a WAT trampoline that calls the C entry point indirectly. Before the steps
//! below, in itersum (one yield per value, 4 frames) the table of continuations' accessors
//! (`ctab`, `ctab_at`, `init`: three calls per `table.get` or `table.set`) took 17% of the
//! samples, the resume's inline code 15%, the two trampolines 18% and `set_current` and
//! `take` 8%; in c10m (a continuation per connection) `memmove`, called by Wasmtime for the
//! `memory.copy` of the bound arguments, took 17%, the table accessors 9%, and the worker's
//! own page reads 24%. What was done about it:
//! - Tables of continuations: `table.get`, `table.set` and `table.size` take an inline fast
//!   path (region there, table in use, index in bounds) and call out only for a first use or
//!   a trap. Least user time of 3 runs, lowered ÷ Asyncify: itersum (2e7) 2.55x to 1.77x,
//!   c10m (2e6 connections) 5.3x to 2.7x.
//! - Direct starts: trampolines exist only for the function types `cont.new` starts, a
//!   trampoline calls its function directly when every `cont.new` of its type is given one
//!   `ref.func`, and a `resume` calls the trampoline directly when only one returns its
//!   results (no record read, no `call_indirect`; -O2 then inlines it). itersum 1.77x to
//!   1.55x (noisy: the machine was shared), c10m unchanged within noise.
//! - Copying bound arguments with word loads instead of `memory.copy` moved c10m's 17% from
//!   `memmove` to the loop unchanged: the cost was the cache miss on the bound-argument
//!   buffer, written one continuation lifetime earlier. Bound arguments of up to 24 bytes
//!   now live in the record itself (64 bytes, aligned to a cache line), which `cont.new`,
//!   `cont.bind` and the first `resume` touch anyway.
//! - Profiled on the WAT c10m (10M continuations, 10,000 alive): Wasmtime's `ref.func`
//!   libcall and the `table.set` of the funcref in `fiber_funcs` at every `cont.new` took a
//!   sixth of the samples. A `cont.new` whose trampoline calls its function directly now
//!   stores no funcref (`new_known`): user time 0.66x. What is left there is the worker's
//!   own page reads (about half: each of the 10,000 alive workers has a shadow stack of its
//!   own, where the bespoke program reuses one), the resume's inline code (11%), the table
//!   of continuations' `ctab_set` (6%) and `set_current` (5%). Memory: the WAT c10m's 10,000
//!   workers each write the top page of their own 32 KiB shadow stack, 40 MB that the
//!   bespoke program (one stack) does not have; the runtime's part is about 2 MB (records,
//!   16,384 × 64 bytes, and a 64-byte save buffer each, where it was 256).
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

mod analysis;
mod call_graph;
mod contract;
mod control;
mod erasure;
mod exports;
mod frames;
mod instructions;
mod lists;
mod rewrite;
mod runtime;
mod shared;
mod switching;
mod targets;

pub use analysis::kept_features;
pub use contract::{PEER_SUFFIX, TABLE_SUFFIX, TAG_SUFFIX, TRAP_PREFIX, TRAPS, Trap, trap_of_function};
pub use shared::{SharedOptions, emit_shared_runtime};

use crate::{Pass, PassArgs};
use analysis::Analysis;
use rayon::prelude::*;
use std::collections::BTreeSet;
use wasmfx_ir::analysis::operand_stacks;
use wasmfx_ir::*;

/// The `lower-to-asyncify` pass.
pub struct LowerToAsyncify;

/// The pass argument naming imports that may suspend: `MODULE.NAME` separated by commas.
pub const SUSPENDING_IMPORTS_ARG: &str = "lower-to-asyncify-imports";
/// The pass argument that lowers the module separately, for the shared runtime registered
/// under its value (see `shared.rs`).
pub const SHARED_ARG: &str = "lower-to-asyncify-shared";
/// The pass argument naming the only functions that may be instrumented (see `lists.rs`).
pub const ONLY_ARG: &str = "lower-to-asyncify-only";
/// The pass argument naming functions that never suspend (see `lists.rs`).
pub const REMOVE_ARG: &str = "lower-to-asyncify-remove";
/// The pass argument naming functions that may suspend whatever analysis says (see `lists.rs`).
pub const ADD_ARG: &str = "lower-to-asyncify-add";
/// With [`SHARED_ARG`]: the module names of the peers, lowered the same way, separated by
/// commas.
pub const PEERS_ARG: &str = "lower-to-asyncify-peers";

/// Options of the lowering.
#[derive(Clone, Debug, Default)]
pub struct LowerOptions {
    /// Imported functions (module, name) that may suspend: host functions that call back into
    /// the module, whose callbacks suspend. Calls to them are suspension points, and the host
    /// must call back again while the module rewinds (Asyncify's contract for such imports).
    pub suspending_imports: Vec<(String, String)>,
    /// Entries of [`ONLY_ARG`], when given: only the functions they name may be instrumented.
    pub only: Option<Vec<String>>,
    /// Entries of [`REMOVE_ARG`]: the functions they name never suspend.
    pub remove: Vec<String>,
    /// Entries of [`ADD_ARG`]: the functions they name may suspend.
    pub add: Vec<String>,
    /// Separate lowering: the module is one of several lowered the same way, sharing one
    /// runtime module (see `shared.rs`).
    pub shared: Option<SharedOptions>,
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
        let entries = |key| {
            args.get(key).map(|list| list.split(',').filter(|s| !s.is_empty()).map(String::from).collect())
        };
        options.only = entries(ONLY_ARG);
        options.remove = entries(REMOVE_ARG).unwrap_or_default();
        options.add = entries(ADD_ARG).unwrap_or_default();
        match (args.get(SHARED_ARG), args.get(PEERS_ARG)) {
            (Some(runtime), peers) => {
                let peers =
                    peers.unwrap_or("").split(',').filter(|s| !s.is_empty()).map(String::from).collect();
                options.shared = Some(SharedOptions { runtime: runtime.to_string(), peers });
            }
            (None, Some(_)) => {
                return Err(Error::new(format!("--pass-arg {PEERS_ARG} needs --pass-arg {SHARED_ARG}")));
            }
            (None, None) => {}
        }
        let stats = lower_counting(module, &options)?;
        // Pass-debug mode also says how much the lowering instrumented, the figure that
        // decides its cost (Binaryen's Asyncify prints none; `wasmfx-bench` has no view of it).
        if std::env::var("WASMFX_PASS_DEBUG").is_ok_and(|v| !v.is_empty() && v != "0") {
            eprintln!(
                "lower-to-asyncify: instrumented {} of {} defined functions",
                stats.instrumented, stats.defined
            );
        }
        Ok(())
    }

    fn output_features(&self, features: WasmFeatures) -> WasmFeatures {
        features - WasmFeatures::STACK_SWITCHING
    }

    fn arg_keys(&self) -> &'static [&'static str] {
        &[SUSPENDING_IMPORTS_ARG, ONLY_ARG, REMOVE_ARG, ADD_ARG, SHARED_ARG, PEERS_ARG]
    }
}

/// Lowers every stack-switching instruction and type in `module`, assuming no import
/// suspends. This is the library entry point for build pipelines; the output is valid with
/// stack switching off (see the module documentation for what it needs).
pub fn lower(module: &mut Module) -> Result<()> {
    lower_with(module, &LowerOptions::default())
}

/// [`lower`] with options.
pub fn lower_with(module: &mut Module, options: &LowerOptions) -> Result<()> {
    lower_counting(module, options).map(|_| ())
}

/// How much of the program a lowering instrumented.
struct LowerStats {
    /// Defined functions of the program (the runtime's not counted).
    defined: usize,
    /// Those instrumented: the ones that can suspend.
    instrumented: usize,
}

/// [`lower_with`], saying how much it instrumented. The phases, in order (each file says
/// what it keeps true).
fn lower_counting(module: &mut Module, options: &LowerOptions) -> Result<LowerStats> {
    let defined_count = module.funcs.values().filter(|f| !f.def.is_import()).count();
    // Separately lowered, a module without stack switching still links to its peers (its
    // tags' identities, its functions' peer exports), so it is lowered too.
    if options.shared.is_none() && !analysis::uses_stack_switching(module) {
        return Ok(LowerStats { defined: defined_count, instrumented: 0 });
    }
    // 1. Analysis, read-only from here on.
    let analysis = Analysis::of(module, options)?;
    let stats = LowerStats {
        defined: defined_count,
        instrumented: analysis.suspending.iter().filter(|&&f| !module.funcs[f].def.is_import()).count(),
    };
    // Instrumenting lengthens live ranges and dead code has no operand types to spill: the
    // functions that will be instrumented lose their dead code and have their locals
    // coalesced first, then every function's operand stacks are learned.
    for &f in &analysis.suspending {
        if let Some(body) = module.body_mut(f) {
            crate::dce::eliminate_dead_code(body);
            crate::coalesce_locals::coalesce_locals(body);
        }
    }
    let defined: BTreeSet<FuncId> =
        module.funcs.iter().filter(|(_, f)| !f.def.is_import()).map(|(id, _)| id).collect();
    let stacks = operand_stacks(module, validate::default_features(), &defined)?;

    // 2. The runtime, merged in with the parts that depend on the program.
    let rt = runtime::merge_runtime(module, &analysis)?;

    // 3. Every function of the program rewritten, in parallel, against the module as it is
    //    now; the bodies go back in function order with the types they asked for.
    let bodies: Vec<(FuncId, FuncBody)> = defined
        .iter()
        .map(|&f| (f, std::mem::replace(module.body_mut(f).expect("defined"), FuncBody::new(&[]))))
        .collect();
    let type_base = module.types.len();
    let shared: &Module = module;
    let rewritten: Vec<Result<rewrite::Rewritten>> = bodies
        .into_par_iter()
        .map(|(f, body)| {
            let source_offset = body.source_offset;
            rewrite::rewrite_function(shared, &analysis, &rt, f, body, &stacks[&f])
                .map_err(|e| in_function(shared, f, source_offset, e))
        })
        .collect();
    let mut transfer_size = 0u32;
    for r in rewritten {
        let r = r?;
        transfer_size = transfer_size.max(r.transfer);
        r.install(module, type_base);
    }
    for ct in analysis.cont_func.values() {
        transfer_size =
            transfer_size.max(frames::values_size(&analysis.erasure.func_type(module, *ct).params));
    }
    if rt.shared.is_some() && transfer_size > contract::SHARED_TRANSFER_SIZE as u32 {
        return Err(Error::unsupported(&format!(
            "payloads and arguments of {transfer_size} bytes, more than the shared runtime's transfer area holds"
        )));
    }
    module.globals[rt.transfer_size].def = Def::Local(vec![Instr::I32Const { value: transfer_size as i32 }]);
    module.globals[rt.transfer_start].def =
        Def::Local(vec![Instr::I32Const { value: analysis.transfer_start() }]);
    // Tables of continuations now live in the runtime's region.
    if let Some(shared) = &rt.shared {
        shared.unlink_cont_tables(module);
    }
    let tables = module.tables.retain_with_map(|id, _| !analysis.cont_tables.contains_key(&id));
    let mut rt = rt;
    rt.renumber_tables(&tables)?;
    module.visit_ids(&mut Remapping { tables: Some(tables), ..Remapping::default() });

    // 4. The module around the functions, and the types.
    let peer_exports = shared::peer_exports(module);
    exports::wrap_exports(module, &rt, &analysis.erasure);
    if let Some(shared) = &rt.shared {
        shared.link_module(module, &rt, peer_exports, &analysis)?;
    }
    exports::declare_referenced_functions(module);
    erasure::erase_module_types(module, &analysis.erasure)?;
    exports::remove_unused_tags(module);
    if let Some(shared) = rt.shared.take() {
        shared.import_runtime(module, &mut rt.added);
    }
    runtime::remove_unused_runtime(module, &rt);
    Ok(stats)
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
