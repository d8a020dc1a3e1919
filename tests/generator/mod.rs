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

mod gc;

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

/// Where the generator's choices come from: splitmix64 from a seed (small, fast, and the same
/// on every platform), or a fuzzer's bytes, read in order, so that the input's prefix decides
/// the program and a fuzzer can shrink what it finds. Once the bytes run out the choices go on
/// from splitmix64 seeded by the input's length: the generator retries some choices until one
/// fits, and a constant stream would never let it move on.
pub enum Rng {
    Seeded(u64),
    Bytes { data: Vec<u8>, pos: usize },
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng::Seeded(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    /// Choices read from `data`.
    pub fn from_bytes(data: &[u8]) -> Rng {
        Rng::Bytes { data: data.to_vec(), pos: 0 }
    }

    /// The next `n` bytes as a little-endian number (zero past the end).
    fn take(data: &[u8], pos: &mut usize, n: usize) -> u64 {
        let mut v = 0u64;
        for k in 0..n {
            v |= u64::from(data.get(*pos + k).copied().unwrap_or(0)) << (8 * k);
        }
        *pos += n;
        v
    }

    pub fn next_u64(&mut self) -> u64 {
        match self {
            Rng::Seeded(state) => {
                *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = *state;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^ (z >> 31)
            }
            Rng::Bytes { data, pos } if *pos < data.len() => Self::take(data, pos, 8),
            Rng::Bytes { data, .. } => {
                *self = Rng::new(data.len() as u64);
                self.next_u64()
            }
        }
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        match self {
            Rng::Seeded(_) => self.next_u64() % n,
            // As few bytes as the choice needs, so that each byte is one decision.
            Rng::Bytes { data, pos } if *pos < data.len() => {
                let width = if n <= 0x100 {
                    1
                } else if n <= 0x1_0000 {
                    2
                } else {
                    8
                };
                Self::take(data, pos, width) % n
            }
            Rng::Bytes { .. } => self.next_u64() % n,
        }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True `p` times in a hundred.
    pub fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize].clone()
    }
}

/// Which of the newer constructs a program uses (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// Exception tags, `try_table`s and `throw`s in bodies, `try_table`s around handlers'
    /// resumes.
    pub exceptions: bool,
    /// Handlers that cancel continuations with `resume_throw` (only with `exceptions`).
    pub resume_throw: bool,
    /// Handler loops over peers that `switch` to each other.
    pub switch: bool,
    /// Dead code (after a `br`, sometimes then an `unreachable`) holding suspends, resumes,
    /// `cont.new`, `cont.bind`, switches and reference instructions, with and without operands.
    pub dead_code: bool,
    /// GC structs, arrays and i31s in locals live across suspends (`gc.rs`).
    pub gc: bool,
}

impl Features {
    /// None of them: the programs the generator wrote before it knew them, seed for seed.
    pub const CLASSIC: Features =
        Features { exceptions: false, resume_throw: false, switch: false, dead_code: false, gc: false };

    /// The features of `seed`'s program, drawn from a generator of their own so that a
    /// classic seed draws nothing else: classic one time in five; otherwise exceptions four
    /// times in five (with cancellation seven times in ten of those) and peers three times in
    /// five, at least one of the two; dead code half the time (drawn last, so that seeds
    /// without it keep the programs they had before the generator wrote dead code).
    pub fn of_seed(seed: u64) -> Features {
        let mut rng = Rng::new(seed ^ 0x5157_C4ED_F00D_0001);
        if rng.percent(20) {
            return Features::CLASSIC;
        }
        let mut exceptions = rng.percent(80);
        let switch = rng.percent(60);
        if !exceptions && !switch {
            exceptions = true;
        }
        let resume_throw = exceptions && rng.percent(70);
        let dead_code = rng.percent(50);
        Features { exceptions, resume_throw, switch, dead_code, gc: rng.percent(40) }
    }

    /// The features a fuzzer's bytes choose.
    pub fn from_rng(rng: &mut Rng) -> Features {
        let exceptions = rng.percent(50);
        Features {
            exceptions,
            resume_throw: exceptions && rng.percent(50),
            switch: rng.percent(50),
            dead_code: rng.percent(70),
            gc: rng.percent(40),
        }
    }

