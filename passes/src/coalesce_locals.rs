//! Coalesces locals: locals of the same type whose live ranges never overlap become one.
//!
//! Two locals interfere when one is written while the other is live (it still holds a value
//! some later read needs). Parameters all interfere with each other (they arrive together),
//! and a declared local that is read before any write, relying on its zero initial value, is
//! left alone. Locals are then coloured greedily in order, each taking the first earlier
//! local of its type it does not interfere with; the rest are renumbered. Parameters keep
//! their places, and the first local of a merged group keeps its name.
//!
//! Fewer locals mean smaller frames where locals are saved (the asyncify lowering runs this
//! on every function it instruments) and smaller code. Functions with more than 4,096 locals
//! are left as they are, to bound the quadratic interference set. The pass takes no options;
//! functions are processed in parallel.

use crate::{Pass, PassArgs};
use rayon::prelude::*;
use std::collections::BTreeSet;
use wasmfx_ir::analysis::Liveness;
use wasmfx_ir::*;

/// The `coalesce-locals` pass.
pub struct CoalesceLocals;

impl Pass for CoalesceLocals {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        module.funcs.as_mut_slice().par_iter_mut().for_each(|f| {
            if let Def::Local(body) = &mut f.def {
                coalesce_locals(body);
            }
        });
        Ok(())
    }
}

const MAX_LOCALS: usize = 4096;

/// Coalesces the locals of one function body.
pub fn coalesce_locals(body: &mut FuncBody) {
    let n = body.locals.len();
    let params = body.num_params as usize;
    if n <= params + 1 || n > MAX_LOCALS {
        return;
    }
    let liveness = Liveness::new(body);
    let mut interferes: BTreeSet<(u32, u32)> = BTreeSet::new();
    let mut pair = |a: usize, b: usize| {
        if a != b {
            interferes.insert((a.min(b) as u32, a.max(b) as u32));
        }
    };
    for seq in body.live_seqs() {
        for (i, instr) in body.seqs[seq].instrs.iter().enumerate() {
            if let Instr::LocalSet { local_index } | Instr::LocalTee { local_index } = instr {
                for live in liveness.live_after(InstrRef::new(seq, i)) {
                    pair(local_index.index(), live.index());
                }
            }
        }
    }
    let live_at_entry: BTreeSet<usize> = if body.seqs[body.entry].instrs.is_empty() {
        BTreeSet::new()
    } else {
        liveness.live_before(InstrRef::new(body.entry, 0)).into_iter().map(|l| l.index()).collect()
    };
    // Colour: `rep[l]` is the local whose slot `l` shares.
    let mut rep: Vec<usize> = (0..n).collect();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (l, rep_l) in rep.iter_mut().enumerate() {
        let fixed = l < params || live_at_entry.contains(&l);
        let ty = body.locals[LocalId::new(l)].ty;
        let fits = |g: &Vec<usize>| {
            !(fixed || g[0] < params || live_at_entry.contains(&g[0]))
                && body.locals[LocalId::new(g[0])].ty == ty
                && g.iter().all(|&m| !interferes.contains(&(m.min(l) as u32, m.max(l) as u32)))
        };
        match groups.iter_mut().find(|g| fits(g)) {
            Some(g) => {
                *rep_l = g[0];
                g.push(l);
            }
            None => groups.push(vec![l]),
        }
    }
    if groups.len() == n {
        return;
    }
    // Renumber the representatives in order; parameters stay first.
    let mut new_index = vec![usize::MAX; n];
    let mut locals = EntityVec::new();
    for (l, &r) in rep.iter().enumerate() {
        if r == l {
            new_index[l] = locals.len();
            locals.push(body.locals[LocalId::new(l)].clone());
        }
    }
    struct Renumber<'a>(&'a [usize], &'a [usize]);
    impl IdVisitor for Renumber<'_> {
        fn local(&mut self, id: &mut LocalId) {
            *id = LocalId::new(self.1[self.0[id.index()]]);
        }
    }
    let mut renumber = Renumber(&rep, &new_index);
    for seq in body.live_seqs() {
        for instr in &mut body.seqs[seq].instrs {
            instr.visit_ids(&mut renumber);
        }
    }
    body.locals = locals;
}
