//! Simplify locals: removes stores nothing reads and the round trips through locals.
//!
//! - `local.set $x local.get $x` becomes `local.tee $x` (the value stays on the stack);
//! - `local.get $x local.set $x` does nothing and goes, `local.get $x local.tee $x` is
//!   `local.get $x`;
//! - a `local.get $x` after `i32.const c local.set $x` in the same sequence, with no write of
//!   `$x` between, becomes `i32.const c` (any numeric constant), and after `local.get $a
//!   local.set $x` (a copy, `$a` of `$x`'s type), with no write of either between, `local.get
//!   $a`: the copies inlining makes of arguments go (also through runs of constants and
//!   stores, and into nested bodies that write neither);
//! - a `local.set $x` after which `$x` is dead (no path reads it before it is written again)
//!   becomes `drop`, and a dead `local.tee $x` goes;
//! - locals no instruction names any more are removed, and the rest renumbered.
//!
//! ```text
//! call $rt.top  local.set $p  local.get $p  i32.load    =>  call $rt.top  i32.load
//!                                                           (when $p is read nowhere else)
//! ```
//!
//! The lowering's frame code stores every runtime result in a local and reads it back at
//! once; after this pass and `vacuum` most of those locals are gone. Liveness is the
//! structured dataflow of [`wasmfx_ir::analysis::Liveness`] (branches, loops, catch and
//! handler targets). Locals of non-nullable reference types are left alone: validation
//! tracks their initialisation by scope, so a store that is dead may still be needed. The
//! rewrites repeat until nothing changes (at most four rounds). Functions with more than
//! 4,096 locals are only given the local rewrites, to bound the dataflow.
//!
//! Functions are processed in parallel. The pass takes no options.

use crate::effects::{arity, heights, map_bodies, seq_infos, subtree};
use crate::{Pass, PassArgs};
use std::collections::BTreeMap;
use wasmfx_ir::analysis::Liveness;
use wasmfx_ir::{
    EntityId, EntityVec, FuncBody, FuncId, IdVisitor, Instr, InstrRef, LocalId, Module, Proposal, Result,
    SeqId, Transfer, ValType, VisitIds,
};

/// The `simplify-locals` pass.
pub struct SimplifyLocals;

impl Pass for SimplifyLocals {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        map_bodies(module, simplify_locals);
        Ok(())
    }
}

const MAX_LOCALS: usize = 4096;
const ROUNDS: usize = 4;

/// Simplifies the locals of the body of function `func`.
pub fn simplify_locals(module: &Module, func: FuncId, body: &mut FuncBody) {
    let defaultable: Vec<bool> =
        body.locals.values().map(|l| !matches!(l.ty, ValType::Ref(r) if !r.nullable)).collect();
    for _ in 0..ROUNDS {
        let mut changed = pairs(body, &defaultable);
        changed |= known_values(body);
        if body.locals.len() <= MAX_LOCALS {
            changed |= dead_stores(body, &defaultable);
            changed |= sink(module, func, body, &defaultable);
        }
        if !changed {
            break;
        }
    }
    remove_unused_locals(body);
}

/// The adjacent `set`/`get` rewrites; whether anything changed.
fn pairs(body: &mut FuncBody, defaultable: &[bool]) -> bool {
    let mut changed = false;
    for seq in body.live_seqs() {
        let instrs = std::mem::take(&mut body.seqs[seq].instrs);
        let mut out: Vec<Instr> = Vec::with_capacity(instrs.len());
        for instr in instrs {
            match (out.last(), &instr) {
                (Some(&Instr::LocalSet { local_index: a }), Instr::LocalGet { local_index: b })
                    if a == *b =>
                {
                    out.pop();
                    out.push(Instr::LocalTee { local_index: a });
                    changed = true;
                }
                (Some(&Instr::LocalGet { local_index: a }), Instr::LocalSet { local_index: b })
                    if a == *b && defaultable[a.index()] =>
                {
                    out.pop();
                    changed = true;
                }
                (Some(&Instr::LocalGet { local_index: a }), Instr::LocalTee { local_index: b })
                    if a == *b =>
                {
                    changed = true;
                }
                _ => out.push(instr),
            }
        }
        body.seqs[seq].instrs = out;
    }
    changed
}

