//! Snapshot tests of passes: `tests/filetests/PASS/CASE.wat` is run through `--PASS` and the
//! printed result must equal `CASE.out` beside it. `WASMFX_BLESS=1` rewrites the `.out` files.
//! Each case is also run before and after the pass (every zero-parameter export), and the
//! results must agree.

mod common;

use common::*;
use wasmfx::ir::Module;
use wasmfx::passes::PassRunner;

#[test]
fn pass_snapshots() {
    let bless = std::env::var("WASMFX_BLESS").is_ok_and(|v| v == "1");
    let engine = engine();
    let mut failures = Vec::new();
    let mut cases = 0;
    let mut dirs: Vec<_> =
        std::fs::read_dir(root().join("tests/filetests")).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    for dir in dirs {
        let pass = dir.file_name().unwrap().to_string_lossy().to_string();
        for case in files(&format!("tests/filetests/{pass}"), "wat") {
            cases += 1;
            let input = wat_file(&case);
            let mut module = Module::from_bytes(&input, features()).unwrap();
            let mut runner = PassRunner::new();
            runner.debug = true;
            runner.add(&pass).unwrap();
            runner.run(&mut module, features()).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
            let output = module.to_valid_bytes(features()).unwrap();
            let printed = wasmfx::ir::text::print_text(&output).unwrap();
            let expected_path = case.with_extension("out");
            if bless {
                std::fs::write(&expected_path, &printed).unwrap();
            } else {
                let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
                if expected != printed {
                    failures.push(format!(
                        "{}: output differs from {}:\n{}",
                        case.display(),
                        expected_path.display(),
                        diff(&expected, &printed)
                    ));
                }
            }
            let before = run_exports(&engine, &input);
            let after = run_exports(&engine, &output);
            if before != after {
                failures.push(format!(
                    "{}: behaviour changed\n  before: {before:?}\n  after:  {after:?}",
                    case.display()
                ));
            }
        }
    }
    assert!(cases >= 8, "only {cases} snapshot cases");
    assert!(
        failures.is_empty(),
        "{}\n(re-bless with WASMFX_BLESS=1 if the new output is right)",
        failures.join("\n\n")
    );
}

/// A line diff good enough to read a snapshot failure.
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    let common_prefix = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let common_suffix = e[common_prefix..]
        .iter()
        .rev()
        .zip(a[common_prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    for line in &e[common_prefix..e.len() - common_suffix] {
        out.push_str(&format!("- {line}\n"));
    }
    for line in &a[common_prefix..a.len() - common_suffix] {
        out.push_str(&format!("+ {line}\n"));
    }
    out
}
