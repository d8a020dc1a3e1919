//! The operands of instructions that are more than a number: memory arguments, block
//! bodies, `if` arms, `try_table` catch clauses, `resume` handler clauses and branch tables,
//! and how each operand is converted from `wasmparser`'s form (depths become the [`SeqId`]s
//! of labels), back to it, and walked for ids. `Instr`'s generated code goes through the
//! `FromParser`, `ToParser` and `walks!` implementations here, one per operand type.

use crate::error::{Error, Result};
use crate::ids::{
    DataId, ElemId, EntityId, FuncId, GlobalId, LocalId, MemoryId, SeqId, TableId, TagId, TypeId,
};
use crate::types::{BlockType, HeapType, RefType, ValType};
use crate::visit::walks;
use wasmparser as wp;

pub use wp::{Ieee32, Ieee64, Ordering, V128};

/// A memory operand: alignment, offset and the memory accessed.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct MemArg {
    /// log2 of the alignment.
    pub align: u8,
    /// log2 of the natural alignment of the access (not encoded; kept for `wasmparser`).
    pub max_align: u8,
    /// Constant offset added to the address.
    pub offset: u64,
    /// The memory accessed.
    pub memory: MemoryId,
}

/// The body of a `block`, `loop` (or legacy `try`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Body {
    /// The block's type.
    pub ty: BlockType,
    /// The instructions; also the label branches name.
    pub seq: SeqId,
}

/// The arms of an `if`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct IfBody {
    /// The `if`'s type.
    pub ty: BlockType,
    /// The `then` arm; also the label branches from either arm name.
    pub then: SeqId,
    /// The `else` arm, if written (an empty `else` is kept as written).
    pub else_: Option<SeqId>,
}

/// The body and catch clauses of a `try_table`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TryTableBody {
    /// The block's type.
    pub ty: BlockType,
    /// The instructions; also the label branches name.
    pub seq: SeqId,
    /// Catch clauses, matched first to last.
    pub catches: Vec<CatchClause>,
}

/// One catch clause of a `try_table`; labels are resolved outside the `try_table`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum CatchClause {
    /// `(catch $tag $label)`
    One { tag: TagId, label: SeqId },
    /// `(catch_ref $tag $label)`
    OneRef { tag: TagId, label: SeqId },
    /// `(catch_all $label)`
    All { label: SeqId },
    /// `(catch_all_ref $label)`
    AllRef { label: SeqId },
}

/// One handler clause of `resume`, `resume_throw` or `resume_throw_ref`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Handler {
    /// `(on $tag $label)`: a `suspend $tag` inside branches to `$label`.
    OnLabel { tag: TagId, label: SeqId },
    /// `(on $tag switch)`: a `switch` to `$tag` inside is taken here.
    OnSwitch { tag: TagId },
}

/// The targets of a `br_table`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BrTargets {
    /// Targets by index.
    pub targets: Vec<SeqId>,
    /// Target when the index is out of range.
    pub default: SeqId,
}

/// What the reader needs while it converts one operator.
pub(crate) trait ReadLabels {
    /// The label `depth` levels out.
    fn label(&self, depth: u32) -> Result<SeqId>;
    /// Opens a new body sequence (and its label) for a block-like instruction.
    fn open_body(&mut self) -> Result<SeqId>;
    /// The offset of the operator, for errors.
    fn offset(&self) -> usize;
}

/// What the writer needs while it converts one instruction.
pub(crate) trait WriteLabels {
    /// The depth of the label of `seq` from the innermost enclosing label.
    fn depth(&self, seq: SeqId) -> Result<u32>;
    /// Records that the instruction being written opens these sequences (an `if` opens two).
    fn open_body(&mut self, label: SeqId, seqs: &[SeqId]);
}

pub(crate) trait FromParser<T>: Sized {
    fn from_parser<C: ReadLabels + ?Sized>(value: T, cx: &mut C) -> Result<Self>;
}

pub(crate) trait ToParser {
    type Out;
    fn to_parser(&self, cx: &mut dyn WriteLabels) -> Result<Self::Out>;
}

macro_rules! plain_operand {
    ($($t:ty),*) => {$(
        impl FromParser<$t> for $t {
            fn from_parser<C: ReadLabels + ?Sized>(value: $t, _: &mut C) -> Result<Self> {
                Ok(value)
            }
        }
        impl ToParser for $t {
            type Out = $t;
            fn to_parser(&self, _: &mut dyn WriteLabels) -> Result<$t> {
                Ok(*self)
            }
        }
        walks! { $t => |this, v| {} }
        impl OwnedBodies for $t {}
    )*};
}
plain_operand!(u8, u32, i32, i64, Ieee32, Ieee64, V128, [u8; 16], Ordering);

