//! A scenario's levels: the function of each level (its state, its statements and the
//! handler loop that drives the level below), and the helpers its statements call.

use super::*;

impl Gen {
    /// Writes the functions of scenario `s`: its levels, and their helpers.
    pub(super) fn scenario(&mut self, s: usize, trap: Option<Trap>) {
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
    pub(super) fn handler_catches(&mut self, level_0: bool) -> Vec<Catch> {
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
    pub(super) fn level(
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
    pub(super) fn helper(&mut self, owner: &Body, owner_name: &str) -> Helper {
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
}
