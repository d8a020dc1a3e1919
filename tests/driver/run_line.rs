//! The `;; RUN:` line syntax of the file tests, and running one line's commands.
//!
//! ```text
//! run-line := command (" == " command)*      every command must print the same text
//! command  := stage [" < " FILE]              FILE (relative to the test's directory) in
//!                                             place of the test file itself
//! stage    := "wasmfx-opt" opt-arg* [" | " sink]
//!           | sink                           (the module as it is, no pass run)
//! opt-arg  := "--PASS"                       a registered pass, run in the order given
//!           | "-O" | "-O0".."-O4" | "-Os" | "-Oz"  an optimisation level's passes
//!           | "--pass-arg" KEY@VALUE         read by the passes that declare KEY
//! sink     := "print"    the module as text; after `--lower-to-asyncify` without the runtime
//!           | "runtime"  only the lowering's runtime (its functions, globals, tables, types)
//!           | "exports"  every zero-parameter export called once on Wasmtime, with results
//!           | "native"   a WASI command on Wasmtime with stack switching (`wasmfx-run`)
//!           | "lowered"  lowered in memory and run with stack switching off (`wasmfx-run --lower`)
//!           | "node"     lowered and run on Node.js 20 (`tests/node/run.mjs`)
//! ```
//!
//! `wasmfx-opt` without a sink prints. `< FILE` lets a run line compare two programs: the
//! lowered runs of a GC program that keeps continuations in GC objects, which Wasmtime 48
//! cannot run natively, against the native run of its twin that keeps them in a table
//! (`native < twins/NAME.wat == lowered`). The passes run in-process through `PassRunner`, in
//! pass-debug mode (validated after each), and the output is validated with the features
//! the passes say it needs; a failure prints `error: MESSAGE` in place of the sink's output.

use std::sync::OnceLock;

use super::snapshot::{self, Part};
use crate::{common, runs};
use wasmfx::ir::Module;
use wasmfx::passes::PassRunner;

/// What a command does with the module it ends with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sink {
    Print,
    Runtime,
    Exports,
    Native,
    Lowered,
    Node,
}

impl Sink {
    const ALL: [(&'static str, Sink); 6] = [
        ("print", Sink::Print),
        ("runtime", Sink::Runtime),
        ("exports", Sink::Exports),
        ("native", Sink::Native),
        ("lowered", Sink::Lowered),
        ("node", Sink::Node),
    ];

    fn parse(word: &str) -> Result<Sink, String> {
        Sink::ALL.iter().find(|(name, _)| *name == word).map(|&(_, sink)| sink).ok_or_else(|| {
            let names: Vec<&str> = Sink::ALL.iter().map(|(name, _)| *name).collect();
            format!("unknown sink `{word}` (expected `wasmfx-opt ...` or one of {})", names.join(", "))
        })
    }
}

/// `wasmfx-opt`'s passes and pass arguments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Opt {
    pub passes: Vec<String>,
    pub args: Vec<String>,
}

/// One command of a RUN line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The passes to run first, if any.
    pub opt: Option<Opt>,
    pub sink: Sink,
    /// The file the command reads instead of the test file (`< FILE`), relative to the test
    /// file's directory.
    pub input: Option<String>,
}

/// Parses the text after `;; RUN:`.
pub fn parse(line: &str) -> Result<Vec<Command>, String> {
    line.split(" == ").map(|command| parse_command(command.trim())).collect()
}

fn parse_command(text: &str) -> Result<Command, String> {
    let (text, input) = match text.split_once(" <") {
        Some((stage, file)) => {
            let file = file.trim();
            if file.is_empty() || file.contains(char::is_whitespace) {
                return Err(format!("`< {file}` names no single file"));
            }
            (stage.trim(), Some(file.to_string()))
        }
        None => (text, None),
    };
    let (stage, sink) = match text.split_once(" | ") {
        Some((stage, sink)) => (stage.trim(), Some(Sink::parse(sink.trim())?)),
        None => (text, None),
    };
    let mut words = stage.split_whitespace();
    match words.next() {
        Some("wasmfx-opt") => {}
        Some(word) if sink.is_none() => {
            let sink = Sink::parse(word)?;
            if let Some(extra) = words.next() {
                return Err(format!("`{extra}` after the sink `{word}`"));
            }
            return Ok(Command { opt: None, sink, input });
        }
        Some(word) => return Err(format!("only `wasmfx-opt` can be piped into a sink, not `{word}`")),
        None => return Err("an empty command".into()),
    }
    let mut opt = Opt::default();
    while let Some(word) = words.next() {
        if word == "--pass-arg" {
            let arg = words.next().ok_or("`--pass-arg` without KEY@VALUE")?;
            opt.args.push(arg.to_string());
        } else if let Some(passes) = word.strip_prefix("-O").and_then(wasmfx::passes::pipelines::pipeline) {
            opt.passes.extend(passes.into_iter().map(String::from));
        } else if let Some(pass) = word.strip_prefix("--").filter(|p| wasmfx::passes::lookup(p).is_some()) {
            opt.passes.push(pass.to_string());
        } else {
            return Err(format!("`{word}` is neither a registered pass (`--NAME`) nor `--pass-arg`"));
        }
    }
    let sink = sink.unwrap_or(Sink::Print);
    if sink == Sink::Runtime && !opt.passes.iter().any(|p| p == "lower-to-asyncify") {
        return Err("`runtime` needs `--lower-to-asyncify` before it".into());
    }
    Ok(Command { opt: Some(opt), sink, input })
}

