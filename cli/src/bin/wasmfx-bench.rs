//! `wasmfx-bench`: reproduces the WasmFX paper's tables; see `wasmfx_cli::bench`.

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;
use wasmfx_cli::bench::{self, Baseline, Variant, report};

/// Run the WasmFX paper's benchmarks: the C programs bespoke, on Binaryen's Asyncify, on WasmFX
/// natively and lowered by `--lower-to-asyncify` (the paper's tables), and the WAT programs
/// natively (Wasmtime 48 with stack switching), lowered (on Wasmtime and on Node.js) and as
/// bespoke plain Wasm; write markdown tables, a JSON file of every run and an SVG chart.
#[derive(Parser)]
#[command(name = "wasmfx-bench", version)]
struct Cli {
    /// Run the small parameters once each (a quick check; under a minute).
    #[arg(long)]
    quick: bool,
    /// Counted runs per benchmark and variant (after one warm-up run).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// What the ratios are relative to: bespoke, asyncify (the C programs on Binaryen's
    /// Asyncify; the WAT programs stay relative to bespoke), native or lowered.
    #[arg(long, default_value = "bespoke", value_parser = ["bespoke", "asyncify", "native", "lowered"])]
    baseline: String,
    /// Only this benchmark (repeatable).
    #[arg(long = "bench", value_name = "NAME")]
    benchmarks: Vec<String>,
    /// Only this variant (repeatable): bespoke, native, lowered, lowered+binaryen-O2,
    /// lowered-node (the WAT programs), c-bespoke, c-asyncify, c-asyncify-node, c-wasmfx,
    /// c-wasmfx-lowered, c-wasmfx-lowered+binaryen-O2, c-wasmfx-lowered-node (the C programs).
    #[arg(long = "variant", value_name = "NAME")]
    variants: Vec<String>,
    /// The benchmark manifest.
    #[arg(long, default_value = "benches/programs/params.toml")]
    manifest: PathBuf,
    /// Where the results go (results.md, results.json, results.svg).
    #[arg(long, default_value = "target/bench")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let fail = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(1)
    };
    let mut variants = Vec::new();
    for name in &cli.variants {
        match Variant::from_name(name) {
            Some(v) => variants.push(v),
            None => {
                let all: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
                return fail(format!("unknown variant `{name}` ({})", all.join(", ")));
            }
        }
    }
    let baseline = Baseline::from_name(&cli.baseline).expect("clap checked the name");
    let here = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.to_path_buf()));
    let runner = here.as_ref().map(|d| d.join("wasmfx-run")).unwrap_or_else(|| PathBuf::from("wasmfx-run"));
    // The Node.js harness sits in the repository the binary was built in (target/release/..).
    let root = here.as_ref().and_then(|d| d.parent()).and_then(|d| d.parent()).map(|d| d.to_path_buf());
    let root = root.unwrap_or_default();
    let config = bench::Config {
        node_harness: root.join("tests/node/run.mjs"),
        c_cache: root.join("target/bench-c"),
        tools_dir: root.join("tools"),
        manifest: cli.manifest,
        quick: cli.quick,
        runs: if cli.quick { 1 } else { cli.runs.max(1) },
        warmup: !cli.quick,
        benchmarks: cli.benchmarks,
        variants,
        work_dir: cli.out.join("modules"),
        runner,
        progress: true,
    };
    let report = match bench::run(&config) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let markdown = report::markdown(&report, baseline);
    let files = [
        ("results.md", markdown.clone()),
        ("results.json", report::json(&report)),
        ("results.svg", report::svg(&report, baseline)),
    ];
    for (name, contents) in files {
        let path = cli.out.join(name);
        if let Err(e) = wasmfx_cli::io::write_output(&path.to_string_lossy(), contents.as_bytes()) {
            return fail(e.to_string().trim_start_matches("error: ").to_string());
        }
    }
    print!("{markdown}");
    eprintln!("wrote {}/results.md, results.json and results.svg", cli.out.display());
    let failed = report.cells.iter().filter(|c| c.result().is_err()).count();
    if failed > 0 {
        eprintln!("{failed} cell(s) failed (see the table)");
    }
    ExitCode::SUCCESS
}
