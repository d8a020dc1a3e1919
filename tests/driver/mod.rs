//! The file-test driver: every `.wat` file under `tests/filetests/` and `tests/differential/`
//! is one test, named by its path without the extension (`filetests/dce/structured`,
//! `differential/forward_2_levels`). A test runs the file's `;; RUN:` lines (the syntax is in
//! [`run_line`]) and compares what they print with the file's expectation, `CASE.out` beside
//! it: for each RUN line in order, a `;; RUN: LINE` header and the text its commands print.
//! `WASMFX_BLESS=1` writes the expectations anew from what the runs print.
//!
//! The commands of one RUN line (joined by ` == `) must print the same text whatever the
//! expectation says; blessing cannot make them agree.

pub mod run_line;
pub mod snapshot;

use std::path::{Path, PathBuf};

use crate::common;

/// The prefix of a RUN line.
pub const RUN: &str = ";; RUN:";

/// The directories whose `.wat` files are tests, relative to the root.
pub const DIRS: [&str; 2] = ["tests/filetests", "tests/differential"];

/// A test file, with its name.
pub struct Case {
    /// The test's name: the path below `tests/`, without the extension.
    pub name: String,
    pub path: PathBuf,
}

/// Every test file, in name order.
pub fn cases() -> Vec<Case> {
    let tests = common::root().join("tests");
    let mut cases: Vec<Case> = DIRS
        .iter()
        .flat_map(|dir| files_under(dir, "wat"))
        .map(|path| {
            let rel = path.strip_prefix(&tests).unwrap().with_extension("");
            Case { name: rel.to_string_lossy().replace('\\', "/"), path }
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// Every file with extension `ext` in `dir` (relative to the root) and its subdirectories.
pub fn files_under(dir: &str, ext: &str) -> Vec<PathBuf> {
    fn collect(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(&path, ext, out);
            } else if path.extension().is_some_and(|x| x == ext) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    collect(&common::root().join(dir), ext, &mut out);
    out
}

/// The RUN lines of `text`, as written after the prefix.
pub fn run_lines(text: &str) -> Vec<&str> {
    text.lines().filter_map(|line| line.strip_prefix(RUN)).map(str::trim).collect()
}

/// Runs the test `case`; `bless` writes its expectation instead of comparing with it.
pub fn check(case: &Case, bless: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(&case.path).map_err(|e| e.to_string())?;
    if !text.starts_with(";; ") {
        return Err("does not open with a `;;` comment saying what it checks".into());
    }
    let lines = run_lines(&text);
    if lines.is_empty() {
        return Err(format!("has no `{RUN}` line"));
    }
    let file_name = case.path.file_name().unwrap().to_string_lossy().into_owned();
    let mut actual = String::new();
    let mut problems = Vec::new();
    for line in lines {
        let commands = run_line::parse(line).map_err(|e| format!("`{RUN} {line}`: {e}"))?;
        let mut outputs = Vec::with_capacity(commands.len());
        for command in &commands {
            outputs.push(match &command.input {
                None => run_line::execute(&file_name, text.as_bytes(), command),
                Some(file) => {
                    let path = case.path.parent().unwrap().join(file);
                    let input = std::fs::read(&path).map_err(|e| format!("`{RUN} {line}`: {file}: {e}"))?;
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    run_line::execute(&name, &input, command)
                }
            });
        }
        let words: Vec<&str> = line.split(" == ").map(str::trim).collect();
        for (i, output) in outputs.iter().enumerate().skip(1) {
            if *output != outputs[0] {
                problems.push(format!(
                    "`{}` and `{}` print different text:\n{}",
                    words[0],
                    words[i],
                    diff(&outputs[0], output)
                ));
            }
        }
        actual.push_str(&format!("{RUN} {line}\n"));
        actual.push_str(&outputs[0]);
    }
    let expected_path = case.path.with_extension("out");
    let expected = std::fs::read_to_string(&expected_path).ok();
    if bless {
        if expected.as_deref() != Some(actual.as_str()) {
            std::fs::write(&expected_path, &actual).map_err(|e| e.to_string())?;
        }
    } else {
        match expected {
            None => problems.push(format!("{} is missing (bless with WASMFX_BLESS=1)", expected_path.display())),
            Some(expected) if expected != actual => problems.push(format!(
                "the output differs from {} (- expected, + actual; re-bless with WASMFX_BLESS=1 if it is right):\n{}",
                expected_path.display(),
                diff(&expected, &actual)
            )),
            Some(_) => {}
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n\n")) }
}

/// A line diff good enough to read a failure: the differing middle of the two texts, with
/// up to three lines of context and the line number where it starts.
pub fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let prefix = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let suffix = e[prefix..].iter().rev().zip(a[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let from = prefix.saturating_sub(3);
    let mut out = format!("@@ line {} @@\n", from + 1);
    for line in &e[from..prefix] {
        out.push_str(&format!("  {line}\n"));
    }
    for line in &e[prefix..e.len() - suffix] {
        out.push_str(&format!("- {line}\n"));
    }
    for line in &a[prefix..a.len() - suffix] {
        out.push_str(&format!("+ {line}\n"));
    }
    for line in e[e.len() - suffix..].iter().take(3) {
        out.push_str(&format!("  {line}\n"));
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("(and one of the texts has no newline at its end)\n");
    }
    out
}