    fn any(self) -> bool {
        self.exceptions || self.switch
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

impl Gen {
    fn program(&mut self, seed: u64) -> String {
        for _ in 0..self.rng.range(2, 4) {
            let params = self.types_list(3);
            let results = self.types_list(2);
            self.tags.push(Sig { params, results });
        }
        if self.features.exceptions {
            for _ in 0..self.rng.range(1, 3) {
                let params = self.types_list(2);
                self.exns.push(params);
            }
        }
        let scenarios = self.rng.range(1, 2) as usize;
        let trap = if self.rng.percent(8) {
            let mut kinds = vec![
                Trap::UnhandledTag,
                Trap::NullContinuation,
                Trap::NullFunction,
                Trap::Consumed,
                Trap::DivideByZero,
            ];
            if self.features.resume_throw {
                kinds.extend([Trap::ResumeThrowNull, Trap::ResumeThrowConsumed]);
            }
            let kind = self.rng.pick(&kinds);
            Some((self.rng.below(scenarios as u64) as usize, kind))
        } else {
            None
        };
        for s in 0..scenarios {
            let trap = trap.filter(|(at, _)| *at == s).map(|(_, kind)| kind);
            self.scenario(s, trap);
        }

        let mut out = String::new();
        writeln!(
            out,
            ";; A random WasmFX program: seed {seed} of tests/generator/mod.rs (see there for its shape)."
        )
        .unwrap();
        if self.features.any() {
            let f = self.features;
            writeln!(
                out,
                ";; Features: exceptions {}, resume_throw {}, switch {}.",
                f.exceptions, f.resume_throw, f.switch
            )
            .unwrap();
        }
        out.push_str("(module\n");
        out.push_str("  (import \"spectest\" \"print_i32\" (func $print_i32 (param i32)))\n");
        out.push_str("  (import \"spectest\" \"print_i64\" (func $print_i64 (param i64)))\n");
        // First of all types, in one rec group: see the module documentation.
        if !self.peers.is_empty() {
            out.push_str("  (rec\n");
            for (g, results) in self.peers.iter().enumerate() {
                let sig = Sig { params: Vec::new(), results: results.clone() };
                writeln!(
                    out,
                    "    (type $pf{g} (func (param i64 (ref null $pc{g})){}))\n    (type $pc{g} (cont $pf{g}))",
                    sig.text()
                )
                .unwrap();
            }
            out.push_str("  )\n");
        }
        self.types.write(&mut out);
        if self.features.gc {
            out.push_str(gc::DEFINITIONS);
        }
        if self.nop {
            out.push_str("  (type $f_nop (func))\n  (type $c_nop (cont $f_nop))\n");
        }
        for (i, tag) in self.tags.iter().enumerate() {
            writeln!(out, "  (tag $t{i}{})", tag.text()).unwrap();
        }
        if self.never {
            out.push_str("  (tag $never)\n");
        }
        for (i, params) in self.exns.iter().enumerate() {
            let sig = Sig { params: params.clone(), results: Vec::new() };
            writeln!(out, "  (tag $x{i}{})", sig.text()).unwrap();
        }
        for (g, results) in self.peers.iter().enumerate() {
            let sig = Sig { params: Vec::new(), results: results.clone() };
            writeln!(out, "  (tag $sw{g}{})", sig.text()).unwrap();
            writeln!(out, "  (table $pp{g} 0 (ref null $pc{g}))").unwrap();
        }
        if !self.table.is_empty() {
            writeln!(out, "  (table $fns {} funcref)", self.table.len()).unwrap();
            writeln!(out, "  (elem (table $fns) (i32.const 0) func {})", self.table.join(" ")).unwrap();
        }
        for (i, ct) in self.queues.iter().enumerate() {
            writeln!(out, "  (table $q{i} 0 (ref null {ct}))").unwrap();
        }
        for (i, ct) in self.globals.iter().enumerate() {
            writeln!(out, "  (global $g{i} (mut (ref null {ct})) (ref.null {ct}))").unwrap();
        }
        writeln!(out, "  (global $cs (mut i64) (i64.const {}))", self.rng.next_u64() as i64).unwrap();
        if self.nop {
            self.declared.push("$nop".into());
        }
        if !self.declared.is_empty() {
            writeln!(out, "  (elem declare func {})", self.declared.join(" ")).unwrap();
        }
        out.push_str(MIX_FUNCTIONS);
        for g in 0..self.peers.len() {
            out.push_str(&PEER_FUNCTIONS.replace("{g}", &g.to_string()));
        }
        if self.nop {
            out.push_str("  (func $nop (type $f_nop))\n");
        }
        for func in &self.funcs {
            out.push_str(func);
        }
        out.push_str("  (func (export \"_start\")\n");
        for s in 0..scenarios {
            writeln!(out, "    (call $s{s}_0)").unwrap();
        }
        out.push_str("    (call $print_i64 (global.get $cs)))\n)\n");
        out
    }

    /// Up to `max` random number types, fewer more likely.
    fn types_list(&mut self, max: u64) -> Vec<Num> {
        let n = self.rng.range(0, max).min(self.rng.range(0, max));
        (0..n).map(|_| self.rng.pick(&NUMS)).collect()
    }

    /// Writes the functions of scenario `s`: its levels, and their helpers.
    fn scenario(&mut self, s: usize, trap: Option<Trap>) {
        let depth: usize = self.rng.pick(&[1, 1, 2, 2, 2, 3, 3, 4]);
        let mut levels = Vec::new();
        let mut width = 1;
        for d in 0..=depth {
            let sig = if d == 0 {
                Sig { params: vec![], results: vec![] }
            } else {
                Sig { params: self.types_list(3), results: self.types_list(2) }
            };
            let handler = (d < depth).then(|| {
                let drive = match self.rng.range(2, 3) as u32 {
                    k if self.rng.percent(35) && width * k <= 9 => {
                        width *= k;
                        Drive::Scheduler(k)
                    }
                    _ => Drive::Single { global: self.rng.percent(25) },
                };
                let mut clauses = vec![self.rng.below(self.tags.len() as u64) as usize];
                if self.rng.percent(40) {
                    clauses.push(self.rng.below(self.tags.len() as u64) as usize);
                }
                if self.rng.percent(10) {
                    clauses.push(clauses[0]);
                }
                let cap = self.rng.percent(20).then(|| self.rng.range(1, 3) as u32);
                let mut handler = Handler { drive, clauses, cap, catches: Vec::new(), cancel: None };
                if self.features.switch && self.rng.percent(35) {
                    let k = self.rng.range(2, 3) as u32;
                    if width * k <= 9 {
                        width *= k;
                        handler.drive = Drive::Peers { k, group: usize::MAX };
                        handler.clauses.clear();
                    }
                }
                if self.features.exceptions {
                    handler.catches = self.handler_catches(d == 0);
                }
                if self.features.resume_throw && self.rng.percent(50) {
                    handler.cancel = Some(self.rng.below(self.exns.len() as u64) as usize);
                }
                handler
            });
            levels.push(Level { name: format!("$s{s}_{d}"), sig, handler });
        }
        if self.features.switch {
            let peers = |levels: &[Level]| {
                levels
                    .iter()
                    .any(|level| matches!(level.handler.as_ref().map(|h| h.drive), Some(Drive::Peers { .. })))
            };
            // Every program with the feature has peers somewhere.
            if s == 0 && !peers(&levels) {
                let handler = levels[depth - 1].handler.as_mut().expect("a handler");
                handler.drive = Drive::Peers { k: 2, group: usize::MAX };
                handler.clauses.clear();
            }
            for d in 0..depth {
                if let Some(Drive::Peers { group, .. }) = levels[d].handler.as_mut().map(|h| &mut h.drive) {
                    *group = self.peers.len();
                    // A peer's first parameter is an i64; its second, the peer that started it.
                    levels[d + 1].sig.params = vec![Num::I64];
                    self.peers.push(levels[d + 1].sig.results.clone());
                }
            }
        }
        let trap = trap.map(|kind| (self.rng.range(0, depth as u64) as usize, kind));
        for d in 0..levels.len() {
            let mut suspendable: Vec<usize> = Vec::new();
            let mut switchable: Vec<usize> = Vec::new();
            for level in &levels[..d] {
                let handler = level.handler.as_ref().expect("outer levels handle");
                for &t in &handler.clauses {
                    if !suspendable.contains(&t) {
                        suspendable.push(t);
                    }
                }
                if let Drive::Peers { group, .. } = handler.drive {
                    switchable.push(group);
                }
            }
            let trap = trap.filter(|(at, _)| *at == d).map(|(_, kind)| kind);
            let func = self.level(&levels, d, suspendable, switchable, trap);
            self.funcs.push(func);
        }
    }

    /// The clauses of the `try_table` around a handler's `resume` (none: no `try_table`).
    /// Level 0's catches everything, so that no exception reaches `_start`.
    fn handler_catches(&mut self, level_0: bool) -> Vec<Catch> {
        let mut catches = Vec::new();
        if level_0 || self.rng.percent(60) {
            for _ in 0..self.rng.range(0, 2) {
                let x = self.rng.below(self.exns.len() as u64) as usize;
                catches.push(if self.rng.percent(30) { Catch::TagRef(x) } else { Catch::Tag(x) });
            }
            if level_0 || self.rng.percent(30) {
                catches.push(if self.rng.percent(30) { Catch::AllRef } else { Catch::All });
            }
        }
        catches
    }

    /// The function of level `d` of `levels`.
    fn level(
        &mut self,
        levels: &[Level],
        d: usize,
        suspendable: Vec<usize>,
        switchable: Vec<usize>,
        trap: Option<Trap>,
    ) -> String {
        let level = levels[d].clone();
        let mut b = Body::new(suspendable, d, self.rng.range(6, 12) as i32);
        b.switchable = switchable;
        // The peer group whose peers run this level, if its parent drives peers.
        let peer_of = match d.checked_sub(1).and_then(|p| levels[p].handler.as_ref()) {
            Some(Handler { drive: Drive::Peers { group, .. }, .. }) => Some(*group),
            _ => None,
        };
        let mut header = format!("(func {}", level.name);
        if d > 0 {
            let ty = match peer_of {
                Some(g) => format!("$pf{g}"),
                None => self.types.func(&level.sig),
            };
            write!(header, " (type {ty})").unwrap();
            self.declared.push(level.name.clone());
        }
        for (i, ty) in level.sig.params.iter().enumerate() {
            write!(header, " (param $p{i} {})", ty.name()).unwrap();
            b.values.push((format!("$p{i}"), *ty));
        }
        if let Some(g) = peer_of {
            // Started by a switch: the switcher goes back to the table.
            write!(header, " (param $prev (ref null $pc{g}))").unwrap();
            b.line(format!("(call $pp{g}_put (local.get $prev))"));
        }
        if !level.sig.results.is_empty() {
            write!(header, " (result {})", names(&level.sig.results)).unwrap();
        }

        b.line(format!("(local.set $acc (i64.const {}))", self.rng.next_u64() as i64));
        for (name, ty) in b.values.clone() {
            b.line(format!("(local.set $acc (call $mix_{} (local.get $acc) (local.get {name})))", ty.name()));
        }
        for i in 0..self.rng.range(1, 3) {
            let ty = self.rng.pick(&NUMS);
            let name = b.local(&format!("$v{i}"), ty.name());
            let value = self.value(&b, ty);
            b.line(format!("(local.set {name} {value})"));
            b.values.push((name, ty));
        }
        if d > 0 {
            for _ in 0..self.rng.range(0, 2) {
                let helper = self.helper(&b, &level.name);
                let hty = self.types.func(&self.helper_sig);
                b.local(&helper.reference, &format!("(ref null {hty})"));
                b.line(format!("(local.set {} (ref.func {}))", helper.reference, helper.name));
                b.helpers.push(helper);
            }
        }

        let before = self.rng.range(1, 4) as u32;
        self.statements(&mut b, 0, before);
        if let Some(handler) = &level.handler {
            self.nest(&mut b, handler, &levels[d + 1]);
        }
        let after = self.rng.range(0, 2) as u32;
        b.budget = b.budget.max(after as i32);
        self.statements(&mut b, 0, after);
        b.line("(call $print_i64 (local.get $acc))");
        if let Some(kind) = trap {
            self.trap(&mut b, kind);
        }
        for ty in level.sig.results.clone() {
            let value = self.value(&b, ty);
            b.line(value);
        }
        b.finish(&header)
    }

    /// A helper of `owner`'s level: recurses `$n` frames, runs random statements (which may
    /// suspend) in the bottom frame, and folds state that lived across that into the result.
    fn helper(&mut self, owner: &Body, owner_name: &str) -> Helper {
        let index = self.table.len();
        let name = format!("{owner_name}_h{index}");
        let trampoline = format!("{name}_tail");
        let hty = self.types.func(&self.helper_sig);
        // $p1 counts the frames still to recurse: it is not state the statements may change.
        let mut b = Body::new(owner.suspendable.clone(), owner.level, 4);
        b.switchable = owner.switchable.clone();
        b.line("(local.set $acc (local.get $p0))");
        let ty = self.rng.pick(&NUMS);
        let state = b.local("$v0", ty.name());
        let value = self.value(&b, ty);
        b.line(format!("(local.set {state} {value})"));
        b.values.push((state.clone(), ty));
        b.open("(if (local.get $p1)");
        b.open("(then");
        b.line(format!(
            "(local.set $acc (call {name} (local.get $acc) (i32.sub (local.get $p1) (i32.const 1))))"
        ));
        b.close();
        b.open("(else");
        let count = self.rng.range(1, 3) as u32;
        self.statements(&mut b, 1, count);
        b.close();
        b.close();
        b.line(format!("(local.set $acc (call $mix_{} (local.get $acc) (local.get {state})))", ty.name()));
        b.line("(local.get $acc)");
        let multi_value_suspend = b.multi_value_suspend || (b.switches && b.suspends);
        let func =
            b.finish(&format!("(func {name} (type {hty}) (param $p0 i64) (param $p1 i32) (result i64)"));
        self.funcs.push(func);

        let slot = self.table.len() as u32;
        self.table.push(name.clone());
        let tail = match self.rng.below(3) {
            0 => format!("(return_call {name} (local.get 0) (local.get 1))"),
            1 => format!(
                "(return_call_indirect $fns (type {hty}) (local.get 0) (local.get 1) (i32.const {slot}))"
            ),
            _ => format!("(return_call_ref {hty} (local.get 0) (local.get 1) (ref.func {name}))"),
        };
        self.funcs
            .push(format!("  (func {trampoline} (type {hty}) (param i64 i32) (result i64)\n    {tail})\n"));
        self.declared.push(name.clone());
        Helper { reference: format!("$ref{slot}"), name, trampoline, slot, multi_value_suspend }
    }

    fn statements(&mut self, b: &mut Body, depth: u32, count: u32) {
        for _ in 0..count {
            if b.budget <= 0 {
                break;
            }
            self.statement(b, depth);
        }
    }

    fn statement(&mut self, b: &mut Body, depth: u32) {
        b.budget -= 1;
        let nested = depth < 2;
        let arms = match (self.features.any(), self.features.dead_code) {
            (_, true) => 24,
            (true, false) => 22,
            (false, false) => 17,
        };
        if self.features.gc {
            gc::maybe_statement(self, b);
        }
        loop {
            match self.rng.below(arms) {
                0..=4 if !b.suspendable.is_empty() => return self.suspend(b),
                5 => return self.set_state(b),
                6 => return self.fold_state(b),
                7 => {
                    if self.rng.percent(50) {
                        b.line("(call $print_i64 (local.get $acc))");
                    } else {
                        b.line("(call $event (local.get $acc))");
                    }
                    return;
                }
                8 | 9 if nested => return self.counted_loop(b, depth),
                10 if nested => return self.if_else(b, depth),
                11 if nested => return self.value_block(b, depth),
                12 if nested => return self.br_table(b, depth),
                13 | 14 if !b.helpers.is_empty() => return self.call_helper(b),
                15 | 16 => {
                    let op = self.rng.pick(&["i64.add", "i64.sub", "i64.xor", "i64.rotl"]);
                    let value = self.value(b, Num::I64);
                    b.line(format!("(local.set $acc ({op} (local.get $acc) {value}))"));
                    return;
                }
                17 | 18 if self.features.exceptions && nested => {
                    return self.try_table(b, depth);
                }
                19 if self.features.exceptions && (b.level > 0 || !b.catchers.is_empty()) => {
                    return self.throw(b);
                }
                20 | 21 if !b.switchable.is_empty() => return self.switch(b),
                22 | 23 => return self.dead_code(b),
                _ => continue,
            }
        }
    }

    /// A `try_table` with one or two clauses around random statements; the code after each
    /// clause folds what it catches.
    fn try_table(&mut self, b: &mut Body, depth: u32) {
        let mut clauses = Vec::new();
        for _ in 0..self.rng.range(1, 2) {
            let x = self.rng.below(self.exns.len() as u64) as usize;
            clauses.push(match self.rng.below(10) {
                0..=5 => Catch::Tag(x),
                6 | 7 => Catch::TagRef(x),
                8 => Catch::All,
                _ => Catch::AllRef,
            });
        }
        let done = b.label("tdone");
        let labels: Vec<String> = clauses.iter().map(|_| b.label("caught")).collect();
        b.open(format!("(block {done}"));
        for (clause, label) in clauses.iter().zip(&labels).rev() {
            b.open(format!("(block {label}{}", result_text(&self.caught_types(*clause))));
        }
        b.open(format!("(try_table {}", self.clauses_text(&clauses, &labels)));
        b.catchers.push(clauses.clone());
        let count = self.rng.range(1, 3) as u32;
        self.statements(b, depth + 1, count);
        b.catchers.pop();
        b.close();
        b.line(format!("(br {done})"));
        for (i, clause) in clauses.iter().enumerate() {
            b.close();
            self.fold_caught(b, *clause);
            if i + 1 < clauses.len() {
                b.line(format!("(br {done})"));
            }
        }
        b.close();
    }

    /// The values a clause's label receives.
    fn caught_types(&self, clause: Catch) -> Vec<String> {
        let mut types: Vec<String> = match clause {
            Catch::Tag(x) | Catch::TagRef(x) => self.exns[x].iter().map(|t| t.name().to_string()).collect(),
            Catch::All | Catch::AllRef => Vec::new(),
        };
        if matches!(clause, Catch::TagRef(_) | Catch::AllRef) {
            types.push("exnref".into());
        }
        types
    }

    /// The `catch` clauses of a `try_table`, each branching to its label.
    fn clauses_text(&self, clauses: &[Catch], labels: &[String]) -> String {
        clauses
            .iter()
            .zip(labels)
            .map(|(clause, label)| match clause {
                Catch::Tag(x) => format!("(catch $x{x} {label})"),
                Catch::TagRef(x) => format!("(catch_ref $x{x} {label})"),
                Catch::All => format!("(catch_all {label})"),
                Catch::AllRef => format!("(catch_all_ref {label})"),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Folds what a clause caught (an exnref is dropped; a catch-all counts as 1).
    fn fold_caught(&mut self, b: &mut Body, clause: Catch) {
        if matches!(clause, Catch::TagRef(_) | Catch::AllRef) {
            b.line("(drop)");
        }
        match clause {
            Catch::Tag(x) | Catch::TagRef(x) => {
                for ty in self.exns[x].clone().into_iter().rev() {
                    Self::fold_top(b, ty);
                }
            }
            Catch::All | Catch::AllRef => {
                b.line("(local.set $acc (call $mix (local.get $acc) (i64.const 1)))");
            }
        }
    }

    /// A `throw`, taken or not depending on a bit of the accumulator. Level 0, which does not
    /// run in a continuation, throws only what an enclosing `try_table` of its own catches.
    fn throw(&mut self, b: &mut Body) {
        let x = if b.level == 0 {
            let catches_all = b.catchers.iter().flatten().any(|c| matches!(c, Catch::All | Catch::AllRef));
            let caught: Vec<usize> = b
                .catchers
                .iter()
                .flatten()
                .filter_map(|c| match c {
                    Catch::Tag(x) | Catch::TagRef(x) => Some(*x),
                    _ => None,
                })
                .collect();
            if catches_all { self.rng.below(self.exns.len() as u64) as usize } else { self.rng.pick(&caught) }
        } else {
            self.rng.below(self.exns.len() as u64) as usize
        };
        let args: Vec<String> = self.exns[x].clone().into_iter().map(|ty| self.value(b, ty)).collect();
        let mut throw = format!("(throw $x{x}");
        for arg in &args {
            write!(throw, " {arg}").unwrap();
        }
        throw.push(')');
        b.line(format!(
            "(if (i32.wrap_i64 (i64.and (i64.shr_u (local.get $acc) (i64.const {})) (i64.const 1))) (then {throw}))",
            self.rng.below(64)
        ));
    }

    /// A `switch` to a peer of a group some enclosing level drives, taken from the group's
    /// table (none there: no switch); it returns an i64, folded, and the continuation of the
    /// peer that switched back, which goes back to the table.
    fn switch(&mut self, b: &mut Body) {
        b.switches = true;
        let g = self.rng.pick(&b.switchable);
        let peer = b.local(&format!("$peer{g}"), &format!("(ref null $pc{g})"));
        let value = self.value(b, Num::I64);
        b.line(format!("(local.set {peer} (call $pp{g}_take (i32.wrap_i64 (local.get $acc))))"));
        b.open(format!("(if (i32.eqz (ref.is_null (local.get {peer})))"));
        b.open("(then");
        b.line(format!("(switch $pc{g} $sw{g} {value} (local.get {peer}))"));
        b.line(format!("(call $pp{g}_put)"));
        Self::fold_top(b, Num::I64);
        b.close();
        b.close();
    }

    /// A block that branches out at once, followed by dead code: one to three stack-switching or
    /// reference instructions, either after an `unreachable` with no operands (so the operand
    /// stack is polymorphic and their operand types are unknown) or with operands of their
    /// own; each followed by `unreachable` so that whatever it leaves is dead too. Never runs.
    fn dead_code(&mut self, b: &mut Body) {
        let label = b.label("dead");
        b.open(format!("(block {label}"));
        if self.rng.percent(70) {
            b.line(format!("(br {label})"));
        } else {
            b.line(format!("(br_table {label} {label} (i32.wrap_i64 (local.get $acc)))"));
        }
        for _ in 0..self.rng.range(1, 3) {
            let sig = Sig { params: self.types_list(2), results: self.types_list(2) };
            let (ft, ct) = (self.types.func(&sig), self.types.cont(&sig));
            let bare = self.rng.percent(50);
            if bare {
                b.line("(unreachable)");
            }
            let args = |g: &mut Gen, b: &Body, types: &[Num]| -> String {
                types.iter().map(|&t| format!(" {}", g.value(b, t))).collect()
            };
            let text = match self.rng.below(11) {
                0 if !b.suspendable.is_empty() || !self.tags.is_empty() => {
                    let tag = self.rng.below(self.tags.len() as u64) as usize;
                    let tsig = self.tags[tag].clone();
                    b.suspends = true;
                    if tsig.params.len() >= 2 || tsig.results.len() >= 2 {
                        b.multi_value_suspend = true;
                    }
                    if bare {
                        format!("(suspend $t{tag})")
                    } else {
                        format!("(suspend $t{tag}{})", args(self, b, &tsig.params))
                    }
                }
                1 | 2 if bare => format!("(resume {ct})"),
                1 | 2 => format!("(resume {ct}{} (ref.null {ct}))", args(self, b, &sig.params)),
                3 if bare => format!("(cont.new {ct})"),
                3 => format!("(cont.new {ct} (ref.null {ft}))"),
                4 if bare => format!("(cont.bind {ct} {ct})"),
                4 => format!("(cont.bind {ct} {ct} (ref.null {ct}))"),
                5 if bare => "(ref.as_non_null)".to_string(),
                5 => format!("(ref.as_non_null (ref.null {ct}))"),
                6 if bare => format!("(br_on_null {label})"),
                6 => format!("(br_on_null {label} (ref.null {ct}))"),
                7 if bare => "(ref.is_null)".to_string(),
                7 => format!("(ref.is_null (ref.null {ct}))"),
                8 if bare => format!("(call_ref {ft})"),
                8 => format!("(call_ref {ft}{} (ref.null {ft}))", args(self, b, &sig.params)),
                9 if !b.switchable.is_empty() && b.switches => {
                    let g = self.rng.pick(&b.switchable);
                    if bare {
                        format!("(switch $pc{g} $sw{g})")
                    } else {
                        format!("(switch $pc{g} $sw{g} {} (ref.null $pc{g}))", self.value(b, Num::I64))
                    }
                }
                10 if self.features.exceptions && !self.exns.is_empty() => {
                    let x = self.rng.below(self.exns.len() as u64) as usize;
                    if bare {
                        format!("(resume_throw {ct} $x{x})")
                    } else {
                        let payload = self.exns[x].clone();
                        format!("(resume_throw {ct} $x{x}{} (ref.null {ct}))", args(self, b, &payload))
                    }
                }
                _ => format!("(drop (ref.null {ct}))"),
            };
            b.line(text);
            b.line("(unreachable)");
        }
        b.close();
    }

    /// A suspend of a tag some enclosing level handles, with random values below it on the
    /// operand stack; its results and those values are folded into the accumulator.
    fn suspend(&mut self, b: &mut Body) {
        b.suspends = true;
        let tag = self.rng.pick(&b.suspendable);
        let sig = self.tags[tag].clone();
        if sig.params.len() >= 2 || sig.results.len() >= 2 {
            b.multi_value_suspend = true;
        }
        let below: Vec<Num> = if self.rng.percent(30) {
            (0..self.rng.range(1, 2)).map(|_| self.rng.pick(&NUMS)).collect()
        } else {
            Vec::new()
        };
        for &ty in &below {
            let value = self.value(b, ty);
            b.line(value);
        }
        let args: Vec<String> = sig.params.iter().map(|&ty| self.value(b, ty)).collect();
        let mut text = format!("(suspend $t{tag}");
        for arg in &args {
            write!(text, " {arg}").unwrap();
        }
        text.push(')');
        b.line(text);
        for &ty in sig.results.iter().rev().chain(below.iter().rev()) {
            Self::fold_top(b, ty);
        }
    }

    /// Pops a value of type `ty` and folds it into the accumulator.
    fn fold_top(b: &mut Body, ty: Num) {
        let ty = ty.name();
        b.line(format!("(local.set $tmp_{ty})"));
        b.line(format!("(local.set $acc (call $mix_{ty} (local.get $acc) (local.get $tmp_{ty})))"));
    }

    fn set_state(&mut self, b: &mut Body) {
        let (name, ty) = self.rng.pick(&b.values);
        let value = self.value(b, ty);
        b.line(format!("(local.set {name} {value})"));
    }

    fn fold_state(&mut self, b: &mut Body) {
        let (name, ty) = self.rng.pick(&b.values);
        b.line(format!("(local.set $acc (call $mix_{} (local.get $acc) (local.get {name})))", ty.name()));
    }

    fn counted_loop(&mut self, b: &mut Body, depth: u32) {
        let counter = b.local(&format!("$n{}", b.loop_depth), "i32");
        let label = b.label("loop");
        b.line(format!("(local.set {counter} (i32.const {}))", self.rng.range(1, 3)));
        b.open(format!("(loop {label}"));
        b.loop_depth += 1;
        let count = self.rng.range(1, 3) as u32;
        self.statements(b, depth + 1, count);
        b.loop_depth -= 1;
        b.line(format!("(local.set {counter} (i32.sub (local.get {counter}) (i32.const 1)))"));
        b.line(format!("(br_if {label} (local.get {counter}))"));
        b.close();
    }

    fn if_else(&mut self, b: &mut Body, depth: u32) {
        b.open(format!(
            "(if (i32.wrap_i64 (i64.and (i64.shr_u (local.get $acc) (i64.const {})) (i64.const 1)))",
            self.rng.below(64)
        ));
        b.open("(then");
        let count = self.rng.range(1, 2) as u32;
        self.statements(b, depth + 1, count);
        b.close();
        if self.rng.percent(60) {
            b.open("(else");
            let count = self.rng.range(1, 2) as u32;
            self.statements(b, depth + 1, count);
            b.close();
        }
        b.close();
    }

    /// `acc = mix(acc, block { ...; acc })`: the old accumulator waits on the operand stack
    /// while the block runs (and maybe suspends); the block may leave early by `br_if`.
    fn value_block(&mut self, b: &mut Body, depth: u32) {
        let label = b.label("value");
        b.open(format!("(local.set $acc (call $mix (local.get $acc) (block {label} (result i64)"));
        let count = self.rng.range(1, 2) as u32;
        self.statements(b, depth + 1, count);
        b.line(format!(
            "(drop (br_if {label} (local.get $acc) (i32.wrap_i64 (i64.and (local.get $acc) (i64.const 2)))))"
        ));
        let count = self.rng.range(0, 1) as u32;
        self.statements(b, depth + 1, count);
        b.line("(local.get $acc)");
        b.close();
        // The `call $mix` and the `local.set` around the block end on the same line.
        b.lines.last_mut().expect("the block's last line").push_str("))");
    }

    fn br_table(&mut self, b: &mut Body, depth: u32) {
        let arms = self.rng.range(2, 3) as usize;
        let end = b.label("end");
        let labels: Vec<String> = (0..arms).map(|_| b.label("arm")).collect();
        b.open(format!("(block {end}"));
        for label in labels.iter().rev() {
            b.open(format!("(block {label}"));
        }
        b.line(format!(
            "(br_table {} {} (i32.and (i32.wrap_i64 (local.get $acc)) (i32.const 3)))",
            labels.join(" "),
            labels[arms - 1]
        ));
        for i in 0..arms {
            b.close();
            let count = self.rng.range(0, 2) as u32;
            self.statements(b, depth + 1, count);
            if i + 1 < arms {
                b.line(format!("(br {end})"));
            }
        }
        b.close();
    }

    fn call_helper(&mut self, b: &mut Body) {
        let helper = self.rng.pick(&b.helpers);
        let hty = self.types.func(&self.helper_sig);
        let frames = if self.rng.percent(15) && !helper.multi_value_suspend {
            self.rng.range(10, 40)
        } else {
            self.rng.range(0, MULTI_VALUE_ACTIVATIONS as u64 - 3)
        };
        let args = format!("(local.get $acc) (i32.const {frames})");
        let call = match self.rng.below(4) {
            0 => format!("(call {} {args})", helper.name),
            1 => format!("(call_ref {hty} {args} (local.get {}))", helper.reference),
            2 => format!("(call_indirect $fns (type {hty}) {args} (i32.const {}))", helper.slot),
            _ => format!("(call {} {args})", helper.trampoline),
        };
        b.line(format!("(local.set $acc {call})"));
    }

    /// A value of type `ty`: a state local, something computed from the accumulator, or a
    /// constant. Floats come only from constants and integer conversions (plus a finite
    /// constant), so they are never NaN unless a constant is.
    fn value(&mut self, b: &Body, ty: Num) -> String {
        let locals: Vec<&String> = b.values.iter().filter(|(_, t)| *t == ty).map(|(n, _)| n).collect();
        match self.rng.below(10) {
            0..=3 if !locals.is_empty() => {
                format!("(local.get {})", self.rng.pick(&locals))
            }
            4..=6 => match ty {
                Num::I32 => "(i32.wrap_i64 (local.get $acc))".into(),
                Num::I64 => "(local.get $acc)".into(),
                Num::F32 => "(f32.convert_i64_s (local.get $acc))".into(),
                Num::F64 => "(f64.convert_i64_s (local.get $acc))".into(),
            },
            7 => match ty {
                Num::I32 => format!(
                    "(i32.add (i32.wrap_i64 (i64.shr_u (local.get $acc) (i64.const 32))) (i32.const {}))",
                    self.rng.next_u64() as i32
                ),
                Num::I64 => {
                    format!("(i64.mul (local.get $acc) (i64.const {}))", self.rng.next_u64() as i64 | 1)
                }
                Num::F32 => format!(
                    "(f32.add (f32.convert_i64_s (local.get $acc)) (f32.const {}))",
                    float32(self.rng.range(0, 1_000_000) as f32 / 64.0)
                ),
                Num::F64 => format!(
                    "(f64.add (f64.convert_i64_s (local.get $acc)) (f64.const {}))",
                    float64(self.rng.range(0, 1_000_000) as f64 / 1024.0)
                ),
            },
            _ => self.constant(ty),
        }
    }

    fn constant(&mut self, ty: Num) -> String {
        let bits = self.rng.next_u64();
        let special = self.rng.percent(20);
        match ty {
            Num::I32 => format!("(i32.const {})", bits as i32),
            Num::I64 => format!("(i64.const {})", bits as i64),
            Num::F32 => {
                let x = if special {
                    self.rng.pick(&[
                        f32::from_bits(0x8000_0000),
                        f32::INFINITY,
                        f32::NEG_INFINITY,
                        f32::from_bits(0x7fc0_0000),
                        f32::from_bits(0xff80_1234),
                        f32::from_bits(1),
                    ])
                } else {
                    f32::from_bits(bits as u32 & 0xbfff_ffff)
                };
                format!("(f32.const {})", float32(x))
            }
            Num::F64 => {
                let x = if special {
                    self.rng.pick(&[
                        f64::from_bits(0x8000_0000_0000_0000),
                        f64::INFINITY,
                        f64::NEG_INFINITY,
                        f64::from_bits(0x7ff8_0000_0000_0000),
                        f64::from_bits(0xfff0_0000_0000_0042),
                        f64::from_bits(1),
                    ])
                } else {
                    f64::from_bits(bits & 0xbfff_ffff_ffff_ffff)
                };
                format!("(f64.const {})", float64(x))
            }
        }
    }

    /// Level `b`'s handler loop over continuations of `child`.
    fn nest(&mut self, b: &mut Body, handler: &Handler, child: &Level) {
        if let Drive::Peers { k, group } = handler.drive {
            return self.peers_loop(b, handler, child, k, group);
        }
        let unit = Sig { params: vec![], results: child.sig.results.clone() };
        let cu = self.types.cont(&unit);
        let events = b.local("$events", "i32");
        b.line(format!("(local.set {events} (i32.const 0))"));
        let exit = b.label("exit");
        let again = b.label("again");
        match handler.drive {
            Drive::Single { global } => {
                let place = if global {
                    let g = self.globals.len();
                    self.globals.push(cu.clone());
                    Place::Global(format!("$g{g}"))
                } else {
                    Place::Local(b.local("$k", &format!("(ref null {cu})")))
                };
                let create = self.create(b, child);
                b.line(place.set(&create));
                b.open(format!("(block {exit}"));
                b.open(format!("(loop {again}"));
                let operand = place.get();
                let escaped = [format!("(br {exit})")];
                let targets = Targets { exit: &exit, next: &again, again: &again, escaped: &escaped };
                self.dispatch(b, handler, child, &cu, &operand, &place, &targets);
                b.close();
                b.close();
            }
            Drive::Scheduler(k) => {
                let q = self.queues.len();
                self.queues.push(cu.clone());
                let table = format!("$q{q}");
                let base = b.local("$base", "i32");
                let slot = b.local("$slot", "i32");
                let live = b.local("$live", "i32");
                b.line(format!("(local.set {base} (table.grow {table} (ref.null {cu}) (i32.const {k})))"));
                for i in 0..k {
                    let create = self.create(b, child);
                    b.line(format!(
                        "(table.set {table} (i32.add (local.get {base}) (i32.const {i})) {create})"
                    ));
                }
                b.line(format!("(local.set {live} (i32.const {k}))"));
                b.line(format!("(local.set {slot} (i32.const 0))"));
                b.open(format!("(block {exit}"));
                b.open(format!("(loop {again}"));
                let skip = b.label("skip");
                b.open(format!("(block {skip}"));
                let index = format!("(i32.add (local.get {base}) (local.get {slot}))");
                let operand = format!("(br_on_null {skip} (table.get {table} {index}))");
                let place = Place::Table { table: table.clone(), index: index.clone() };
                // When the continuation returns, or an exception ends it.
                let ended = [
                    format!("(table.set {table} {index} (ref.null {cu}))"),
                    format!("(local.set {live} (i32.sub (local.get {live}) (i32.const 1)))"),
                ];
                let escaped = [ended[0].clone(), ended[1].clone(), format!("(br {skip})")];
                let targets = Targets { exit: &exit, next: &skip, again: &again, escaped: &escaped };
                self.dispatch(b, handler, child, &cu, &operand, &place, &targets);
                for line in ended {
                    b.line(line);
                }
                b.close();
                b.line(format!(
                    "(local.set {slot} (i32.rem_u (i32.add (local.get {slot}) (i32.const 1)) (i32.const {k})))"
                ));
                b.line(format!("(br_if {again} (local.get {live}))"));
                b.close();
                b.close();
            }
            Drive::Peers { .. } => unreachable!("peers loops are written by peers_loop"),
        }
    }

    /// Level `b`'s loop over the peers of `group` (adding `k` new ones to the group's table):
    /// it resumes (or cancels with `resume_throw`) whichever peer it finds in the table, under
    /// `(on $swN switch)` only, until the table is empty or it gives up.
    fn peers_loop(&mut self, b: &mut Body, handler: &Handler, child: &Level, k: u32, g: usize) {
        let events = b.local("$events", "i32");
        b.line(format!("(local.set {events} (i32.const 0))"));
        let exit = b.label("exit");
        let again = b.label("again");
        let pk = b.local(&format!("$pk{g}"), &format!("(ref null $pc{g})"));
        b.line(format!("(drop (table.grow $pp{g} (ref.null $pc{g}) (i32.const {k})))"));
        for _ in 0..k {
            b.line(format!("(call $pp{g}_put (cont.new $pc{g} (ref.func {})))", child.name));
        }
        b.open(format!("(block {exit}"));
        b.open(format!("(loop {again}"));
        b.line(format!("(local.set {pk} (call $pp{g}_take (i32.wrap_i64 (local.get $acc))))"));
        b.line(format!("(br_if {exit} (ref.is_null (local.get {pk})))"));
        if let Some(cap) = handler.cap {
            // Gives up (abandoning the peer just taken and leaving the rest in the table).
            b.line("(local.set $events (i32.add (local.get $events) (i32.const 1)))");
            b.line(format!("(br_if {exit} (i32.gt_u (local.get $events) (i32.const {cap})))"));
        }
        let results: Vec<String> = child.sig.results.iter().map(|t| t.name().to_string()).collect();
        let ret = b.label("ret");
        b.open(format!("(block {ret}{}", result_text(&results)));
        let xlabels = self.open_escapes(b, handler);
        self.open_try(b, handler, &xlabels, &result_text(&results));
        let value = self.value(b, Num::I64);
        let resume = format!("(resume $pc{g} (on $sw{g} switch) {value} (ref.null $pc{g}) (local.get {pk}))");
        match handler.cancel {
            Some(x) => {
                let args = self.exception_args(b, x);
                b.open(format!(
                    "(if{} (i32.wrap_i64 (i64.and (i64.shr_u (local.get $acc) (i64.const {})) (i64.const 1)))",
                    result_text(&results),
                    self.rng.below(64)
                ));
                b.line(format!(
                    "(then (resume_throw $pc{g} $x{x} (on $sw{g} switch){args} (local.get {pk})))"
                ));
                b.line(format!("(else {resume})"));
                b.close();
            }
            None => b.line(resume),
        }
        if !handler.catches.is_empty() {
            b.close();
        }
        b.line(format!("(br {ret})"));
        self.close_escapes(b, handler, &xlabels, &[format!("(br {again})")]);
        b.close();
        for &ty in child.sig.results.iter().rev() {
            Self::fold_top(b, ty);
        }
        b.line(format!("(br {again})"));
        b.close();
        b.close();
    }

    /// Opens the blocks where exceptions that escape a handler's `resume` land, and the
    /// `try_table` around it (the caller writes the `resume` and closes the `try_table`);
    /// returns the blocks' labels.
    fn open_escapes(&mut self, b: &mut Body, handler: &Handler) -> Vec<String> {
        let labels: Vec<String> = handler.catches.iter().map(|_| b.label("escaped")).collect();
        for (clause, label) in handler.catches.iter().zip(&labels).rev() {
            b.open(format!("(block {label}{}", result_text(&self.caught_types(*clause))));
        }
        labels
    }

    /// Opens the `try_table` around a handler's `resume`, if it has one.
    fn open_try(&mut self, b: &mut Body, handler: &Handler, labels: &[String], results: &str) {
        if !handler.catches.is_empty() {
            b.open(format!("(try_table{results} {}", self.clauses_text(&handler.catches, labels)));
        }
    }

    /// Closes the landing blocks of `open_escapes`, each followed by the code that folds what
    /// it caught and then `escaped` (which must branch away).
    fn close_escapes(&mut self, b: &mut Body, handler: &Handler, labels: &[String], escaped: &[String]) {
        for clause in handler.catches.iter().take(labels.len()) {
            b.close();
            self.fold_caught(b, *clause);
            b.line("(call $event (local.get $acc))");
            for line in escaped {
                b.line(line);
            }
        }
    }

    /// The payload of a `resume_throw` of exception tag `x`, with a leading space.
    fn exception_args(&mut self, b: &Body, x: usize) -> String {
        let mut args = String::new();
        for ty in self.exns[x].clone() {
            let value = self.value(b, ty);
            write!(args, " {value}").unwrap();
        }
        args
    }

    /// A new continuation of `child` with all its arguments bound.
    fn create(&mut self, b: &Body, child: &Level) -> String {
        let sig = &child.sig;
        let unit = Sig { params: vec![], results: sig.results.clone() };
        let cu = self.types.cont(&unit);
        if sig.params.is_empty() {
            return format!("(cont.new {cu} (ref.func {}))", child.name);
        }
        let cp = self.types.cont(sig);
        let args: Vec<String> = sig.params.iter().map(|&t| self.value(b, t)).collect();
        let fresh = format!("(cont.new {cp} (ref.func {}))", child.name);
        if sig.params.len() >= 2 && self.rng.percent(40) {
            let split = self.rng.range(1, sig.params.len() as u64 - 1) as usize;
            let rest = Sig { params: sig.params[split..].to_vec(), results: sig.results.clone() };
            let cq = self.types.cont(&rest);
            format!(
                "(cont.bind {cq} {cu} {} (cont.bind {cp} {cq} {} {fresh}))",
                args[split..].join(" "),
                args[..split].join(" ")
            )
        } else {
            format!("(cont.bind {cp} {cu} {} {fresh})", args.join(" "))
        }
    }

    /// The `resume` of `operand` with `handler`'s clauses, the code of each clause (which
    /// stores the continuation back in `place` bound to its answer and branches to
    /// `targets.next`, or to `targets.again` to cancel it at once), and, when the continuation
    /// returns, the folding of its results. With exceptions, the `resume` sits in a
    /// `try_table`, and when the handler cancels, a `resume_throw` with the same clauses
    /// replaces it.
    #[allow(clippy::too_many_arguments)]
    fn dispatch(
        &mut self,
        b: &mut Body,
        handler: &Handler,
        child: &Level,
        cu: &str,
        operand: &str,
        place: &Place,
        targets: &Targets,
    ) {
        let results: Vec<String> = child.sig.results.iter().map(|t| t.name().to_string()).collect();
        let ret = b.label("ret");
        b.open(format!("(block {ret}{}", result_text(&results)));
        let xlabels = self.open_escapes(b, handler);
        let labels: Vec<String> = handler.clauses.iter().map(|_| b.label("on")).collect();
        let mut conts = Vec::new();
        for (i, &tag) in handler.clauses.iter().enumerate().rev() {
            let sig = self.tags[tag].clone();
            let ct =
                self.types.cont(&Sig { params: sig.results.clone(), results: child.sig.results.clone() });
            let mut types: Vec<String> = sig.params.iter().map(|t| t.name().to_string()).collect();
            types.push(format!("(ref {ct})"));
            b.open(format!("(block {}{}", labels[i], result_text(&types)));
            conts.push(ct);
        }
        conts.reverse();
        let clauses: Vec<String> =
            handler.clauses.iter().zip(&labels).map(|(tag, label)| format!("(on $t{tag} {label})")).collect();
        self.open_try(b, handler, &xlabels, &result_text(&results));
        let resume = format!("(resume {cu} {} {operand})", clauses.join(" "));
        match handler.cancel {
            Some(x) => {
                let cancel = b.local("$cancel", "i32");
                let args = self.exception_args(b, x);
                b.open(format!("(if{} (local.get {cancel})", result_text(&results)));
                b.open("(then");
                b.line(format!("(local.set {cancel} (i32.const 0))"));
                b.line(format!("(resume_throw {cu} $x{x} {}{args} {operand})", clauses.join(" ")));
                b.close();
                b.line(format!("(else {resume})"));
                b.close();
            }
            None => b.line(resume),
        }
        if !handler.catches.is_empty() {
            b.close();
        }
        b.line(format!("(br {ret})"));
        for (i, &tag) in handler.clauses.iter().enumerate() {
            b.close();
            let sig = self.tags[tag].clone();
            let held = b.local(&format!("$held{i}"), &format!("(ref null {})", conts[i]));
            b.line(format!("(local.set {held})"));
            for &ty in sig.params.iter().rev() {
                Self::fold_top(b, ty);
            }
            b.line("(call $event (local.get $acc))");
            if b.level > 0 && !b.suspendable.is_empty() && self.rng.percent(30) {
                self.suspend(b);
            }
            if let Some(cap) = handler.cap {
                b.line("(local.set $events (i32.add (local.get $events) (i32.const 1)))");
                b.line(format!("(br_if {} (i32.ge_u (local.get $events) (i32.const {cap})))", targets.exit));
            }
            let resumed = if sig.results.is_empty() {
                format!("(local.get {held})")
            } else {
                let answers: Vec<String> = sig.results.iter().map(|&t| self.value(b, t)).collect();
                format!("(cont.bind {} {cu} {} (local.get {held}))", conts[i], answers.join(" "))
            };
            b.line(place.set(&resumed));
            if handler.cancel.is_some() && self.rng.percent(50) {
                // Cancels it, depending on a bit of the accumulator, when resumed right away.
                b.line(format!(
                    "(local.set $cancel (i32.wrap_i64 (i64.and (i64.shr_u (local.get $acc) (i64.const {})) (i64.const 1))))",
                    self.rng.below(64)
                ));
                b.line(format!("(br {})", targets.again));
            } else {
                b.line(format!("(br {})", targets.next));
            }
        }
        self.close_escapes(b, handler, &xlabels, targets.escaped);
        b.close();
        for &ty in child.sig.results.iter().rev() {
            Self::fold_top(b, ty);
        }
    }

    fn trap(&mut self, b: &mut Body, kind: Trap) {
        match kind {
            Trap::UnhandledTag => {
                self.never = true;
                b.line("(suspend $never)");
            }
            Trap::NullContinuation => {
                self.nop = true;
                b.line("(resume $c_nop (ref.null $c_nop))");
            }
            Trap::NullFunction => {
                self.nop = true;
                b.line("(drop (cont.new $c_nop (ref.null $f_nop)))");
            }
            Trap::Consumed => {
                self.nop = true;
                let dead = b.local("$dead", "(ref null $c_nop)");
                b.line(format!("(local.set {dead} (cont.new $c_nop (ref.func $nop)))"));
                b.line(format!("(resume $c_nop (local.get {dead}))"));
                b.line(format!("(resume $c_nop (local.get {dead}))"));
            }
            Trap::DivideByZero => {
                b.line(
                    "(drop (i32.div_u (i32.const 1) (i32.and (i32.wrap_i64 (local.get $acc)) (i32.const 0))))",
                );
            }
            Trap::ResumeThrowNull => {
                self.nop = true;
                let args = self.exception_args(b, 0);
                b.line(format!("(resume_throw $c_nop $x0{args} (ref.null $c_nop))"));
            }
            Trap::ResumeThrowConsumed => {
                self.nop = true;
                let dead = b.local("$dead", "(ref null $c_nop)");
                b.line(format!("(local.set {dead} (cont.new $c_nop (ref.func $nop)))"));
                b.line(format!("(resume $c_nop (local.get {dead}))"));
                let args = self.exception_args(b, 0);
                b.line(format!("(resume_throw $c_nop $x0{args} (local.get {dead}))"));
            }
        }
    }
}

/// Where a handler's code branches: `exit` leaves the loop, `next` goes on with the next
/// continuation, `again` resumes the same one at once; `escaped` is the code after an
/// exception escaped the continuation (ending it), and branches away.
struct Targets<'a> {
    exit: &'a str,
    next: &'a str,
    again: &'a str,
    escaped: &'a [String],
}

/// Where a handler loop keeps the continuation it resumes.
enum Place {
    Local(String),
    Global(String),
    Table { table: String, index: String },
}

impl Place {
    fn get(&self) -> String {
        match self {
            Place::Local(name) => format!("(local.get {name})"),
            Place::Global(name) => format!("(global.get {name})"),
            Place::Table { .. } => unreachable!("table places are read with br_on_null"),
        }
    }

    fn set(&self, value: &str) -> String {
        match self {
            Place::Local(name) => format!("(local.set {name} {value})"),
            Place::Global(name) => format!("(global.set {name} {value})"),
            Place::Table { table, index } => format!("(table.set {table} {index} {value})"),
        }
    }
}

/// An f32 as text that reads back to the same bits.
fn float32(x: f32) -> String {
    if x.is_nan() {
        let sign = if x.is_sign_negative() { "-" } else { "" };
        format!("{sign}nan:{:#x}", x.to_bits() & 0x7f_ffff)
    } else if x.is_infinite() {
        if x < 0.0 { "-inf" } else { "inf" }.into()
    } else {
        format!("{x:?}")
    }
}

/// An f64 as text that reads back to the same bits.
fn float64(x: f64) -> String {
    if x.is_nan() {
        let sign = if x.is_sign_negative() { "-" } else { "" };
        format!("{sign}nan:{:#x}", x.to_bits() & 0xf_ffff_ffff_ffff)
    } else if x.is_infinite() {
        if x < 0.0 { "-inf" } else { "inf" }.into()
    } else {
        format!("{x:?}")
    }
}

/// The table of peer group `{g}`: `$pp{g}_put` stores a continuation (if not null) in the
/// first free slot, which there always is (see the module documentation: an out-of-bounds
/// trap here is a generator bug); `$pp{g}_take` takes out the first continuation found from
/// slot `start` (modulo the size) on, or returns null when there is none.
const PEER_FUNCTIONS: &str = r#"  (func $pp{g}_put (param $k (ref null $pc{g}))
    (local $i i32)
    (if (ref.is_null (local.get $k)) (then (return)))
    (loop $scan
      (if (ref.is_null (table.get $pp{g} (local.get $i)))
        (then
          (table.set $pp{g} (local.get $i) (local.get $k))
          (return)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $scan)))
  (func $pp{g}_take (param $start i32) (result (ref null $pc{g}))
    (local $n i32)
    (local $i i32)
    (local $left i32)
    (local $k (ref null $pc{g}))
    (local.set $n (table.size $pp{g}))
    (if (i32.eqz (local.get $n)) (then (return (ref.null $pc{g}))))
    (local.set $i (i32.rem_u (local.get $start) (local.get $n)))
    (local.set $left (local.get $n))
    (loop $scan
      (local.set $k (table.get $pp{g} (local.get $i)))
      (if (i32.eqz (ref.is_null (local.get $k)))
        (then
          (table.set $pp{g} (local.get $i) (ref.null $pc{g}))
          (return (local.get $k))))
      (local.set $i (i32.rem_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
      (local.set $left (i32.sub (local.get $left) (i32.const 1)))
      (br_if $scan (local.get $left)))
    (ref.null $pc{g}))
"#;

/// Folding values into an i64 checksum, and the global checksum of events.
const MIX_FUNCTIONS: &str = r#"  (func $mix (param $a i64) (param $x i64) (result i64)
    (i64.mul (i64.xor (i64.rotl (local.get $a) (i64.const 7)) (local.get $x))
      (i64.const 0x100000001b3)))
  (func $mix_i32 (param $a i64) (param $x i32) (result i64)
    (call $mix (local.get $a) (i64.extend_i32_u (local.get $x))))
  (func $mix_i64 (param $a i64) (param $x i64) (result i64)
    (call $mix (local.get $a) (local.get $x)))
  (func $mix_f32 (param $a i64) (param $x f32) (result i64)
    (call $mix (local.get $a) (i64.extend_i32_u (i32.reinterpret_f32 (local.get $x)))))
  (func $mix_f64 (param $a i64) (param $x f64) (result i64)
    (call $mix (local.get $a) (i64.reinterpret_f64 (local.get $x))))
  (func $event (param $x i64)
    (global.set $cs (call $mix (global.get $cs) (local.get $x))))
"#;
