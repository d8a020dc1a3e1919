//! The random statements of a level's or helper's body: suspends, switches, throws and
//! `try_table`s, loops, `if`s, `br_table`s, value blocks, calls of helpers, state updates
//! and dead code.

use super::*;

impl Gen {
    pub(super) fn statements(&mut self, b: &mut Body, depth: u32, count: u32) {
        for _ in 0..count {
            if b.budget <= 0 {
                break;
            }
            self.statement(b, depth);
        }
    }

    pub(super) fn statement(&mut self, b: &mut Body, depth: u32) {
        b.budget -= 1;
        let nested = depth < 2;
        let arms = match (self.features.any(), self.features.dead_code) {
            (_, true) => 24,
            (true, false) => 22,
            (false, false) => 17,
        };
        if self.features.gc {
            super::gc::maybe_statement(self, b);
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
    pub(super) fn try_table(&mut self, b: &mut Body, depth: u32) {
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
    pub(super) fn caught_types(&self, clause: Catch) -> Vec<String> {
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
    pub(super) fn clauses_text(&self, clauses: &[Catch], labels: &[String]) -> String {
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
    pub(super) fn fold_caught(&mut self, b: &mut Body, clause: Catch) {
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
    pub(super) fn throw(&mut self, b: &mut Body) {
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
    pub(super) fn switch(&mut self, b: &mut Body) {
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
    pub(super) fn dead_code(&mut self, b: &mut Body) {
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
    pub(super) fn suspend(&mut self, b: &mut Body) {
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
    pub(super) fn fold_top(b: &mut Body, ty: Num) {
        let ty = ty.name();
        b.line(format!("(local.set $tmp_{ty})"));
        b.line(format!("(local.set $acc (call $mix_{ty} (local.get $acc) (local.get $tmp_{ty})))"));
    }

    pub(super) fn set_state(&mut self, b: &mut Body) {
        let (name, ty) = self.rng.pick(&b.values);
        let value = self.value(b, ty);
        b.line(format!("(local.set {name} {value})"));
    }

    pub(super) fn fold_state(&mut self, b: &mut Body) {
        let (name, ty) = self.rng.pick(&b.values);
        b.line(format!("(local.set $acc (call $mix_{} (local.get $acc) (local.get {name})))", ty.name()));
    }

    pub(super) fn counted_loop(&mut self, b: &mut Body, depth: u32) {
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

    pub(super) fn if_else(&mut self, b: &mut Body, depth: u32) {
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
    pub(super) fn value_block(&mut self, b: &mut Body, depth: u32) {
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

    pub(super) fn br_table(&mut self, b: &mut Body, depth: u32) {
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

    pub(super) fn call_helper(&mut self, b: &mut Body) {
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
}