macro_rules! id_operand {
    ($($t:ident => $visit:ident),*) => {$(
        impl FromParser<u32> for $t {
            fn from_parser<C: ReadLabels + ?Sized>(value: u32, _: &mut C) -> Result<Self> {
                Ok($t::new(value as usize))
            }
        }
        impl ToParser for $t {
            type Out = u32;
            fn to_parser(&self, _: &mut dyn WriteLabels) -> Result<u32> {
                Ok(self.as_u32())
            }
        }
        walks! { $t => |this, v| { v.$visit(this) } }
        impl OwnedBodies for $t {}
    )*};
}
id_operand!(FuncId => func, TypeId => ty, TableId => table, MemoryId => memory,
    GlobalId => global, TagId => tag, ElemId => elem, DataId => data, LocalId => local);

impl FromParser<u32> for SeqId {
    fn from_parser<C: ReadLabels + ?Sized>(depth: u32, cx: &mut C) -> Result<Self> {
        cx.label(depth)
    }
}

impl ToParser for SeqId {
    type Out = u32;
    fn to_parser(&self, cx: &mut dyn WriteLabels) -> Result<u32> {
        cx.depth(*self)
    }
}

walks! { SeqId => |this, v| { v.label(this) } }

/// The body sequences one instruction owns: at most two (an `if`'s arms), in order.
#[derive(Default)]
pub(crate) struct BodyList(pub(crate) [Option<SeqId>; 2]);

impl BodyList {
    fn push(&mut self, seq: SeqId) {
        let free = if self.0[0].is_none() { 0 } else { 1 };
        self.0[free] = Some(seq);
    }
}

/// The body sequences an operand owns, for `Instr::bodies`. Every operand type implements
/// it, most with the default (none), so a new operand type does not compile until it says.
pub(crate) trait OwnedBodies {
    fn add_bodies(&self, _bodies: &mut BodyList) {}
}

// Branch targets and handler clauses name labels, and types and memory arguments name no
// sequence: they own nothing.
impl OwnedBodies for SeqId {}
impl OwnedBodies for BrTargets {}
impl OwnedBodies for Vec<Handler> {}
impl OwnedBodies for MemArg {}
impl OwnedBodies for ValType {}
impl OwnedBodies for [ValType] {}
impl OwnedBodies for RefType {}
impl OwnedBodies for HeapType {}

impl<T: OwnedBodies + ?Sized> OwnedBodies for Box<T> {
    fn add_bodies(&self, bodies: &mut BodyList) {
        (**self).add_bodies(bodies)
    }
}

impl OwnedBodies for Body {
    fn add_bodies(&self, bodies: &mut BodyList) {
        bodies.push(self.seq)
    }
}

impl OwnedBodies for IfBody {
    fn add_bodies(&self, bodies: &mut BodyList) {
        bodies.push(self.then);
        if let Some(e) = self.else_ {
            bodies.push(e)
        }
    }
}

impl OwnedBodies for TryTableBody {
    fn add_bodies(&self, bodies: &mut BodyList) {
        bodies.push(self.seq)
    }
}

impl FromParser<wp::MemArg> for MemArg {
    fn from_parser<C: ReadLabels + ?Sized>(m: wp::MemArg, _: &mut C) -> Result<Self> {
        Ok(MemArg {
            align: m.align,
            max_align: m.max_align,
            offset: m.offset,
            memory: MemoryId::new(m.memory as usize),
        })
    }
}

impl ToParser for MemArg {
    type Out = wp::MemArg;
    fn to_parser(&self, _: &mut dyn WriteLabels) -> Result<wp::MemArg> {
        Ok(wp::MemArg {
            align: self.align,
            max_align: self.max_align,
            offset: self.offset,
            memory: self.memory.as_u32(),
        })
    }
}

walks! {
    MemArg => |this, v| {
        let MemArg { memory, .. } = this;
        v.memory(memory)
    }
}

impl FromParser<wp::ValType> for ValType {
    fn from_parser<C: ReadLabels + ?Sized>(t: wp::ValType, _: &mut C) -> Result<Self> {
        Ok(ValType::from_wp(t, 0))
    }
}

