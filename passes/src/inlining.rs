//! Inlining: replaces calls to functions with their bodies, where that pays.
//!
//! A call `call $f` chosen for inlining becomes
//!
//! ```text
//! local.set $fN ... local.set $f1        the arguments, last first, into fresh locals
//! T.const 0  local.set $fi               declared locals $f reads before writing, zeroed
//! block (result R)  BODY  end            $f's body, `return` turned into `br` to the block
//! ```
//!
//! where `$f`'s parameters and locals become fresh locals of the caller, its labels fresh
//! sequences, and its function label (what `return` and branches to the outermost label
//! leave) the new block. Other passes then clean up: `simplify-locals` folds the argument
//! stores into their uses, `merge-blocks` removes the block when nothing returns early.
//!
//! Which calls, as Binaryen's `-O2` and `-Os` choose them (sizes in instructions):
//!
//! - a function called once and used in no other way (not exported, not the start function,
//!   no `ref.func`, no element segment, no `return_call`), whatever its size: inlined, its
//!   own copy is dead, so the module shrinks by the call, the function's header and its
//!   entry in the function section. Its body is then emptied (`unreachable`), so the calls
//!   it made no longer count, and `remove-unused-module-elements` removes it;
//! - a function of at most [`ALWAYS_SIZE`] instructions, at every call: the call and its
//!   arguments are about as big as the body;
//! - at the speed levels only (`inlining`, not `inlining-shrink`), a function of at most
//!   [`SPEED_SIZE`] instructions without loops, at every call: the lowering's runtime helpers
//!   (`wasmfx.rt.slot`, `top`, `state_of`, ...) run on every suspension and resumption of
//!   every frame; inlined, Wasmtime sees straight-line code it can keep in registers.
//!
//! Why this and not "everything small everywhere" (what this pass did first, with 30
//! instructions): a 30-instruction helper called from six places is copied six times, and
//! `-O2` made the lowered sieve 11% bigger than the lowering's output, against Binaryen's
//! `-O2` which shrinks it by 15%.
//!
//! The pass works in rounds, bottom-up: a round inlines only callees that call no other
//! chosen function, so what it copies is final, and a chain `main -> run -> step` of
//! single-use functions folds into `main` over successive rounds (at most [`MAX_ROUNDS`]).
//! Each round decides from the module as it is, then rewrites the callers in parallel.
//!
//! Never inlined: imported functions; functions with tail calls (a `return_call` in the
//! caller's body would return from the caller); functions that call themselves; functions
//! with more than one result unless the module already has the block type `[] -> R` (types
//! cannot be added while callers are rewritten in parallel); functions whose body is only
//! `unreachable` (the trap helpers of the lowering, whose frame names tools report); and a
//! declared local read before any write whose type has no zero (a non-nullable reference).
//! A caller stops growing at [`MAX_CALLER_SIZE`] instructions. The pass takes no options.

use crate::effects::map_bodies;
use crate::{Pass, PassArgs};
use std::collections::{BTreeMap, BTreeSet};
use wasmfx_ir::analysis::Liveness;
use wasmfx_ir::func_refs::{address_taken, referenced_in_code};
use wasmfx_ir::instr::{Ieee32, Ieee64, V128};
use wasmfx_ir::*;

/// The `inlining` pass (`speed`: also small functions with several calls) and
/// `inlining-shrink` (only what does not grow the module).
pub struct Inlining {
    /// Whether functions of up to [`SPEED_SIZE`] instructions are inlined at every call.
    pub speed: bool,
}

/// The largest function inlined at every call at every level, in instructions.
pub const ALWAYS_SIZE: usize = 2;
/// The largest function without loops inlined at every call at the speed levels.
pub const SPEED_SIZE: usize = 12;
/// The size past which a caller gets no more inlined code, in instructions.
pub const MAX_CALLER_SIZE: usize = 20_000;
/// How many bottom-up rounds a run makes at most (the depth of the chains it folds).
pub const MAX_ROUNDS: usize = 8;

impl Pass for Inlining {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        for _ in 0..MAX_ROUNDS {
            let uses = Uses::of(module);
            let chosen = candidates(module, &uses, self.speed);
            if chosen.is_empty() {
                break;
            }
            map_bodies(module, |_, id, body| inline_calls(id, &chosen, body));
            empty_dead(module, &chosen);
        }
        Ok(())
    }
}

