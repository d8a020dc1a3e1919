//! Propagate globals: replaces a `global.get` whose value is known by that constant.
//!
//! A global's value is known after `i32.const c global.set $g` (or `i64`), for an immutable
//! global whose initialiser is a constant, and inside an `if` whose condition tested it: the
//! `then` arm of `global.get $g i32.eqz if` and the `else` arm of `global.get $g if` know
//! `$g` is 0; the `then` arm of `global.get $g i32.const c i32.eq if` knows it is `c`. The
//! knowledge flows forward through the function's structure and stops at what may change
//! the global: a `global.set` of it, and anything that runs other code (calls of every kind
//! and the stack-switching instructions) for all globals. A structured instruction passes
//! on what its bodies cannot change; a loop's body starts knowing only what the loop cannot
//! change (its back edges come from its end). Nothing known inside a body leaks out of it,
//! so branches out of bodies need no special care.
//!
//! ```text
//! i32.const 0  global.set $state  ...  global.get $state  i32.eqz  if ... end
//!   =>  i32.const 0  global.set $state  ...  i32.const 0  i32.eqz  if ... end
//! ```
//!
//! which `precompute` then decides. The lowering stores its state global before and after
//! each suspension point and tests it in every guard; those tests between two calls become
//! constants. The pass changes no instruction count. Functions are processed in parallel;
//! it takes no options.

use crate::effects::{map_bodies, subtree};
use crate::{Pass, PassArgs};
use std::collections::{BTreeMap, BTreeSet};
use wasmfx_ir::{Def, FuncBody, GlobalId, Instr, Module, Proposal, Result, SeqId, Transfer};

/// The `propagate-globals` pass.
pub struct PropagateGlobals;

impl Pass for PropagateGlobals {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        let mut constants = Facts::new();
        for (id, g) in module.globals.iter() {
            if let (false, Def::Local(init)) = (g.ty.mutable, &g.def)
                && let [c @ (Instr::I32Const { .. } | Instr::I64Const { .. })] = &init[..]
            {
                constants.insert(id, c.clone());
            }
        }
        map_bodies(module, |_, _, body| propagate(body, &constants));
        Ok(())
    }
}

/// The constant each known global holds.
type Facts = BTreeMap<GlobalId, Instr>;

/// What code may change: some globals, or (`None`) any.
type Kills = Option<BTreeSet<GlobalId>>;

fn kills_of(instr: &Instr) -> Kills {
    match instr {
        Instr::GlobalSet { global_index } => Some([*global_index].into()),
        // Calls and stack switching run other code, which may set any global.
        i if i.transfer() != Transfer::Stays || i.proposal() == Proposal::StackSwitching => None,
        _ => Some(BTreeSet::new()),
    }
}

/// What the code inside `seq` may change.
fn subtree_kills(body: &FuncBody, seq: SeqId) -> Kills {
    let mut set = BTreeSet::new();
    for s in subtree(body, seq) {
        for instr in &body.seqs[s].instrs {
            set.extend(kills_of(instr)?);
        }
    }
    Some(set)
}

fn forget(facts: &mut Facts, kills: &Kills) {
    match kills {
        None => facts.clear(),
        Some(set) => set.iter().for_each(|g| {
            facts.remove(g);
        }),
    }
}

/// Replaces the reads of known globals in one function body.
pub fn propagate(body: &mut FuncBody, constants: &Facts) {
    let mut work: Vec<(SeqId, Facts)> = vec![(body.entry, constants.clone())];
    while let Some((seq, mut facts)) = work.pop() {
        let n = body.seqs[seq].instrs.len();
        for i in 0..n {
            let instr = body.seqs[seq].instrs[i].clone();
            match &instr {
                Instr::GlobalGet { global_index } => {
                    if let Some(c) = facts.get(global_index) {
                        body.seqs[seq].instrs[i] = c.clone();
                    }
                }
                Instr::GlobalSet { global_index } => {
                    facts.remove(global_index);
                    if let Some(c @ (Instr::I32Const { .. } | Instr::I64Const { .. })) =
                        i.checked_sub(1).map(|p| &body.seqs[seq].instrs[p])
                    {
                        facts.insert(*global_index, c.clone());
                    }
                }
                Instr::If { blockty } => {
                    let mut then_facts = facts.clone();
                    let mut else_facts = facts.clone();
                    let before = &body.seqs[seq].instrs[..i];
                    match before {
                        [.., Instr::GlobalGet { global_index }, Instr::I32Eqz] => {
                            then_facts.insert(*global_index, Instr::I32Const { value: 0 });
                        }
                        [.., Instr::GlobalGet { global_index }] => {
                            else_facts.insert(*global_index, Instr::I32Const { value: 0 });
                        }
                        [.., Instr::GlobalGet { global_index }, c @ Instr::I32Const { .. }, Instr::I32Eq] => {
                            then_facts.insert(*global_index, c.clone());
                        }
                        _ => {}
                    }
                    // Only the reads that came from the global count: a known global read
                    // above has already been replaced, and then tells nothing new.
                    work.push((blockty.then, then_facts));
                    if let Some(e) = blockty.else_ {
                        work.push((e, else_facts));
                    }
                }
                Instr::Block { blockty } => work.push((blockty.seq, facts.clone())),
                Instr::TryTable { try_table } => work.push((try_table.seq, facts.clone())),
                Instr::Loop { blockty } => {
                    let mut inside = facts.clone();
                    forget(&mut inside, &subtree_kills(body, blockty.seq));
                    work.push((blockty.seq, inside));
                }
                other => forget(&mut facts, &kills_of(other)),
            }
            for b in instr.bodies() {
                forget(&mut facts, &subtree_kills(body, b));
            }
        }
    }
}
