//! Every benchmark program gives its answer on its quick parameters in every variant
//! (native, lowered on Wasmtime, lowered on Node.js, bespoke): correctness only, no timing.

use std::path::Path;
use wasmfx_cli::bench::{self, Outcome, Variant};

#[test]
fn every_benchmark_answers_right_in_every_variant() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let work = tempfile::tempdir().unwrap();
    let config = bench::Config {
        manifest: root.join("benches/programs/params.toml"),
        quick: true,
        runs: 1,
        warmup: false,
        benchmarks: Vec::new(),
        variants: Vec::new(),
        work_dir: work.path().to_path_buf(),
        runner: env!("CARGO_BIN_EXE_wasmfx-run").into(),
        node_harness: root.join("tests/node/run.mjs"),
        progress: false,
    };
    let report = bench::run(&config).unwrap();
    let names: std::collections::HashSet<&str> = report.cells.iter().map(|c| c.benchmark.as_str()).collect();
    for expected in ["c10m", "sieve", "skynet", "state", "suspend_resume", "suspend_resume2", "itersum", "treesum"] {
        assert!(names.contains(expected), "benchmark {expected} missing");
    }
    let mut failures = Vec::new();
    for cell in &report.cells {
        assert_eq!(cell.runs.len(), 1);
        if let Err(outcome) = cell.result() {
            failures.push(format!("{} {}: {outcome:?}", cell.benchmark, cell.variant.name()));
        }
        assert!(cell.wasm_bytes > 0);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(report.cells.len(), names.len() * Variant::ALL.len());
    assert!(report.cells.iter().all(|c| c.runs[0].outcome == Outcome::Ok && c.runs[0].peak_rss_kib > 0));
}