/// How each function is used: direct calls counted, other uses (exports, the start
/// function, references, tail calls) pinning it.
struct Uses {
    calls: BTreeMap<FuncId, usize>,
    pinned: BTreeSet<FuncId>,
}

impl Uses {
    fn of(module: &Module) -> Uses {
        let mut calls = BTreeMap::new();
        let mut pinned = address_taken(module, referenced_in_code(module));
        pinned.extend(module.start);
        for func in module.funcs.values() {
            let Def::Local(body) = &func.def else { continue };
            for seq in body.live_seqs() {
                for instr in &body.seqs[seq].instrs {
                    match instr {
                        Instr::Call { function_index } => *calls.entry(*function_index).or_default() += 1,
                        Instr::ReturnCall { function_index } => {
                            pinned.insert(*function_index);
                        }
                        _ => {}
                    }
                }
            }
        }
        Uses { calls, pinned }
    }

    /// Called exactly once and used in no other way: inlined, the function is dead.
    fn single(&self, f: FuncId) -> bool {
        self.calls.get(&f) == Some(&1) && !self.pinned.contains(&f)
    }
}

/// Empties the chosen functions that inlining left without a use, so that the calls in
/// their bodies stop counting (`remove-unused-module-elements` removes them).
fn empty_dead(module: &mut Module, chosen: &BTreeMap<FuncId, Callee>) {
    let uses = Uses::of(module);
    for &f in chosen.keys() {
        if uses.calls.contains_key(&f) || uses.pinned.contains(&f) {
            continue;
        }
        let Def::Local(body) = &mut module.funcs[f].def else { continue };
        let params: Vec<ValType> =
            body.locals.values().take(body.num_params as usize).map(|l| l.ty).collect();
        let mut dead = FuncBody::new(&params);
        dead.seqs[dead.entry].instrs.push(Instr::Unreachable);
        *body = dead;
    }
}

/// A function to inline: its body and what its call sites need.
struct Callee {
    body: FuncBody,
    /// The block type the inlined body gets.
    block: BlockType,
    /// The declared locals to zero at each call site, with their zero.
    zeroed: Vec<(LocalId, Instr)>,
}

fn size(body: &FuncBody) -> usize {
    body.live_seqs().iter().map(|&s| body.seqs[s].instrs.len()).sum()
}

/// The zero value of `ty`, if it has one.
fn zero(ty: ValType) -> Option<Instr> {
    Some(match ty {
        ValType::I32 => Instr::I32Const { value: 0 },
        ValType::I64 => Instr::I64Const { value: 0 },
        ValType::F32 => Instr::F32Const { value: Ieee32::from(0.0f32) },
        ValType::F64 => Instr::F64Const { value: Ieee64::from(0.0f64) },
        ValType::V128 => Instr::V128Const { value: V128::from(0u128) },
        ValType::Ref(r) if r.nullable => Instr::RefNull { hty: r.heap },
        ValType::Ref(_) => return None,
    })
}

/// Whether the policy inlines `id` (of `body`) at its calls, before the checks that it can be.
fn worth_it(id: FuncId, body: &FuncBody, uses: &Uses, speed: bool) -> bool {
    let n = size(body);
    if uses.single(id) || n <= ALWAYS_SIZE {
        return true;
    }
    speed
        && n <= SPEED_SIZE
        && !body
            .live_seqs()
            .iter()
            .any(|&s| body.seqs[s].instrs.iter().any(|i| matches!(i, Instr::Loop { .. })))
}

/// The functions this round inlines: chosen by the policy, inlinable, and calling no other
/// chosen function (bottom-up, so their bodies are final).
fn candidates(module: &Module, uses: &Uses, speed: bool) -> BTreeMap<FuncId, Callee> {
    let mut out = BTreeMap::new();
    for (id, func) in module.funcs.iter() {
        let Def::Local(body) = &func.def else { continue };
        if !uses.calls.contains_key(&id)
            || matches!(body.seqs[body.entry].instrs[..], [Instr::Unreachable])
            || !worth_it(id, body, uses, speed)
        {
            continue;
        }
        if let Some(callee) = inlinable(module, id, func.ty, body) {
            out.insert(id, callee);
        }
    }
    let chosen: BTreeSet<FuncId> = out.keys().copied().collect();
    out.retain(|_, callee| {
        let body = &callee.body;
        !body.live_seqs().iter().any(|&s| {
            body.seqs[s]
                .instrs
                .iter()
                .any(|i| matches!(i, Instr::Call { function_index } if chosen.contains(function_index)))
        })
    });
    out
}

