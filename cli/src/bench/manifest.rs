//! The manifest: the benchmarks `benches/programs/params.toml` lists, with their files,
//! full and quick arguments and the answers they must print.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// One benchmark as the manifest lists it.
#[derive(Clone, Debug, Serialize)]
pub struct BenchmarkSpec {
    /// The name tables use.
    pub name: String,
    /// The WasmFX program, relative to the manifest.
    pub wasmfx: String,
    /// The bespoke program, relative to the manifest.
    pub bespoke: String,
    /// The full-size arguments and answer.
    pub full: Params,
    /// The small arguments and answer, for `--quick` and the tests.
    pub quick: Params,
    /// The C versions, relative to the manifest: the program on the fiber interface and
    /// the bespoke one (same arguments and answers).
    pub c: Option<(String, String)>,
}

/// Arguments (the program's argv after its name) and what the program must print.
#[derive(Clone, Debug, Serialize)]
pub struct Params {
    /// The arguments.
    pub args: Vec<String>,
    /// The exact standard output.
    pub expected: String,
}

/// One entry of `params.toml`.
#[derive(Deserialize)]
struct ManifestEntry {
    wasmfx: String,
    bespoke: String,
    #[serde(default)]
    full_args: Vec<String>,
    full_stdout: String,
    quick_args: Vec<String>,
    quick_stdout: String,
    c: Option<String>,
    c_bespoke: Option<String>,
}

/// Reads the manifest (`params.toml`), keeping its order.
pub fn load_manifest(path: &Path) -> Result<Vec<BenchmarkSpec>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let table: toml::Table = text.parse().map_err(|e| format!("{}: {e}", path.display()))?;
    table
        .into_iter()
        .map(|(name, value)| {
            let entry: ManifestEntry =
                value.try_into().map_err(|e| format!("{}: [{name}]: {e}", path.display()))?;
            let c = match (entry.c, entry.c_bespoke) {
                (Some(c), Some(b)) => Some((c, b)),
                (None, None) => None,
                _ => return Err(format!("{}: [{name}]: `c` and `c_bespoke` go together", path.display())),
            };
            Ok(BenchmarkSpec {
                name,
                wasmfx: entry.wasmfx,
                bespoke: entry.bespoke,
                full: Params { args: entry.full_args, expected: entry.full_stdout },
                quick: Params { args: entry.quick_args, expected: entry.quick_stdout },
                c,
            })
        })
        .collect()
}
