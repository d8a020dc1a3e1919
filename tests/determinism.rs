//! Every pass gives the same bytes on every run: each test input (the round-trip corpus, the
//! differential programs, the examples, the benchmark programs and the pass snapshots' inputs)
//! goes through every registered pass twice on a one-thread pool and twice on a four-thread
//! pool (what `RAYON_NUM_THREADS=1` and the default give a process), and the four outputs, or
//! the four errors, must be identical.

mod common;

use std::path::PathBuf;
use wasmfx::passes::{PassRunner, REGISTRY};

/// Every `.wat` input the tests use.
fn inputs() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["tests/corpus", "tests/differential", "examples", "benches/programs"] {
        files.extend(common::files(dir, "wat"));
    }
    for pass in std::fs::read_dir(common::root().join("tests/filetests")).unwrap() {
        let dir = pass.unwrap().path();
        if dir.is_dir() {
            let rel = dir.strip_prefix(common::root()).unwrap().to_string_lossy().into_owned();
            files.extend(common::files(&rel, "wat"));
        }
    }
    files
}

/// The output of `pass` on `input`: its bytes, or its error.
fn run_pass(input: &[u8], pass: &str) -> Result<Vec<u8>, String> {
    let mut runner = PassRunner::new();
    runner.add(pass).map_err(|e| e.to_string())?;
    runner.run_on_bytes(input, common::features()).map_err(|e| e.to_string())
}

#[test]
fn every_pass_gives_the_same_bytes_with_any_number_of_threads() {
    let pools: Vec<rayon::ThreadPool> =
        [1, 4].iter().map(|&n| rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap()).collect();
    let files = inputs();
    assert!(files.len() > 150, "only {} inputs", files.len());
    let mut failures = Vec::new();
    let mut lowered = 0;
    for path in &files {
        let input = std::fs::read(path).unwrap();
        for pass in REGISTRY {
            let outputs: Vec<Result<Vec<u8>, String>> = pools
                .iter()
                .flat_map(|pool| {
                    [
                        pool.install(|| run_pass(&input, pass.name)),
                        pool.install(|| run_pass(&input, pass.name)),
                    ]
                })
                .collect();
            if outputs.iter().any(|o| o != &outputs[0]) {
                failures.push(format!("{} --{}: the outputs differ between runs", path.display(), pass.name));
            }
            if pass.name == "lower-to-asyncify" && outputs[0].is_ok() && outputs[0] != Ok(input.clone()) {
                lowered += 1;
            }
        }
    }
    assert!(lowered > 100, "only {lowered} inputs were lowered");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
