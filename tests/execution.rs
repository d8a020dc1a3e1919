//! Execution equivalence: every corpus module that exports functions runs before and after
//! the round trip through the IR (Wasmtime 48, stack switching on), and every export that
//! takes no parameters gives the same results, or the same trap.

mod common;

use common::*;

#[test]
fn corpus_modules_behave_the_same_after_a_round_trip() {
    let engine = engine();
    let mut compared = 0;
    let mut calls = 0;
    let mut failures = Vec::new();
    let mut not_runnable = Vec::new();
    for path in files("tests/corpus", "wat") {
        let original = wat_file(&path);
        let written = round_trip(&original).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let before = run_exports(&engine, &original);
        let after = run_exports(&engine, &written);
        match (&before, &after) {
            (Ok(b), Ok(a)) if b == a => {
                if !b.is_empty() {
                    compared += 1;
                    calls += b.len();
                }
            }
            // Wasmtime cannot compile a few proposals the IR carries (shared-everything
            // threads, say): such modules are only round-tripped, and must fail alike.
            (Err(b), Err(a)) if b == a => {
                not_runnable.push(path.file_name().unwrap().to_string_lossy().to_string())
            }
            _ => failures.push(format!("{}:\n  before: {before:?}\n  after:  {after:?}", path.display())),
        }
    }
    eprintln!(
        "execution: {compared} modules, {calls} export calls compared; not runnable on Wasmtime: {not_runnable:?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared >= 15, "only {compared} corpus modules export runnable functions");
}
