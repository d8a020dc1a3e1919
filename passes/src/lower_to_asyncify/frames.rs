//! Phase 4, frames: how values are laid out in the transfer area and in frames, and the
//! save/restore code of an instrumented function. A frame holds the locals live after its
//! suspension point and the spill locals the rewind path reads (not a call's arguments, nor
//! the condition of an `if` around the point: see `saved_at` and `Rewriter::rewind_inputs`),
//! then a header (see `contract.rs`): the owning function's index where a tail call may have
//! to find it, then the point's index where the function has more than one point (so a frame
//! of a one-point function without tail calls has no header, and with nothing live is not
//! pushed at all). Each point saves its own frame inline where it finds the state unwinding
//! and branches to the function's return; restoring is a prologue that pops the frame and
//! dispatches to the point by comparing its index (a `br_table` from five points on; none
//! with one point).
//! References are stored as the index of a runtime slot holding them: a table per hierarchy
//! (`funcref`, `externref`, `exnref`, and `anyref` for GC programs), so a reference of a
//! narrower type comes back through a `ref.cast` to its static type, which cannot fail (only
//! a value of that type was put in the slot).
//!
//! Profiled (treesum, `perf` on Wasmtime's perf maps and the precompiled module's
//! disassembly): a suspend from 26 frames deep spends nearly all its time in the frames'
//! unwind and rewind, about 35 machine instructions each way per frame, with two indirect
//! jumps per frame (the save tail's `br_table` on the point index, then the rewind's), and
//! each frame stored and reloaded the `if` condition and the call's argument. Saving inline
//! removes the first jump; the smaller frames remove two stores and two loads per frame.
//! treesum (h = 22) user time, one interleaved run of 3: 0.88-1.06 s before, 0.73-0.87 s
//! after. Dispatching the rewind by compares instead of the `br_table`'s indirect jump: C
//! treesum (h = 22) 0.44-0.49 s to 0.39-0.48 s, WAT treesum 0.73-0.74 s to 0.65-0.76 s,
//! C itersum and state unchanged within noise.

use super::contract::{FRAME_HEADER_SIZE, FRAME_OWNER_OFFSET, FRAME_POINT_OFFSET, STATE_REWINDING};
use super::rewrite::Rewriter;
use super::runtime::Runtime;
use std::collections::{BTreeMap, BTreeSet};
use wasmfx_ir::*;

/// Bytes a value of (erased) type `t` takes in the transfer area and in frames: references
/// are stored as the index of the slot that holds them.
pub(crate) fn transfer_size(t: ValType) -> u32 {
    match t {
        ValType::I32 | ValType::F32 | ValType::Ref(_) => 4,
        ValType::I64 | ValType::F64 => 8,
        ValType::V128 => 16,
    }
}

/// Bytes a list of values takes.
pub(crate) fn values_size(ts: &[ValType]) -> u32 {
    ts.iter().map(|&t| transfer_size(t)).sum()
}

/// A memory argument with the natural alignment as its hint. Frames and the transfer area are
/// not always aligned, but an alignment hint never changes what an access does (a misaligned
/// access is as valid, at worst slower), and engines generate better code for natural hints.
fn mem_arg(rt: &Runtime, offset: u64, natural_align: u8) -> MemArg {
    MemArg { align: natural_align, max_align: natural_align, offset, memory: rt.memory }
}

/// Pushes the value of type `t` stored at `addr + offset`.
pub(crate) fn load_value(rt: &Runtime, addr: LocalId, offset: u64, t: ValType) -> Result<Vec<Instr>> {
    let natural = match t {
        ValType::I32 | ValType::F32 | ValType::Ref(_) => 2,
        ValType::I64 | ValType::F64 => 3,
        ValType::V128 => 4,
    };
    let memarg = mem_arg(rt, offset, natural);
    let mut out = vec![Instr::LocalGet { local_index: addr }];
    match t {
        ValType::I32 => out.push(Instr::I32Load { memarg }),
        ValType::I64 => out.push(Instr::I64Load { memarg }),
        ValType::F32 => out.push(Instr::F32Load { memarg }),
        ValType::F64 => out.push(Instr::F64Load { memarg }),
        ValType::V128 => out.push(Instr::V128Load { memarg }),
        ValType::Ref(r) => match ref_slot(rt, r)? {
            RefSlot::Table { take, top, .. } => {
                out.push(Instr::I32Load { memarg });
                out.push(Instr::Call { function_index: take });
                if top.heap != r.heap {
                    // The slot's type is known statically: the value put there had type `r`,
                    // so the cast back cannot fail.
                    out.push(Instr::RefCastNullable { hty: r.heap });
                }
            }
            RefSlot::AlwaysNull => out = vec![Instr::RefNull { hty: r.heap }],
        },
    }
    Ok(out)
}

