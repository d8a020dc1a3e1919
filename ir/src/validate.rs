//! The verifier: `wasmparser`'s validator with the features in force.
//!
//! Every input is validated before it is read, and every output before it is written
//! (unless the user opts out), so a pass that breaks a module is caught where it happens.

use crate::error::{Error, Result};
use wasmparser::{Validator, WasmFeatures};

/// The features the toolkit accepts unless told otherwise: everything `wasmparser` knows,
/// stack switching included. Legacy exception handling is accepted by the validator only so
/// that the reader can refuse it with a clear message.
pub fn default_features() -> WasmFeatures {
    WasmFeatures::all()
}

/// Validates a binary module with `features`.
pub fn validate(bytes: &[u8], features: WasmFeatures) -> Result<()> {
    Validator::new_with_features(features).validate_all(bytes).map(|_| ()).map_err(Error::from)
}

/// The feature names a command line can use (`stack-switching`, `gc`, ...), each with its flag.
pub fn feature_names() -> impl Iterator<Item = (String, WasmFeatures)> {
    WasmFeatures::all().iter_names().map(|(name, flag)| (name.to_ascii_lowercase().replace('_', "-"), flag))
}

/// The flag named `name` (as [`feature_names`] spells it).
pub fn feature_by_name(name: &str) -> Option<WasmFeatures> {
    feature_names().find(|(n, _)| n == name).map(|(_, f)| f)
}
