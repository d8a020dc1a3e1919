//! Every benchmark program gives its answer on its quick parameters in every variant: the WAT
//! programs (native, lowered with our -O2 on Wasmtime, lowered then Binaryen's -O2 on
//! Wasmtime, lowered on Node.js, bespoke) and the C programs (bespoke, Asyncify on Wasmtime and
//! Node.js, WasmFX natively, lowered with either -O2 on Wasmtime, lowered on Node.js); and the C fiber library's own tests on each back end. Correctness only, no timing.

use std::path::{Path, PathBuf};
use std::process::Command;
use wasmfx_cli::bench::{self, Outcome, Variant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Where the C builds are cached for this test run.
fn c_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-c")
}

fn config(work: &Path, variants: &[Variant]) -> bench::Config {
    let root = root();
    bench::Config {
        manifest: root.join("benches/programs/params.toml"),
        quick: true,
        runs: 1,
        warmup: false,
        benchmarks: Vec::new(),
        variants: variants.to_vec(),
        work_dir: work.to_path_buf(),
        runner: env!("CARGO_BIN_EXE_wasmfx-run").into(),
        node_harness: root.join("tests/node/run.mjs"),
        c_cache: c_cache(),
        tools_dir: root.join("tools"),
        progress: false,
    }
}

/// Runs `variants` of every benchmark and checks that each of `expected` ran in each of them,
/// once, with the right answer.
fn every_benchmark_answers_right(variants: &[Variant], expected: &[&str]) {
    let work = tempfile::tempdir().unwrap();
    let report = bench::run(&config(work.path(), variants)).unwrap();
    let names: std::collections::HashSet<&str> = report.cells.iter().map(|c| c.benchmark.as_str()).collect();
    for name in expected {
        for variant in variants {
            assert!(
                report.cells.iter().any(|c| c.benchmark == *name && c.variant == *variant),
                "{name} {} missing",
                variant.name()
            );
        }
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
    assert_eq!(report.cells.len(), expected.len() * variants.len(), "{names:?}");
    assert!(report.cells.iter().all(|c| c.runs[0].outcome == Outcome::Ok && c.runs[0].peak_rss_kib > 0));
}

#[test]
fn every_wat_benchmark_answers_right_in_every_variant() {
    every_benchmark_answers_right(
        &Variant::WAT,
        &[
            "c10m",
            "sieve",
            "skynet",
            "state",
            "suspend_resume",
            "suspend_resume2",
            "itersum",
            "treesum",
            "memgrow",
        ],
    );
}

#[test]
fn every_c_benchmark_answers_right_in_every_variant() {
    every_benchmark_answers_right(&Variant::C, &["c10m", "sieve", "skynet", "state", "itersum", "treesum"]);
}

#[test]
fn c_modules_have_no_custom_sections() {
    let work = tempfile::tempdir().unwrap();
    let mut config = config(work.path(), &Variant::C);
    config.benchmarks = vec!["state".into()];
    let report = bench::run(&config).unwrap();
    // The transformed variants' inputs are the modules they were made from, as written.
    let size = |name: &str| std::fs::metadata(work.path().join("state").join(name)).unwrap().len();
    let input = |v: Variant| report.cells.iter().find(|c| c.variant == v).unwrap().input_wasm_bytes;
    assert_eq!(input(Variant::CAsyncify), Some(size("c-asyncify-input.wasm")));
    assert_eq!(input(Variant::CWasmfxLowered), Some(size("c-wasmfx.wasm")));
    assert_eq!(input(Variant::CWasmfxLoweredBinaryenO2), Some(size("c-wasmfx.wasm")));
    assert_eq!(input(Variant::CWasmfx), None, "the WasmFX build is clang's output linked, not transformed");
    for name in [
        "c-bespoke.wasm",
        "c-asyncify.wasm",
        "c-asyncify-input.wasm",
        "c-wasmfx.wasm",
        "c-wasmfx-lowered.wasm",
    ] {
        let bytes = std::fs::read(work.path().join("state").join(name)).unwrap();
        if let Some(cell) = report.cells.iter().find(|c| format!("{}.wasm", c.variant.name()) == name) {
            assert_eq!(cell.wasm_bytes, bytes.len() as u64, "{name}: the size is the module's");
        }
        for payload in wasmparser::Parser::new(0).parse_all(&bytes) {
            assert!(
                !matches!(payload.unwrap(), wasmparser::Payload::CustomSection(_)),
                "{name} has a custom section"
            );
        }
    }
}

/// The fiber library's tests (benches/c/fiber_test.c: a generator, a finished fiber resumed,
/// a fiber resuming itself, nested fibers, a thousand fibers alive with frames on their own
/// shadow stacks, a record freed while suspended and reused) on Asyncify, natively on WasmFX
/// and lowered, on Wasmtime and Node.js.
#[test]
fn fiber_library_tests_pass_on_every_back_end() {
    let root = root();
    let tools = bench::c::CToolchain::find(&root.join("tools")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let built = bench::c::build(
        "fiber_test",
        &root.join("benches/c/fiber_test.c"),
        None,
        &c_cache(),
        out.path(),
        &tools,
    )
    .unwrap();
    assert!(built.bespoke.is_none());
    let runner = env!("CARGO_BIN_EXE_wasmfx-run");
    let node = root.join("tests/node/run.mjs");
    let runs: [(&str, Vec<&std::ffi::OsStr>); 5] = [
        ("asyncify", vec![runner.as_ref(), built.asyncify.as_os_str()]),
        ("asyncify on node", vec!["node".as_ref(), node.as_os_str(), built.asyncify.as_os_str()]),
        ("wasmfx", vec![runner.as_ref(), built.wasmfx.as_os_str()]),
        ("lowered", vec![runner.as_ref(), "--lower".as_ref(), built.lowered.as_os_str()]),
        ("lowered on node", vec!["node".as_ref(), node.as_os_str(), built.lowered.as_os_str()]),
    ];
    for (what, args) in runs {
        let o = Command::new(args[0]).args(&args[1..]).output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{what}: {stderr}");
        assert_eq!(String::from_utf8_lossy(&o.stdout), "18\n102030\n499500000\n", "{what}");
    }
}

#[test]
fn missing_c_tools_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let err = bench::c::CToolchain::find(dir.path()).unwrap_err();
    assert!(err.contains("wasm-opt") && err.contains("scripts/install-deps"), "{err}");
    assert!(!err.contains('\n'));
}
