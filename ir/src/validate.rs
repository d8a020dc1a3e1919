//! The validator: `wasmparser`'s, with the features in force, function bodies in parallel.
//!
//! Every input is validated as it is read (the reader validates each body in the pass that
//! reads it, see `read`, with this module's error order), and every output after it is
//! written (unless the user opts out), so a pass that breaks a module is caught where it
//! happens.

use crate::error::{Error, Result};
use rayon::prelude::*;
use wasmparser::{
    FuncToValidate, FuncValidatorAllocations, FunctionBody, Parser, ValidPayload, Validator,
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
    let mut validator = Validator::new_with_features(features);
    let mut bodies = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match validator.payload(&payload?)? {
            ValidPayload::Func(func, body) => bodies.push((func, body)),
            ValidPayload::End(_) => break,
            ValidPayload::Ok | ValidPayload::Parser(_) => {}
        }
    }
    validate_bodies(bodies)
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
}