/// Stores the value in `value` (of type `t`) at `addr + offset`.
pub(crate) fn store_value(
    rt: &Runtime,
    addr: LocalId,
    offset: u64,
    t: ValType,
    value: LocalId,
) -> Result<Vec<Instr>> {
    let mut out = vec![Instr::LocalGet { local_index: addr }, Instr::LocalGet { local_index: value }];
    let store = match t {
        ValType::I32 => Instr::I32Store { memarg: mem_arg(rt, offset, 2) },
        ValType::I64 => Instr::I64Store { memarg: mem_arg(rt, offset, 3) },
        ValType::F32 => Instr::F32Store { memarg: mem_arg(rt, offset, 2) },
        ValType::F64 => Instr::F64Store { memarg: mem_arg(rt, offset, 3) },
        ValType::V128 => Instr::V128Store { memarg: mem_arg(rt, offset, 4) },
        ValType::Ref(r) => {
            match ref_slot(rt, r)? {
                RefSlot::Table { put, .. } => out.push(Instr::Call { function_index: put }),
                RefSlot::AlwaysNull => out[1] = Instr::I32Const { value: 0 },
            }
            Instr::I32Store { memarg: mem_arg(rt, offset, 2) }
        }
    };
    out.push(store);
    Ok(out)
}

/// Where a reference of (erased) type `r` waits while its frame is saved or while it is in the
/// transfer area.
enum RefSlot {
    /// In a runtime table of `top`, the top type of `r`'s hierarchy, named by its index: `put`
    /// stores it and returns the index, `take` returns it (as a `top`) and frees the slot.
    Table { put: FuncId, take: FuncId, top: RefType },
    /// Nowhere: `r`'s heap type is a bottom type (`none`, `nofunc`, `noextern`, `noexn`), so
    /// the value is null and restored as `ref.null`.
    AlwaysNull,
}

/// The slot for a reference of type `r`: funcref, externref and exnref tables for their
/// hierarchies (typed function references included, when GC keeps them), the anyref table for
/// the `any` hierarchy (structs, arrays, `i31`, `eq`...), which the runtime has when the
/// program uses GC.
fn ref_slot(rt: &Runtime, r: RefType) -> Result<RefSlot> {
    let top = |ty| RefType { nullable: true, heap: HeapType::Abstract { shared: false, ty } };
    let table = |fns: (Option<FuncId>, Option<FuncId>), ty| match fns {
        (Some(put), Some(take)) => Ok(RefSlot::Table { put, take, top: top(ty) }),
        _ => Err(unsupported_ref(r)),
    };
    let (shared, ty) = match r.heap {
        HeapType::Abstract { shared, ty } => (shared, ty),
        HeapType::Concrete(id) | HeapType::Exact(id) if rt.any_types.contains(&id) => {
            (false, AbstractHeapType::Any)
        }
        HeapType::Concrete(_) | HeapType::Exact(_) => (false, AbstractHeapType::Func),
    };
    if shared {
        return Err(unsupported_ref(r));
    }
    use AbstractHeapType as A;
    match ty {
        A::Func => table((Some(rt.fref_put), Some(rt.fref_take)), A::Func),
        A::Extern => table((Some(rt.xref_put), Some(rt.xref_take)), A::Extern),
        A::Exn => table((rt.eref_put, rt.eref_take), A::Exn),
        A::Any | A::Eq | A::I31 | A::Struct | A::Array => table((rt.aref_put, rt.aref_take), A::Any),
        A::None | A::NoFunc | A::NoExtern | A::NoExn => Ok(RefSlot::AlwaysNull),
        A::Cont | A::NoCont => Err(Error::internal("a continuation reference left unerased in a frame")),
    }
}

fn unsupported_ref(r: RefType) -> Error {
    let heap = match r.heap {
        HeapType::Abstract { ty, .. } => format!("{ty:?}").to_lowercase(),
        HeapType::Concrete(t) | HeapType::Exact(t) => format!("type {}", t.as_u32()),
    };
    Error::unsupported(&format!(
        "saving a reference to {heap} across a suspension (--lower-to-asyncify keeps funcref, externref and exnref)"
    ))
}

