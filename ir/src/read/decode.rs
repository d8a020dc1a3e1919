//! Operators decoded from the bytes straight into instructions, as `wasmparser` visitors.
//!
//! `wasmparser` can hand a reader's operators out in two ways: as an `Operator`, an enum of
//! every operator built by a decoder, or as a call to one method per operator of a
//! `VisitOperator`, with the operands as arguments. The reader used to take `Operator`s: each
//! one was built, matched once by the body's validator (`FuncValidator::op` dispatches it to
//! the validator's own visitor) and matched again to convert it into an [`Instr`]: three
//! dispatches over five hundred operators for every instruction of the input, and the
//! `Operator` itself: a fifth of a round trip's CPU time on esbuild.wasm (14 MB).
//!
//! Here the decoder calls the visitors directly: [`Validated`] is the visitor of a function
//! body, which hands each operator's operands to the validator's method of the same
//! operator and then, if it is valid, to [`Decoder`]'s, which builds the instruction (the
//! operands converted by `FromParser`, as `Instr`'s field types say) and gives it to an
//! [`InstrSink`]. Each operator is decoded once and dispatched once. Both visitors are
//! generated from `wasmparser`'s operator lists, so every operator is decoded, and one that
//! the IR refuses (the legacy exception-handling ones) is refused here, after it was
//! validated.
//!
//! Before: bytes → `Operator` → `FuncValidator::op` (match) → `Instr::from_operator` (match).
//! After: bytes → `Validated::visit_i32_load(memarg)` → the validator's `visit_i32_load` and
//! `Instr::I32Load { memarg }`.

use crate::error::{Error, Result};
use crate::instr::{FromParser, Instr, ReadLabels};
use wasmparser::{BinaryReaderError, FuncValidator, ValidatorResources, VisitOperator, VisitSimdOperator};

/// Where decoded instructions go, and the labels their branches resolve against.
pub(crate) trait InstrSink: ReadLabels {
    /// Takes the next instruction (a structured one has opened its body through
    /// [`ReadLabels::open_body`] while it was built).
    fn push(&mut self, instr: Instr) -> Result<()>;
    /// An `else`: the open `if`'s second arm begins.
    fn else_(&mut self) -> Result<()>;
    /// An `end`: the innermost open sequence ends.
    fn end(&mut self) -> Result<()>;
}

/// Builds each operator it visits into an instruction for its sink; a visit fails with what
/// the IR refuses.
pub(crate) struct Decoder<'s, S: ?Sized>(pub(crate) &'s mut S);

/// One operator into an instruction: `else` and `end` structure the sequences, the legacy
/// exception-handling operators are refused, and every other operator's operands become its
/// instruction's fields.
macro_rules! decode {
    ($sink:expr, Else) => { $sink.else_() };
    ($sink:expr, End) => { $sink.end() };
    ($sink:expr, Try $fields:tt) => { Err(Error::legacy_exceptions().at($sink.offset())) };
    ($sink:expr, Catch $fields:tt) => { Err(Error::legacy_exceptions().at($sink.offset())) };
    ($sink:expr, CatchAll) => { Err(Error::legacy_exceptions().at($sink.offset())) };
    ($sink:expr, Delegate $fields:tt) => { Err(Error::legacy_exceptions().at($sink.offset())) };
    ($sink:expr, Rethrow $fields:tt) => { Err(Error::legacy_exceptions().at($sink.offset())) };
    ($sink:expr, $op:ident $({ $($arg:ident),* })?) => {{
        let instr = Instr::$op $({ $($arg: FromParser::from_parser($arg, &mut *$sink)?),* })?;
        $sink.push(instr)
    }};
}

macro_rules! decoder_methods {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $(
            // The legacy exception-handling operators are refused without their operands.
            #[allow(unused_variables)]
            fn $visit(&mut self $($(, $arg: $argty)*)?) -> Result<()> {
                decode!(self.0, $op $({ $($arg),* })?)
            }
        )*
    };
}

impl<'a, S: InstrSink + ?Sized> VisitOperator<'a> for Decoder<'_, S> {
    type Output = Result<()>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Result<()>>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(decoder_methods);
}

impl<'a, S: InstrSink + ?Sized> VisitSimdOperator<'a> for Decoder<'_, S> {
    wasmparser::for_each_visit_simd_operator!(decoder_methods);
}

/// A function body's visitor: each operator validated by the body's validator, then, while
/// nothing was refused, decoded into the sink. A visit fails only for an invalid operator;
/// the first refusal is kept in `refused` and the rest of the body is still validated (an
/// invalid operator further on is reported first).
pub(crate) struct Validated<'v, S> {
    pub(crate) validator: &'v mut FuncValidator<ValidatorResources>,
    /// The offset of the operator being visited.
    pub(crate) offset: usize,
    pub(crate) sink: S,
    pub(crate) refused: Option<Error>,
}

macro_rules! validated_methods {
    ($validator:ident $( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $(
            fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
                self.validator.$validator(self.offset).$visit($($($arg.clone()),*)?)?;
                if self.refused.is_none()
                    && let Err(e) = Decoder(&mut self.sink).$visit($($($arg),*)?)
                {
                    self.refused = Some(e);
                }
                Ok(())
            }
        )*
    };
}

macro_rules! validated_plain_methods {
    ($($list:tt)*) => { validated_methods!(visitor $($list)*); };
}

macro_rules! validated_simd_methods {
    ($($list:tt)*) => { validated_methods!(simd_visitor $($list)*); };
}

impl<'a, S: InstrSink> VisitOperator<'a> for Validated<'_, S> {
    type Output = Result<(), BinaryReaderError>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(validated_plain_methods);
}

impl<'a, S: InstrSink> VisitSimdOperator<'a> for Validated<'_, S> {
    wasmparser::for_each_visit_simd_operator!(validated_simd_methods);
}
