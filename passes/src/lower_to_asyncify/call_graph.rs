//! The call graph of phase 1 (`analysis.rs`): who calls whom, directly and through tables
//! and types (`targets.rs`), and the worklist over it that finds the functions that can
//! suspend, within what the lists allow (`lists.rs`); then the suspending functions' tail
//! calls and their closures.

use super::analysis::Scan;
use super::erasure::Erasure;
use super::targets::{IndirectKey, TableContents};
use std::collections::{BTreeMap, BTreeSet};
use wasmfx_ir::*;

/// Who calls whom, from the scan.
pub(super) struct CallGraph {
    /// Functions that suspend by themselves (`suspend`, `switch`, a forwarding `resume`).
    pub(super) roots: BTreeSet<FuncId>,
    /// For each function, the functions that call it directly (`call`, `return_call`).
    callers: BTreeMap<FuncId, BTreeSet<FuncId>>,
    /// For each table and type an indirect call goes through, the functions that call
    /// through it.
    indirect_callers: BTreeMap<IndirectKey, BTreeSet<FuncId>>,
    /// For each function, the tables and types through which an indirect call may reach it
    /// (see `targets.rs`).
    reached_through: BTreeMap<FuncId, BTreeSet<IndirectKey>>,
}

impl CallGraph {
    pub(super) fn new(
        module: &Module,
        erasure: &Erasure,
        scan: &Scan<'_>,
        contents: &TableContents,
        taken: &BTreeSet<FuncId>,
    ) -> CallGraph {
        let mut graph = CallGraph {
            roots: BTreeSet::new(),
            callers: BTreeMap::new(),
            indirect_callers: BTreeMap::new(),
            reached_through: BTreeMap::new(),
        };
        for (&id, func) in &scan.funcs {
            if func.switches || func.resumes.iter().any(|h| scan.unwind_tags.may_forward(h)) {
                graph.roots.insert(id);
            }
            for &g in &func.calls {
                graph.callers.entry(g).or_default().insert(id);
            }
            for &key in &func.indirect {
                graph.indirect_callers.entry(key).or_default().insert(id);
            }
        }
        for &key in graph.indirect_callers.keys() {
            for f in contents.targets(module, erasure, key, taken) {
                graph.reached_through.entry(f).or_default().insert(key);
            }
        }
        graph
    }

    /// The functions that can suspend, starting from the roots and the suspending imports,
    /// and the tables and types through which an indirect call can reach one of them. Only
    /// functions `allowed` (by the lists) become suspending, but for the roots.
    pub(super) fn suspending(
        &self,
        imports: &BTreeSet<FuncId>,
        open: bool,
        allowed: impl Fn(FuncId) -> bool,
    ) -> (BTreeSet<FuncId>, BTreeSet<IndirectKey>) {
        let mut suspending: BTreeSet<FuncId> = BTreeSet::new();
        let mut indirect: BTreeSet<IndirectKey> = BTreeSet::new();
        let mut worklist: Vec<FuncId> = Vec::new();
        // Separately lowered, an indirect call may reach a peer's function that suspends.
        let mut open_callers = BTreeSet::new();
        if open {
            indirect.extend(self.indirect_callers.keys().copied());
            open_callers.extend(self.indirect_callers.values().flatten().copied());
        }
        let starts = imports.iter().copied().chain(open_callers).filter(|&f| allowed(f));
        for f in self.roots.iter().copied().chain(starts) {
            if suspending.insert(f) {
                worklist.push(f);
            }
        }
        while let Some(f) = worklist.pop() {
            let mut reached: Vec<FuncId> = self.callers.get(&f).into_iter().flatten().copied().collect();
            for &key in self.reached_through.get(&f).into_iter().flatten() {
                if indirect.insert(key) {
                    reached.extend(self.indirect_callers.get(&key).into_iter().flatten().copied());
                }
            }
            for caller in reached {
                if (allowed(caller) || self.roots.contains(&caller)) && suspending.insert(caller) {
                    worklist.push(caller);
                }
            }
        }
        (suspending, indirect)
    }
}

/// The suspending functions each suspending function's tail calls may enter, and for each of
/// those the functions reachable from it through further tail calls.
#[allow(clippy::type_complexity)]
pub(super) fn tail_calls(
    scan: &Scan<'_>,
    graph: &CallGraph,
    suspending: &BTreeSet<FuncId>,
) -> (BTreeMap<FuncId, Vec<FuncId>>, BTreeMap<FuncId, Vec<FuncId>>) {
    let mut targets: BTreeMap<FuncId, Vec<FuncId>> = BTreeMap::new();
    for f in suspending {
        let Some(func) = scan.funcs.get(f) else { continue };
        let mut list: BTreeSet<FuncId> = func.tail_calls.intersection(suspending).copied().collect();
        for key in &func.tail_indirect {
            list.extend(
                suspending
                    .iter()
                    .filter(|g| graph.reached_through.get(g).is_some_and(|through| through.contains(key))),
            );
        }
        if !list.is_empty() {
            targets.insert(*f, list.into_iter().collect());
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
        closure.insert(t, seen.into_iter().collect());
    }
    (targets, closure)
}
