//! Passes applied to a module's bytes: read the input, run the passes, write the output and
//! validate it with the features the passes say it needs. The input was valid, so output that
//! cannot be written or does not validate is a bug of the passes, an internal error.
//!
//! `wasmfx-opt` writes its output with [`PassRunner::write_output`], and [`lower_module`] is
//! the one way everything else lowers a module: `wasmfx-run --lower`, the benchmark harness,
//! the tests and the fuzz targets.

use std::panic::{AssertUnwindSafe, catch_unwind};

use wasmfx_ir::{Error, Module, Result, WasmFeatures, validate};

use crate::runner::describe_panic;
use crate::{PassArgs, PassRunner};

impl PassRunner {
    /// Writes `module` as the passes left it and, if `validate`, validates it with `features`,
    /// the features [`PassRunner::run`] said the output needs; the input was read with
    /// `input_features`, from `source` if it was a binary (the bodies written as they were
    /// read need no second validation, see `validate::validate_against`).
    ///
    /// Output that cannot be written or is invalid is a bug in a pass (or in the writer), an
    /// internal error naming the passes ([`PassRunner::invalid_output`]). The exception is
    /// output that is invalid only because the caller turned off a feature the passes' output
    /// needs (the lowering's runtime uses multi-value blocks, say): that is the user's to fix,
    /// an ordinary error.
    pub fn write_output(
        &self,
        module: &Module,
        input_features: WasmFeatures,
        features: WasmFeatures,
        validate: bool,
        source: Option<&[u8]>,
    ) -> Result<Vec<u8>> {
        let bytes = module.to_bytes().map_err(|e| self.invalid_output(&e))?;
        if !validate {
            return Ok(bytes);
        }
        // Text is parsed into a binary that is not kept: only a binary source can vouch.
        let source = source
            .filter(|s| s.starts_with(b"\0asm"))
            .map(|bytes| validate::ValidSource { bytes, features: input_features });
        validate::validate_against(&bytes, features, source).map_err(|e| {
            // Every feature but those a pass lowered away (their output must not use those).
            let lowered = input_features - features;
            let every = (validate::default_features() - lowered) | features;
            if !self.is_empty() && every != features && validate::validate(&bytes, every).is_ok() {
                let e = e.clone().with_message(format!(
                    "the output of the passes needs a feature that is disabled: {}",
                    e.message()
                ));
                // Not internal: `with_message` keeps the kind, and `e` came from the validator.
                debug_assert!(!e.is_internal());
                e
            } else {
                self.invalid_output(&e)
            }
        })?;
        Ok(bytes)
    }

    /// Reads `input` (a binary or the text format) with `features`, runs the passes, and
    /// returns the output written and validated by [`PassRunner::write_output`].
    pub fn run_on_bytes(&self, input: &[u8], features: WasmFeatures) -> Result<Vec<u8>> {
        let mut module = Module::from_input(input, features)?;
        let output_features = self.run(&mut module, features)?;
        self.write_output(&module, features, output_features, true, Some(input))
    }
}

/// Lowers stack switching in `input` (a binary or the text format, any feature on) as
/// `wasmfx-opt --lower-to-asyncify` does, with `args` as its `--pass-arg`s; the result is
/// validated with stack switching off.
///
/// Input that does not read, or that the pass refuses (`unsupported: ...`), is an ordinary
/// error. A bug is an [`Error::internal`] error: the pass panicked or broke an invariant it
/// checks (`internal error in pass lower-to-asyncify: ...`), the reader or the writer panicked
/// (`internal error while lowering: ...`), or the output is invalid.
pub fn lower_module(input: &[u8], args: &PassArgs) -> Result<Vec<u8>> {
    lower_and_optimise(input, args, "0")
}

/// [`lower_module`] followed by optimisation level `level` (`"2"` for `wasmfx-opt
/// --lower-to-asyncify -O2`, what the README recommends and the benchmarks measure as
/// `lowered`; `"0"` for none), with the same errors.
///
/// # Panics
/// If `level` is not one of [`crate::pipelines::LEVELS`] (a caller's bug, not the input's).
pub fn lower_and_optimise(input: &[u8], args: &PassArgs, level: &str) -> Result<Vec<u8>> {
    let passes =
        crate::pipelines::pipeline(level).unwrap_or_else(|| panic!("no optimisation level -O{level}"));
    // The runner catches the passes' panics; this catches the reader's and the writer's, which a
    // caller running the result (`wasmfx-run --lower`) must not take for its own.
    catch_unwind(AssertUnwindSafe(|| {
        let mut runner = PassRunner::new();
        runner.add("lower-to-asyncify")?;
        for pass in passes {
            runner.add(pass)?;
        }
        runner.args = args.clone();
        runner.run_on_bytes(input, validate::default_features())
    }))
    .unwrap_or_else(|payload| {
        Err(Error::internal(format!("internal error while lowering: {}", describe_panic(payload.as_ref()))))
    })
}
