//! Programs split across modules (`tests/multi_module/*.wast`): each script's modules linked
//! by `register`, run three ways, which must agree directive by directive:
//!
//! - **native**: the modules instantiated one after the other and registered as the script
//!   says, on Wasmtime with stack switching (the way the spec harness runs them); every
//!   `assert_return`, `assert_trap`, `assert_suspension` and `assert_exception` must hold;
//!   what each call prints through `spectest` is kept too, and the other runs must print
//!   the same;
//! - **merged**: every module of the script merged into one by `Module::link_all` (what
//!   `wasmfx-opt --merge` does), run natively;
//! - **merged-lowered**: that module lowered by `--lower-to-asyncify` and run with stack
//!   switching off (each module lowered on one thread and on four, which must give the same
//!   bytes);
//! - **separately lowered**: every module lowered on its own (`--pass-arg
//!   lower-to-asyncify-shared@wasmfx`, the script's other modules as peers), the shared
//!   runtime (`wasmfx-opt --emit-shared-runtime`) instantiated first and registered as
//!   `wasmfx`, then the modules instantiated and registered as the script says, run with stack
//!   switching off;
//! - **node**: the merged and lowered module on Node.js 20 (`tests/node/run.mjs --calls`), when it
//!   needs nothing a plain host lacks (exception handling, multi-memory): the integer results,
//!   whether each call trapped, and the prints must be native's.
//!
//! A merged program is one instantiation: every module's start function runs before the
//! first directive, so the scripts keep state changes out of start functions. Exports are
//! reached under `NAME.FIELD` ([`LinkedExports::Qualified`]), where NAME is the name the
//! module is registered under (or `$id`, or `#N` for the N-th module, when it is not).
//!
//! One test per script, `multi_module/NAME` (libtest-mimic: `cargo test --release --test
//! multi_module -- generator_library`). `WASMFX_MULTI_DIR=DIR` runs the scripts of DIR
//! instead (the proposal's examples, say) and prints how many directives each way got right.

mod common;
mod wast_script;

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use wasmfx::cli::run::{EngineOptions, Host, engine, lowered_trap_text, spectest_printing_host};
use wasmfx::ir::{ExternItem, LinkedExports, Module, validate};
use wasmtime::{Extern, Instance, Val};
use wast_script::{Expect, Outcome, Script, Step};