impl ToParser for ValType {
    type Out = wp::ValType;
    fn to_parser(&self, _: &mut dyn WriteLabels) -> Result<wp::ValType> {
        Ok(self.to_wp())
    }
}

walks! {
    ValType => |this, v| {
        if let ValType::Ref(r) = this {
            r.walk(v)
        }
    }
}

impl FromParser<Vec<wp::ValType>> for Box<[ValType]> {
    fn from_parser<C: ReadLabels + ?Sized>(ts: Vec<wp::ValType>, _: &mut C) -> Result<Self> {
        Ok(ts.into_iter().map(|t| ValType::from_wp(t, 0)).collect())
    }
}

impl ToParser for Box<[ValType]> {
    type Out = Vec<wp::ValType>;
    fn to_parser(&self, _: &mut dyn WriteLabels) -> Result<Vec<wp::ValType>> {
        Ok(self.iter().map(|t| t.to_wp()).collect())
    }
}

impl FromParser<wp::RefType> for RefType {
    fn from_parser<C: ReadLabels + ?Sized>(r: wp::RefType, _: &mut C) -> Result<Self> {
        Ok(RefType::from_wp(r, 0))
    }
}

impl ToParser for RefType {
    type Out = wp::RefType;
    fn to_parser(&self, _: &mut dyn WriteLabels) -> Result<wp::RefType> {
        Ok(self.to_wp())
    }
}

walks! { RefType => |this, v| { this.heap.walk(v) } }

impl FromParser<wp::HeapType> for HeapType {
    fn from_parser<C: ReadLabels + ?Sized>(h: wp::HeapType, _: &mut C) -> Result<Self> {
        Ok(HeapType::from_wp(h, 0))
    }
}

impl ToParser for HeapType {
    type Out = wp::HeapType;
    fn to_parser(&self, _: &mut dyn WriteLabels) -> Result<wp::HeapType> {
        Ok(self.to_wp())
    }
}

walks! {
    HeapType => |this, v| {
        match this {
            HeapType::Concrete(t) | HeapType::Exact(t) => v.ty(t),
            HeapType::Abstract { .. } => {}
        }
    }
    BlockType => |this, v| {
        match this {
            BlockType::Empty => {}
            BlockType::Value(t) => t.walk(v),
            BlockType::Func(t) => v.ty(t),
        }
    }
}

// Operands that would make every instruction larger are boxed (see `Instr`'s size below).
impl<T, U: FromParser<T>> FromParser<T> for Box<U> {
    fn from_parser<C: ReadLabels + ?Sized>(value: T, cx: &mut C) -> Result<Self> {
        U::from_parser(value, cx).map(Box::new)
    }
}

impl<U: ToParser> ToParser for Box<U> {
    type Out = U::Out;
    fn to_parser(&self, cx: &mut dyn WriteLabels) -> Result<U::Out> {
        (**self).to_parser(cx)
    }
}

impl FromParser<wp::BlockType> for Body {
    fn from_parser<C: ReadLabels + ?Sized>(b: wp::BlockType, cx: &mut C) -> Result<Self> {
        Ok(Body { ty: BlockType::from_wp(b), seq: cx.open_body()? })
    }
}

impl ToParser for Body {
    type Out = wp::BlockType;
    fn to_parser(&self, cx: &mut dyn WriteLabels) -> Result<wp::BlockType> {
        cx.open_body(self.seq, &[self.seq]);
        Ok(self.ty.to_wp())
    }
}

walks! {
    Body => |this, v| {
        let Body { ty, seq } = this;
        ty.walk(v);
        v.body(seq);
    }
}

impl FromParser<wp::BlockType> for IfBody {
    fn from_parser<C: ReadLabels + ?Sized>(b: wp::BlockType, cx: &mut C) -> Result<Self> {
        Ok(IfBody { ty: BlockType::from_wp(b), then: cx.open_body()?, else_: None })
    }
}

impl ToParser for IfBody {
    type Out = wp::BlockType;
    fn to_parser(&self, cx: &mut dyn WriteLabels) -> Result<wp::BlockType> {
        match self.else_ {
            Some(e) => cx.open_body(self.then, &[self.then, e]),
            None => cx.open_body(self.then, &[self.then]),
        }
        Ok(self.ty.to_wp())
    }
}

walks! {
    IfBody => |this, v| {
        let IfBody { ty, then, else_ } = this;
        ty.walk(v);
        v.body(then);
        if let Some(e) = else_ {
            v.body(e);
        }
    }
}

