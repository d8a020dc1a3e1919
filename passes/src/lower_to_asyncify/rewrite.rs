//! Phase 3, the rewrite of one function, run in parallel over the functions: reads the
//! [`Analysis`] and the [`Runtime`], never the module mutably. The rewriter's jobs are in
//! their own files: `control.rs` (points, spills, guards), `switching.rs` (the
//! stack-switching instructions), `instructions.rs` (everything else, with types erased) and
//! `frames.rs` (frame layout, save and restore). Function types a rewrite needs that the
//! module lacks are requested from [`NewTypes`], which numbers them past the module's types;
//! they are added afterwards, function by function in order, so the output's type section
//! does not depend on which thread finished first.

use super::analysis::Analysis;
use super::runtime::Runtime;
use std::collections::BTreeMap;
use wasmfx_ir::analysis::{Liveness, OperandStack, instr_order};
use wasmfx_ir::places::owners;
use wasmfx_ir::*;

/// Function types a rewrite needs that the module does not have yet, numbered from `base`
/// (the module's type count when the rewrites start) in the order first asked for.
pub(super) struct NewTypes<'a> {
    module: &'a Module,
    base: usize,
    pending: Vec<FuncType>,
}

impl NewTypes<'_> {
    /// The function type `params -> results`: the module's own if it has it as a lone type,
    /// else a provisional id past the module's types.
    pub(super) fn func(&mut self, params: &[ValType], results: &[ValType]) -> TypeId {
        let ty = SubTypeData::func(params.to_vec(), results.to_vec());
        if let Some(id) = self.module.find_type(&ty) {
            return id;
        }
        let ft = FuncType { params: params.to_vec(), results: results.to_vec() };
        let index = self.pending.iter().position(|p| *p == ft).unwrap_or_else(|| {
            self.pending.push(ft);
            self.pending.len() - 1
        });
        TypeId::new(self.base + index)
    }
}

/// A rewritten function, not yet back in the module.
pub(crate) struct Rewritten {
    pub func: FuncId,
    pub body: FuncBody,
    /// The types its provisional type ids stand for, by index past the base.
    pub new_types: Vec<FuncType>,
    /// The transfer-area bytes its sites need.
    pub transfer: u32,
}

impl Rewritten {
    /// Puts the body back into `module`, adding the types it requested (or reusing equal
    /// ones) and renumbering its provisional type ids. `base` is the type count the rewrites
    /// started from.
    pub(crate) fn install(mut self, module: &mut Module, base: usize) {
        struct Provisional {
            base: usize,
            real: Vec<TypeId>,
        }
        impl IdVisitor for Provisional {
            fn ty(&mut self, id: &mut TypeId) {
                if id.index() >= self.base {
                    *id = self.real[id.index() - self.base];
                }
            }
        }
        let real = self.new_types.iter().map(|ft| module.add_func_type(&ft.params, &ft.results)).collect();
        self.body.visit_ids(&mut Provisional { base, real });
        *module.body_mut(self.func).expect("a defined function") = self.body;
    }
}

/// How a `resume` passes control: with arguments, or by raising an exception (`resume_throw`
/// with a tag, `resume_throw_ref` with an exnref).
#[derive(Copy, Clone)]
pub(super) enum ResumeMode {
    Args,
    Throw(TagId),
    ThrowRef,
}

/// One function being rewritten.
pub(super) struct Rewriter<'a> {
    pub module: &'a Module,
    pub an: &'a Analysis,
    pub rt: &'a Runtime,
    pub types: NewTypes<'a>,
    /// The function being rewritten (its index identifies its frames).
    pub func: FuncId,
    pub body: FuncBody,
    /// The operand stack before each instruction of the original body, by ordinal.
    pub stacks: &'a [OperandStack],
    pub ordinal: InstrMap<usize>,
    /// Suspension points (by ordinal) and their indices, when the function is instrumented.
    pub points: BTreeMap<usize, i32>,
    /// For each structured instruction that contains points: the first and last index.
    pub ranges: BTreeMap<usize, (i32, i32)>,
    pub ridx: LocalId,
    pub save: SeqId,
    pub transfer: u32,
    /// Liveness of the original body, for the locals each point must save.
    pub liveness: Option<Liveness>,
    /// The structured instruction that owns each body sequence.
    pub owner: SeqMap<Option<InstrRef>>,
    /// The spill locals of each sync element that are read again when a rewind passes
    /// through or resumes after it, by ordinal: the operand stack below its operands, and of
    /// a point's operands those its rewind path reads (see `Rewriter::rewind_inputs`).
    pub element_locals: BTreeMap<usize, Vec<LocalId>>,
    /// The condition local of each `if` that contains points, and its `then` sequence, by
    /// ordinal: a frame does not save it, since the point being rewound to says which arm.
    pub if_conditions: BTreeMap<usize, (LocalId, SeqId)>,
    /// The blocks that save a point's frame (see `Rewriter::save_frame`), filled in last.
    pub frame_saves: Vec<(i32, SeqId)>,
    /// Locals a point itself needs when rewinding to it (a forwarding resume's slot).
    pub point_extra: BTreeMap<i32, Vec<LocalId>>,
    /// Where each point is, and its ordinal.
    pub point_at: BTreeMap<i32, (InstrRef, usize)>,
}