/// `id`'s body ready to copy, unless something in it cannot be inlined.
fn inlinable(module: &Module, id: FuncId, ty: TypeId, body: &FuncBody) -> Option<Callee> {
    let seqs = body.live_seqs();
    let bad = seqs.iter().flat_map(|&s| &body.seqs[s].instrs).any(|i| {
        matches!(i, Instr::ReturnCall { .. } | Instr::ReturnCallIndirect { .. } | Instr::ReturnCallRef { .. })
            || matches!(i, Instr::Call { function_index } if *function_index == id)
    });
    if bad {
        return None;
    }
    let sig = module.types.get(ty).and_then(|t| t.as_func())?;
    let block = match sig.results[..] {
        [] => BlockType::Empty,
        [t] => BlockType::Value(t),
        _ => BlockType::Func(module.find_type(&SubTypeData::func(vec![], sig.results.clone()))?),
    };
    let live_at_entry: Vec<LocalId> = if body.seqs[body.entry].instrs.is_empty() {
        Vec::new()
    } else {
        Liveness::new(body).live_before(InstrRef::new(body.entry, 0))
    };
    let mut zeroed = Vec::new();
    for local in live_at_entry.into_iter().filter(|l| l.index() >= body.num_params as usize) {
        zeroed.push((local, zero(body.locals[local].ty)?));
    }
    Some(Callee { body: body.clone(), block, zeroed })
}

/// Inlines the calls to `candidates` in one caller.
fn inline_calls(caller: FuncId, candidates: &BTreeMap<FuncId, Callee>, body: &mut FuncBody) {
    let mut total = size(body);
    for seq in body.live_seqs() {
        if !body.seqs[seq]
            .instrs
            .iter()
            .any(|i| matches!(i, Instr::Call { function_index } if candidates.contains_key(function_index)))
        {
            continue;
        }
        let instrs = std::mem::take(&mut body.seqs[seq].instrs);
        let mut out = Vec::with_capacity(instrs.len());
        for instr in instrs {
            let callee = match &instr {
                Instr::Call { function_index } if *function_index != caller => candidates.get(function_index),
                _ => None,
            };
            match callee {
                Some(callee) if total < MAX_CALLER_SIZE => {
                    total += size(&callee.body) + callee.body.locals.len();
                    out.extend(inline_one(body, callee));
                }
                _ => out.push(instr),
            }
        }
        body.seqs[seq].instrs = out;
    }
}

/// Copies `callee` into `body`; the instructions that replace the call.
fn inline_one(body: &mut FuncBody, callee: &Callee) -> Vec<Instr> {
    let src = &callee.body;
    let locals: Vec<LocalId> = src.locals.values().map(|l| body.add_local(l.ty)).collect();
    let seqs = src.live_seqs();
    let mut seq_map: BTreeMap<SeqId, SeqId> = BTreeMap::new();
    for &s in &seqs {
        seq_map.insert(s, body.add_seq());
    }
    let entry = seq_map[&src.entry];
    struct Remap<'a> {
        locals: &'a [LocalId],
        seqs: &'a BTreeMap<SeqId, SeqId>,
    }
    impl IdVisitor for Remap<'_> {
        fn local(&mut self, id: &mut LocalId) {
            *id = self.locals[id.index()];
        }
        fn label(&mut self, id: &mut SeqId) {
            *id = self.seqs[id];
        }
        fn body(&mut self, id: &mut SeqId) {
            *id = self.seqs[id];
        }
    }
    let mut remap = Remap { locals: &locals, seqs: &seq_map };
    for &s in &seqs {
        let instrs = src.seqs[s]
            .instrs
            .iter()
            .map(|instr| {
                if matches!(instr, Instr::Return) {
                    return Instr::Br { relative_depth: entry };
                }
                let mut instr = instr.clone();
                instr.visit_ids(&mut remap);
                instr
            })
            .collect();
        body.seqs[seq_map[&s]].instrs = instrs;
    }
    let params = src.num_params as usize;
    let mut out: Vec<Instr> =
        locals[..params].iter().rev().map(|&l| Instr::LocalSet { local_index: l }).collect();
    for (local, zero) in &callee.zeroed {
        out.push(zero.clone());
        out.push(Instr::LocalSet { local_index: locals[local.index()] });
    }
    out.push(Instr::Block { blockty: Body { ty: callee.block, seq: entry } });
    out
}