impl FromParser<wp::TryTable> for TryTableBody {
    fn from_parser<C: ReadLabels + ?Sized>(t: wp::TryTable, cx: &mut C) -> Result<Self> {
        // Catch labels are resolved in the context outside the try_table, so before its
        // own label is opened.
        let catches = t
            .catches
            .into_iter()
            .map(|c| {
                Ok(match c {
                    wp::Catch::One { tag, label } => {
                        CatchClause::One { tag: TagId::new(tag as usize), label: cx.label(label)? }
                    }
                    wp::Catch::OneRef { tag, label } => {
                        CatchClause::OneRef { tag: TagId::new(tag as usize), label: cx.label(label)? }
                    }
                    wp::Catch::All { label } => CatchClause::All { label: cx.label(label)? },
                    wp::Catch::AllRef { label } => CatchClause::AllRef { label: cx.label(label)? },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TryTableBody { ty: BlockType::from_wp(t.ty), catches, seq: cx.open_body()? })
    }
}

impl ToParser for TryTableBody {
    type Out = wp::TryTable;
    fn to_parser(&self, cx: &mut dyn WriteLabels) -> Result<wp::TryTable> {
        let catches = self
            .catches
            .iter()
            .map(|c| {
                Ok(match *c {
                    CatchClause::One { tag, label } => {
                        wp::Catch::One { tag: tag.as_u32(), label: cx.depth(label)? }
                    }
                    CatchClause::OneRef { tag, label } => {
                        wp::Catch::OneRef { tag: tag.as_u32(), label: cx.depth(label)? }
                    }
                    CatchClause::All { label } => wp::Catch::All { label: cx.depth(label)? },
                    CatchClause::AllRef { label } => wp::Catch::AllRef { label: cx.depth(label)? },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        cx.open_body(self.seq, &[self.seq]);
        Ok(wp::TryTable { ty: self.ty.to_wp(), catches })
    }
}

walks! {
    TryTableBody => |this, v| {
        let TryTableBody { ty, seq, catches } = this;
        ty.walk(v);
        catches.walk(v);
        v.body(seq);
    }
    CatchClause => |this, v| {
        match this {
            CatchClause::One { tag, label } | CatchClause::OneRef { tag, label } => {
                v.tag(tag);
                v.label(label);
            }
            CatchClause::All { label } | CatchClause::AllRef { label } => v.label(label),
        }
    }
}

impl FromParser<wp::ResumeTable> for Vec<Handler> {
    fn from_parser<C: ReadLabels + ?Sized>(t: wp::ResumeTable, cx: &mut C) -> Result<Self> {
        t.handlers
            .into_iter()
            .map(|h| {
                Ok(match h {
                    wp::Handle::OnLabel { tag, label } => {
                        Handler::OnLabel { tag: TagId::new(tag as usize), label: cx.label(label)? }
                    }
                    wp::Handle::OnSwitch { tag } => Handler::OnSwitch { tag: TagId::new(tag as usize) },
                })
            })
            .collect()
    }
}

impl ToParser for Vec<Handler> {
    type Out = wp::ResumeTable;
    fn to_parser(&self, cx: &mut dyn WriteLabels) -> Result<wp::ResumeTable> {
        let handlers = self
            .iter()
            .map(|h| {
                Ok(match *h {
                    Handler::OnLabel { tag, label } => {
                        wp::Handle::OnLabel { tag: tag.as_u32(), label: cx.depth(label)? }
                    }
                    Handler::OnSwitch { tag } => wp::Handle::OnSwitch { tag: tag.as_u32() },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(wp::ResumeTable { handlers })
    }
}

walks! {
    Handler => |this, v| {
        match this {
            Handler::OnLabel { tag, label } => {
                v.tag(tag);
                v.label(label);
            }
            Handler::OnSwitch { tag } => v.tag(tag),
        }
    }
}

impl<'a> FromParser<wp::BrTable<'a>> for BrTargets {
    fn from_parser<C: ReadLabels + ?Sized>(t: wp::BrTable<'a>, cx: &mut C) -> Result<Self> {
        let offset = cx.offset();
        let targets = t
            .targets()
            .map(|d| cx.label(d.map_err(|e| Error::from_parser(&e, offset))?))
            .collect::<Result<Vec<_>>>()?;
        Ok(BrTargets { targets, default: cx.label(t.default())? })
    }
}

walks! {
    BrTargets => |this, v| {
        let BrTargets { targets, default } = this;
        for t in targets {
            v.label(t);
        }
        v.label(default);
    }
}
