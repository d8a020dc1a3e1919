//! A fixed-seed generator of random WasmFX programs for `tests/random_programs.rs`: each seed
//! gives one valid WASI command in the current text syntax that terminates, is deterministic,
//! and prints checksums of what it computed, so that its native and lowered runs must print
//! the same.
//!
//! # The shape of a program
//!
//! `_start` runs one or two *scenarios* and then prints a global checksum of events. A
//! scenario is a chain of *levels*: level 0 is an ordinary function; level d + 1 runs in
//! continuations that level d creates (`cont.new`, its arguments given by `cont.bind`, in one
//! or two steps) and resumes in a handler loop. The loop either drives one continuation at a
//! time (a generator's consumer; the continuation kept in a local or a global) or several
//! round robin from a region of a table that it grows for itself (a scheduler). Each loop's
//! `resume` names one or two tags, sometimes the same tag twice, from a small pool of tags
//! whose payloads and results are random lists of i32, i64, f32 and f64.
//!
//! A level's body is a list of random statements: suspends of a tag that some enclosing level
//! handles (so a suspend is forwarded through the resumes of the levels in between that do not
//! name it), sometimes with values of random types left on the operand stack below them;
//! loops with constant trip counts; `if`s; `br_table`s; blocks whose value is used; calls of
//! helper functions that recurse a few frames (now and then forty) and suspend at the bottom,
//! reached by `call`, `call_ref`, `call_indirect` and tail calls (`return_call`,
//! `return_call_indirect`, `return_call_ref`); and updates of local state of every number
//! type, which lives across the suspends. Every value a level sees is folded into its i64
//! accumulator, which it prints at the end and at random points. Handlers fold the payload,
//! may suspend to an outer level themselves while holding the continuation, answer with
//! values of the tag's result types bound into the continuation by `cont.bind`, and may give
//! up after a few events, abandoning the continuations they hold.
//!
//! # Switch, cancellation and exceptions
//!
//! Most seeds also use some of the newer constructs ([`Features`]; one seed in five gets none
//! of them and is exactly the program the generator wrote before it knew them):
//!
//! - *Exceptions*: a small pool of exception tags `$x0`, `$x1`, ... with random number payloads.
//!   Statements include `try_table`s (with `catch`, `catch_ref`, `catch_all` and
//!   `catch_all_ref` clauses) around random statements, which may suspend, switch or call
//!   suspending helpers, and `throw`s (taken or not depending on the accumulator), caught by an
//!   enclosing `try_table` of the same continuation, or escaping it. A handler loop may wrap its
//!   `resume` in a `try_table`: an exception that escapes a continuation ends that
//!   continuation, and the handler folds the payload and goes on with its other continuations;
//!   one it does not catch goes on outward through the levels above. Level 0's handler catches
//!   everything, and level 0 throws only inside its own `try_table`s that catch the tag.
//! - *Cancellation*: after handling a suspend, a handler may raise an exception in the
//!   continuation where it waits (`resume_throw`, with the same handler clauses), which the
//!   continuation catches if it waits inside a `try_table` for that tag (or forwarded from a
//!   deeper level, in a `try_table` around a handler's `resume`), and which otherwise escapes.
//! - *Switch*: a third kind of handler loop drives *peers*: continuations of a recursive type
//!   `$pcN = (cont (func (param i64 (ref null $pcN)) (result ...)))`, kept in a table `$ppN`
//!   shared by all the loops of that level, and resumed under `(on $swN switch)` only. A peer
//!   (and any level below it, past the resumes in between) switches directly to another peer
//!   taken from the table, passing an i64; the peer it starts or resumes puts the switcher's
//!   continuation back in the table. A peer's return ends the `resume` of the loop it runs
//!   under, which then resumes the next peer in the table; it may also cancel a peer with
//!   `resume_throw`, or give up and leave the rest in the table.
//!
//! - *GC*: structs, arrays, i31s and anyrefs in locals that live across suspends, allocated,
//!   updated and digested into the accumulator (`gc.rs`, two in five seeds).
//!
//! # Why the programs terminate and are deterministic
//!
//! Every loop counts down from a constant; a handler loop ends when its continuations return
//! or it gives up; helpers recurse a constant number of frames; so by induction over the
//! levels every continuation suspends a bounded number of times. Suspends only name tags that
//! an enclosing level handles, and only the deliberate traps below can fail. Floats are only
//! produced by constants and by converting integers, combined only with finite constants, and
//! observed only through `reinterpret` (so no NaN is ever computed, whose bits Wasm leaves
//! open, and no float is ever formatted). About one program in twelve ends with a deliberate
//! trap at some level: an unhandled tag, a null continuation or function, a consumed
//! continuation, a division by zero, or `resume_throw` of a null or consumed continuation.
//! A peer runs a bounded amount of code however control reaches it, and every `resume` of a
//! peers loop either ends a peer or suspends the whole loop, so switches terminate too; every
//! switch takes one continuation from the table before the peer it starts puts one back, so a
//! put always finds a free slot. No exception reaches `_start`.
//!
//! Two choices are shaped by limits of Wasmtime 48 that the programs must stay within: see
//! [`MULTI_VALUE_ACTIVATIONS`], and the peers' types, which come first in the type section,
//! in one rec group (`switch` crashes Wasmtime 48 otherwise: see
//! `tests/differential/README.md`).

