//! The validator: `wasmparser`'s, with the features in force, function bodies in parallel.
//!
//! Every input is validated as it is read (the reader validates each body in the pass that
//! reads it, see `read`, with this module's error order), and every output after it is
//! written (unless the user opts out), so a pass that breaks a module is caught where it
//! happens.
//!
//! An output written from a binary input can be checked against that input
//! ([`validate_against`]): a body's validity depends only on the features, the sections
//! before the code (types, imports, functions, tables, memories, tags, globals, exports,
//! start, elements, data count) and its own bytes. So when the output's sections before the
//! code are byte for byte the input's and the features are the same, an output body
//! identical to the input's body of the same function was validated already, with the same
//! answer, when the input was read, and is not validated again; every other body and every
//! section still is. A round trip of an unmodified module then validates only the bodies the
//! writer encoded differently (two fifths of `esbuild.wasm`'s code, whose compiler pads some
//! operands, none of `sql-wasm.wasm`'s).

use crate::error::{Error, Result};
use rayon::prelude::*;
use wasmparser::{
    FuncToValidate, FuncValidatorAllocations, FunctionBody, Parser, Payload, ValidPayload, Validator,
    ValidatorResources, WasmFeatures,
};

/// The features the toolkit accepts unless told otherwise: everything `wasmparser` knows,
/// stack switching included. Legacy exception handling is accepted by the validator only so
/// that the reader can refuse it with a clear message.
pub fn default_features() -> WasmFeatures {
    WasmFeatures::all()
}

/// Validates a binary module with `features`, reporting the error `Validator::validate_all`
/// would. Like it, this validates the sections in order and the function bodies they hand out
/// afterwards, so an error in the sections comes first, then the first body's in order; the
/// bodies are validated in parallel.
pub fn validate(bytes: &[u8], features: WasmFeatures) -> Result<()> {
    validate_against(bytes, features, None)
}

/// A binary module that was validated, with `features`, as a whole: the input an output was
/// read from (see the module documentation).
#[derive(Clone, Copy, Debug)]
pub struct ValidSource<'a> {
    /// The module's bytes.
    pub bytes: &'a [u8],
    /// The features it was validated with.
    pub features: WasmFeatures,
}

/// Validates like [`validate`], with the same errors, except that the bodies `source` shows
/// to be valid already are skipped (see the module documentation).
pub fn validate_against(bytes: &[u8], features: WasmFeatures, source: Option<ValidSource<'_>>) -> Result<()> {
    let known = source.filter(|s| s.features == features).and_then(|s| KnownBodies::of(s.bytes));
    let mut validator = Validator::new_with_features(features);
    let mut declarations = Vec::new();
    // Whether the sections so far declare what `known`'s do (decided at the code section).
    let mut same_declarations = false;
    let mut bodies = Vec::new();
    let mut index = 0;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        note_declaration(&payload, bytes, &mut declarations);
        if let (Payload::CodeSectionStart { .. }, Some(known)) = (&payload, &known) {
            same_declarations = declarations == known.declarations;
        }
        match validator.payload(&payload)? {
            ValidPayload::Func(func, body) => {
                let known_valid = same_declarations
                    && known.as_ref().and_then(|k| k.bodies.get(index)) == Some(&&bytes[body.range()]);
                if !known_valid {
                    bodies.push((func, body));
                }
                index += 1;
            }
            ValidPayload::End(_) => break,
            ValidPayload::Ok | ValidPayload::Parser(_) => {}
        }
    }
    validate_bodies(bodies)
}

/// What a valid module's bodies were validated against and the bodies themselves.
struct KnownBodies<'a> {
    /// The id and contents of each section before the code but the custom ones, in order.
    declarations: Vec<(u8, &'a [u8])>,
    /// Each function body's bytes, in order.
    bodies: Vec<&'a [u8]>,
}

impl<'a> KnownBodies<'a> {
    /// The sections and bodies of `bytes`, or nothing if it does not parse (it always does:
    /// it was validated).
    fn of(bytes: &'a [u8]) -> Option<Self> {
        let mut known = KnownBodies { declarations: Vec::new(), bodies: Vec::new() };
        for payload in Parser::new(0).parse_all(bytes) {
            let payload = payload.ok()?;
            note_declaration(&payload, bytes, &mut known.declarations);
            match payload {
                Payload::CodeSectionEntry(body) => known.bodies.push(&bytes[body.range()]),
                Payload::End(_) => break,
                _ => {}
            }
        }
        Some(known)
    }
}

