//! Inlining: replaces calls to small functions with their bodies.
//!
//! A call `call $f` to a function of at most [`MAX_SIZE`] instructions becomes
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
//! Why: the lowering's frame code calls small runtime helpers (`wasmfx.rt.top`, `pop`,
//! `push`, `state_of`, ...) on every suspension and resumption of every frame; inlined,
//! Wasmtime sees straight-line code it can keep in registers, and the helpers that no call
//! uses any more go with `remove-unused-module-elements`.
//!
//! Not inlined: imported functions; functions with tail calls (a `return_call` in the
//! caller's body would return from the caller); functions that call themselves; functions
//! with more than one result unless the module already has the block type `[] -> R` (types
//! cannot be added while callers are rewritten in parallel); functions whose body is only
//! `unreachable` (the trap helpers of the lowering, whose frame names tools report); and a
//! declared local read before any write whose type has no zero (a non-nullable reference).
//! Each call is inlined once, from the callee as it was before the pass: calls inside the
//! inlined code stay calls until the pass runs again, so recursion cannot make it loop.
//! A caller stops growing at [`MAX_CALLER_SIZE`] instructions.
//!
//! The bodies are taken from the module before the pass; callers are rewritten in parallel.
//! The pass takes no options.

use crate::effects::map_bodies;
use crate::{Pass, PassArgs};
use std::collections::BTreeMap;
use wasmfx_ir::analysis::Liveness;
use wasmfx_ir::instr::{Ieee32, Ieee64, V128};
use wasmfx_ir::*;

/// The `inlining` pass.
pub struct Inlining;

/// The largest callee inlined, in instructions.
pub const MAX_SIZE: usize = 30;
/// The size past which a caller gets no more inlined code, in instructions.
pub const MAX_CALLER_SIZE: usize = 20_000;

impl Pass for Inlining {
    fn run(&self, module: &mut Module, _: &PassArgs) -> Result<()> {
        let candidates = candidates(module);
        if candidates.is_empty() {
            return Ok(());
        }
        map_bodies(module, |_, id, body| inline_calls(id, &candidates, body));
        Ok(())
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

fn candidates(module: &Module) -> BTreeMap<FuncId, Callee> {
    let mut out = BTreeMap::new();
    for (id, func) in module.funcs.iter() {
        let Def::Local(body) = &func.def else { continue };
        let seqs = body.live_seqs();
        if size(body) > MAX_SIZE || matches!(body.seqs[body.entry].instrs[..], [Instr::Unreachable]) {
            continue;
        }
        let bad = seqs.iter().flat_map(|&s| &body.seqs[s].instrs).any(|i| {
            matches!(
                i,
                Instr::ReturnCall { .. } | Instr::ReturnCallIndirect { .. } | Instr::ReturnCallRef { .. }
            ) || matches!(i, Instr::Call { function_index } if *function_index == id)
        });
        if bad {
            continue;
        }
        let Some(sig) = module.types.get(func.ty).and_then(|t| t.as_func()) else { continue };
        let block = match sig.results[..] {
            [] => BlockType::Empty,
            [t] => BlockType::Value(t),
            _ => match module.find_type(&SubTypeData::func(vec![], sig.results.clone())) {
                Some(t) => BlockType::Func(t),
                None => continue,
            },
        };
        let live_at_entry: Vec<LocalId> = if body.seqs[body.entry].instrs.is_empty() {
            Vec::new()
        } else {
            Liveness::new(body).live_before(body.entry, 0)
        };
        let mut zeroed = Vec::new();
        let mut ok = true;
        for local in live_at_entry.into_iter().filter(|l| l.index() >= body.num_params as usize) {
            match zero(body.locals[local].ty) {
                Some(z) => zeroed.push((local, z)),
                None => ok = false,
            }
        }
        if ok {
            out.insert(id, Callee { body: body.clone(), block, zeroed });
        }
    }
    out
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
