//! A level's handler loop over the continuations of the level below: creating them,
//! resuming them one at a time, round robin from a table, or as peers that switch, the
//! `try_table`s that catch what escapes them, dispatching on what they did, and the
//! deliberate traps.

use super::*;

impl Gen {
    /// Level `b`'s handler loop over continuations of `child`.
    pub(super) fn nest(&mut self, b: &mut Body, handler: &Handler, child: &Level) {
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
    pub(super) fn peers_loop(&mut self, b: &mut Body, handler: &Handler, child: &Level, k: u32, g: usize) {
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
        Self::close_try(b, handler, &ret);
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
    pub(super) fn open_escapes(&mut self, b: &mut Body, handler: &Handler) -> Vec<String> {
        let labels: Vec<String> = handler.catches.iter().map(|_| b.label("escaped")).collect();
        for (clause, label) in handler.catches.iter().zip(&labels).rev() {
            b.open(format!("(block {label}{}", result_text(&self.caught_types(*clause))));
        }
        labels
    }

    /// Opens the `try_table` around a handler's `resume`, if it has one.
    pub(super) fn open_try(&mut self, b: &mut Body, handler: &Handler, labels: &[String], results: &str) {
        if !handler.catches.is_empty() {
            b.open(format!("(try_table{results} {}", self.clauses_text(&handler.catches, labels)));
        }
    }

    /// Closes what `open_try` opened and leaves the handler's `ret` block with the resume's
    /// results.
    pub(super) fn close_try(b: &mut Body, handler: &Handler, ret: &str) {
        if !handler.catches.is_empty() {
            b.close();
        }
        b.line(format!("(br {ret})"));
    }

    /// Closes the landing blocks of `open_escapes`, each followed by the code that folds what
    /// it caught and then `escaped` (which must branch away).
    pub(super) fn close_escapes(
        &mut self,
        b: &mut Body,
        handler: &Handler,
        labels: &[String],
        escaped: &[String],
    ) {
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
    pub(super) fn exception_args(&mut self, b: &Body, x: usize) -> String {
        let mut args = String::new();
        for ty in self.exns[x].clone() {
            let value = self.value(b, ty);
            write!(args, " {value}").unwrap();
        }
        args
    }

    /// A new continuation of `child` with all its arguments bound.
    pub(super) fn create(&mut self, b: &Body, child: &Level) -> String {
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
    pub(super) fn dispatch(
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
        Self::close_try(b, handler, &ret);
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

    pub(super) fn trap(&mut self, b: &mut Body, kind: Trap) {
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
pub(super) struct Targets<'a> {
    exit: &'a str,
    next: &'a str,
    again: &'a str,
    escaped: &'a [String],
}

/// Where a handler loop keeps the continuation it resumes.
pub(super) enum Place {
    Local(String),
    Global(String),
    Table { table: String, index: String },
}

impl Place {
    pub(super) fn get(&self) -> String {
        match self {
            Place::Local(name) => format!("(local.get {name})"),
            Place::Global(name) => format!("(global.get {name})"),
            Place::Table { .. } => unreachable!("table places are read with br_on_null"),
        }
    }

    pub(super) fn set(&self, value: &str) -> String {
        match self {
            Place::Local(name) => format!("(local.set {name} {value})"),
            Place::Global(name) => format!("(global.set {name} {value})"),
            Place::Table { table, index } => format!("(table.set {table} {index} {value})"),
        }
    }
}
