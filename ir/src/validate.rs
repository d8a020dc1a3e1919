//! The validator: `wasmparser`'s, with the features in force, function bodies in parallel.
//!
//! Every input is validated before it is read, and every output before it is written
//! (unless the user opts out), so a pass that breaks a module is caught where it happens.

use crate::error::{Error, Result};
use rayon::prelude::*;
use wasmparser::{
    BinaryReaderError, FuncValidatorAllocations, Parser, ValidPayload, Validator, WasmFeatures,
};

/// The features the toolkit accepts unless told otherwise: everything `wasmparser` knows,
/// stack switching included. Legacy exception handling is accepted by the validator only so
/// that the reader can refuse it with a clear message.
pub fn default_features() -> WasmFeatures {
    WasmFeatures::all()
}

/// Validates a binary module with `features`, reporting the error `Validator::validate_all`
/// would: the first in the binary. The sections are validated in order; the function bodies
/// they hand out are then validated in parallel, and a body's error wins over a section's
/// when it comes earlier in the binary (`validate_all` would have met it first).
pub fn validate(bytes: &[u8], features: WasmFeatures) -> Result<()> {
    let mut validator = Validator::new_with_features(features);
    let mut bodies = Vec::new();
    let mut section_error: Option<BinaryReaderError> = None;
    for payload in Parser::new(0).parse_all(bytes) {
        let step = payload.and_then(|p| validator.payload(&p));
        match step {
            Ok(ValidPayload::Func(func, body)) => bodies.push((func, body)),
            Ok(ValidPayload::End(_)) => break,
            Ok(ValidPayload::Ok | ValidPayload::Parser(_)) => {}
            Err(e) => {
                section_error = Some(e);
                break;
            }
        }
    }
    let body_error =
        bodies.into_par_iter().map_init(FuncValidatorAllocations::default, |spare, (func, body)| {
            let mut v = func.into_validator(std::mem::take(spare));
            let outcome = v.validate(&body);
            *spare = v.into_allocations();
            outcome.err()
        });
    // The first error in the binary's order among the bodies, then against the sections'.
    let body_error = body_error.find_map_first(|e| e);
    let first = match (body_error, section_error) {
        (Some(b), Some(s)) => Some(if b.offset() <= s.offset() { b } else { s }),
        (b, s) => b.or(s),
    };
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
