//! The file tests: every `.wat` file under `tests/filetests/` (pass snapshots, each also run
//! before and after its pass) and `tests/differential/` (WasmFX programs run natively and
//! lowered) is one test with `;; RUN:` lines and a blessed `CASE.out` beside it; see
//! `tests/driver/mod.rs` for the format and `tests/driver/run_line.rs` for the RUN syntax.
//!
//! A libtest-mimic harness, so the usual arguments work: `cargo test --release --test
//! filetests -- dce/` runs the tests whose names contain `dce/`, `--exact NAME` one test,
//! `--list` lists them. `WASMFX_BLESS=1` rewrites the expectations of the tests run.
//! A few `driver/...` tests check the driver itself.

mod common;
mod driver;
mod runs;

use driver::run_line::{self, Command, Opt, Sink};
use libtest_mimic::{Arguments, Failed, Trial};

/// The suites must not shrink unnoticed.
const MIN_DIFFERENTIAL: usize = 90;
const MIN_FILETESTS: usize = 13;

fn main() {
    let args = Arguments::from_args();
    let bless = std::env::var("WASMFX_BLESS").is_ok_and(|v| v == "1");
    let mut trials: Vec<Trial> = driver::cases()
        .into_iter()
        .map(|case| Trial::test(case.name.clone(), move || driver::check(&case, bless).map_err(Failed::from)))
        .collect();
    trials.push(Trial::test("driver/every_suite_is_whole", || every_suite_is_whole().map_err(Failed::from)));
    trials.push(Trial::test("driver/run_lines_parse_as_documented", || {
        run_lines_parse_as_documented().map_err(Failed::from)
    }));
    trials.push(Trial::test("driver/a_changed_expectation_fails", || {
        a_changed_expectation_fails().map_err(Failed::from)
    }));
    libtest_mimic::run(&args, trials).exit();
}

