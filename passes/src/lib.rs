//! Passes over the wasmfx IR, the registry that names them, and the runner that applies them.
//!
//! A pass is one file in this crate implementing [`Pass`]; registering it is one line in
//! [`registry::REGISTRY`], after which every tool offers it as `--NAME`.

mod apply;
pub mod coalesce_locals;
pub mod dce;
pub mod effects;
pub mod inlining;
pub mod lower_to_asyncify;
pub mod merge_blocks;
pub mod merge_identical_types;
pub mod pipelines;
pub mod precompute;
pub mod propagate_globals;
pub mod registry;
pub mod remove_unused_brs;
pub mod remove_unused_module_elements;
pub mod runner;
pub mod simplify_locals;
pub mod vacuum;

pub use apply::{lower_and_optimise, lower_module};
pub use registry::{PassInfo, REGISTRY, lookup};
pub use runner::{PassArgs, PassRunner};

use wasmfx_ir::{Module, Result, WasmFeatures};

/// A transformation of a module.
pub trait Pass: Send + Sync {
    /// Applies the pass to `module`.
    fn run(&self, module: &mut Module, args: &PassArgs) -> Result<()>;

    /// The features the module needs after the pass, given those it needed before (a
    /// lowering pass removes the feature it lowers).
    fn output_features(&self, features: WasmFeatures) -> WasmFeatures {
        features
    }

    /// The `--pass-arg` keys the pass reads. The runner refuses a key that no pass it runs
    /// reads, so that a misspelt key is an error rather than silently ignored.
    fn arg_keys(&self) -> &'static [&'static str] {
        &[]
    }
}
