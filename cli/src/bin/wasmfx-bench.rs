//! `wasmfx-bench`: reproduces the WasmFX paper's tables; see `wasmfx_cli::bench`.

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;
use wasmfx_cli::bench::{self, Variant, report};

/// Run the WasmFX paper's benchmarks natively (Wasmtime 48 with stack switching), lowered
/// (`--lower-to-asyncify`, on Wasmtime and on Node.js) and as bespoke plain Wasm, and write
/// markdown tables, a JSON file of every run and an SVG chart.
#[derive(Parser)]
#[command(name = "wasmfx-bench", version)]
struct Cli {
    /// Run the small parameters once each (a quick check; under a minute).
    #[arg(long)]
    quick: bool,
    /// Counted runs per benchmark and variant (after one warm-up run).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// The variant the ratios are relative to: bespoke, native or lowered.
    #[arg(long, default_value = "bespoke", value_parser = ["bespoke", "native", "lowered"])]
    baseline: String,
    /// Only this benchmark (repeatable).
    #[arg(long = "bench", value_name = "NAME")]
    benchmarks: Vec<String>,
    /// Only this variant: bespoke, native, lowered or lowered-node (repeatable).
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
                return fail(format!("unknown variant `{name}` (bespoke, native, lowered, lowered-node)"));
            }
        }
    }
    let baseline = Variant::from_name(&cli.baseline).expect("clap checked the name");
    let here = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.to_path_buf()));
    let runner = here.as_ref().map(|d| d.join("wasmfx-run")).unwrap_or_else(|| PathBuf::from("wasmfx-run"));
    // The Node.js harness sits in the repository the binary was built in (target/release/..).
    let root = here.as_ref().and_then(|d| d.parent()).and_then(|d| d.parent()).map(|d| d.to_path_buf());
    let config = bench::Config {
        node_harness: root.unwrap_or_default().join("tests/node/run.mjs"),
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
