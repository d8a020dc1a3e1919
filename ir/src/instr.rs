//! The instruction set: one variant per operator `wasmparser` knows, generated from its
//! operator list so that a new operator is a compile error here rather than a silent gap.
//!
//! Operands that name module entities hold typed ids; branch and handler targets hold the
//! [`SeqId`] of the sequence whose label they target (a block's or `if`'s label is its end,
//! a loop's is its start; an `if`'s label is its `then` sequence). Blocks, loops, `if`s and
//! `try_table`s own their body sequences. `else` and `end` never appear: structure is carried
//! by the sequences, and depths are computed only when the module is written.
//!
//! The legacy exception-handling operators (`try`, `catch`, `catch_all`, `delegate`,
//! `rethrow`) have variants because the operator list has them, but the reader refuses them.
//!
//! The operand types and their conversions are in `operands.rs`; the classification of
//! operators the passes ask about (proposal, calls and stack switching, end of a sequence) in
//! `classify.rs`. Both are used by the code generated here.

mod classify;
mod operands;

use crate::error::{Error, Result};
use crate::ids::{DataId, ElemId, FuncId, GlobalId, LocalId, MemoryId, SeqId, TableId, TagId, TypeId};
use crate::types::{HeapType, RefType, ValType};
use crate::visit::walks;
pub use classify::{Callee, Proposal, ResumeWith, Transfer};
use classify::{classify, proposal};
pub use operands::{
    Body, BrTargets, CatchClause, Handler, Ieee32, Ieee64, IfBody, MemArg, Ordering, TryTableBody, V128,
};
use operands::{BodyList, OwnedBodies};
pub(crate) use operands::{FromParser, ReadLabels, ToParser, WriteLabels};
use wasmparser as wp;

/// Maps an operator's field, by operator and field name, to the type the IR stores.
macro_rules! field_type {
    (If, blockty, $t:ty) => { IfBody };
    ($op:ident, blockty, $t:ty) => { Body };
    ($op:ident, try_table, $t:ty) => { Box<TryTableBody> };
    ($op:ident, targets, $t:ty) => { Box<BrTargets> };
    ($op:ident, resume_table, $t:ty) => { Box<Vec<Handler>> };
    ($op:ident, relative_depth, $t:ty) => { SeqId };
    ($op:ident, function_index, $t:ty) => { FuncId };
    ($op:ident, type_index, $t:ty) => { TypeId };
    ($op:ident, struct_type_index, $t:ty) => { TypeId };
    ($op:ident, array_type_index, $t:ty) => { TypeId };
    ($op:ident, array_type_index_dst, $t:ty) => { TypeId };
    ($op:ident, array_type_index_src, $t:ty) => { TypeId };
    ($op:ident, cont_type_index, $t:ty) => { TypeId };
    ($op:ident, argument_index, $t:ty) => { TypeId };
    ($op:ident, result_index, $t:ty) => { TypeId };
    ($op:ident, table_index, $t:ty) => { TableId };
    ($op:ident, table, $t:ty) => { TableId };
    ($op:ident, src_table, $t:ty) => { TableId };
    ($op:ident, dst_table, $t:ty) => { TableId };
    ($op:ident, mem, $t:ty) => { MemoryId };
    ($op:ident, src_mem, $t:ty) => { MemoryId };
    ($op:ident, dst_mem, $t:ty) => { MemoryId };
    ($op:ident, global_index, $t:ty) => { GlobalId };
    ($op:ident, local_index, $t:ty) => { LocalId };
    ($op:ident, tag_index, $t:ty) => { TagId };
    ($op:ident, data_index, $t:ty) => { DataId };
    ($op:ident, array_data_index, $t:ty) => { DataId };
    ($op:ident, elem_index, $t:ty) => { ElemId };
    ($op:ident, array_elem_index, $t:ty) => { ElemId };
    ($op:ident, memarg, $t:ty) => { MemArg };
    ($op:ident, hty, $t:ty) => { HeapType };
    ($op:ident, from_ref_type, $t:ty) => { Box<RefType> };
    ($op:ident, to_ref_type, $t:ty) => { Box<RefType> };
    ($op:ident, ty, $t:ty) => { ValType };
    ($op:ident, tys, $t:ty) => { Box<[ValType]> };
    ($op:ident, $field:ident, $t:ty) => { $t };
}

