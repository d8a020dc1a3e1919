//! `wasmfx-opt --merge`: a program of several modules merged into one, which runs natively and
//! lowered as the separate modules did, and every refusal as one line with exit code 1; the
//! same program lowered one module at a time against `--emit-shared-runtime`'s runtime.

mod common;

use common::{opt, stderr};
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasmfx-run"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("wasmfx-run runs")
}

/// Checks that `wasmfx-opt ARGS -o out.wasm` fails with exit code 1, one line `expected`, and
/// no output.
fn refused(args: &[&str], cwd: &Path, expected: &str) {
    let out = opt(&[args, &["-o", "out.wasm"]].concat(), cwd);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
    assert_eq!(stderr(&out).trim(), expected, "{args:?}");
    assert!(!cwd.join("out.wasm").exists());
}

/// A tag with a result, its handler in a library, a middle module re-exporting the tag, and a
/// program that suspends two modules away from the handler; each of the first three has a
/// start function that records its place in the library's global.
const TAGS: &str = r#"(module
  (tag (export "ask") (param i32) (result i32))
  (global $order (export "order") (mut i32) (i32.const 0))
  (func $start (global.set $order (i32.const 1)))
  (start $start))"#;

const HANDLER: &str = r#"(module
  (type $f (func (result i32)))
  (type $c (cont $f))
  (type $fk (func (param i32) (result i32)))
  (type $ck (cont $fk))
  (import "tags" "ask" (tag $ask (param i32) (result i32)))
  (import "tags" "order" (global $order (mut i32)))
  (func $start (global.set $order (i32.add (i32.mul (global.get $order) (i32.const 10)) (i32.const 2))))
  (start $start)
  (func (export "answering") (param $k (ref $c)) (result i32)
    (local $resumed (ref null $ck))
    (loop $again
      (block $on_ask (result i32 (ref $ck))
        (return (resume $c (on $ask $on_ask) (local.get $k))))
      (local.set $resumed)
      (local.set $k (cont.bind $ck $c (i32.mul (i32.const 3)) (local.get $resumed)))
      (br $again))
    (unreachable)))"#;

const MIDDLE: &str = r#"(module
  (tag $ask (export "ask") (import "tags" "ask") (param i32) (result i32))
  (import "tags" "order" (global $order (mut i32)))
  (func $start (global.set $order (i32.add (i32.mul (global.get $order) (i32.const 10)) (i32.const 3))))
  (start $start))"#;

const PROGRAM: &str = r#"(module
  (type $f (func (result i32)))
  (type $c (cont $f))
  (import "middle" "ask" (tag $ask (param i32) (result i32)))
  (import "handler" "answering" (func $answering (param (ref $c)) (result i32)))
  (import "tags" "order" (global $order (mut i32)))
  (func $main (result i32) (i32.add (suspend $ask (i32.const 7)) (suspend $ask (i32.const 1))))
  (elem declare func $main)
  (func (export "run") (result i32)
    (i32.add (call $answering (cont.new $c (ref.func $main))) (i32.mul (global.get $order) (i32.const 100)))))"#;

fn write_program(dir: &Path) {
    for (file, text) in
        [("tags.wat", TAGS), ("handler.wat", HANDLER), ("middle.wat", MIDDLE), ("program.wat", PROGRAM)]
    {
        std::fs::write(dir.join(file), text).unwrap();
    }
}

const MERGE: [&str; 7] =
    ["tags.wat", "--link-name", "tags", "--merge", "handler=handler.wat", "--merge", "middle=middle.wat"];

#[test]
fn merged_program_runs_natively_and_lowered() {
    let dir = tempfile::tempdir().unwrap();
    write_program(dir.path());
    let merge: Vec<&str> = MERGE.iter().copied().chain(["--merge", "program=program.wat"]).collect();
    let merged = opt(&[&merge[..], &["-o", "merged.wasm", "--print"]].concat(), dir.path());
    assert!(merged.status.success(), "{}", stderr(&merged));
    let text = String::from_utf8_lossy(&merged.stdout);
    // Nothing imported, one tag, exports but the tags kept, and one start function calling
    // the three in order.
    assert!(!text.contains("(import "), "{text}");
    assert_eq!(text.matches("(tag ").count(), 1, "{text}");
    assert!(text.contains("(export \"run\"") && text.contains("(export \"order\""), "{text}");
    assert!(!text.contains("(export \"ask\""), "{text}");
    let lowered = opt(&[&merge[..], &["--lower-to-asyncify", "-o", "lowered.wasm"]].concat(), dir.path());
    assert!(lowered.status.success(), "{}", stderr(&lowered));
    // 7 * 3 + 1 * 3, and the start functions ran in module order: 123.
    for args in [
        &["merged.wasm", "--invoke", "run"][..],
        &["lowered.wasm", "--invoke", "run"],
        &["--lower", "merged.wasm", "--invoke", "run"],
    ] {
        let out = run(args, dir.path());
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "12324", "{args:?}");
    }
}

