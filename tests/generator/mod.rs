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
//! continuation, or a division by zero.
//!
//! One choice is shaped by a limit of Wasmtime 48 that the programs must stay within: see
//! [`MULTI_VALUE_ACTIVATIONS`].

use std::fmt::Write as _;

/// How many activations of functions that contain a `suspend` of a tag with two or more
/// parameters or two or more results one continuation can hold on Wasmtime 48.0.8: the next
/// call traps with "call stack exhausted", whatever the stack size, while the same functions
/// recurse 1,000 frames deep on the main stack (and functions with one-value suspends,
/// or `resume` and `cont.bind` of several values, recurse 1,000 frames deep in continuations).
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

/// splitmix64: small, fast, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
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
}

/// The handler loop of a level that has a level below it.
#[derive(Clone, Debug)]
struct Handler {
    drive: Drive,
    /// The tags of the `resume`'s clauses, first to last (a tag may appear twice).
    clauses: Vec<usize>,
    /// Give up after this many handled suspends, abandoning the continuations still held.
    cap: Option<u32>,
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
}

/// The program for `seed`.
pub fn program(seed: u64) -> String {
    let mut g = Gen {
        rng: Rng::new(seed),
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
        let scenarios = self.rng.range(1, 2) as usize;
        let trap = if self.rng.percent(8) {
            let kind = self.rng.pick(&[
                Trap::UnhandledTag,
                Trap::NullContinuation,
                Trap::NullFunction,
                Trap::Consumed,
                Trap::DivideByZero,
            ]);
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
        out.push_str("(module\n");
        out.push_str("  (import \"spectest\" \"print_i32\" (func $print_i32 (param i32)))\n");
        out.push_str("  (import \"spectest\" \"print_i64\" (func $print_i64 (param i64)))\n");
        self.types.write(&mut out);
        if self.nop {
            out.push_str("  (type $f_nop (func))\n  (type $c_nop (cont $f_nop))\n");
        }
        for (i, tag) in self.tags.iter().enumerate() {
            writeln!(out, "  (tag $t{i}{})", tag.text()).unwrap();
        }
        if self.never {
            out.push_str("  (tag $never)\n");
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
                Handler { drive, clauses, cap }
            });
            levels.push(Level { name: format!("$s{s}_{d}"), sig, handler });
        }
        let trap = trap.map(|kind| (self.rng.range(0, depth as u64) as usize, kind));
        for d in 0..levels.len() {
            let mut suspendable: Vec<usize> = Vec::new();
            for level in &levels[..d] {
                for &t in &level.handler.as_ref().expect("outer levels handle").clauses {
                    if !suspendable.contains(&t) {
                        suspendable.push(t);
                    }
                }
            }
            let trap = trap.filter(|(at, _)| *at == d).map(|(_, kind)| kind);
            let func = self.level(&levels, d, suspendable, trap);
            self.funcs.push(func);
        }
    }

    /// The function of level `d` of `levels`.
    fn level(&mut self, levels: &[Level], d: usize, suspendable: Vec<usize>, trap: Option<Trap>) -> String {
        let level = levels[d].clone();
        let mut b = Body::new(suspendable, d, self.rng.range(6, 12) as i32);
        let mut header = format!("(func {}", level.name);
        if d > 0 {
            let ty = self.types.func(&level.sig);
            write!(header, " (type {ty})").unwrap();
            self.declared.push(level.name.clone());
        }
        for (i, ty) in level.sig.params.iter().enumerate() {
            write!(header, " (param $p{i} {})", ty.name()).unwrap();
            b.values.push((format!("$p{i}"), *ty));
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
        let multi_value_suspend = b.multi_value_suspend;
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
        loop {
            match self.rng.below(17) {
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
                _ => continue,
            }
        }
    }

    /// A suspend of a tag some enclosing level handles, with random values below it on the
    /// operand stack; its results and those values are folded into the accumulator.
    fn suspend(&mut self, b: &mut Body) {
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
                self.dispatch(b, handler, child, &cu, &operand, &place, &exit, &again);
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
                self.dispatch(b, handler, child, &cu, &operand, &place, &exit, &skip);
                b.line(format!("(table.set {table} {index} (ref.null {cu}))"));
                b.line(format!("(local.set {live} (i32.sub (local.get {live}) (i32.const 1)))"));
                b.close();
                b.line(format!(
                    "(local.set {slot} (i32.rem_u (i32.add (local.get {slot}) (i32.const 1)) (i32.const {k})))"
                ));
                b.line(format!("(br_if {again} (local.get {live}))"));
                b.close();
                b.close();
            }
        }
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
    /// stores the continuation back in `place` bound to its answer and branches to `next`),
    /// and, when the continuation returns, the folding of its results.
    #[allow(clippy::too_many_arguments)]
    fn dispatch(
        &mut self,
        b: &mut Body,
        handler: &Handler,
        child: &Level,
        cu: &str,
        operand: &str,
        place: &Place,
        exit: &str,
        next: &str,
    ) {
        let results: Vec<String> = child.sig.results.iter().map(|t| t.name().to_string()).collect();
        let ret = b.label("ret");
        b.open(format!("(block {ret}{}", result_text(&results)));
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
        b.line(format!("(resume {cu} {} {operand})", clauses.join(" ")));
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
            if b.level > 0 && self.rng.percent(30) {
                self.suspend(b);
            }
            if let Some(cap) = handler.cap {
                b.line("(local.set $events (i32.add (local.get $events) (i32.const 1)))");
                b.line(format!("(br_if {exit} (i32.ge_u (local.get $events) (i32.const {cap})))"));
            }
            let resumed = if sig.results.is_empty() {
                format!("(local.get {held})")
            } else {
                let answers: Vec<String> = sig.results.iter().map(|&t| self.value(b, t)).collect();
                format!("(cont.bind {} {cu} {} (local.get {held}))", conts[i], answers.join(" "))
            };
            b.line(place.set(&resumed));
            b.line(format!("(br {next})"));
        }
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
        }
    }
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
