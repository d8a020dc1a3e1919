//! `wasmfx-opt` as a user meets it: options, output files, and one-line errors for bad input
//! (with the exit code 1, and no output file created or clobbered).

use std::path::Path;
use std::process::{Command, Output};

fn opt(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasmfx-opt"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("wasmfx-opt runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

const GOOD: &str = r#"(module
  (func $dead (result i32) (i32.const 1))
  (func (export "f") (result i32) (return (i32.const 2)) (i32.const 3)))"#;

/// Runs `wasmfx-opt` on `input` (written to `name`) with `-o out.wasm` and checks that it
/// fails with one line `error: NAME: ...` containing `expected`, exit code 1, and no output.
fn assert_fails(name: &str, input: &[u8], expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), input).unwrap();
    let out = opt(&[name, "--dce", "-o", "out.wasm"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{name}: exit code; stderr: {err}");
    assert_eq!(err.lines().count(), 1, "{name}: one line expected, got: {err}");
    assert!(err.starts_with(&format!("error: {name}: ")), "{name}: {err}");
    assert!(err.contains(expected), "{name}: expected `{expected}` in: {err}");
    assert!(!dir.path().join("out.wasm").exists(), "{name}: an output file was written");
    assert!(!err.contains("panicked"), "{err}");
}

fn good_binary() -> Vec<u8> {
    wat::parse_str(GOOD).unwrap()
}

#[test]
fn missing_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = opt(&["nope.wasm", "-o", "out.wasm"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).trim(), "error: nope.wasm: cannot read: No such file or directory");
    assert!(!dir.path().join("out.wasm").exists());
}

#[test]
fn truncated_binary() {
    let bytes = good_binary();
    assert_fails("truncated.wasm", &bytes[..bytes.len() - 5], "(at byte offset");
}

#[test]
fn corrupt_binary() {
    let mut bytes = good_binary();
    // The first section's size now claims far more bytes than the module has.
    bytes[9] = 0x7f;
    assert_fails("corrupt.wasm", &bytes, "(at byte offset");
}

#[test]
fn bad_magic() {
    assert_fails("magic.wasm", b"\0asn\x01\0\0\0", "magic header not detected: bad magic number");
}

#[test]
fn bad_version() {
    assert_fails("version.wasm", b"\0asm\x02\0\0\0", "unknown binary version");
}

#[test]
fn invalid_module() {
    assert_fails(
        "invalid.wat",
        b"(module (func (result i32) (i64.const 1)))",
        "type mismatch: expected i32, found i64 (at byte offset",
    );
}

#[test]
fn malformed_text() {
    assert_fails("malformed.wat", b"(module (func (i32.const)))", "(at line 1, column");
}

#[test]
fn unknown_opcode() {
    // A function body holding the opcode 0xff, which no proposal defines.
    let bytes = [
        0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, // magic, version
        1, 4, 1, 0x60, 0, 0, // type section: one type [] -> []
        3, 2, 1, 0, // function section
        10, 5, 1, 3, 0, 0xff, 0x0b, // code section: no locals, 0xff, end
    ];
    assert_fails("opcode.wasm", &bytes, "illegal opcode: 0xff (at byte offset 23)");
}

#[test]
fn legacy_exceptions_are_refused_clearly() {
    assert_fails(
        "legacy.wat",
        b"(module (tag $e) (func try throw $e catch $e end))",
        "legacy exception handling",
    );
}

#[test]
fn text_that_is_not_utf8() {
    assert_fails("binary.wat", b"\xff\xfe garbage", "neither a binary module");
}

#[test]
fn unwritable_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.wat"), GOOD).unwrap();
    let out = opt(&["good.wat", "-o", "missing-dir/out.wasm"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.trim(), "error: missing-dir/out.wasm: cannot write: No such file or directory");
    assert!(!dir.path().join("missing-dir").exists());
    // A directory in the output's place is refused, not replaced.
    std::fs::create_dir(dir.path().join("taken")).unwrap();
    let out = opt(&["good.wat", "-o", "taken"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).trim(), "error: taken: cannot write: is a directory");
}

#[test]
fn failed_run_leaves_an_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.wat"), "(module (func (result i32)))").unwrap();
    std::fs::write(dir.path().join("out.wasm"), b"previous").unwrap();
    let out = opt(&["bad.wat", "-o", "out.wasm"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(dir.path().join("out.wasm")).unwrap(), b"previous");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "temporary files left behind: {leftovers:?}");
}

#[test]
fn writes_binary_text_and_stdout() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.wat"), GOOD).unwrap();
    let out = opt(&["good.wat", "--dce", "-o", "out.wasm"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(dir.path().join("out.wasm")).unwrap();
    assert!(bytes.starts_with(b"\0asm"));
    let printed = wasmprinter_text(&bytes);
    assert!(printed.contains("return") && !printed.contains("i32.const 3"), "{printed}");

    let out = opt(&["good.wat", "-S", "-o", "out.wat"], dir.path());
    assert!(out.status.success());
    let text = std::fs::read_to_string(dir.path().join("out.wat")).unwrap();
    assert!(text.starts_with("(module"), "{text}");

    let out = opt(&["good.wat", "-o", "-"], dir.path());
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"\0asm"));

    let out = opt(&["out.wasm", "--print"], dir.path());
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), printed);
}

fn wasmprinter_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.wasm"), bytes).unwrap();
    let out = opt(&["m.wasm", "--print"], dir.path());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn reads_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasmfx-opt"))
        .args(["-", "--remove-unused-module-elements", "--print"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(GOOD.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("$dead") && text.contains("(export \"f\""), "{text}");
}

#[test]
fn passes_run_in_command_line_order() {
    // dce first leaves the tail `i32.const 3` out before nothing else changes; the other order
    // gives the same module. The check is that both orders are accepted and applied: the
    // dead function and the dead code are both gone either way.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.wat"), GOOD).unwrap();
    for order in [["--dce", "--remove-unused-module-elements"], ["--remove-unused-module-elements", "--dce"]]
    {
        let out = opt(&["good.wat", order[0], order[1], "--print"], dir.path());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains("$dead") && !text.contains("i32.const 3"), "{order:?}: {text}");
    }
}

#[test]
fn help_lists_every_pass() {
    let out = opt(&["--help"], Path::new("."));
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for pass in wasmfx_passes::REGISTRY {
        assert!(help.contains(&format!("--{}", pass.name)) && help.contains(pass.description), "{help}");
    }
}

#[test]
fn bad_pass_arg_and_unknown_flag() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.wat"), GOOD).unwrap();
    let out = opt(&["good.wat", "--pass-arg", "@value"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).trim(), "error: --pass-arg `@value` has no key (expected KEY@VALUE)");
    let out = opt(&["good.wat", "--no-such-pass"], dir.path());
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("--no-such-pass"));
}

#[test]
fn features_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ss.wat"),
        "(module (type $f (func)) (type $c (cont $f)) (func (param (ref null $c))))",
    )
    .unwrap();
    let out = opt(&["ss.wat", "--disable-stack-switching"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("stack switching"), "{}", stderr(&out));
    let out = opt(&["ss.wat", "--mvp-features", "--enable-stack-switching"], dir.path());
    assert_eq!(out.status.code(), Some(1), "function references are still off");
    let out = opt(&["ss.wat"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
}