fn main() {
    let args = Arguments::from_args();
    let dir = std::env::var_os("WASMFX_MULTI_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/multi_module"));
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "wast"))
        .collect();
    scripts.sort();
    let trials = scripts
        .into_iter()
        .map(|path| {
            let name = format!("multi_module/{}", path.file_stem().unwrap().to_string_lossy());
            Trial::test(name, move || check_script(&path).map_err(Failed::from))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

/// Runs a script the three ways and compares them with its assertions and each other.
fn check_script(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let script = Script::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let native = run_native(&script)?;
    let mut problems = Vec::new();
    for (step, (outcome, _)) in script.calls().zip(&native) {
        if let Err(why) = step.expect.check(outcome) {
            problems.push(format!("line {} natively: {why}", step.line));
        }
    }
    let merged = merge(&script)?;
    let lowered = lower(&merged)?;
    let node = run_on_node(&script, &lowered)?;
    if let Some(on_node) = &node {
        let natively = node_transcript(&native);
        if *on_node != natively {
            problems.push(format!("on Node.js:\n{on_node}\nnatively:\n{natively}"));
        }
    }
    let separate = run_separately_lowered(&script)?;
    for ((step, native), other) in script.calls().zip(&native).zip(&separate) {
        if native != other {
            problems.push(format!("line {} separately lowered: {other:?}, natively {native:?}", step.line));
        }
    }
    for (world, bytes) in [("merged", merged), ("merged-lowered", lowered)] {
        let outcomes = run_merged(&script, &bytes, world == "merged-lowered")?;
        for ((step, native), other) in script.calls().zip(&native).zip(&outcomes) {
            if native != other {
                problems.push(format!("line {} {world}: {other:?}, natively {native:?}", step.line));
            }
        }
    }
    if std::env::var_os("WASMFX_MULTI_DIR").is_some() {
        let agreeing = script.calls().count() - problems.len();
        let printed: usize = native.iter().map(|(_, text)| text.lines().count()).sum();
        eprintln!(
            "{}: {} modules, {agreeing}/{} calls agree, {printed} lines printed, {}",
            path.display(),
            script.modules.len(),
            script.calls().count(),
            if node.is_some() { "on Node.js too" } else { "not on Node.js (it lacks a feature)" }
        );
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

/// Every module of the script linked into one by the names it is registered under.
fn merge(script: &Script) -> Result<Vec<u8>, String> {
    let features = validate::default_features();
    let parts = script
        .modules
        .iter()
        .map(|m| Ok((m.name.clone(), Module::from_bytes(&m.bytes, features).map_err(|e| e.to_string())?)))
        .collect::<Result<Vec<_>, String>>()?;
    let mut linked = Module::link_all(parts, LinkedExports::Qualified).map_err(|e| format!("merge: {e}"))?;
    // The script calls functions only; an exported table or global of continuations would
    // only change how the lowering treats it.
    linked.exports.retain(|e| matches!(e.item, ExternItem::Func(_)));
    linked.to_valid_bytes(features).map_err(|e| format!("merged module: {e}"))
}

fn lower(bytes: &[u8]) -> Result<Vec<u8>, String> {
    wasmfx::passes::lower_module(bytes, &Default::default()).map_err(|e| format!("lowering: {e}"))
}

/// The script's directives as the spec harness runs them: one instance per module.
fn run_native(script: &Script) -> Result<Vec<(Outcome, String)>, String> {
    let engine = engine(EngineOptions::NATIVE).map_err(|e| format!("{e:?}"))?;
    let (store, linker) = spectest_printing_host(&engine).map_err(|e| e.to_string())?;
    run_steps(script, store, linker, |m| Ok(script.modules[m].bytes.clone()))
}

/// Replays the script's directives, one instance per module (its binary from `binary`),
/// registered as the script says; the outcomes of its calls.
fn run_steps(
    script: &Script,
    mut store: wasmtime::Store<Host>,
    mut linker: wasmtime::Linker<Host>,
    binary: impl Fn(usize) -> Result<Vec<u8>, String>,
) -> Result<Vec<(Outcome, String)>, String> {
    let engine = store.engine().clone();
    let mut instances: Vec<Option<Instance>> = vec![None; script.modules.len()];
    let mut outcomes = Vec::new();
    for step in &script.steps {
        match step {
            Step::Instantiate(m) => {
                let in_module = |e: wasmtime::Error| format!("module {}: {e:#}", script.modules[*m].name);
                let module = wasmtime::Module::new(&engine, binary(*m)?).map_err(in_module)?;
                let instance = linker.instantiate(&mut store, &module).map_err(in_module)?;
                instances[*m] = Some(instance);
            }
            Step::Register { name, module } => {
                let instance = instances[*module].expect("registered after instantiation");
                linker.instance(&mut store, name, instance).map_err(|e| e.to_string())?;
            }
            Step::Call(call) => {
                let instance = instances[call.module].expect("called after instantiation");
                outcomes.push(invoke(&mut store, instance, &call.export, &call.args));
            }
        }
    }
    Ok(outcomes)
}

/// The name the separately lowered modules import the shared runtime under.
const SHARED_RUNTIME: &str = "wasmfx";

/// `module` lowered on its own for the shared runtime, the script's other modules its peers.
fn lower_separately(script: &Script, module: usize) -> Result<Vec<u8>, String> {
    let mut peers: Vec<&str> = script
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Register { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    peers.sort();
    peers.dedup();
    let mut args = wasmfx::passes::PassArgs::default();
    args.add(&format!("lower-to-asyncify-shared@{SHARED_RUNTIME}")).map_err(|e| e.to_string())?;
    args.add(&format!("lower-to-asyncify-peers@{}", peers.join(","))).map_err(|e| e.to_string())?;
    // On one thread and on four, the same bytes (as `tests/determinism.rs` checks for the
    // single-module lowering).
    let outputs: Vec<Result<Vec<u8>, String>> = [1, 4]
        .into_iter()
        .map(|threads| {
            let pool =
                rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| e.to_string())?;
            pool.install(|| wasmfx::passes::lower_module(&script.modules[module].bytes, &args))
                .map_err(|e| format!("lowering module {} separately: {e}", script.modules[module].name))
        })
        .collect();
    if outputs[0] != outputs[1] {
        return Err(format!(
            "module {}: separately lowered, the bytes differ by thread count",
            script.modules[module].name
        ));
    }
    outputs.into_iter().next().expect("two outputs")
}

/// The script's directives on separately lowered modules: the shared runtime first, then one
/// instance per module, registered as the script says, with stack switching off.
fn run_separately_lowered(script: &Script) -> Result<Vec<(Outcome, String)>, String> {
    let engine = engine(EngineOptions::LOWERED).map_err(|e| format!("{e:?}"))?;
    let (mut store, mut linker) = spectest_printing_host(&engine).map_err(|e| e.to_string())?;
    let runtime = wasmfx::passes::lower_to_asyncify::emit_shared_runtime().map_err(|e| e.to_string())?;
    let runtime = wasmtime::Module::new(&engine, runtime).map_err(|e| format!("shared runtime: {e:#}"))?;
    let runtime = linker.instantiate(&mut store, &runtime).map_err(|e| format!("shared runtime: {e:#}"))?;
    linker.instance(&mut store, SHARED_RUNTIME, runtime).map_err(|e| e.to_string())?;
    run_steps(script, store, linker, |m| lower_separately(script, m))
}

/// The script's calls on one instance of the merged module.
fn run_merged(script: &Script, bytes: &[u8], lowered: bool) -> Result<Vec<(Outcome, String)>, String> {
    let options = if lowered { EngineOptions::LOWERED } else { EngineOptions::NATIVE };
    let engine = engine(options).map_err(|e| format!("{e:?}"))?;
    let (mut store, linker) = spectest_printing_host(&engine).map_err(|e| e.to_string())?;
    let module = wasmtime::Module::new(&engine, bytes).map_err(|e| format!("compile: {e:#}"))?;
    let instance = linker.instantiate(&mut store, &module).map_err(|e| format!("instantiate: {e:#}"))?;
    Ok(script
        .calls()
        .map(|call| {
            let export = format!("{}.{}", script.modules[call.module].name, call.export);
            invoke(&mut store, instance, &export, &call.args)
        })
        .collect())
}

/// The script's calls on Node.js, printed as `tests/node/run.mjs --calls` prints them; `None`
/// when the lowered module needs more than a plain host.
fn run_on_node(script: &Script, lowered: &[u8]) -> Result<Option<String>, String> {
    if validate::validate(lowered, common::plain_host_features()).is_err() {
        return Ok(None);
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let calls: Vec<serde_json::Value> = script
        .calls()
        .map(|call| {
            let export = format!("{}.{}", script.modules[call.module].name, call.export);
            let args: Vec<[String; 2]> = call.args.iter().map(node_arg).collect();
            serde_json::json!({ "export": export, "args": args })
        })
        .collect();
    std::fs::write(dir.path().join("module.wasm"), lowered).map_err(|e| e.to_string())?;
    std::fs::write(dir.path().join("calls.json"), serde_json::Value::Array(calls).to_string())
        .map_err(|e| e.to_string())?;
    let out = std::process::Command::new("node")
        .arg(common::root().join("tests/node/run.mjs"))
        .arg(dir.path().join("module.wasm"))
        .arg("--calls")
        .arg(dir.path().join("calls.json"))
        .output()
        .map_err(|e| format!("node: {e} (scripts/install-deps installs it)"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("node exited with {:?}: {stderr}", out.status.code()));
    }
    Ok(Some(String::from_utf8_lossy(&out.stdout).into_owned()))
}

fn node_arg(value: &Val) -> [String; 2] {
    match value {
        Val::I64(x) => ["i64".into(), x.to_string()],
        Val::I32(x) => ["i32".into(), x.to_string()],
        other => panic!("Node.js calls take integers only, not {other:?}"),
    }
}

/// Native outcomes as Node's run prints them: the prints, then `=> RESULTS` or `=> trap`.
fn node_transcript(native: &[(Outcome, String)]) -> String {
    let mut text = String::new();
    for (outcome, printed) in native {
        text.push_str(printed);
        match outcome {
            Outcome::Values(values) => text.push_str(format!("=> {}", values.join(" ")).trim_end()),
            Outcome::Trap(_) | Outcome::Error(_) => text.push_str("=> trap"),
        }
        text.push('\n');
    }
    text
}

/// Calls an export; what it printed through `spectest` is part of the outcome.
fn invoke(
    store: &mut wasmtime::Store<Host>,
    instance: Instance,
    export: &str,
    args: &[Val],
) -> (Outcome, String) {
    let before = store.data().printed().len();
    let outcome = call(store, instance, export, args);
    (outcome, store.data().printed()[before..].to_string())
}

fn call(store: &mut wasmtime::Store<Host>, instance: Instance, export: &str, args: &[Val]) -> Outcome {
    let Some(Extern::Func(func)) = instance.get_export(&mut *store, export) else {
        return Outcome::Error(format!("no exported function `{export}`"));
    };
    let mut results = vec![Val::I32(0); func.ty(&*store).results().len()];
    match func.call(&mut *store, args, &mut results) {
        Ok(()) => Outcome::Values(results.iter().map(wast_script::show).collect()),
        Err(e) => {
            if let Some(text) = lowered_trap_text(&e) {
                Outcome::Trap(format!("wasm trap: {text}"))
            } else if let Some(trap) = e.downcast_ref::<wasmtime::Trap>() {
                Outcome::Trap(trap.to_string())
            } else {
                Outcome::Error(e.root_cause().to_string())
            }
        }
    }
}

impl Expect {
    /// Whether a native outcome is what the script asserts.
    fn check(&self, outcome: &Outcome) -> Result<(), String> {
        let ok = match (self, outcome) {
            (Expect::Values(want), Outcome::Values(got)) => want == got,
            (Expect::Trap(message), Outcome::Trap(text)) => text.contains(message.as_str()),
            (Expect::Suspension, Outcome::Trap(_)) | (Expect::Exception, Outcome::Error(_)) => true,
            (Expect::Anything, Outcome::Values(_)) => true,
            _ => false,
        };
        if ok { Ok(()) } else { Err(format!("expected {self:?}, got {outcome:?}")) }
    }
}