/// A read of a local that the same sequence stored a known value in, with no write of it
/// (or of the local copied) between, becomes that value: a constant, or `local.get $a` when
/// the store copied `$a` (of the same type). Reads inside nested bodies that write neither
/// are rewritten too. The values are tracked through runs of pushes and stores, so the
/// arguments an inlined call stores (`i32.const 1 i64.const 2 local.set $b local.set $a`)
/// are known. The store is then often dead.
fn known_values(body: &mut FuncBody) -> bool {
    let types: Vec<ValType> = body.locals.values().map(|l| l.ty).collect();
    let mut changed = false;
    for seq in body.live_seqs() {
        let mut known: BTreeMap<LocalId, Instr> = BTreeMap::new();
        // What the instructions just before pushed, top last (`None`: not a known value).
        let mut pushed: Vec<Option<Instr>> = Vec::new();
        for i in 0..body.seqs[seq].instrs.len() {
            match body.seqs[seq].instrs[i] {
                Instr::LocalGet { local_index } => {
                    if let Some(value) = known.get(&local_index) {
                        body.seqs[seq].instrs[i] = value.clone();
                        changed = true;
                    }
                    pushed.push(Some(body.seqs[seq].instrs[i].clone()));
                }
                ref c @ (Instr::I32Const { .. }
                | Instr::I64Const { .. }
                | Instr::F32Const { .. }
                | Instr::F64Const { .. }) => pushed.push(Some(c.clone())),
                Instr::LocalSet { local_index: x } | Instr::LocalTee { local_index: x } => {
                    let tee = matches!(body.seqs[seq].instrs[i], Instr::LocalTee { .. });
                    let value = if tee { pushed.last().cloned().flatten() } else { pushed.pop().flatten() };
                    forget(&mut known, &mut pushed, x);
                    let copyable = match &value {
                        Some(Instr::LocalGet { local_index: a }) => {
                            *a != x && types[a.index()] == types[x.index()]
                        }
                        Some(_) => true,
                        None => false,
                    };
                    if tee {
                        // What stays on the stack is `$x`'s value now.
                        let top =
                            value.clone().filter(|_| copyable).unwrap_or(Instr::LocalGet { local_index: x });
                        pushed.pop();
                        pushed.push(Some(top));
                    }
                    if let (true, Some(value)) = (copyable, value) {
                        known.insert(x, value);
                    }
                }
                ref other => {
                    pushed.clear();
                    let inside: Vec<SeqId> = other.bodies().flat_map(|b| subtree(body, b)).collect();
                    for &s in &inside {
                        for instr in &body.seqs[s].instrs {
                            if let Instr::LocalSet { local_index } | Instr::LocalTee { local_index } = instr {
                                forget(&mut known, &mut pushed, *local_index);
                            }
                        }
                    }
                    for &s in &inside {
                        for instr in &mut body.seqs[s].instrs {
                            if let Instr::LocalGet { local_index } = instr
                                && let Some(value) = known.get(local_index)
                            {
                                *instr = value.clone();
                                changed = true;
                            }
                        }
                    }
                }
            }
        }
    }
    changed
}

/// A write of `x`: what was known of `x`, and every copy of it, is not any more.
fn forget(known: &mut BTreeMap<LocalId, Instr>, pushed: &mut [Option<Instr>], x: LocalId) {
    let is_x = |v: &Instr| matches!(v, Instr::LocalGet { local_index } if *local_index == x);
    known.remove(&x);
    known.retain(|_, v| !is_x(v));
    for p in pushed.iter_mut() {
        if p.as_ref().is_some_and(is_x) {
            *p = None;
        }
    }
}

/// Stores to dead locals become drops (or go, for tees); whether anything changed.
fn dead_stores(body: &mut FuncBody, defaultable: &[bool]) -> bool {
    let liveness = Liveness::new(body);
    let mut changed = false;
    for seq in body.live_seqs() {
        for i in 0..body.seqs[seq].instrs.len() {
            let (local, tee) = match body.seqs[seq].instrs[i] {
                Instr::LocalSet { local_index } => (local_index, false),
                Instr::LocalTee { local_index } => (local_index, true),
                _ => continue,
            };
            if !defaultable[local.index()] || liveness.is_live_after(InstrRef::new(seq, i), local) {
                continue;
            }
            body.seqs[seq].instrs[i] = if tee { Instr::Nop } else { Instr::Drop };
            changed = true;
        }
        body.seqs[seq].instrs.retain(|i| !matches!(i, Instr::Nop));
    }
    changed
}