mod features;
mod gc;
mod handlers;
mod levels;
mod program;
mod rng;
mod statements;
mod values;

pub use features::Features;
pub use rng::Rng;

use std::fmt::Write as _;

/// How many activations of functions that contain a `suspend` of a tag with two or more
/// parameters or two or more results one continuation can hold on Wasmtime 48.0.8: the next
/// call traps with "call stack exhausted", whatever the stack size, while the same functions
/// recurse 1,000 frames deep on the main stack (and functions with one-value suspends,
/// or `resume` and `cont.bind` of several values, recurse 1,000 frames deep in continuations).
/// Functions that contain both a `switch` that passes two or more values (the continuation
/// included, so every `switch` here) and a `suspend` of any tag are limited the same way; a
/// `switch` without a `suspend` is not.
/// A helper whose body has such a suspend is called with at most `MULTI_VALUE_ACTIVATIONS - 3`
/// frames of recursion below it, so that with its caller at most
/// `MULTI_VALUE_ACTIVATIONS - 1` are live; other helpers sometimes recurse forty frames.
const MULTI_VALUE_ACTIVATIONS: u32 = 7;

/// The number types of payloads, results, parameters and state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Num {
    I32,
    I64,
    F32,
    F64,
}

const NUMS: [Num; 4] = [Num::I32, Num::I64, Num::F32, Num::F64];

impl Num {
    fn name(self) -> &'static str {
        match self {
            Num::I32 => "i32",
            Num::I64 => "i64",
            Num::F32 => "f32",
            Num::F64 => "f64",
        }
    }
}

/// A clause of a `try_table` (the tags are indexes into the exception tags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Catch {
    /// `catch $xN`: the payload.
    Tag(usize),
    /// `catch_ref $xN`: the payload and the exnref.
    TagRef(usize),
    /// `catch_all`.
    All,
    /// `catch_all_ref`: the exnref.
    AllRef,
}

/// A function signature: continuation types, level functions and tags.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Sig {
    params: Vec<Num>,
    results: Vec<Num>,
}

impl Sig {
    /// ` (param ...) (result ...)`, each part left out when empty.
    fn text(&self) -> String {
        let mut out = String::new();
        if !self.params.is_empty() {
            write!(out, " (param {})", names(&self.params)).unwrap();
        }
        if !self.results.is_empty() {
            write!(out, " (result {})", names(&self.results)).unwrap();
        }
        out
    }
}

fn names(types: &[Num]) -> String {
    types.iter().map(|t| t.name()).collect::<Vec<_>>().join(" ")
}

/// ` (result ...)` for a block, or nothing.
fn result_text(types: &[String]) -> String {
    if types.is_empty() { String::new() } else { format!(" (result {})", types.join(" ")) }
}

/// The function and continuation types a program declares, one per signature.
#[derive(Default)]
struct Types {
    sigs: Vec<Sig>,
    cont: Vec<bool>,
}

