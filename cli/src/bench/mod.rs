//! `wasmfx-bench`: runs the WasmFX paper's benchmarks in several variants and measures them
//! as the paper did.
//!
//! Each benchmark is a WasmFX program and a bespoke one (plain Wasm doing the same work),
//! listed in `benches/programs/params.toml` with full and quick arguments and the answer each
//! must print. Each variant runs in its own process, so that peak memory is the
//! variant's: `native` (Wasmtime 48 with stack switching), `lowered` (our
//! `--lower-to-asyncify -O2` output, the lowering then our optimiser, on Wasmtime with stack
//! switching off), `lowered+binaryen-O2` (our `--lower-to-asyncify` output optimised by
//! Binaryen's `wasm-opt -O2` instead, the yardstick of our `-O2`), `lowered-node` (the
//! `lowered` module on Node.js) and `bespoke`. Compilation is left out for the Wasmtime variants by
//! precompiling (`wasmfx-run --precompile`); Node compiles as it loads, so its times include
//! compilation. Every run checks the answer; a wrong answer or a crash is a failure in the
//! results, and Wasmtime's native continuation limit is reported with the count reached.
//! A measurement is the median wall time of N runs after a warm-up (with min and max), the
//! peak RSS of the process (median and max), and the size of the `.wasm` the variant runs,
//! written without custom sections (names, producers), so that sizes compare.

pub mod binaryen;
pub mod c;
mod manifest;
mod measure;
pub mod report;
mod results;
mod variants;

use indicatif::{ProgressBar, ProgressStyle};
pub use manifest::{BenchmarkSpec, Params, load_manifest};
use measure::{Prepared, measure, prepare};
pub use results::{Cell, Machine, Outcome, Report, RunRecord, Summary};
use std::path::{Path, PathBuf};
use std::process::Command;
pub use variants::{Baseline, Variant};

/// What to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// The manifest (`benches/programs/benchmarks.json`).
    pub manifest: PathBuf,
    /// Use the quick parameters.
    pub quick: bool,
    /// Counted runs per cell (a warm-up run comes first when `warmup`).
    pub runs: usize,
    /// Whether to do a warm-up run first.
    pub warmup: bool,
    /// Only these benchmarks (all when empty).
    pub benchmarks: Vec<String>,
    /// Only these variants (all when empty).
    pub variants: Vec<Variant>,
    /// Where the built and precompiled modules go.
    pub work_dir: PathBuf,
    /// The `wasmfx-run` binary.
    pub runner: PathBuf,
    /// The Node.js harness (`tests/node/run.mjs`).
    pub node_harness: PathBuf,
    /// Where the C builds are cached (`target/bench-c`).
    pub c_cache: PathBuf,
    /// The project's tool folder (`tools/`, where `scripts/install-deps` puts Binaryen).
    pub tools_dir: PathBuf,
    /// Show a progress bar.
    pub progress: bool,
}

/// Runs the benchmarks `config` selects and returns every measurement.
pub fn run(config: &Config) -> Result<Report, String> {
    let specs = load_manifest(&config.manifest)?;
    let base = config.manifest.parent().unwrap_or(Path::new("."));
    let specs: Vec<&BenchmarkSpec> = specs
        .iter()
        .filter(|s| config.benchmarks.is_empty() || config.benchmarks.contains(&s.name))
        .collect();
    let variants: Vec<Variant> = Variant::ALL
        .into_iter()
        .filter(|v| config.variants.is_empty() || config.variants.contains(v))
        .collect();
    let per_cell = config.runs + usize::from(config.warmup);
    let bar = if config.progress {
        let cells: usize =
            specs.iter().map(|s| variants.iter().filter(|v| !v.is_c() || s.c.is_some()).count()).sum();
        ProgressBar::new((cells * per_cell) as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} {msg}")
            .map_err(|e| e.to_string())?
            .progress_chars("=> "),
    );
    let wants_c = variants.iter().any(|v| v.is_c()) && specs.iter().any(|s| s.c.is_some());
    let c_tools = if wants_c { Some(c::CToolchain::find(&config.tools_dir)?) } else { None };
    let wasm_opt = match &c_tools {
        Some(tools) => Some(tools.wasm_opt.clone()),
        None if variants.contains(&Variant::LoweredBinaryenO2) => Some(binaryen::WasmOpt::find(
            &config.tools_dir,
            "the lowered+binaryen-O2 variant",
            "run scripts/install-deps, or leave the variant out with --variant",
        )?),
        None => None,
    };
    let mut cells = Vec::new();
    for spec in specs {
        bar.set_message(format!("{}: preparing", spec.name));
        let prepared = prepare(spec, base, config, &variants, c_tools.as_ref(), wasm_opt.as_ref())?;
        let params = if config.quick { &spec.quick } else { &spec.full };
        for Prepared { variant, program, size, input_size } in prepared {
            bar.set_message(format!("{} {}", spec.name, variant.name()));
            let mut runs = Vec::new();
            for i in 0..per_cell {
                let mut cmd = if variant.on_node() {
                    let mut c = Command::new("node");
                    c.arg(&config.node_harness);
                    c
                } else {
                    let mut c = Command::new(&config.runner);
                    if variant.lowered_on_wasmtime() {
                        c.arg("--lower");
                    }
                    c
                };
                cmd.arg(&program).args(&params.args);
                let mut record = measure(cmd, &params.expected);
                record.warmup = config.warmup && i == 0;
                let failed = record.outcome != Outcome::Ok;
                runs.push(record);
                bar.inc(1);
                if failed {
                    // A failure is the cell's result: repeating it measures nothing.
                    bar.inc((per_cell - i - 1) as u64);
                    break;
                }
            }
            cells.push(Cell {
                benchmark: spec.name.clone(),
                variant,
                wasm_bytes: size,
                input_wasm_bytes: input_size,
                runs,
            });
        }
    }
    bar.finish_and_clear();
    let mut machine = Machine::detect();
    if let Some(tools) = c_tools {
        machine.tools.extend(tools.versions);
    } else if let Some(wasm_opt) = wasm_opt {
        machine.tools.push(("wasm-opt".into(), wasm_opt.version));
    }
    Ok(Report { machine, quick: config.quick, runs: config.runs, cells })
}
