//! Differential tests of `--lower-to-asyncify`: every program in `tests/differential/` runs
//! natively (Wasmtime 48 with stack switching) and lowered (the pass applied in memory, stack
//! switching off) through `wasmfx_cli::run::run`, and the two runs must agree on stdout,
//! stderr, the exit code and, when the run fails, the error's kind and message. The native run
//! must also do what the program says it does: print its `;; expect:` block (or its sibling
//! `NAME.expected` file) and end as its `;; expect-error:` or `;; expect-exit:` line says.
//!
//! `WASMFX_DIFFERENTIAL_FILTER=TEXT` runs only the programs whose file name contains `TEXT`.

mod common;
mod runs;

use std::path::{Path, PathBuf};

use runs::{Observed, differences, first_difference, observe};

/// The suite must not shrink unnoticed.
const MIN_PROGRAMS: usize = 90;

/// What a program says its native run does.
#[derive(Debug)]
struct Expectation {
    stdout: String,
    /// The error message as `wasmfx-run` prints it after the module name.
    error: Option<String>,
    exit_code: i32,
}

/// Reads the expectation of `path`: the lines of its `;; expect:` block (each comment line
/// after it, without the `;; ` prefix, up to the first line that is not a comment or that
/// starts another `;; expect-` line), or the whole of `NAME.expected` next to it; and its
/// `;; expect-error: MESSAGE` and `;; expect-exit: CODE` lines. A failure exits with code 3
/// unless it says otherwise.
fn expectation(path: &Path) -> Result<Expectation, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    if !text.starts_with(";; ") {
        return Err("does not open with a `;;` comment saying what it checks".into());
    }
    let mut block: Option<String> = None;
    let mut in_block = false;
    let mut error = None;
    let mut exit_code = None;
    for line in text.lines() {
        if let Some(message) = line.strip_prefix(";; expect-error: ") {
            error = Some(message.to_string());
            in_block = false;
        } else if let Some(code) = line.strip_prefix(";; expect-exit: ") {
            exit_code = Some(code.trim().parse::<i32>().map_err(|e| format!("`{line}`: {e}"))?);
            in_block = false;
        } else if line == ";; expect:" {
            if block.is_some() {
                return Err("has two `;; expect:` blocks".into());
            }
            block = Some(String::new());
            in_block = true;
        } else if in_block {
            let out = block.as_mut().expect("in a block");
            if let Some(rest) = line.strip_prefix(";; ") {
                out.push_str(rest);
                out.push('\n');
            } else if line == ";;" {
                out.push('\n');
            } else {
                in_block = false;
            }
        }
    }
    let sibling = path.with_extension("expected");
    let stdout = match (block, sibling.exists()) {
        (Some(_), true) => {
            return Err(format!("has both an `;; expect:` block and {}", sibling.display()));
        }
        (Some(block), false) => block,
        (None, true) => std::fs::read_to_string(&sibling).map_err(|e| e.to_string())?,
        (None, false) => {
            return Err("has no `;; expect:` block and no sibling `.expected` file".into());
        }
    };
    let exit_code = exit_code.unwrap_or(if error.is_some() { 3 } else { 0 });
    Ok(Expectation { stdout, error, exit_code })
}

