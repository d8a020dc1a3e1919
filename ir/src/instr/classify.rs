//! What an instruction is, for the passes that must not forget an operator: the proposal it
//! comes from, whether it runs code outside its frame (calls and stack switching), and
//! whether control can continue after it.
//!
//! Both answers are generated with `Instr` from `wasmparser`'s operator list, by
//! [`classify!`] below, which has no rule for "any operator". The proposals whose operators
//! call, switch stacks, branch away or throw (`mvp`, `tail_call`, `function_references`,
//! `exceptions`, `legacy_exceptions`, `stack_switching`) are listed operator by operator,
//! except for the MVP's many ordinary operators, which are final; every other proposal has
//! one rule saying that none of its operators calls or ends a sequence. So an operator added
//! to one of the listed proposals, or a new proposal, does not compile until someone says
//! what it does, instead of being taken for ordinary code.

use crate::ids::{FuncId, TagId, TypeId};
use crate::instr::Handler;

/// The proposal an operator comes from, as `wasmparser`'s operator list groups them.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Proposal {
    Mvp,
    SignExtension,
    Gc,
    CustomDescriptors,
    SaturatingFloatToInt,
    BulkMemory,
    ReferenceTypes,
    TailCall,
    MemoryControl,
    Threads,
    Simd,
    RelaxedSimd,
    Exceptions,
    LegacyExceptions,
    SharedEverythingThreads,
    FunctionReferences,
    StackSwitching,
    WideArithmetic,
}

/// Whom a call calls.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Callee {
    /// `call $f`, `return_call $f`.
    Func(FuncId),
    /// `call_indirect`, `call_ref` and their tail forms, with the signature they call through.
    Signature(TypeId),
}

/// What a `resume` passes to the continuation it resumes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ResumeWith {
    /// `resume`: the continuation's arguments.
    Arguments,
    /// `resume_throw $tag`: an exception of that tag, raised where it suspended.
    Exception(TagId),
    /// `resume_throw_ref`: an `exnref`, rethrown where it suspended.
    ExnRef,
}

/// Whether an instruction runs code outside the running frame: a call, or a stack-switching
/// operation that leaves the frame (`suspend`, `switch`) or enters a continuation (`resume`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Transfer<'a> {
    /// A call; `tail` for the `return_call` forms.
    Call { callee: Callee, tail: bool },
    /// `suspend $tag`: unwinds to the innermost `resume` handling `$tag`.
    Suspend { tag: TagId },
    /// `switch $ct $tag`: passes control to the continuation given as its last operand.
    Switch { cont: TypeId, tag: TagId },
    /// `resume $ct`, `resume_throw $ct $tag` or `resume_throw_ref $ct` with handler clauses.
    Resume { cont: TypeId, with: ResumeWith, handlers: &'a [Handler] },
    /// Everything else: control stays in the frame (or leaves it by a branch, a return or a
    /// throw). `cont.new` and `cont.bind` make continuations but run none.
    Stays,
}

