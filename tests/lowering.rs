//! `--lower-to-asyncify` on the examples: native and lowered runs print the same, the lowered
//! modules need only what a plain host has and run on Node.js 20, and functions that have
//! nothing to do with stack switching come out unchanged.

mod common;

use common::*;
use wasmfx::cli::run::{ModuleSource, RunOptions, run};
use wasmfx::ir::Module;
use wasmfx::passes::lower_to_asyncify::kept_features;

fn run_captured(path: &std::path::Path, lower: bool) -> (i32, String) {
    let options =
        RunOptions { capture_output: true, lower, ..RunOptions::new(ModuleSource::Path(path.to_path_buf())) };
    match run(&options) {
        Ok(outcome) => (outcome.exit_code, String::from_utf8_lossy(&outcome.stdout).to_string()),
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

#[test]
fn examples_print_the_same_natively_and_lowered() {
    let examples = files("examples", "wat");
    assert!(examples.len() >= 5);
    for path in examples {
        let expected = std::fs::read_to_string(path.with_extension("expected")).unwrap();
        let native = run_captured(&path, false);
        let lowered = run_captured(&path, true);
        assert_eq!(native, (0, expected.clone()), "{} natively", path.display());
        assert_eq!(lowered, native, "{} lowered", path.display());
    }
}

/// The lowered examples need only what a plain host has, beyond what the example itself uses:
/// the lowering keeps a program's own exception handling, and GC (with typed function
/// references) for a program that uses GC. Node.js 20 predates the exception instructions of
/// the current proposal (`try_table`, `throw_ref`, `exnref`) and GC, so the examples that use
/// them (`switch_scheduler.wat`, which cancels with `resume_throw`, and `effect_handlers.wat`)
/// are not run there.
#[test]
fn lowered_examples_need_only_a_plain_host_and_run_on_node() {
    let mut on_node = 0;
    for path in files("examples", "wat") {
        let lowered =
            lower(&std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // What the lowering says it keeps from the input, and nothing more, may be needed.
        let kept = kept_features(&Module::from_bytes(&wat_file(&path), features()).unwrap());
        let exceptions = kept.contains(wasmfx::ir::WasmFeatures::EXCEPTIONS);
        let gc = kept.contains(wasmfx::ir::WasmFeatures::GC);
        let host = plain_host_features() | kept;
        wasmfx::ir::validate::validate(&lowered, host).unwrap_or_else(|e| {
            panic!("{}: the lowered module needs more than a plain host: {e}", path.display())
        });
        // And each of them is needed: without it, the output does not validate.
        for feature in [wasmfx::ir::WasmFeatures::GC, wasmfx::ir::WasmFeatures::EXCEPTIONS] {
            if kept.contains(feature) {
                assert!(
                    wasmfx::ir::validate::validate(&lowered, host - feature).is_err(),
                    "{}: needs no {feature:?}",
                    path.display()
                );
            }
        }
        if exceptions || gc {
            continue;
        }
        on_node += 1;
        let expected = std::fs::read_to_string(path.with_extension("expected")).unwrap();
        let (code, stdout, stderr) = run_on_node(&lowered);
        assert_eq!((code, stdout.as_str()), (0, expected.as_str()), "{} on Node: {stderr}", path.display());
    }
    assert!(on_node >= 5, "only {on_node} examples ran on Node");
}

#[test]
fn a_module_where_nothing_suspends_comes_out_unchanged() {
    let without_stack_switching = features() - wasmfx::ir::WasmFeatures::STACK_SWITCHING;
    let mut tried = 0;
    for path in files("tests/corpus", "wat") {
        let input = wat_file(&path);
        if wasmfx::ir::validate::validate(&input, without_stack_switching).is_err() {
            continue;
        }
        tried += 1;
        let before = Module::from_bytes(&input, features()).unwrap();
        let after = Module::from_bytes(&lower(&input).unwrap(), features()).unwrap();
        assert!(before == after, "{} changed", path.display());
    }
    assert!(tried >= 30, "only {tried} corpus modules are free of stack switching");
}

#[test]
fn functions_that_cannot_suspend_come_out_unchanged() {
    let text = r#"(module
      (type $ft (func (param i32) (result i32)))
      (type $ct (cont $ft))
      (tag $yield (param i32) (result i32))
      (memory 1)
      (func $pure (export "pure") (param i32 i32) (result i32)
        (local $t i32)
        (block $b (loop $l
          (br_if $b (i32.eqz (local.get 1)))
          (local.set $t (i32.add (local.get $t) (local.get 0)))
          (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
          (br $l)))
        (i32.store (i32.const 8) (local.get $t))
        (local.get $t))
      (func $gen (type $ft) (suspend $yield (call $pure (local.get 0) (i32.const 3))))
      (elem declare func $gen)
      (func (export "main") (result i32)
        (block $y (result i32 (ref $ct))
          (drop (resume $ct (on $yield $y) (i32.const 5) (cont.new $ct (ref.func $gen))))
          (return (i32.const -1)))
        (drop)))"#;
    let input = wat::parse_str(text).unwrap();
    let before = Module::from_bytes(&input, features()).unwrap();
    let after = Module::from_bytes(&lower(&input).unwrap(), features()).unwrap();
    let pure = |m: &Module| {
        let (_, f) = m.funcs.iter().find(|(_, f)| f.name.as_deref() == Some("pure")).unwrap();
        f.def.local().unwrap().clone()
    };
    assert!(pure(&before) == pure(&after), "a function that cannot suspend was changed");
    let main = |m: &Module| {
        let (_, f) = m.funcs.iter().find(|(_, f)| f.name.is_none() && f.def.local().is_some()).unwrap();
        f.def.local().unwrap().clone()
    };
    assert!(main(&before) != main(&after), "the resuming function must be rewritten");
    let lowered = lower(&input).unwrap();
    assert_eq!(run_exports(&engine(), &input).unwrap(), vec!["main: i32:15"]);
    assert_eq!(run_exports(&engine(), &lowered).unwrap(), vec!["main: i32:15"]);
}

#[test]
fn corpus_modules_behave_the_same_lowered_or_are_refused_clearly() {
    let engine = engine();
    let mut lowered_count = 0;
    let mut failures = Vec::new();
    for path in files("tests/corpus", "wat") {
        let input = wat_file(&path);
        match lower(&input) {
            Ok(output) => {
                lowered_count += 1;
                let before = run_exports(&engine, &input);
                let after = run_exports(&engine, &output);
                if before != after {
                    failures
                        .push(format!("{}:\n  native:  {before:?}\n  lowered: {after:?}", path.display()));
                }
            }
            Err(e) if e.contains("unsupported:") => {}
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(lowered_count >= 45, "only {lowered_count} corpus modules lowered");
}

/// The Node.js harness names the lowered runtime's traps as `wasmfx-run` does, from a table
/// generated from the one list (`lower_to_asyncify::TRAPS`) and the runner's wording:
/// `tests/node/traps.json`, rewritten with `WASMFX_BLESS=1`.
#[test]
fn node_harness_trap_table_is_generated_from_the_runtime() {
    let mut table = serde_json::Map::new();
    for trap in wasmfx::passes::lower_to_asyncify::TRAPS {
        let text = wasmfx::cli::run::lowered_trap_kind(trap).to_string();
        let message = text.strip_prefix("trap: ").unwrap_or(&text).to_string();
        table.insert(trap.name.to_string(), serde_json::Value::String(message));
    }
    let json = serde_json::to_string_pretty(&serde_json::Value::Object(table)).unwrap() + "\n";
    let path = root().join("tests/node/traps.json");
    if std::env::var_os("WASMFX_BLESS").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(on_disk, json, "tests/node/traps.json is stale: rerun with WASMFX_BLESS=1");
}