/// Both directories hold as many tests as they did, every registered pass has snapshots,
/// and no expectation is left over from a test that was renamed or removed.
fn every_suite_is_whole() -> Result<(), String> {
    let cases = driver::cases();
    let count = |prefix: &str| cases.iter().filter(|c| c.name.starts_with(prefix)).count();
    let mut problems = Vec::new();
    if count("differential/") < MIN_DIFFERENTIAL {
        problems.push(format!("only {} differential programs", count("differential/")));
    }
    if count("filetests/") < MIN_FILETESTS {
        problems.push(format!("only {} pass snapshot files", count("filetests/")));
    }
    for pass in wasmfx::passes::REGISTRY {
        if count(&format!("filetests/{}/", pass.name)) == 0 {
            problems.push(format!("no tests in tests/filetests/{}/", pass.name));
        }
    }
    let wat: std::collections::BTreeSet<_> = cases.iter().map(|c| c.path.with_extension("out")).collect();
    for dir in driver::DIRS {
        for out in driver::files_under(dir, "out") {
            if !wat.contains(&out) {
                problems.push(format!("{} belongs to no test", out.display()));
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

fn run_lines_parse_as_documented() -> Result<(), String> {
    let opt = |passes: &[&str], args: &[&str], sink| Command {
        opt: Some(Opt {
            passes: passes.iter().map(|p| p.to_string()).collect(),
            args: args.iter().map(|a| a.to_string()).collect(),
        }),
        sink,
        input: None,
    };
    let plain = |sink| Command { opt: None, sink, input: None };
    let from = |command: Command, file: &str| Command { input: Some(file.to_string()), ..command };
    let good: Vec<(&str, Vec<Command>)> = vec![
        ("wasmfx-opt --dce", vec![opt(&["dce"], &[], Sink::Print)]),
        ("wasmfx-opt", vec![opt(&[], &[], Sink::Print)]),
        (
            "wasmfx-opt --lower-to-asyncify --pass-arg lower-to-asyncify-imports@env.f --dce | runtime",
            vec![opt(&["lower-to-asyncify", "dce"], &["lower-to-asyncify-imports@env.f"], Sink::Runtime)],
        ),
        (
            "exports == wasmfx-opt --dce --dce | exports",
            vec![plain(Sink::Exports), opt(&["dce", "dce"], &[], Sink::Exports)],
        ),
        ("native == lowered == node", vec![plain(Sink::Native), plain(Sink::Lowered), plain(Sink::Node)]),
        (
            "native < twins/t.wat == wasmfx-opt --dce | lowered < u.wat",
            vec![from(plain(Sink::Native), "twins/t.wat"), from(opt(&["dce"], &[], Sink::Lowered), "u.wat")],
        ),
    ];
    let mut problems = Vec::new();
    for (line, wanted) in good {
        match run_line::parse(line) {
            Ok(got) if got == wanted => {}
            got => problems.push(format!("`{line}` parsed as {got:?}")),
        }
    }
    let bad = [
        ("wasmfx-opt --no-such-pass", "neither a registered pass"),
        ("wasmfx-opt --dce --pass-arg", "without KEY@VALUE"),
        ("wasmfx-opt --dce | runtime", "needs `--lower-to-asyncify`"),
        ("native | exports", "only `wasmfx-opt` can be piped"),
        ("natively", "unknown sink"),
        ("native lowered", "after the sink"),
        ("exports == ", "an empty command"),
        ("native < ", "names no single file"),
        ("native < a.wat b.wat", "names no single file"),
    ];
    for (line, error) in bad {
        match run_line::parse(line) {
            Err(e) if e.contains(error) => {}
            got => problems.push(format!("`{line}` gave {got:?}, not an error saying `{error}`")),
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

/// A test fails when its expectation is altered, when it has none, and when the commands of
/// one RUN line disagree, blessed or not.
fn a_changed_expectation_fails() -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let case = driver::Case { name: "t".into(), path: dir.path().join("t.wat") };
    let module = "(module (func (export \"f\") (result i32) (return (i32.const 1)) (drop (i32.const 2)) (i32.const 3)))\n";
    let write = |run: &str| std::fs::write(&case.path, format!(";; A test.\n;; RUN: {run}\n{module}"));
    write("wasmfx-opt --dce").map_err(|e| e.to_string())?;
    match driver::check(&case, false) {
        Err(e) if e.contains("is missing") => {}
        got => return Err(format!("without an expectation: {got:?}")),
    }
    driver::check(&case, true)?;
    driver::check(&case, false)?;
    let out = case.path.with_extension("out");
    let blessed = std::fs::read_to_string(&out).map_err(|e| e.to_string())?;
    if !blessed.starts_with(";; RUN: wasmfx-opt --dce\n(module") || blessed.contains("i32.const 2") {
        return Err(format!("blessed an unexpected snapshot:\n{blessed}"));
    }
    std::fs::write(&out, blessed.replace("i32.const 1", "i32.const 7")).map_err(|e| e.to_string())?;
    match driver::check(&case, false) {
        Err(e) if e.contains("- ") && e.contains("+ ") => {}
        got => return Err(format!("with an altered expectation: {got:?}")),
    }
    // A command reading another file (`< FILE`) is compared like the others.
    let other = "(module (func (export \"f\") (result i32) (i32.const 1)))\n";
    std::fs::write(dir.path().join("twin.wat"), other).map_err(|e| e.to_string())?;
    for (run, agree) in [("exports < twin.wat == exports", true), ("wasmfx-opt --dce == wasmfx-opt", false)] {
        write(run).map_err(|e| e.to_string())?;
        for bless in [true, false] {
            match driver::check(&case, bless) {
                Ok(()) if agree => {}
                Err(e) if !agree && e.contains("print different text") => {}
                got => return Err(format!("`{run}` (bless: {bless}): {got:?}")),
            }
        }
    }
    std::fs::write(dir.path().join("twin.wat"), other.replace("i32.const 1", "i32.const 4"))
        .map_err(|e| e.to_string())?;
    write("exports < twin.wat == exports").map_err(|e| e.to_string())?;
    match driver::check(&case, false) {
        Err(e) if e.contains("print different text") => {}
        got => return Err(format!("a twin that disagrees: {got:?}")),
    }
    Ok(())
}