/// One operator's class: its [`Transfer`], and whether control never continues to the next
/// instruction of the same sequence. Called by `define_instr!` with the operator's proposal,
/// name and field bindings; a rule per listed operator, one per ordinary proposal.
macro_rules! classify {
    // The MVP's control operators and calls; the rest of the MVP is ordinary.
    (@mvp Unreachable) => {
        (Transfer::Stays, true)
    };
    (@mvp Br { $depth:ident }) => {
        (Transfer::Stays, true)
    };
    (@mvp BrTable { $targets:ident }) => {
        (Transfer::Stays, true)
    };
    (@mvp Return) => {
        (Transfer::Stays, true)
    };
    (@mvp Call { $func:ident }) => {
        (Transfer::Call { callee: Callee::Func(*$func), tail: false }, false)
    };
    (@mvp CallIndirect { $ty:ident, $table:ident }) => {
        (Transfer::Call { callee: Callee::Signature(*$ty), tail: false }, false)
    };
    (@mvp $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };

    (@tail_call ReturnCall { $func:ident }) => {
        (Transfer::Call { callee: Callee::Func(*$func), tail: true }, true)
    };
    (@tail_call ReturnCallIndirect { $ty:ident, $table:ident }) => {
        (Transfer::Call { callee: Callee::Signature(*$ty), tail: true }, true)
    };

    (@function_references CallRef { $ty:ident }) => {
        (Transfer::Call { callee: Callee::Signature(*$ty), tail: false }, false)
    };
    (@function_references ReturnCallRef { $ty:ident }) => {
        (Transfer::Call { callee: Callee::Signature(*$ty), tail: true }, true)
    };
    (@function_references RefAsNonNull) => {
        (Transfer::Stays, false)
    };
    (@function_references BrOnNull { $depth:ident }) => {
        (Transfer::Stays, false)
    };
    (@function_references BrOnNonNull { $depth:ident }) => {
        (Transfer::Stays, false)
    };

    (@exceptions TryTable { $body:ident }) => {
        (Transfer::Stays, false)
    };
    (@exceptions Throw { $tag:ident }) => {
        (Transfer::Stays, true)
    };
    (@exceptions ThrowRef) => {
        (Transfer::Stays, true)
    };

    // The reader refuses these; what they would be is written down all the same.
    (@legacy_exceptions Try { $body:ident }) => {
        (Transfer::Stays, false)
    };
    (@legacy_exceptions Catch { $tag:ident }) => {
        (Transfer::Stays, false)
    };
    (@legacy_exceptions Rethrow { $depth:ident }) => {
        (Transfer::Stays, true)
    };
    (@legacy_exceptions Delegate { $depth:ident }) => {
        (Transfer::Stays, true)
    };
    (@legacy_exceptions CatchAll) => {
        (Transfer::Stays, false)
    };

    (@stack_switching ContNew { $cont:ident }) => {
        (Transfer::Stays, false)
    };
    (@stack_switching ContBind { $argument:ident, $result:ident }) => {
        (Transfer::Stays, false)
    };
    (@stack_switching Suspend { $tag:ident }) => {
        (Transfer::Suspend { tag: *$tag }, false)
    };
    (@stack_switching Resume { $cont:ident, $handlers:ident }) => {
        (
            Transfer::Resume { cont: *$cont, with: ResumeWith::Arguments, handlers: $handlers.as_slice() },
            false,
        )
    };
    (@stack_switching ResumeThrow { $cont:ident, $tag:ident, $handlers:ident }) => {
        (
            Transfer::Resume {
                cont: *$cont,
                with: ResumeWith::Exception(*$tag),
                handlers: $handlers.as_slice(),
            },
            false,
        )
    };
    (@stack_switching ResumeThrowRef { $cont:ident, $handlers:ident }) => {
        (Transfer::Resume { cont: *$cont, with: ResumeWith::ExnRef, handlers: $handlers.as_slice() }, false)
    };
    (@stack_switching Switch { $cont:ident, $tag:ident }) => {
        (Transfer::Switch { cont: *$cont, tag: *$tag }, false)
    };

    // Proposals with no calls, no stack switching and no operator that ends a sequence (the
    // GC and descriptor casts branch only conditionally).
    (@sign_extension $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };
    (@gc $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };
    (@custom_descriptors $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };
    (@saturating_float_to_int $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };
    (@bulk_memory $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };
    (@reference_types $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };
    (@memory_control $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };
    (@threads $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };
    (@simd $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };
    (@relaxed_simd $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };
    (@shared_everything_threads $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };
    (@wide_arithmetic $op:ident $($fields:tt)?) => {
        (Transfer::Stays, false)
    };
}

/// The [`Proposal`] variant for the proposal name `wasmparser` writes (`@mvp` → `Mvp`); a
/// new proposal has no rule and does not compile.
macro_rules! proposal {
    (mvp) => {
        Proposal::Mvp
    };
    (sign_extension) => {
        Proposal::SignExtension
    };
    (gc) => {
        Proposal::Gc
    };
    (custom_descriptors) => {
        Proposal::CustomDescriptors
    };
    (saturating_float_to_int) => {
        Proposal::SaturatingFloatToInt
    };
    (bulk_memory) => {
        Proposal::BulkMemory
    };
    (reference_types) => {
        Proposal::ReferenceTypes
    };
    (tail_call) => {
        Proposal::TailCall
    };
    (memory_control) => {
        Proposal::MemoryControl
    };
    (threads) => {
        Proposal::Threads
    };
    (simd) => {
        Proposal::Simd
    };
    (relaxed_simd) => {
        Proposal::RelaxedSimd
    };
    (exceptions) => {
        Proposal::Exceptions
    };
    (legacy_exceptions) => {
        Proposal::LegacyExceptions
    };
    (shared_everything_threads) => {
        Proposal::SharedEverythingThreads
    };
    (function_references) => {
        Proposal::FunctionReferences
    };
    (stack_switching) => {
        Proposal::StackSwitching
    };
    (wide_arithmetic) => {
        Proposal::WideArithmetic
    };
}

pub(crate) use {classify, proposal};