/// The programs to run: all of `tests/differential/*.wat`, or those the filter names.
fn programs() -> (Vec<PathBuf>, bool) {
    let all = common::files("tests/differential", "wat");
    match std::env::var("WASMFX_DIFFERENTIAL_FILTER") {
        Ok(filter) if !filter.is_empty() => (
            all.into_iter().filter(|p| p.file_name().unwrap().to_string_lossy().contains(&filter)).collect(),
            true,
        ),
        _ => (all, false),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Runs `path` with `lower`, naming the module by its file name in both runs so that messages
/// that mention it agree.
fn observe_file(path: &Path, lower: bool) -> Observed {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    observe(&file_name(path), &bytes, lower)
}

fn check_count(count: usize, filtered: bool) {
    if !filtered {
        assert!(
            count >= MIN_PROGRAMS,
            "only {count} programs in tests/differential (at least {MIN_PROGRAMS} expected)"
        );
    }
}

#[test]
fn native_runs_do_what_the_programs_expect() {
    let (programs, filtered) = programs();
    check_count(programs.len(), filtered);
    let mut failures = Vec::new();
    for path in &programs {
        let name = file_name(path);
        let expected = match expectation(path) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let native = observe_file(path, false);
        let mut problems = Vec::new();
        if let Some(diff) = first_difference("stdout", &expected.stdout, &native.stdout) {
            problems.push(diff);
        }
        let message = native.error.as_ref().map(|(_, m)| m.clone());
        if message != expected.error || native.exit_code != expected.exit_code {
            let wanted = match &expected.error {
                Some(m) => format!("error `{m}`, exit code {}", expected.exit_code),
                None => format!("exit code {}", expected.exit_code),
            };
            problems.push(format!("ending: expected {wanted}, got {}", native.ending()));
        }
        if !problems.is_empty() {
            failures.push(format!("{name}:\n    {}", problems.join("\n    ")));
        }
    }
    eprintln!("{} programs run natively", programs.len());
    assert!(
        failures.is_empty(),
        "{} of {} programs do not do natively what they expect:\n  {}",
        failures.len(),
        programs.len(),
        failures.join("\n  ")
    );
}

#[test]
fn lowered_runs_match_native_runs() {
    let (programs, filtered) = programs();
    check_count(programs.len(), filtered);
    let mut failures = Vec::new();
    for path in &programs {
        let native = observe_file(path, false);
        let lowered = observe_file(path, true);
        let problems = differences("native", &native, "lowered", &lowered);
        if !problems.is_empty() {
            failures.push(format!("{}:\n    {}", file_name(path), problems.join("\n    ")));
        }
    }
    eprintln!("{} programs compared native vs lowered", programs.len());
    assert!(
        failures.is_empty(),
        "{} of {} programs behave differently lowered:\n  {}",
        failures.len(),
        programs.len(),
        failures.join("\n  ")
    );
}

#[test]
fn expectations_are_read_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.wat");
    std::fs::write(
        &path,
        ";; What it checks.\n;;\n;; expect:\n;; 1 : i32\n;;\n;; 2 : i64\n\
         ;; expect-error: trap: null reference\n(module)\n;; not output\n",
    )
    .unwrap();
    let e = expectation(&path).unwrap();
    assert_eq!(e.stdout, "1 : i32\n\n2 : i64\n");
    assert_eq!(e.error.as_deref(), Some("trap: null reference"));
    assert_eq!(e.exit_code, 3);

    std::fs::write(&path, ";; Exits.\n;; expect-exit: 7\n(module)\n").unwrap();
    std::fs::write(path.with_extension("expected"), "out\n").unwrap();
    let e = expectation(&path).unwrap();
    assert_eq!((e.stdout.as_str(), e.error, e.exit_code), ("out\n", None, 7));

    std::fs::write(&path, ";; Both.\n;; expect:\n;; x\n(module)\n").unwrap();
    assert!(expectation(&path).unwrap_err().contains("both"));
    std::fs::remove_file(path.with_extension("expected")).unwrap();
    std::fs::write(&path, "(module)\n").unwrap();
    assert!(expectation(&path).unwrap_err().contains("comment"));
    std::fs::write(&path, ";; Nothing expected.\n(module)\n").unwrap();
    assert!(expectation(&path).unwrap_err().contains("no `;; expect:`"));
}

#[test]
fn the_comparison_sees_every_kind_of_difference() {
    let path = common::root().join("tests/differential/trap_div_zero.wat");
    let first = observe_file(&path, false);
    let second = observe_file(&path, false);
    assert_eq!(differences("first", &first, "second", &second), Vec::<String>::new());
    assert!(first.error.is_some(), "{first:?}");

    let mut other = first.clone();
    other.stdout.push_str("extra\n");
    let found = differences("native", &first, "lowered", &other);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("stdout differs at line 3"), "{found:?}");

    let mut other = first.clone();
    other.stderr = "x".into();
    other.exit_code = 0;
    other.error = None;
    let found = differences("native", &first, "lowered", &other);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[1].contains("integer divide by zero"), "{found:?}");

    let mut other = first.clone();
    other.error = Some((wasmfx_cli::run::ErrorKind::UnhandledTag, first.error.as_ref().unwrap().1.clone()));
    assert_eq!(differences("native", &first, "lowered", &other).len(), 1);
}