/// Keeps a value on the stack instead of storing it and reading it back: `local.set $x`
/// followed in the same sequence by the only read of that value, `local.get $x`, with code
/// between that leaves the stack as it found it and never reaches below it. Both go, and the
/// value waits under that code. Nothing is reordered: the value was computed before.
/// Between the two there may be no branch, no structured instruction and no other mention
/// of `$x`; in a function with catch or handler clauses, nothing that can throw or suspend.
fn sink(module: &Module, func: FuncId, body: &mut FuncBody, defaultable: &[bool]) -> bool {
    let infos = seq_infos(module, module.funcs[func].ty, body);
    let catches = body.live_seqs().iter().flat_map(|&s| &body.seqs[s].instrs).any(|i| {
        matches!(
            i,
            Instr::TryTable { .. }
                | Instr::Resume { .. }
                | Instr::ResumeThrow { .. }
                | Instr::ResumeThrowRef { .. }
        )
    });
    let liveness = Liveness::new(body);
    let mut changed = false;
    for seq in body.live_seqs() {
        let Some(info) = infos.get(&seq) else { continue };
        let instrs = &body.seqs[seq].instrs;
        let h = heights(module, info.params, instrs);
        let mut chosen: Vec<(usize, usize)> = Vec::new();
        for i in 0..instrs.len() {
            let Instr::LocalSet { local_index: x } = instrs[i] else { continue };
            let Some(base) = h[i + 1] else { continue };
            if !defaultable[x.index()] {
                continue;
            }
            for k in i + 1..instrs.len() {
                let instr = &instrs[k];
                let mentions = matches!(instr,
                    Instr::LocalGet { local_index } | Instr::LocalSet { local_index } | Instr::LocalTee { local_index }
                    if *local_index == x);
                if mentions {
                    let only_read = matches!(instr, Instr::LocalGet { .. })
                        && h[k] == Some(base)
                        && !liveness.is_live_after(InstrRef::new(seq, k), x);
                    if only_read && chosen.iter().all(|&(a, b)| b < i || (a < i && k < b)) {
                        chosen.push((i, k));
                    }
                    break;
                }
                let throws = matches!(instr.transfer(), Transfer::Call { tail: false, .. })
                    || matches!(instr, Instr::Throw { .. } | Instr::ThrowRef)
                    || instr.proposal() == Proposal::StackSwitching;
                let pops = arity(module, instr).map(|(p, _)| p);
                let stays_above = matches!((h[k], pops), (Some(hk), Some(p)) if hk >= base + p);
                if instr.bodies().next().is_some()
                    || matches!(instr, Instr::BrIf { .. })
                    || (catches && throws)
                    || !stays_above
                {
                    break;
                }
            }
        }
        if chosen.is_empty() {
            continue;
        }
        let mut remove: Vec<usize> = chosen.iter().flat_map(|&(a, b)| [a, b]).collect();
        remove.sort_unstable();
        let instrs = &mut body.seqs[seq].instrs;
        for &r in remove.iter().rev() {
            instrs.remove(r);
        }
        changed = true;
    }
    changed
}

/// Removes the declared locals no live instruction names, renumbering the others.
fn remove_unused_locals(body: &mut FuncBody) {
    struct Used(Vec<bool>);
    impl IdVisitor for Used {
        fn local(&mut self, id: &mut LocalId) {
            self.0[id.index()] = true;
        }
    }
    let mut used = Used(vec![false; body.locals.len()]);
    for seq in body.live_seqs() {
        for instr in &mut body.seqs[seq].instrs {
            instr.visit_ids(&mut used);
        }
    }
    let params = body.num_params as usize;
    let keep: Vec<bool> = used.0.iter().enumerate().map(|(i, &u)| i < params || u).collect();
    if keep.iter().all(|&k| k) {
        return;
    }
    let mut new_index = vec![0usize; keep.len()];
    let mut locals = EntityVec::new();
    for (i, local) in body.locals.values().enumerate() {
        if keep[i] {
            new_index[i] = locals.len();
            locals.push(local.clone());
        }
    }
    struct Renumber(Vec<usize>);
    impl IdVisitor for Renumber {
        fn local(&mut self, id: &mut LocalId) {
            *id = LocalId::new(self.0[id.index()]);
        }
    }
    let mut renumber = Renumber(new_index);
    for seq in body.live_seqs() {
        for instr in &mut body.seqs[seq].instrs {
            instr.visit_ids(&mut renumber);
        }
    }
    body.locals = locals;
}
