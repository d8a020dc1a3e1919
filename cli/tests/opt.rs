//! `wasmfx-opt` as a user meets it: options, output files, and one-line errors for bad input
//! (with the exit code 1, and no output file created or clobbered).

mod common;

use common::{opt, stderr};
use std::path::Path;
use std::process::{Command, Output};

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

/// A module where removing dead code makes a function unused: `$helper` is only called after
/// a `return`.
const HELPER: &str = r#"(module
  (func $helper (result i32) (i32.const 7))
  (func (export "f") (result i32) (return (i32.const 2)) (call $helper)))"#;

#[test]
fn passes_run_in_command_line_order_as_often_as_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("helper.wat"), HELPER).unwrap();
    let print = |passes: &[&str]| {
        let mut args = vec!["helper.wat"];
        args.extend(passes);
        args.push("--print");
        let out = opt(&args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{passes:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    // Dead code first leaves `$helper` unused, so the removal after it takes it.
    let dce_first = print(&["--dce", "--remove-unused-module-elements"]);
    assert!(!dce_first.contains("$helper") && !dce_first.contains("call"), "{dce_first}");
    // The other way round, `$helper` is still called when unused elements are removed.
    let removal_first = print(&["--remove-unused-module-elements", "--dce"]);
    assert!(removal_first.contains("$helper") && !removal_first.contains("call"), "{removal_first}");
    // Naming a pass again runs it again, at each place: here the removal after the dead code
    // is gone, and dead-code removal both before and after it.
    let twice = print(&["--remove-unused-module-elements", "--dce", "--remove-unused-module-elements"]);
    assert_eq!(twice, dce_first);
    let around = print(&["--dce", "--remove-unused-module-elements", "--dce"]);
    assert_eq!(around, dce_first);
}

#[test]
fn repeated_passes_write_a_valid_module() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("helper.wat"), HELPER).unwrap();
    let out = opt(&["helper.wat", "--dce", "--coalesce-locals", "--dce", "-o", "out.wasm"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Reading the output validates it.
    let out = opt(&["out.wasm", "--print"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("$helper") && !text.contains("call"), "{text}");
}

/// Runs `wasmfx-opt` with one of the runner's test hooks set, and without `RUST_BACKTRACE`,
/// which would add Rust's own panic report.
fn opt_with_hook(hook: &str, pass: &str, args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasmfx-opt"))
        .args(args)
        .current_dir(cwd)
        .env(hook, pass)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("wasmfx-opt runs")
}

#[test]
fn a_panic_in_a_pass_is_one_internal_error_line_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.wat"), GOOD).unwrap();
    let hook = wasmfx_passes::runner::TEST_PANIC_ENV;
    let out =
        opt_with_hook(hook, "dce", &["good.wat", "--coalesce-locals", "--dce", "-o", "out.wasm"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "one line expected, got: {err}");
    let prefix = "error: good.wat: internal error in pass dce: a deliberate panic \
                  (WASMFX_TEST_PANIC_IN_PASS=dce) (at passes/src/runner.rs:";
    assert!(err.starts_with(prefix), "{err}");
    assert!(
        err.trim_end()
            .strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(')'))
            .is_some_and(|line| { !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) }),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(!dir.path().join("out.wasm").exists(), "an output file was written");

    // Other passes run as usual.
    let out = opt_with_hook(hook, "dce", &["good.wat", "--coalesce-locals", "-o", "out.wasm"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn invalid_output_of_passes_is_an_internal_error_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.wat"), GOOD).unwrap();
    let hook = wasmfx_passes::runner::TEST_INVALID_OUTPUT_ENV;
    let args = ["good.wat", "--coalesce-locals", "--dce", "--coalesce-locals", "-o", "out.wasm"];
    let out = opt_with_hook(hook, "dce", &args, dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "one line expected, got: {err}");
    // Any of the passes may have broken it; each is named once.
    assert!(
        err.starts_with(
            "error: good.wat: internal error in passes coalesce-locals, dce: the output is invalid: \
             type mismatch: expected i32 but nothing on stack (at byte offset "
        ),
        "{err}"
    );
    assert!(!dir.path().join("out.wasm").exists(), "an output file was written");

    // In pass-debug mode the pass that broke it is named.
    let out = Command::new(env!("CARGO_BIN_EXE_wasmfx-opt"))
        .args(args)
        .current_dir(dir.path())
        .env(hook, "dce")
        .env("WASMFX_PASS_DEBUG", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("error: good.wat: internal error in pass dce: "), "{}", stderr(&out));

    // Without validation the output is written as it is.
    let mut unvalidated = args.to_vec();
    unvalidated.push("-n");
    let out = opt_with_hook(hook, "dce", &unvalidated, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("out.wasm").exists());
}

#[test]
fn output_needing_a_disabled_feature_is_the_users_error() {
    // The lowering's runtime uses multi-value blocks, which this module does not; with them
    // turned off the output cannot validate, which the command line asked for, not a bug.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ss.wat"),
        r#"(module
  (type $f (func))
  (type $c (cont $f))
  (tag $t)
  (func $g (suspend $t))
  (elem declare func $g)
  (func (export "_start")
    (block $h (result (ref $c))
      (resume $c (on $t $h) (cont.new $c (ref.func $g)))
      (return))
    (drop)))"#,
    )
    .unwrap();
    let out = opt(&["ss.wat", "--disable-multi-value", "--lower-to-asyncify", "-o", "out.wasm"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ss.wat: the output of the passes needs a feature that is disabled: "),
        "{err}"
    );
    assert!(err.contains("multi-value is not enabled"), "{err}");
    assert!(!dir.path().join("out.wasm").exists());
    let out = opt(&["ss.wat", "--lower-to-asyncify", "-o", "out.wasm"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn pass_arg_keys_no_pass_reads_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.wat"), GOOD).unwrap();
    let out = opt(
        &["good.wat", "--dce", "--pass-arg", "lower-to-asyncify-imports@env.f", "-o", "out.wasm"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: --pass-arg lower-to-asyncify-imports: unknown key; no pass being run takes arguments\n"
    );
    assert!(!dir.path().join("out.wasm").exists());

    let args = [
        "good.wat",
        "--lower-to-asyncify",
        "--pass-arg",
        "lower-to-asyncify-imports@",
        "--pass-arg",
        "lower-to-asyncify-import@env.f",
        "-o",
        "out.wasm",
    ];
    let out = opt(&args, dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: --pass-arg lower-to-asyncify-import: unknown key; the passes run know: \
         lower-to-asyncify-imports, lower-to-asyncify-only, lower-to-asyncify-remove, \
         lower-to-asyncify-add, lower-to-asyncify-shared, lower-to-asyncify-peers\n"
    );
    assert!(!dir.path().join("out.wasm").exists());

    // The key the lowering reads is accepted.
    let out = opt(&args[..4].iter().chain(&["-o", "out.wasm"]).copied().collect::<Vec<_>>(), dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("out.wasm").exists());
}

/// The permission bits of `path`.
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Runs `wasmfx-opt` under `umask`.
fn opt_under_umask(umask: &str, args: &[&str], cwd: &Path) -> Output {
    let script = format!("umask {umask}; exec \"$0\" \"$@\"");
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_wasmfx-opt"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("sh runs")
}

#[test]
fn output_files_get_the_umasks_mode_and_existing_files_keep_theirs() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.wat"), GOOD).unwrap();
    for (umask, expected) in [("022", 0o644), ("077", 0o600)] {
        for out in ["new.wasm", "new.wat"] {
            let path = dir.path().join(out);
            let _ = std::fs::remove_file(&path);
            let output = opt_under_umask(umask, &["good.wat", "-S", "-o", out], dir.path());
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            assert_eq!(mode(&path), expected, "umask {umask}: {out} has mode {:o}", mode(&path));
        }
        // An existing file keeps its mode, whether the umask would widen or narrow it.
        let existing = dir.path().join("existing.wasm");
        std::fs::write(&existing, b"previous").unwrap();
        std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o640)).unwrap();
        let output = opt_under_umask(umask, &["good.wat", "-o", "existing.wasm"], dir.path());
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(std::fs::read(&existing).unwrap().starts_with(b"\0asm"), "not replaced");
        assert_eq!(mode(&existing), 0o640, "umask {umask}: existing file has mode {:o}", mode(&existing));
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

/// A program importing from `lib`, and `lib` importing from the program (`main`), both with
/// an import of their own that stays (spectest.print_i32).
const LINK_MAIN: &str = r#"(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (import "lib" "twice_plus_base" (func $twice (param i32) (result i32)))
  (import "lib" "counter" (global $counter (mut i32)))
  (memory (export "memory") 1)
  (func (export "base") (result i32) (i32.load (i32.const 16)))
  (func (export "run") (result i32)
    (i32.store (i32.const 16) (i32.const 100))
    (call $print (call $twice (i32.const 21)))
    (global.set $counter (i32.add (global.get $counter) (i32.const 5)))
    (call $twice (global.get $counter))))"#;

const LINK_LIB: &str = r#"(module
  (import "main" "memory" (memory 1))
  (import "main" "base" (func $base (result i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (global $counter (export "counter") (mut i32) (i32.const 1))
  (func (export "twice_plus_base") (param i32) (result i32)
    (call $print (i32.load (i32.const 16)))
    (i32.add (i32.mul (local.get 0) (i32.const 2)) (call $base)))
  (func (export "unused") (result i32) (i32.const 7)))"#;

#[test]
fn link_binds_imports_both_ways_and_the_result_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.wat"), LINK_MAIN).unwrap();
    std::fs::write(dir.path().join("lib.wat"), LINK_LIB).unwrap();
    let out = opt(&["main.wat", "--link", "lib@lib.wat", "-o", "out.wasm"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = wasmprinter_text(&std::fs::read(dir.path().join("out.wasm")).unwrap());
    // One import remains of each module's, in order; nothing from `lib` or `main`.
    assert_eq!(printed.matches("(import ").count(), 2, "{printed}");
    assert!(!printed.contains("\"lib\"") && !printed.contains("\"main\""), "{printed}");
    // Exports: the program's, and the library's that resolved nothing.
    assert!(printed.contains("(export \"run\"") && printed.contains("(export \"unused\""), "{printed}");
    assert!(!printed.contains("(export \"counter\""), "{printed}");
    let run = Command::new(env!("CARGO_BIN_EXE_wasmfx-run"))
        .args(["out.wasm", "--invoke", "run"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    // print_i32 from the library (the memory is shared), then from the program, then again
    // from the library; the result uses the global the program changed.
    let stdout = String::from_utf8_lossy(&run.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(lines[0].contains("100") && lines[1].contains("142") && lines[2].contains("100"), "{stdout}");
    assert_eq!(lines[3], "112");
}

#[test]
fn link_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.wat"), LINK_MAIN).unwrap();
    let cases: [(&str, &str, &str); 4] = [
        (
            "missing.wat",
            r#"(module (import "main" "memory" (memory 1)) (global (export "counter") (mut i32) (i32.const 0)))"#,
            "cannot link: lib.twice_plus_base is imported but `lib` exports no `twice_plus_base`",
        ),
        (
            "kind.wat",
            r#"(module (global (export "twice_plus_base") i32 (i32.const 0))
                 (global (export "counter") (mut i32) (i32.const 0)))"#,
            "cannot link: lib.twice_plus_base is imported as a function but exported as a global",
        ),
        (
            "signature.wat",
            r#"(module (func (export "twice_plus_base") (param i64) (result i32) (i32.const 0))
                 (global (export "counter") (mut i32) (i32.const 0)))"#,
            "cannot link: lib.twice_plus_base is imported with another signature",
        ),
        (
            "mutability.wat",
            r#"(module (func (export "twice_plus_base") (param i32) (result i32) (i32.const 0))
                 (global (export "counter") i32 (i32.const 0)))"#,
            "cannot link: lib.counter is imported with another global type",
        ),
    ];
    for (file, text, expected) in cases {
        std::fs::write(dir.path().join(file), text).unwrap();
        let link = format!("lib@{file}");
        let out = opt(&["main.wat", "--link", &link, "-o", "out.wasm"], dir.path());
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert_eq!(err.lines().count(), 1, "{file}: {err}");
        assert!(err.starts_with(&format!("error: main.wat: {expected}")), "{file}: {err}");
        assert!(!dir.path().join("out.wasm").exists());
    }
    let out = opt(&["main.wat", "--link", "lib.wat", "-o", "out.wasm"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).trim(), "error: --link lib.wat: expected NAME@FILE");
    let out = opt(&["main.wat", "--link", "lib@nope.wat", "-o", "out.wasm"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).trim(), "error: nope.wat: cannot read: No such file or directory");
}

#[test]
fn optimisation_levels() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("in.wat"),
        r#"(module
  (func $two (result i32) i32.const 2)
  (func (export "f") (result i32) call $two i32.const 3 i32.add))"#,
    )
    .unwrap();
    // `-O` before the input is a level, not a level named `in.wat`.
    for level in ["-O", "-O0", "-O1", "-O2", "-O3", "-O4", "-Os", "-Oz"] {
        let out = opt(&[level, "in.wat", "--print"], dir.path());
        assert_eq!(out.status.code(), Some(0), "{level}: {}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let inlined = !text.contains("call ");
        // `-Os` and `-Oz` inline too: a function called once shrinks the module inlined.
        assert_eq!(inlined, ["-O", "-O2", "-O3", "-O4", "-Os", "-Oz"].contains(&level), "{level}: {text}");
        if inlined {
            assert!(text.contains("i32.const 5") && !text.contains("$two"), "{level}: {text}");
        }
    }
    // A level runs where it stands among the passes.
    let out = opt(&["in.wat", "--dce", "-O2", "--print"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = opt(&["in.wat", "-O5"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unexpected argument"), "{}", stderr(&out));
}