/// Records a section that declares what bodies are checked against: any but the custom
/// sections, the code and what follows it (only the data section, which bodies do not see).
fn note_declaration<'a>(payload: &Payload<'_>, bytes: &'a [u8], declarations: &mut Vec<(u8, &'a [u8])>) {
    if let Some((id, range)) = payload.as_section()
        && id != 0
        && id != 10
        && id != 11
    {
        declarations.push((id, &bytes[range]));
    }
}

/// Validates function bodies in parallel, reporting the first invalid one's error in order.
pub(crate) fn validate_bodies(
    bodies: Vec<(FuncToValidate<ValidatorResources>, FunctionBody<'_>)>,
) -> Result<()> {
    let first = bodies
        .into_par_iter()
        .map_init(FuncValidatorAllocations::default, |spare, (func, body)| {
            let mut v = func.into_validator(std::mem::take(spare));
            let outcome = v.validate(&body);
            *spare = v.into_allocations();
            outcome.err()
        })
        .find_map_first(|e| e);
    first.map_or(Ok(()), |e| Err(Error::from(e)))
}

/// The feature names a command line can use (`stack-switching`, `gc`, ...), each with its flag.
pub fn feature_names() -> impl Iterator<Item = (String, WasmFeatures)> {
    WasmFeatures::all().iter_names().map(|(name, flag)| (name.to_ascii_lowercase().replace('_', "-"), flag))
}

/// The flag named `name` (as [`feature_names`] spells it).
pub fn feature_by_name(name: &str) -> Option<WasmFeatures> {
    feature_names().find(|(n, _)| n == name).map(|(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parallel validation reports exactly what `validate_all` reports.
    #[test]
    fn same_error_as_validate_all() {
        let modules = [
            // Two bad bodies: the first one's error.
            "(module (func (result i32) (i64.const 0)) (func (result i32) (f32.const 0)))",
            // A bad body before a bad data segment (memory index out of range): the segment's.
            "(module (func (result i32) (i64.const 0)) (data (memory 3) (i32.const 0) \"x\"))",
            // A bad section before any body.
            "(module (func (export \"f\") (export \"f\")))",
            "(module (memory 1) (func (result i32) (i32.const 0) (drop) (i32.const 1)))",
        ];
        for text in modules {
            let bytes = crate::text::parse_text(text).unwrap();
            let ours =
                validate(&bytes, default_features()).map_err(|e| (e.message().to_string(), e.offset()));
            let theirs = Validator::new_with_features(default_features())
                .validate_all(&bytes)
                .map(|_| ())
                .map_err(|e| (e.message().to_string(), Some(e.offset())));
            assert_eq!(ours, theirs, "{text}");
        }
    }

    /// Validates `output` against `source` (valid with `source_features`) and alone.
    fn against(
        output: &str,
        source: &str,
        source_features: WasmFeatures,
        features: WasmFeatures,
    ) -> [bool; 2] {
        let output = crate::text::parse_text(output).unwrap();
        let source = crate::text::parse_text(source).unwrap();
        validate(&source, source_features).expect("the source is valid");
        let against = validate_against(
            &output,
            features,
            Some(ValidSource { bytes: &source, features: source_features }),
        );
        [against.is_ok(), validate(&output, features).is_ok()]
    }

    /// A body the source does not show valid is still validated: one that differs, one whose
    /// declarations differ, one checked with other features.
    #[test]
    fn validates_what_the_source_does_not_show_valid() {
        let all = default_features();
        let valid = "(module (func (result i32) (i32.const 0)))";
        assert_eq!(against(valid, valid, all, all), [true, true]);
        let other_body = "(module (func (result i32) (i64.const 0)))";
        assert_eq!(against(other_body, valid, all, all), [false, false]);
        // The same body bytes (`global.get 0`), checked against a global of another type.
        let source = "(module (global i32 (i32.const 0)) (func (result i32) (global.get 0)))";
        let output = "(module (global i64 (i64.const 0)) (func (result i32) (global.get 0)))";
        assert_eq!(against(output, source, all, all), [false, false]);
        // The same module, checked with a feature it uses turned off.
        let uses = "(module (func (param i32) (result i32) (i32.extend8_s (local.get 0))))";
        let without = all - WasmFeatures::SIGN_EXTENSION;
        assert_eq!(against(uses, uses, all, without), [false, false]);
    }
}
