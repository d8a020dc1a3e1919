//! Running a WasmFX program natively and lowered through `wasmfx_cli::run::run`, and saying how
//! the two runs differ; shared by the file tests' `native` and `lowered` commands
//! (`tests/driver/run_line.rs`) and the random-program tests (`tests/random_programs.rs`).
#![allow(dead_code)]

use std::time::Duration;

use wasmfx_cli::run::{ErrorKind, ModuleSource, RunOptions, run};

/// How long a lowered run may take before it counts as hung: a broken lowering can loop
/// forever, and that must fail the test, not stall it. Native runs of the test programs all
/// terminate (they are written or generated so), and run without the epoch checks a timeout
/// adds to the code.
pub const LOWERED_TIMEOUT: Duration = Duration::from_secs(30);

/// What one run did, in the terms two runs are compared by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    /// The guest's stdout (WASI and `spectest` prints), up to the failure if it failed.
    pub stdout: String,
    /// The guest's stderr.
    pub stderr: String,
    /// The process exit code `wasmfx-run` would exit with.
    pub exit_code: i32,
    /// Why the run failed, if it did: the kind, and the message as `wasmfx-run` prints it
    /// after the module name.
    pub error: Option<(ErrorKind, String)>,
}

impl Observed {
    /// A one-line summary of how the run ended.
    pub fn ending(&self) -> String {
        match &self.error {
            None => format!("exit code {}", self.exit_code),
            Some((kind, message)) => {
                format!("error `{message}` ({}, exit code {})", kind_name(kind), self.exit_code)
            }
        }
    }
}

/// The variant name of an error kind, without its data.
pub fn kind_name(kind: &ErrorKind) -> String {
    let debug = format!("{kind:?}");
    debug.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default().to_string()
}

/// Runs `bytes` (text or binary) as a WASI command, natively or lowered, capturing its output.
pub fn observe(name: &str, bytes: &[u8], lower: bool) -> Observed {
    let options = RunOptions {
        capture_output: true,
        stdin: Some(Vec::new()),
        lower,
        timeout: lower.then_some(LOWERED_TIMEOUT),
        ..RunOptions::new(ModuleSource::Bytes { name: name.to_string(), bytes: bytes.to_vec() })
    };
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    match run(&options) {
        Ok(outcome) => Observed {
            stdout: text(&outcome.stdout),
            stderr: text(&outcome.stderr),
            exit_code: outcome.exit_code,
            error: None,
        },
        Err(error) => Observed {
            stdout: text(error.stdout()),
            stderr: text(error.stderr()),
            exit_code: error.exit_code(),
            error: Some((error.kind().clone(), error.kind().to_string())),
        },
    }
}

/// Every way `actual` differs from `expected`, one line each (empty when they agree); the
/// labels name the two runs in the messages.
pub fn differences(
    expected_label: &str,
    expected: &Observed,
    actual_label: &str,
    actual: &Observed,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(diff) = first_difference("stdout", &expected.stdout, &actual.stdout) {
        out.push(diff);
    }
    if let Some(diff) = first_difference("stderr", &expected.stderr, &actual.stderr) {
        out.push(diff);
    }
    if expected.error != actual.error || expected.exit_code != actual.exit_code {
        out.push(format!(
            "ending: {expected_label} {}, {actual_label} {}",
            expected.ending(),
            actual.ending()
        ));
    }
    out
}

/// Where two outputs first differ, as a line of text, or `None` if they are equal.
pub fn first_difference(what: &str, expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let expected_lines: Vec<&str> = expected.lines().collect();
    let actual_lines: Vec<&str> = actual.lines().collect();
    if expected_lines == actual_lines {
        return Some(format!(
            "{what} differs only in line endings or the final newline: expected {expected:?}, \
             got {actual:?}"
        ));
    }
    let line = expected_lines
        .iter()
        .zip(&actual_lines)
        .position(|(e, a)| e != a)
        .unwrap_or(expected_lines.len().min(actual_lines.len()));
    let show = |lines: &[&str]| match lines.get(line) {
        Some(text) => format!("`{text}`"),
        None => "end of output".to_string(),
    };
    Some(format!(
        "{what} differs at line {} (of {} expected, {} actual): expected {}, got {}",
        line + 1,
        expected_lines.len(),
        actual_lines.len(),
        show(&expected_lines),
        show(&actual_lines)
    ))
}