impl Types {
    fn index(&mut self, sig: &Sig) -> usize {
        match self.sigs.iter().position(|s| s == sig) {
            Some(i) => i,
            None => {
                self.sigs.push(sig.clone());
                self.cont.push(false);
                self.sigs.len() - 1
            }
        }
    }

    fn func(&mut self, sig: &Sig) -> String {
        format!("$f{}", self.index(sig))
    }

    fn cont(&mut self, sig: &Sig) -> String {
        let i = self.index(sig);
        self.cont[i] = true;
        format!("$c{i}")
    }

    fn write(&self, out: &mut String) {
        for (i, sig) in self.sigs.iter().enumerate() {
            writeln!(out, "  (type $f{i} (func{}))", sig.text()).unwrap();
            if self.cont[i] {
                writeln!(out, "  (type $c{i} (cont $f{i}))").unwrap();
            }
        }
    }
}

/// How a level drives the continuations of the level below it.
#[derive(Clone, Copy, Debug)]
enum Drive {
    /// One continuation at a time, kept in a local (or a global when `global` is set).
    Single { global: bool },
    /// This many continuations, round robin, kept in a region of a table.
    Scheduler(u32),
    /// This many peers of peer group `group` (which `scenario` numbers once the levels are
    /// known), added to the group's table; the loop resumes whichever it finds there.
    Peers { k: u32, group: usize },
}

/// The handler loop of a level that has a level below it.
#[derive(Clone, Debug)]
struct Handler {
    drive: Drive,
    /// The tags of the `resume`'s clauses, first to last (a tag may appear twice).
    clauses: Vec<usize>,
    /// Give up after this many handled suspends, abandoning the continuations still held.
    cap: Option<u32>,
    /// The clauses of a `try_table` around the `resume`, if any: exceptions that escape a
    /// continuation end it.
    catches: Vec<Catch>,
    /// The exception tag that the handler sometimes raises with `resume_throw`.
    cancel: Option<usize>,
}

#[derive(Clone, Debug)]
struct Level {
    name: String,
    sig: Sig,
    handler: Option<Handler>,
}

/// A deliberate trap at the end of one level's body.
#[derive(Clone, Copy, Debug)]
enum Trap {
    UnhandledTag,
    NullContinuation,
    NullFunction,
    Consumed,
    DivideByZero,
    ResumeThrowNull,
    ResumeThrowConsumed,
}

/// A helper function a level's statements can call, and the tail-calling trampoline to it.
#[derive(Clone, Debug)]
struct Helper {
    name: String,
    trampoline: String,
    slot: u32,
    /// The level's local that holds a typed reference to it, for `call_ref`.
    reference: String,
    /// Its body suspends a tag with two or more values (see [`MULTI_VALUE_ACTIVATIONS`]).
    multi_value_suspend: bool,
}

/// A function body being written.
struct Body {
    lines: Vec<String>,
    indent: usize,
    locals: Vec<(String, String)>,
    /// Locals of number types the statements read and write (parameters and state).
    values: Vec<(String, Num)>,
    labels: u32,
    /// Tags some enclosing level handles.
    suspendable: Vec<usize>,
    helpers: Vec<Helper>,
    loop_depth: u32,
    budget: i32,
    /// The level the body belongs to (0: not in a continuation).
    level: usize,
    /// Whether the body suspends a tag with two or more parameters or results (see
    /// [`MULTI_VALUE_ACTIVATIONS`]).
    multi_value_suspend: bool,
    /// Whether the body has a `switch` (which passes two values), and a `suspend` (see
    /// [`MULTI_VALUE_ACTIVATIONS`]).
    switches: bool,
    suspends: bool,
    /// Peer groups some enclosing level drives: the body may switch to their peers.
    switchable: Vec<usize>,
    /// The clauses of the `try_table`s around the statement being written, innermost last.
    catchers: Vec<Vec<Catch>>,
}