/// The zero value of `t`, as a placeholder.
pub(crate) fn default_value(t: ValType) -> Instr {
    match t {
        ValType::I32 => Instr::I32Const { value: 0 },
        ValType::I64 => Instr::I64Const { value: 0 },
        ValType::F32 => Instr::F32Const { value: wasmparser::Ieee32::from(0.0f32) },
        ValType::F64 => Instr::F64Const { value: wasmparser::Ieee64::from(0.0f64) },
        ValType::V128 => Instr::V128Const { value: 0u128.into() },
        ValType::Ref(r) => Instr::RefNull { hty: r.heap },
    }
}

impl Rewriter<'_> {
    /// Stores `values` (of `types`) at `addr + offset...`.
    pub(super) fn store_all(
        &mut self,
        addr: LocalId,
        start: u64,
        types: &[ValType],
        values: &[LocalId],
    ) -> Result<Vec<Instr>> {
        let mut out = Vec::new();
        let mut offset = start;
        for (&t, &v) in types.iter().zip(values) {
            out.extend(store_value(self.rt, addr, offset, t, v)?);
            offset += transfer_size(t) as u64;
        }
        self.transfer = self.transfer.max(values_size(types) + start as u32);
        Ok(out)
    }

    pub(super) fn load_all(&mut self, addr: LocalId, types: &[ValType]) -> Result<Vec<Instr>> {
        let mut out = Vec::new();
        let mut offset = 0u64;
        for &t in types {
            out.extend(load_value(self.rt, addr, offset, t)?);
            offset += transfer_size(t) as u64;
        }
        self.transfer = self.transfer.max(values_size(types));
        Ok(out)
    }

    /// The locals point `k` must save: those the original code reads after it, and the spill
    /// locals of the point and of every structure around it that rewinding through them or
    /// the code after them reads. Second, the condition locals of the `if`s around the point,
    /// which need no slot: rewinding to `k` takes the arm that holds it, so each is restored
    /// as a constant (1 for the `then` arm, 0 for the `else` arm).
    pub(super) fn saved_at(&self, k: i32) -> (Vec<LocalId>, Vec<(LocalId, i32)>) {
        let (at, o) = self.point_at[&k];
        let liveness = self.liveness.as_ref().expect("instrumented functions have liveness");
        let mut saved: BTreeSet<LocalId> = liveness.live_after(at).into_iter().collect();
        saved.extend(self.element_locals.get(&o).into_iter().flatten());
        saved.extend(self.point_extra.get(&k).into_iter().flatten());
        let mut arms = Vec::new();
        let mut up = at.seq;
        while let Some(owner) = self.owner[up] {
            let around = self.ordinal[owner];
            saved.extend(self.element_locals.get(&around).into_iter().flatten());
            if let Some(&(condition, then)) = self.if_conditions.get(&around) {
                arms.push((condition, i32::from(up == then)));
            }
            up = owner.seq;
        }
        (saved.into_iter().collect(), arms)
    }

    /// Pushes `n` bytes on the current continuation's save stack, their address in `addr`:
    /// a bump of the cached top, with one bounds check (growing out of line). An empty frame
    /// (one point, nothing live, no owner) is not pushed at all.
    fn push_frame(&mut self, n: i32, addr: LocalId) -> Vec<Instr> {
        if n == 0 {
            return Vec::new();
        }
        let (sp, limit) = (self.rt.sp, self.rt.sp_limit);
        let mut out = self.if_then(
            vec![
                Instr::GlobalGet { global_index: sp },
                Instr::I32Const { value: n },
                Instr::I32Add,
                Instr::GlobalGet { global_index: limit },
                Instr::I32GtU,
            ],
            vec![Instr::I32Const { value: n }, Instr::Call { function_index: self.rt.grow_stack }],
        );
        out.extend([
            Instr::GlobalGet { global_index: sp },
            Instr::LocalTee { local_index: addr },
            Instr::I32Const { value: n },
            Instr::I32Add,
            Instr::GlobalSet { global_index: sp },
        ]);
        out
    }

    /// Pops `n` bytes off the current continuation's save stack, their address in `addr`
    /// (nothing for an empty frame).
    fn pop_frame(&self, n: i32, addr: LocalId) -> Vec<Instr> {
        if n == 0 {
            return Vec::new();
        }
        vec![
            Instr::GlobalGet { global_index: self.rt.sp },
            Instr::I32Const { value: n },
            Instr::I32Sub,
            Instr::LocalTee { local_index: addr },
            Instr::GlobalSet { global_index: self.rt.sp },
        ]
    }

    /// One arm per point (arm k - 1 for point k) chosen by comparing `ridx` with each index
    /// in turn: a frame restored by one or two conditional branches, which predict better than
    /// the indirect jump of a `br_table`; from five points on, the `br_table`.
    fn dispatch_by_compare(&mut self, mut arms: Vec<Vec<Instr>>) -> Vec<Instr> {
        if arms.len() > 4 {
            return vec![self.dispatch(arms)];
        }
        let Some(mut chain) = arms.pop() else { return vec![Instr::Unreachable] };
        while let Some(arm) = arms.pop() {
            let k = arms.len() as i32 + 1;
            let is_k =
                vec![Instr::LocalGet { local_index: self.ridx }, Instr::I32Const { value: k }, Instr::I32Eq];
            chain = self.if_else(is_k, arm, chain);
        }
        chain
    }

    /// A `br_table` on `ridx` to one arm per point (arm k - 1 for point k).
    pub(super) fn dispatch(&mut self, arms: Vec<Vec<Instr>>) -> Instr {
        let n = arms.len();
        if n == 0 {
            return Instr::Unreachable;
        }
        let blocks: Vec<SeqId> = (0..=n).map(|_| self.body.add_seq()).collect();
        let out = self.body.add_seq();
        self.body.instrs_mut(blocks[0]).extend([
            Instr::LocalGet { local_index: self.ridx },
            Instr::BrTable { targets: Box::new(BrTargets { targets: blocks.clone(), default: blocks[0] }) },
        ]);
        let block = |seq: SeqId| Instr::Block { blockty: Body { ty: BlockType::Empty, seq } };
        for (k, arm) in arms.into_iter().enumerate() {
            // The arm for point k + 1 follows the block that br_table index k + 1 leaves.
            let (holder, last) = if k + 1 == n { (out, true) } else { (blocks[k + 2], false) };
            self.body.instrs_mut(holder).push(block(blocks[k + 1]));
            self.body.instrs_mut(holder).extend(arm);
            if !last {
                self.body.instrs_mut(holder).push(Instr::Br { relative_depth: out });
            }
        }
        self.body.instrs_mut(blocks[1]).splice(0..0, [block(blocks[0]), Instr::Unreachable]);
        block(out)
    }

    /// The code that saves the frame of point `k` and leaves the function, for the place where
    /// `k` finds the state unwinding: a block filled in by [`Rewriter::wrap_entry`] once every
    /// point's saved locals are known, which pushes the frame and branches to the return.
    pub(super) fn save_frame(&mut self, k: i32) -> Vec<Instr> {
        let seq = self.body.add_seq();
        self.frame_saves.push((k, seq));
        vec![Instr::Block { blockty: Body { ty: BlockType::Empty, seq } }]
    }

    /// Wraps the body in the block every point's save leaves by, and adds the prologue that
    /// restores the frame when rewinding. A frame is the point's live locals, then a header:
    /// the owning function's index where a tail call may find it (see below), then the point's
    /// index where the function has several points. Each point saves its own frame inline, so
    /// unwinding through a frame takes no dispatch; rewinding dispatches on the point's index
    /// only where there are several.
    pub(super) fn wrap_entry(&mut self, results: &[ValType]) -> Result<()> {
        let body_seq = self.body.entry;
        let faddr = self.body.add_local(ValType::I32);
        let points = self.point_at.len() as i32;
        // The frame on top is this function's, unless a tail call left this function: then it
        // is the frame of a function its tail calls reach, and this one tail-calls on towards
        // it. Only functions with such tail calls read the owner, and only functions whose
        // frames such a function may find write it (those frames all have the full header).
        let tail_targets = self.an.tail_targets.get(&self.func).cloned().unwrap_or_default();
        let writes_owner = !tail_targets.is_empty()
            || self.an.tail_closure.values().any(|reached| reached.contains(&self.func));
        let (header_size, point_offset) = match (writes_owner, points > 1) {
            (true, _) => (FRAME_HEADER_SIZE, Some(FRAME_POINT_OFFSET)),
            (false, true) => (4, Some(0)),
            (false, false) => (0, None),
        };
        let mut restores = Vec::new();
        let mut saves = BTreeMap::new();
        for k in 1..=points {
            let (saved, arms) = self.saved_at(k);
            let saved: Vec<(LocalId, ValType)> =
                saved.into_iter().map(|l| (l, self.body.locals[l].ty)).collect();
            let size = saved.iter().map(|&(_, t)| transfer_size(t)).sum::<u32>() as i32;
            let mut restore = self.pop_frame(size + header_size, faddr);
            let mut save = self.push_frame(size + header_size, faddr);
            let mut offset = 0u64;
            for &(l, t) in &saved {
                restore.extend(load_value(self.rt, faddr, offset, t)?);
                restore.push(Instr::LocalSet { local_index: l });
                save.extend(store_value(self.rt, faddr, offset, t, l)?);
                offset += transfer_size(t) as u64;
            }
            for (condition, arm) in arms {
                restore.extend([Instr::I32Const { value: arm }, Instr::LocalSet { local_index: condition }]);
            }
            if writes_owner {
                save.extend([
                    Instr::LocalGet { local_index: faddr },
                    Instr::I32Const { value: self.func.as_u32() as i32 },
                    Instr::I32Store { memarg: mem_arg(self.rt, offset + FRAME_OWNER_OFFSET, 2) },
                ]);
            }
            if let Some(at) = point_offset {
                save.extend([
                    Instr::LocalGet { local_index: faddr },
                    Instr::I32Const { value: k },
                    Instr::I32Store { memarg: mem_arg(self.rt, offset + at, 2) },
                ]);
            }
            save.push(Instr::Br { relative_depth: self.save });
            restores.push(restore);
            saves.insert(k, save);
        }
        for (k, seq) in std::mem::take(&mut self.frame_saves) {
            let save =
                saves.get(&k).ok_or_else(|| Error::internal(format!("a save of point {k}, not a point")))?;
            self.body.instrs_mut(seq).extend(save.iter().cloned());
        }

        // The header on top of the save stack.
        let header = self.body.add_local(ValType::I32);
        let mut restore = vec![
            Instr::GlobalGet { global_index: self.rt.sp },
            Instr::I32Const { value: header_size },
            Instr::I32Sub,
            Instr::LocalSet { local_index: header },
        ];
        if !tail_targets.is_empty() {
            let owner = self.body.add_local(ValType::I32);
            restore.extend(load_value(self.rt, header, FRAME_OWNER_OFFSET, ValType::I32)?);
            restore.push(Instr::LocalSet { local_index: owner });
            let mut onward = Vec::new();
            for target in tail_targets {
                let mut cond = Vec::new();
                for (i, reached) in self.an.tail_closure[&target].iter().enumerate() {
                    cond.extend([
                        Instr::LocalGet { local_index: owner },
                        Instr::I32Const { value: reached.as_u32() as i32 },
                        Instr::I32Eq,
                    ]);
                    if i > 0 {
                        cond.push(Instr::I32Or);
                    }
                }
                let params = self.func_sig(self.module.funcs[target].ty).params;
                let mut call: Vec<Instr> = params.iter().map(|&t| default_value(t)).collect();
                call.push(Instr::ReturnCall { function_index: target });
                onward.extend(self.if_then(cond, call));
            }
            onward.push(Instr::Unreachable);
            let not_mine = vec![
                Instr::LocalGet { local_index: owner },
                Instr::I32Const { value: self.func.as_u32() as i32 },
                Instr::I32Ne,
            ];
            restore.extend(self.if_then(not_mine, onward));
        }
        match point_offset {
            Some(at) => {
                restore.extend(load_value(self.rt, header, at, ValType::I32)?);
                restore.push(Instr::LocalSet { local_index: self.ridx });
                restore.extend(self.dispatch_by_compare(restores));
            }
            // One point: every guard admits it, so `ridx` is never read.
            None => restore.extend(restores.into_iter().flatten()),
        }
        let cond = vec![
            Instr::GlobalGet { global_index: self.rt.state },
            Instr::I32Const { value: STATE_REWINDING },
            Instr::I32Eq,
        ];
        let mut entry = self.if_then(cond, restore);

        let body_type = match results {
            [] => BlockType::Empty,
            [t] => BlockType::Value(*t),
            _ => BlockType::Func(self.types.func(&[], results)),
        };
        self.body
            .instrs_mut(self.save)
            .extend([Instr::Block { blockty: Body { ty: body_type, seq: body_seq } }, Instr::Return]);
        // Every save branches out of this block, to return placeholders.
        entry.push(Instr::Block { blockty: Body { ty: BlockType::Empty, seq: self.save } });
        entry.extend(results.iter().map(|&t| default_value(t)));
        let new_entry = self.seq(entry);
        self.body.entry = new_entry;
        Ok(())
    }
}