/// Writes one instruction as a `wasmparser` operator, except for the few that need
/// `wasm-encoder` directly or that the IR refuses.
macro_rules! write_instr {
    ($cx:ident, $emit:ident, BrTable { $targets:ident }) => {{
        let depths = $targets.targets.iter().map(|t| $cx.depth(*t)).collect::<Result<Vec<_>>>()?;
        let default = $cx.depth($targets.default)?;
        $emit.encoder(wasm_encoder::Instruction::BrTable(depths.into(), default))
    }};
    ($cx:ident, $emit:ident, Else) => { Err(Error::unsupported("`else` outside the IR's structure")) };
    ($cx:ident, $emit:ident, End) => { Err(Error::unsupported("`end` outside the IR's structure")) };
    ($cx:ident, $emit:ident, Try { $($f:ident),* }) => { Err(Error::legacy_exceptions()) };
    ($cx:ident, $emit:ident, Catch { $($f:ident),* }) => { Err(Error::legacy_exceptions()) };
    ($cx:ident, $emit:ident, CatchAll) => { Err(Error::legacy_exceptions()) };
    ($cx:ident, $emit:ident, Delegate { $($f:ident),* }) => { Err(Error::legacy_exceptions()) };
    ($cx:ident, $emit:ident, Rethrow { $($f:ident),* }) => { Err(Error::legacy_exceptions()) };
    ($cx:ident, $emit:ident, $op:ident $({ $($arg:ident),* })?) => {{
        let op = wp::Operator::$op $({ $($arg: ToParser::to_parser($arg, $cx)?),* })?;
        $emit.parser(op)
    }};
}

/// Where the writer sends an instruction.
pub(crate) trait EmitInstr {
    /// Takes one instruction. By default it goes out as `wasmparser`'s operator (through
    /// `parser`) or, for the few that need it, `wasm-encoder`'s instruction (`encoder`); the
    /// byte writer encodes the commonest ones itself.
    fn instruction(&mut self, instr: &Instr, labels: &mut dyn WriteLabels) -> Result<()>
    where
        Self: Sized,
    {
        instr.emit(labels, self)
    }
    fn parser(&mut self, op: wp::Operator<'_>) -> Result<()>;
    fn encoder(&mut self, instr: wasm_encoder::Instruction<'_>) -> Result<()>;
}

macro_rules! define_instr {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        /// One instruction. See the module documentation for how operands are held.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(missing_docs)]
        pub enum Instr {
            $( $op $({ $($arg: field_type!($op, $arg, $argty)),* })?, )*
        }

        impl Instr {
            /// The instruction's name in the text format's spelling of `wasmparser`'s
            /// visitor (e.g. `visit_i32_add`), for diagnostics.
            pub fn visitor_name(&self) -> &'static str {
                match self {
                    $( Instr::$op { .. } => stringify!($visit), )*
                }
            }

            /// The sequences this instruction owns (bodies of blocks, loops, `if` arms,
            /// `try_table`), in order: every operand is asked (`operands::OwnedBodies`), so an
            /// operator with a body is never missed.
            pub fn bodies(&self) -> impl Iterator<Item = SeqId> + '_ {
                let mut bodies = BodyList::default();
                #[allow(unused_variables)]
                match self {
                    $( Instr::$op $({ $($arg),* })? => { $($( $arg.add_bodies(&mut bodies); )*)? } )*
                }
                bodies.0.into_iter().flatten()
            }

            /// The proposal the instruction comes from.
            pub fn proposal(&self) -> Proposal {
                match self {
                    $( Instr::$op { .. } => proposal!($proposal), )*
                }
            }

            /// The instruction's class (see `classify.rs`): whether it runs code outside its
            /// frame, and whether control never continues after it.
            fn class(&self) -> (Transfer<'_>, bool) {
                #[allow(unused_variables)]
                match self {
                    $( Instr::$op $({ $($arg),* })? => classify!(@$proposal $op $({ $($arg),* })?), )*
                }
            }

            pub(crate) fn emit(&self, cx: &mut dyn WriteLabels, emit: &mut dyn EmitInstr) -> Result<()> {
                #[allow(unused_variables)]
                match self {
                    $( Instr::$op $({ $($arg),* })? => write_instr!(cx, emit, $op $({ $($arg),* })?), )*
                }
            }
        }

        walks! {
            Instr => |this, v| {
                match this {
                    $( Instr::$op $({ $($arg),* })? => { $($( $arg.walk(v); )*)? } )*
                }
            }
        }
    };
}

wp::for_each_operator!(define_instr);

// A big module holds millions of instructions, so their size is most of the IR's memory:
// operands longer than two words (branch tables, catch and handler lists, typed `select`
// lists, the reference types of `br_on_cast`) are boxed to keep every instruction at three.
const _: () = assert!(std::mem::size_of::<Instr>() == 24);

impl Instr {
    /// Whether control never continues to the next instruction of the same sequence
    /// (the rest of the sequence is unreachable): `unreachable`, `br`, `br_table`, `return`,
    /// the `return_call`s, `throw` and `throw_ref`.
    pub fn is_unconditional_transfer(&self) -> bool {
        self.class().1
    }

    /// Whether the instruction calls, suspends, switches or resumes, and whom or what.
    pub fn transfer(&self) -> Transfer<'_> {
        self.class().0
    }
}