impl Body {
    fn new(suspendable: Vec<usize>, level: usize, budget: i32) -> Body {
        let mut body = Body {
            lines: Vec::new(),
            indent: 2,
            locals: Vec::new(),
            values: Vec::new(),
            labels: 0,
            suspendable,
            helpers: Vec::new(),
            loop_depth: 0,
            budget,
            level,
            multi_value_suspend: false,
            switches: false,
            suspends: false,
            switchable: Vec::new(),
            catchers: Vec::new(),
        };
        body.local("$acc", "i64");
        for ty in NUMS {
            body.local(&format!("$tmp_{}", ty.name()), ty.name());
        }
        body
    }

    fn line(&mut self, text: impl AsRef<str>) {
        self.lines.push(format!("{}{}", "  ".repeat(self.indent), text.as_ref()));
    }

    fn open(&mut self, text: impl AsRef<str>) {
        self.line(text);
        self.indent += 1;
    }

    /// Closes the innermost open form on the last line written.
    fn close(&mut self) {
        self.indent -= 1;
        self.lines.last_mut().expect("a line to close").push(')');
    }

    fn label(&mut self, what: &str) -> String {
        self.labels += 1;
        format!("${what}{}", self.labels)
    }

    /// Declares a local (once) and returns its name.
    fn local(&mut self, name: &str, ty: &str) -> String {
        if !self.locals.iter().any(|(n, _)| n == name) {
            self.locals.push((name.to_string(), ty.to_string()));
        }
        name.to_string()
    }

    /// The function's text: header, locals, body.
    fn finish(self, header: &str) -> String {
        let mut out = format!("  {header}\n");
        for (name, ty) in &self.locals {
            writeln!(out, "    (local {name} {ty})").unwrap();
        }
        for line in &self.lines {
            writeln!(out, "{line}").unwrap();
        }
        out.push_str("    )\n");
        out
    }
}

struct Gen {
    rng: Rng,
    types: Types,
    tags: Vec<Sig>,
    funcs: Vec<String>,
    /// Functions named by `ref.func`.
    declared: Vec<String>,
    /// The funcref table `$fns`, for `call_indirect`.
    table: Vec<String>,
    /// Continuation types of the scheduler tables `$q0`, `$q1`, ...
    queues: Vec<String>,
    /// Continuation types of the globals `$g0`, `$g1`, ...
    globals: Vec<String>,
    /// Whether the never-handled tag `$never` or the function `$nop` are needed.
    never: bool,
    nop: bool,
    helper_sig: Sig,
    features: Features,
    /// The payloads of the exception tags `$x0`, `$x1`, ...
    exns: Vec<Vec<Num>>,
    /// The results of the peers of each peer group (`$pf0`/`$pc0`, `$pf1`/`$pc1`, ...).
    peers: Vec<Vec<Num>>,
    /// The GC statements' own choices (`gc.rs`), apart so that the rest stays as without GC.
    gc_rng: Rng,
}

/// The program for `seed`, with the features [`Features::of_seed`] gives it.
pub fn program(seed: u64) -> String {
    program_with(seed, Features::of_seed(seed))
}

/// The program for `seed` with the given features.
pub fn program_with(seed: u64, features: Features) -> String {
    generate(Rng::new(seed), seed, features)
}

/// The program a fuzzer's bytes describe: the first bytes choose the features, the rest every
/// other choice (see [`Rng::from_bytes`]).
pub fn program_from_bytes(data: &[u8]) -> String {
    let mut rng = Rng::from_bytes(data);
    let features = Features::from_rng(&mut rng);
    generate(rng, 0, features)
}

fn generate(rng: Rng, seed: u64, features: Features) -> String {
    let mut g = Gen {
        rng,
        types: Types::default(),
        tags: Vec::new(),
        funcs: Vec::new(),
        declared: Vec::new(),
        table: Vec::new(),
        queues: Vec::new(),
        globals: Vec::new(),
        never: false,
        nop: false,
        helper_sig: Sig { params: vec![Num::I64, Num::I32], results: vec![Num::I64] },
        features,
        exns: Vec::new(),
        peers: Vec::new(),
        gc_rng: Rng::new(seed ^ 0x6C_0BAD_C0DE),
    };
    g.program(seed)
}
