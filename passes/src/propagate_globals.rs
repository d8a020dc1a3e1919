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
//! constants.
//!
//! Module-wide, as Binaryen's `simplify-globals`: a mutable global that no one outside code
//! sees (not imported, not exported, not read by an initialiser or a segment offset) and
//! whose every store stores its initial constant (or that is never stored) always holds that
//! constant, so every read of it is the constant; and the stores of such a global, or of one
//! no code reads, change nothing anyone sees and become `drop`s. The lowering's runtime has
//! such globals where a program uses only part of it (a flag only ever cleared, a size
//! recorded and never read); `remove-unused-module-elements` then removes them.
//!
//! Functions are processed in parallel; the pass takes no options.

use crate::effects::{map_bodies, subtree};
use crate::{Pass, PassArgs};
use std::collections::{BTreeMap, BTreeSet};
use wasmfx_ir::{Def, FuncBody, GlobalId, IdReader, Instr, Module, Proposal, Result, SeqId, Transfer};

/// The `propagate-globals` pass.
pub struct PropagateGlobals;

impl Pass for PropagateGlobals {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        let use_ = GlobalUse::of(module);
        let mut constants = Facts::new();
        for (id, g) in module.globals.iter() {
            if let Def::Local(init) = &g.def
                && let [c @ (Instr::I32Const { .. } | Instr::I64Const { .. })] = &init[..]
                && (!g.ty.mutable || use_.holds_initial(id, c))
            {
                constants.insert(id, c.clone());
            }
        }
        // Stores that change nothing anyone sees become drops.
        let pointless: BTreeSet<GlobalId> = module
            .globals
            .iter()
            .map(|(g, _)| g)
            .filter(|g| constants.contains_key(g) || use_.never_read(*g))
            .filter(|g| !use_.pinned.contains(g))
            .collect();
        map_bodies(module, |_, _, body| {
            propagate(body, &constants);
            drop_stores(body, &pointless);
        });
        Ok(())
    }
}

/// How the module's code uses its globals, for the facts that hold in every function.
struct GlobalUse {
    /// Named outside function bodies (imported, exported, read by an initialiser or offset):
    /// the host or the module's setup may see them, so their stores stay.
    pinned: BTreeSet<GlobalId>,
    /// Read by some `global.get` in code.
    read: BTreeSet<GlobalId>,
    /// Every `global.set` in code, with the constant stored where one is pushed just before.
    stores: BTreeMap<GlobalId, Vec<Option<Instr>>>,
}

impl GlobalUse {
    fn of(module: &Module) -> GlobalUse {
        struct Named(BTreeSet<GlobalId>);
        impl IdReader for Named {
            fn global(&mut self, id: &GlobalId) {
                self.0.insert(*id);
            }
        }
        let mut named = Named(BTreeSet::new());
        module.read_module_ids(&mut named);
        let mut use_ = GlobalUse { pinned: named.0, read: BTreeSet::new(), stores: BTreeMap::new() };
        for f in module.funcs.values() {
            let Def::Local(body) = &f.def else { continue };
            for seq in body.live_seqs() {
                let instrs = &body.seqs[seq].instrs;
                for (i, instr) in instrs.iter().enumerate() {
                    match instr {
                        Instr::GlobalGet { global_index } => {
                            use_.read.insert(*global_index);
                        }
                        Instr::GlobalSet { global_index } => {
                            let stored = i
                                .checked_sub(1)
                                .map(|p| &instrs[p])
                                .filter(|c| matches!(c, Instr::I32Const { .. } | Instr::I64Const { .. }));
                            use_.stores.entry(*global_index).or_default().push(stored.cloned());
                        }
                        _ => {}
                    }
                }
            }
        }
        use_
    }

    /// A global no one outside code sees whose every store stores its initial value `init`
    /// (or that is never stored): it always holds `init`.
    fn holds_initial(&self, g: GlobalId, init: &Instr) -> bool {
        !self.pinned.contains(&g)
            && self.stores.get(&g).is_none_or(|s| s.iter().all(|c| c.as_ref() == Some(init)))
    }

    /// A global no code reads and no one outside code sees: its stores are lost.
    fn never_read(&self, g: GlobalId) -> bool {
        !self.pinned.contains(&g) && !self.read.contains(&g)
    }
}

/// Turns the stores of `pointless` globals into drops (`remove-unused-module-elements` then
/// removes the globals, and `vacuum` the constants dropped).
fn drop_stores(body: &mut FuncBody, pointless: &BTreeSet<GlobalId>) {
    if pointless.is_empty() {
        return;
    }
    for seq in body.live_seqs() {
        for instr in &mut body.seqs[seq].instrs {
            if let Instr::GlobalSet { global_index } = instr
                && pointless.contains(global_index)
            {
                *instr = Instr::Drop;
            }
        }
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

/// Replaces the reads of known globals in one function body; `constants` hold everywhere.
pub fn propagate(body: &mut FuncBody, constants: &Facts) {
    let mut work: Vec<(SeqId, Facts)> = vec![(body.entry, Facts::new())];
    while let Some((seq, mut facts)) = work.pop() {
        let n = body.seqs[seq].instrs.len();
        for i in 0..n {
            let instr = body.seqs[seq].instrs[i].clone();
            match &instr {
                Instr::GlobalGet { global_index } => {
                    if let Some(c) = constants.get(global_index).or_else(|| facts.get(global_index)) {
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