/// Runs the passes of `opt` on `input`; the output module's bytes, or the error.
fn run_opt(input: &[u8], opt: &Opt) -> Result<Vec<u8>, String> {
    let features = common::features();
    let mut module = Module::from_input(input, features).map_err(|e| e.to_string())?;
    let mut runner = PassRunner::new();
    runner.debug = true;
    for pass in &opt.passes {
        runner.add(pass).map_err(|e| e.to_string())?;
    }
    for arg in &opt.args {
        runner.args.add(arg).map_err(|e| e.to_string())?;
    }
    let out = runner.run(&mut module, features).map_err(|e| e.to_string())?;
    module.to_valid_bytes(out).map_err(|e| runner.invalid_output(&e).to_string())
}

/// `input` as a binary.
fn binary(input: &[u8]) -> Result<Vec<u8>, String> {
    if input.starts_with(b"\0asm") {
        return Ok(input.to_vec());
    }
    let text = std::str::from_utf8(input).map_err(|e| e.to_string())?;
    wasmfx::ir::text::parse_text(text).map_err(|e| e.to_string())
}

/// What `command` prints for the module `input` (text or binary) of the file `name`; the
/// text ends with a newline.
pub fn execute(name: &str, input: &[u8], command: &Command) -> String {
    let error = |e: String| format!("error: {e}\n");
    let (bytes, lowered) = match &command.opt {
        // Runs get the file as it is, so that messages quote it as `wasmfx-run` would.
        None if matches!(command.sink, Sink::Native | Sink::Lowered) => (input.to_vec(), false),
        None => match binary(input) {
            Ok(bytes) => (bytes, false),
            Err(e) => return error(e),
        },
        Some(opt) => match run_opt(input, opt) {
            Ok(bytes) => (bytes, opt.passes.iter().any(|p| p == "lower-to-asyncify")),
            Err(e) => return error(e),
        },
    };
    match command.sink {
        Sink::Print => snapshot::print(&bytes, lowered.then_some(input), Part::Program).unwrap_or_else(error),
        Sink::Runtime => snapshot::print(&bytes, Some(input), Part::Runtime).unwrap_or_else(error),
        Sink::Exports => match common::run_exports(engine(), &bytes) {
            Ok(lines) => lines.iter().map(|l| format!("{l}\n")).collect(),
            Err(e) => error(e),
        },
        Sink::Native | Sink::Lowered => {
            let observed = runs::observe(name, &bytes, command.sink == Sink::Lowered);
            let ending = match &observed.error {
                None => format!("exit code {}", observed.exit_code),
                Some((kind, message)) => {
                    format!("error: {message} ({}, exit code {})", runs::kind_name(kind), observed.exit_code)
                }
            };
            render_run(&observed.stdout, &observed.stderr, &ending)
        }
        Sink::Node => match common::lower(&bytes) {
            Ok(lowered) => {
                let (code, stdout, stderr) = common::run_on_node(&lowered);
                render_run(&stdout, &stderr, &format!("exit code {code}"))
            }
            Err(e) => error(e),
        },
    }
}

/// A run as the expectation shows it: its stdout, its stderr after a `;; stderr:` line when
/// there is any, and how it ended on a `;; ` line.
fn render_run(stdout: &str, stderr: &str, ending: &str) -> String {
    let mut out = String::new();
    let mut add = |text: &str, what: &str| {
        out.push_str(text);
        if !text.is_empty() && !text.ends_with('\n') {
            out.push_str(&format!("\n;; (no newline at the end of {what})\n"));
        }
    };
    add(stdout, "stdout");
    if !stderr.is_empty() {
        add(";; stderr:\n", "");
        add(stderr, "stderr");
    }
    out.push_str(&format!(";; {ending}\n"));
    out
}

/// The engine `exports` runs on, shared by every test.
fn engine() -> &'static wasmtime::Engine {
    static ENGINE: OnceLock<wasmtime::Engine> = OnceLock::new();
    ENGINE.get_or_init(common::engine)
}
