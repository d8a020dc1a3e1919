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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::EntityId;
    use crate::instr::Instr;
    use crate::module::Module;

    /// Every calling and stack-switching operator, with `br`, `throw` and `i32.add` among them.
    const PROGRAM: &str = r#"(module
      (rec
        (type $sf (func (param i32 (ref null $sc)) (result i32)))
        (type $sc (cont $sf)))
      (type $ft (func))
      (type $ct (cont $ft))
      (tag $t)
      (tag $e)
      (tag $sw (result i32))
      (table 1 funcref)
      (elem declare func $g)
      (func $g)
      (func $f (param $k (ref null $ct))
        (call $g)
        (call_indirect (type $ft) (i32.const 0))
        (call_ref $ft (ref.func $g))
        (drop (cont.new $ct (ref.func $g)))
        (suspend $t)
        (drop (block $h (result (ref $ct))
          (resume $ct (on $t $h) (local.get $k))
          (resume_throw $ct $e (local.get $k))
          (resume_throw_ref $ct (ref.null exn) (local.get $k))
          (unreachable)))
        (drop (i32.add (i32.const 1) (i32.const 2)))
        (if (i32.const 0) (then (throw $e)))
        (return_call $g))
      (func $s (param $k (ref null $sc)) (result i32 (ref null $sc))
        (switch $sc $sw (i32.const 1) (local.get $k))))"#;

    #[test]
    fn calls_and_stack_switching_are_classified() {
        let module = Module::from_input(PROGRAM.as_bytes(), crate::validate::default_features()).unwrap();
        let instrs: Vec<&Instr> = [1, 2]
            .into_iter()
            .flat_map(|f| {
                let body = module.body(FuncId::new(f)).unwrap();
                body.live_seqs().into_iter().flat_map(|s| &body.seqs[s].instrs)
            })
            .collect();
        let (sc, ft, ct) = (TypeId::new(1), TypeId::new(2), TypeId::new(3));
        let (t, e, sw) = (TagId::new(0), TagId::new(1), TagId::new(2));
        let label = instrs.iter().find_map(|i| i.bodies().next()).unwrap();
        let on_t = [Handler::OnLabel { tag: t, label }];
        let call = |callee, tail| Transfer::Call { callee, tail };
        let resume = |with| Transfer::Resume { cont: ct, with, handlers: &[] };
        let mut expected = [
            call(Callee::Func(FuncId::new(0)), false),
            call(Callee::Signature(ft), false),
            call(Callee::Signature(ft), false),
            call(Callee::Func(FuncId::new(0)), true),
            Transfer::Suspend { tag: t },
            Transfer::Resume { cont: ct, with: ResumeWith::Arguments, handlers: &on_t },
            resume(ResumeWith::Exception(e)),
            resume(ResumeWith::ExnRef),
            Transfer::Switch { cont: sc, tag: sw },
        ]
        .map(|t| format!("{t:?}"));
        let mut found: Vec<String> = instrs
            .iter()
            .map(|i| i.transfer())
            .filter(|t| *t != Transfer::Stays)
            .map(|t| format!("{t:?}"))
            .collect();
        expected.sort();
        found.sort();
        assert_eq!(found, expected);
        let mut ends: Vec<&str> =
            instrs.iter().filter(|i| i.is_unconditional_transfer()).map(|i| i.visitor_name()).collect();
        ends.sort();
        assert_eq!(ends, ["visit_return_call", "visit_throw", "visit_unreachable"]);
        let count = |p: Proposal| instrs.iter().filter(|i| i.proposal() == p).count();
        assert_eq!(count(Proposal::StackSwitching), 6);
        assert_eq!((count(Proposal::Exceptions), count(Proposal::TailCall)), (1, 1));
        assert_eq!(count(Proposal::FunctionReferences), 1);
    }
}
