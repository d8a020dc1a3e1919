//! The pass runner: applies passes in order and, in pass-debug mode, validates after each.

use crate::{Pass, PassInfo};
use std::collections::BTreeMap;
use wasmfx_ir::{Error, Module, Result, WasmFeatures, validate};

/// Arguments given to passes with `--pass-arg KEY@VALUE`.
#[derive(Clone, Debug, Default)]
pub struct PassArgs {
    args: BTreeMap<String, String>,
}

impl PassArgs {
    /// Parses one `KEY@VALUE` (or a bare `KEY`, whose value is empty).
    pub fn add(&mut self, arg: &str) -> Result<()> {
        let (key, value) = arg.split_once('@').unwrap_or((arg, ""));
        if key.is_empty() {
            return Err(Error::new(format!("--pass-arg `{arg}` has no key (expected KEY@VALUE)")));
        }
        self.args.insert(key.to_string(), value.to_string());
        Ok(())
    }

    /// The value given for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.args.get(key).map(String::as_str)
    }
}

/// Applies a list of passes.
pub struct PassRunner {
    passes: Vec<(&'static PassInfo, Box<dyn Pass>)>,
    /// Arguments the passes read.
    pub args: PassArgs,
    /// Validate after every pass (`WASMFX_PASS_DEBUG=1` turns it on by default).
    pub debug: bool,
}

impl Default for PassRunner {
    fn default() -> Self {
        PassRunner::new()
    }
}

impl PassRunner {
    /// A runner with no passes; pass-debug mode follows `WASMFX_PASS_DEBUG`.
    pub fn new() -> Self {
        let debug = std::env::var("WASMFX_PASS_DEBUG").is_ok_and(|v| !v.is_empty() && v != "0");
        PassRunner { passes: Vec::new(), args: PassArgs::default(), debug }
    }

    /// Appends the registered pass `name`.
    pub fn add(&mut self, name: &str) -> Result<()> {
        let info = crate::lookup(name).ok_or_else(|| Error::new(format!("unknown pass `{name}`")))?;
        self.passes.push((info, (info.create)()));
        Ok(())
    }

    /// Whether any pass was added.
    pub fn is_empty(&self) -> bool {
        self.passes.is_empty()
    }

    /// Runs every pass in order on `module`, whose input needed `features`; returns the
    /// features the output needs. In debug mode the module is validated after each pass,
    /// and a failure names the pass.
    pub fn run(&self, module: &mut Module, mut features: WasmFeatures) -> Result<WasmFeatures> {
        for (info, pass) in &self.passes {
            pass.run(module, &self.args)
                .map_err(|e| Error::new(format!("pass `{}` failed: {}", info.name, e.message())))?;
            features = pass.output_features(features);
            if self.debug {
                let bytes = module.to_bytes()?;
                validate::validate(&bytes, features).map_err(|e| {
                    Error::new(format!("pass `{}` produced an invalid module: {e}", info.name))
                })?;
            }
        }
        Ok(features)
    }
}