/// The ordinal of each instruction of `body` in `order` (every instruction of it).
fn ordinals(body: &FuncBody, order: &[InstrRef]) -> InstrMap<usize> {
    let mut ordinal = InstrMap::new(body, Places::Instrs, |_| usize::MAX);
    for (o, &at) in order.iter().enumerate() {
        ordinal[at] = o;
    }
    ordinal
}

/// Rewrites function `f`, whose body (taken out of `module`) is `body` and whose operand
/// stacks are `stacks`.
pub(crate) fn rewrite_function(
    module: &Module,
    an: &Analysis,
    rt: &Runtime,
    f: FuncId,
    body: FuncBody,
    stacks: &[OperandStack],
) -> Result<Rewritten> {
    let order = instr_order(&body);
    if order.len() != stacks.len() {
        return Err(Error::internal(format!(
            "{} instructions but {} operand stacks",
            order.len(),
            stacks.len()
        )));
    }
    let results = an.erasure.func_type(module, module.funcs[f].ty).results;
    let instrumented = an.suspending.contains(&f);
    let ordinal = ordinals(&body, &order);
    let owner = if instrumented { owners(&body) } else { SeqMap::filled(&body, None) };
    let mut rw = Rewriter {
        module,
        an,
        rt,
        types: NewTypes { module, base: module.types.len(), pending: Vec::new() },
        func: f,
        body,
        stacks,
        ordinal,
        points: BTreeMap::new(),
        ranges: BTreeMap::new(),
        ridx: LocalId::new(0),
        save: SeqId::new(0),
        transfer: 0,
        liveness: None,
        owner,
        element_locals: BTreeMap::new(),
        if_conditions: BTreeMap::new(),
        frame_saves: Vec::new(),
        point_extra: BTreeMap::new(),
        point_at: BTreeMap::new(),
    };
    for local in rw.body.locals.values_mut() {
        local.ty = an.erasure.val(local.ty);
    }
    if instrumented {
        rw.liveness = Some(Liveness::new(&rw.body));
        rw.ridx = rw.body.add_local(ValType::I32);
        rw.save = rw.body.add_seq();
        rw.find_points(&order);
    }
    let seqs = rw.body.live_seqs();
    for seq in seqs {
        rw.rewrite_seq(seq)?;
    }
    if instrumented {
        rw.wrap_entry(&results)?;
    }
    Ok(Rewritten { func: f, body: rw.body, new_types: rw.types.pending, transfer: rw.transfer })
}

impl Rewriter<'_> {
    pub(super) fn tmp(&mut self, t: ValType) -> LocalId {
        let t = self.an.erasure.val(t);
        self.body.add_local(t)
    }

    pub(super) fn seq(&mut self, instrs: Vec<Instr>) -> SeqId {
        let s = self.body.add_seq();
        self.body.instrs_mut(s).extend(instrs);
        s
    }

    pub(super) fn if_then(&mut self, mut cond: Vec<Instr>, then: Vec<Instr>) -> Vec<Instr> {
        let then = self.seq(then);
        cond.push(Instr::If { blockty: IfBody { ty: BlockType::Empty, then, else_: None } });
        cond
    }

    pub(super) fn if_else(
        &mut self,
        mut cond: Vec<Instr>,
        then: Vec<Instr>,
        else_: Vec<Instr>,
    ) -> Vec<Instr> {
        let then = self.seq(then);
        let else_ = self.seq(else_);
        cond.push(Instr::If { blockty: IfBody { ty: BlockType::Empty, then, else_: Some(else_) } });
        cond
    }

    pub(super) fn func_sig(&self, ty: TypeId) -> FuncType {
        self.an.erasure.func_type(self.module, ty)
    }

    pub(super) fn block_sig(&self, b: BlockType) -> FuncType {
        match b {
            BlockType::Empty => FuncType::default(),
            BlockType::Value(t) => FuncType { params: vec![], results: vec![self.an.erasure.val(t)] },
            BlockType::Func(t) => self.func_sig(t),
        }
    }
}