/// The program's modules, in instantiation order, with the names they are registered under.
const MODULES: [(&str, &str); 4] =
    [("tags", "tags.wat"), ("handler", "handler.wat"), ("middle", "middle.wat"), ("program", "program.wat")];

#[test]
fn separately_lowered_program_runs_as_the_merged_one() {
    use wasmfx_cli::run::{EngineOptions, engine, spectest_host};
    let dir = tempfile::tempdir().unwrap();
    write_program(dir.path());
    let emitted = opt(&["--emit-shared-runtime", "-o", "runtime.wasm"], dir.path());
    assert!(emitted.status.success(), "{}", stderr(&emitted));
    let engine = engine(EngineOptions::LOWERED).unwrap();
    let (mut store, mut linker) = spectest_host(&engine).unwrap();
    let mut instantiate = |file: &str, name: &str| {
        let module = wasmtime::Module::from_file(&engine, dir.path().join(file)).unwrap();
        let instance = linker.instantiate(&mut store, &module).unwrap();
        linker.instance(&mut store, name, instance).unwrap();
        instance
    };
    instantiate("runtime.wasm", "wasmfx");
    let mut last = None;
    for (name, file) in MODULES {
        let out = format!("{name}.lowered.wasm");
        let args = [
            file,
            "--lower-to-asyncify",
            "--pass-arg",
            "lower-to-asyncify-shared@wasmfx",
            "--pass-arg",
            "lower-to-asyncify-peers@tags,handler,middle",
            "-o",
            &out,
        ];
        let lowered = opt(&args, dir.path());
        assert!(lowered.status.success(), "{name}: {}", stderr(&lowered));
        last = Some(instantiate(&out, name));
    }
    let run = last.unwrap().get_typed_func::<(), i32>(&mut store, "run").unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 12324);
    // The tag with a result crosses the modules as identities only.
    let text =
        String::from_utf8_lossy(&opt(&["program.lowered.wasm", "--print"], dir.path()).stdout).to_string();
    assert!(text.contains(r#"(import "middle" "ask$tag" (global"#), "{text}");
    assert!(text.contains(r#"(import "handler" "answering$peer""#), "{text}");
    assert!(!text.contains("(tag "), "{text}");
}

#[test]
fn separate_lowering_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    write_program(dir.path());
    refused(
        &["program.wat", "--lower-to-asyncify", "--pass-arg", "lower-to-asyncify-peers@tags"],
        dir.path(),
        "error: program.wat: --pass-arg lower-to-asyncify-peers needs --pass-arg lower-to-asyncify-shared",
    );
    let both = opt(&["program.wat", "--emit-shared-runtime"], dir.path());
    assert_eq!(both.status.code(), Some(1), "{}", stderr(&both));
    assert!(
        stderr(&both)
            .starts_with("error: the argument '[INPUT]' cannot be used with '--emit-shared-runtime'"),
        "{}",
        stderr(&both)
    );
}

#[test]
fn merge_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    write_program(dir.path());
    // The program's last module replaced by one that does not fit: (file, text, error).
    #[rustfmt::skip]
    let cases = [
        ("missing.wat", r#"(module (import "handler" "nothing" (func)))"#, "handler.nothing is imported but `handler` exports no `nothing`"),
        ("signature.wat", r#"(module (import "handler" "answering" (func (param i32))))"#, "handler.answering is imported with another signature than it is exported with"),
        ("tag.wat", r#"(module (import "middle" "ask" (tag (param i64))))"#, "middle.ask is imported with another tag type than it is exported with"),
        ("kind.wat", r#"(module (import "tags" "order" (func)))"#, "tags.order is imported as a function but exported as a global"),
        ("export.wat", r#"(module (func (export "answering")))"#, "`handler` and `program` both export `answering`"),
    ];
    for (file, text, expected) in cases {
        std::fs::write(dir.path().join(file), text).unwrap();
        let program = format!("program={file}");
        let args: Vec<&str> = MERGE.iter().copied().chain(["--merge", &program]).collect();
        refused(&args, dir.path(), &format!("error: tags.wat: cannot link: {expected}"));
    }
    let same_name: Vec<&str> = MERGE.iter().copied().chain(["--merge", "middle=program.wat"]).collect();
    refused(&same_name, dir.path(), "error: tags.wat: cannot link: two modules are named `middle`");
    refused(
        &["tags.wat", "--merge", "handler.wat"],
        dir.path(),
        "error: --merge handler.wat: expected NAME=FILE",
    );
    refused(
        &["tags.wat", "--merge", "h=nope.wat"],
        dir.path(),
        "error: nope.wat: cannot read: No such file or directory",
    );
    // A tag re-exported in a circle names no tag.
    std::fs::write(dir.path().join("a.wat"), r#"(module (tag (export "t") (import "b" "t")))"#).unwrap();
    std::fs::write(dir.path().join("b.wat"), r#"(module (tag (export "t") (import "a" "t")))"#).unwrap();
    refused(
        &["a.wat", "--link-name", "a", "--merge", "b=b.wat"],
        dir.path(),
        "error: a.wat: cannot link: a.t is bound to itself through a cycle of imports",
    );
}
