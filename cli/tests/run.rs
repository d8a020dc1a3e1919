//! Tests of `wasmfx-run`, through the built binary (exit codes, stdout, stderr) and through the
//! `wasmfx_cli::run` library with captured output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use wasmfx_cli::run::{self, ErrorKind, ModuleSource, RunOptions};

const EXAMPLES: [&str; 7] =
    ["goroutines", "generator", "scheduler", "actors", "async_await", "switch_scheduler", "effect_handlers"];

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/{name}.wat"))
}

fn expected(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/{name}.expected"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/run/{name}.wat"))
}

fn wasmfx_run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasmfx-run")).args(args).output().expect("wasmfx-run starts")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn captured(module: PathBuf) -> RunOptions {
    RunOptions { capture_output: true, ..RunOptions::new(ModuleSource::Path(module)) }
}

fn invoke(name: &str, args: &[&str]) -> Output {
    let module = fixture("numbers");
    let mut argv: Vec<String> = vec![module.display().to_string(), "--invoke".into(), name.into()];
    argv.extend(args.iter().map(|a| a.to_string()));
    wasmfx_run(&argv)
}

#[test]
fn examples_print_their_expected_output() {
    for name in EXAMPLES {
        let output = wasmfx_run(&[example(name)]);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        assert_eq!(stdout(&output), expected(name), "{name}");
        assert_eq!(stderr(&output), "", "{name}");
    }
}

#[test]
fn examples_run_in_process_and_count_their_continuations() {
    // One continuation per goroutine, generator, thread, actor, task, worker and evaluation.
    let continuations = [2, 2, 4, 63, 4, 4, 6];
    for (name, count) in EXAMPLES.into_iter().zip(continuations) {
        let outcome = run::run(&captured(example(name))).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(outcome.exit_code, 0, "{name}");
        assert_eq!(String::from_utf8_lossy(&outcome.stdout), expected(name), "{name}");
        assert_eq!(outcome.continuations, Some(count), "{name}");
    }
}

#[test]
fn examples_run_with_small_continuation_stacks() {
    for name in EXAMPLES {
        let output = wasmfx_run(&["--stack-size".as_ref(), "64K".as_ref(), example(name).as_os_str()]);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        assert_eq!(stdout(&output), expected(name), "{name}");
    }
}

#[test]
fn invoke_parses_and_prints_every_number_type() {
    let cases: [(&str, &[&str], &str); 6] = [
        ("add_i32", &["2147483647", "1"], "-2147483648\n"),
        ("add_i32", &["0xffffffff", "-1"], "-2\n"),
        ("add_i64", &["18446744073709551615", "2"], "1\n"),
        ("half_f32", &["3"], "1.5\n"),
        ("add_f64", &["0.1", "0.2"], "0.30000000000000004\n"),
        (
            "reverse",
            &["-7", "9223372036854775807", "-inf", "-2.5e-300"],
            "-2.5e-300\n-inf\n9223372036854775807\n-7\n",
        ),
    ];
    for (name, args, want) in cases {
        let output = invoke(name, args);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        assert_eq!(stdout(&output), want, "{name} {args:?}");
    }
    let output = invoke("nothing", &[]);
    assert_eq!((output.status.code(), stdout(&output)), (Some(0), String::new()));
}

#[test]
fn invoke_results_come_back_from_the_library() {
    let options = RunOptions {
        invoke: Some("reverse".into()),
        args: vec!["1".into(), "2".into(), "0.5".into(), "nan".into()],
        ..captured(fixture("numbers"))
    };
    let outcome = run::run(&options).unwrap_or_else(|e| panic!("{e}"));
    let printed: Vec<String> = outcome.results.iter().map(|v| v.to_string()).collect();
    assert_eq!(printed, ["nan", "0.5", "2", "1"]);
    assert_eq!(outcome.continuations, None);
}

#[test]
fn invoke_rejects_bad_and_missing_arguments() {
    let module = fixture("numbers").display().to_string();
    let output = invoke("add_i32", &["1", "x"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), format!("error: {module}: argument 2 of `add_i32`: `x` is not an i32\n"));
    let output = invoke("add_i32", &["1", "4294967296"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("`4294967296` is not an i32"));
    let output = invoke("half_f32", &["1.5.2"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("argument 1 of `half_f32`: `1.5.2` is not an f32"));
    let output = invoke("add_f64", &["0.1"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!("error: {module}: `add_f64` takes 2 arguments (f64 f64), but 1 was given\n")
    );
    let output = invoke("nothing", &["1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("`nothing` takes 0 arguments (), but 1 was given"));
}

#[test]
fn invoke_of_a_missing_export_names_it_and_the_ones_there_are() {
    let output = invoke("missing", &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "no exported function `missing`; exported functions: add_i32, add_i64, half_f32, \
             add_f64, reverse, nothing"
        ),
        "{}",
        stderr(&output)
    );
    let output = invoke("answer", &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("export `answer` is not a function"));
    let output = wasmfx_run(&[fixture("numbers")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no `_start` export and no start function"));
}

#[test]
fn wasi_command_gets_args_and_env_and_its_exit_code_passes_through() {
    let output = wasmfx_run(&[
        "--env".as_ref(),
        "GREETING=hello".as_ref(),
        fixture("wasi_command").as_os_str(),
        "one".as_ref(),
        "two words".as_ref(),
        "--not-an-option".as_ref(),
    ]);
    // argc is 4: the module's name and three arguments.
    assert_eq!(output.status.code(), Some(44), "{}", stderr(&output));
    assert_eq!(stdout(&output), "one\ntwo words\n--not-an-option\nGREETING=hello\n");
    assert_eq!(stderr(&output), "bye\n");

    let options = RunOptions { args: vec!["x".into()], ..captured(fixture("wasi_command")) };
    let outcome = run::run(&options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome.exit_code, 42);
    assert_eq!(outcome.stdout, b"x\n");
    assert_eq!(outcome.stderr, b"bye\n");
}

#[test]
fn spectest_prints_like_the_reference_interpreter_in_order_with_wasi() {
    let outcome = run::run(&captured(fixture("spectest_prints"))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        String::from_utf8_lossy(&outcome.stdout),
        "666 : i32\nwasi\n666 : i64\n666.6 : f32\n666.6 : f64\n-1 : i32\n0.5 : f32\n\
         1e300 : f64\n-0.0 : f64\n10 : i32\n-1 : i32\n1 : i32\n-1 : i32\n"
    );
    let output = wasmfx_run(&[fixture("spectest_prints")]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output).as_bytes(), outcome.stdout.as_slice());
}

#[test]
fn missing_import_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let module = dir.path().join("imports.wat");
    std::fs::write(&module, r#"(module (import "env" "foo" (func (param i32))))"#).unwrap();
    let output = wasmfx_run(&[&module]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error: {}: missing import `env::foo` (func (param i32)): the runner provides \
             `wasi_snapshot_preview1` and `spectest`\n",
            module.display()
        )
    );
}

/// Parses N out of "native continuation limit reached after N continuations".
fn reported_count(stderr: &str) -> Option<u64> {
    let rest = stderr.split("native continuation limit reached after ").nth(1)?;
    rest.split(' ').next()?.parse().ok()
}

#[test]
fn native_continuation_limit_is_reported_with_the_exact_count() {
    let module = fixture("too_many_continuations");
    let started = Instant::now();
    let output = wasmfx_run(&["--stack-size".as_ref(), "64K".as_ref(), module.as_os_str()]);
    let elapsed = started.elapsed();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "{err}");
    assert!(
        err.contains(
            "continuations: Wasmtime 48 keeps every continuation's stack until the program \
             ends; lower the module with `wasmfx-opt --lower-to-asyncify` to run it"
        ),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let count = reported_count(&err).unwrap_or_else(|| panic!("no count in: {err}"));
    // The module printed its own count after each continuation it made.
    let out = stdout(&output);
    let last = out.lines().last().unwrap_or_default();
    assert_eq!(last, format!("{count} : i32"));
    // Two mappings per continuation against the kernel's limit of 65,530 mappings.
    assert!((30_000..=32_765).contains(&count), "{count}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[test]
fn trap_inside_a_continuation_reports_the_trap_and_the_backtrace() {
    let module = fixture("trap_in_continuation");
    let output = wasmfx_run(&[&module]);
    assert_eq!(output.status.code(), Some(3));
    let err = stderr(&output);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some(format!("error: {}: trap: integer divide by zero", module.display()).as_str())
    );
    assert_eq!(lines.get(1).copied(), Some("wasm backtrace:"));
    // The continuation's frames, then the resumer's.
    let frames: Vec<&str> = lines[2..].iter().map(|l| l.rsplit('!').next().unwrap_or_default()).collect();
    assert_eq!(frames, ["divide", "task", "main"]);

    // Offsets are those of the file as given, not of the instrumented module.
    let wasm = wat::parse_file(&module).expect("fixture parses");
    let mut div_offset = None;
    for payload in wasmparser::Parser::new(0).parse_all(&wasm) {
        if let wasmparser::Payload::CodeSectionEntry(body) = payload.expect("valid") {
            let mut ops = body.get_operators_reader().expect("body");
            while !ops.eof() {
                let (op, offset) = ops.read_with_offset().expect("operator");
                if let wasmparser::Operator::I32DivS = op {
                    div_offset = Some(offset);
                }
            }
        }
    }
    let div_offset = div_offset.expect("i32.div_s in the fixture");
    assert!(
        lines[2].contains(&format!("{div_offset:#x} - ")),
        "{} should point at {div_offset:#x}",
        lines[2]
    );

    let error = run::run(&captured(module)).expect_err("traps");
    assert_eq!(error.kind(), &ErrorKind::Trap("integer divide by zero".into()));
    assert_eq!(error.exit_code(), 3);
    assert_eq!(error.continuations(), Some(1));
    assert_eq!(error.backtrace().len(), 3);
}

#[test]
fn unhandled_suspend_is_reported_as_such() {
    let module = fixture("unhandled_suspend");
    let output = wasmfx_run(&[&module]);
    assert_eq!(output.status.code(), Some(3));
    let err = stderr(&output);
    assert!(
        err.starts_with(&format!("error: {}: trap: unhandled suspend/switch tag", module.display())),
        "{err}"
    );
    assert!(err.contains("!task\n"), "{err}");
    let error = run::run(&captured(module)).expect_err("traps");
    assert_eq!(error.kind(), &ErrorKind::UnhandledTag);
}

#[test]
fn precompiled_module_runs_and_still_counts_continuations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let compiled = dir.path().join("scheduler.cwasm");
    let output =
        wasmfx_run(&["--precompile".as_ref(), compiled.as_os_str(), example("scheduler").as_os_str()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "", "precompiling does not run the module");
    let output = wasmfx_run(&[&compiled]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), expected("scheduler"));

    // Detected by content too, under any name, and from the library.
    let renamed = dir.path().join("scheduler.bin");
    std::fs::copy(&compiled, &renamed).expect("copy");
    let outcome = run::run(&captured(renamed)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(String::from_utf8_lossy(&outcome.stdout), expected("scheduler"));
    assert_eq!(outcome.continuations, Some(4));

    // Fuel changes the generated code, so Wasmtime refuses the mismatch.
    let output = wasmfx_run(&["--fuel".as_ref(), "100".as_ref(), compiled.as_os_str()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("cannot load precompiled module"));

    let garbage = dir.path().join("garbage.cwasm");
    std::fs::write(&garbage, b"not compiled").expect("write");
    let output = wasmfx_run(&[&garbage]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("not a module precompiled by this version"));
}

#[test]
fn module_can_come_from_stdin() {
    let source = std::fs::read(example("generator")).expect("example");
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasmfx-run"))
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(&source).expect("write");
    }
    let output = child.wait_with_output().expect("finishes");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), expected("generator"));
}

#[test]
fn fuel_and_timeout_stop_an_endless_loop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let module = dir.path().join("loop.wat");
    std::fs::write(&module, r#"(module (func (export "_start") (loop $l (br $l))))"#).unwrap();
    let output = wasmfx_run(&["--fuel".as_ref(), "10000".as_ref(), module.as_os_str()]);
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output).contains("trap: all fuel consumed (--fuel 10000)"));

    let started = Instant::now();
    let output = wasmfx_run(&["--timeout".as_ref(), "0.3".as_ref(), module.as_os_str()]);
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output).contains("trap: timed out after 0.3 s"));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn load_errors_are_one_line_and_never_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, &[u8], &str); 4] = [
        ("text.wat", b"(module (func (export \"_start\")) ))", "(at line 1, column 35)"),
        ("binary.wasm", b"\0asm\x01\0\0\0\x01\xff", "invalid module: "),
        ("invalid.wat", b"(module (func (export \"_start\") (i32.add)))", "invalid module: "),
        ("empty.wat", b"", "(at line 1, column 1)"),
    ];
    for (name, bytes, want) in cases {
        let module = dir.path().join(name);
        std::fs::write(&module, bytes).expect("write");
        let output = wasmfx_run(&[&module]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(
            err.starts_with(&format!("error: {}: ", module.display())) && err.contains(want),
            "{name}: {err}"
        );
    }
    let output = wasmfx_run(&[dir.path().join("absent.wasm")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("cannot read module"));
    let output = wasmfx_run(&[
        "--dir".as_ref(),
        dir.path().join("absent").as_os_str(),
        example("generator").as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--dir"));
    let output = wasmfx_run(&["--stack-size", "1K", "x.wat"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn switch_transfers_control_symmetrically_and_unhandled_switch_is_reported() {
    let outcome = run::run(&captured(fixture("switch_pingpong"))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        String::from_utf8_lossy(&outcome.stdout),
        "100 : i32\n200 : i32\n101 : i32\n201 : i32\n102 : i32\n202 : i32\n999 : i32\n"
    );
    assert_eq!(outcome.continuations, Some(2));

    // Without the `(on $swap switch)` clause the first switch has no handler.
    let source = std::fs::read_to_string(fixture("switch_pingpong")).expect("fixture");
    let unhandled = source.replace("(resume $k (on $swap switch)", "(resume $k");
    assert_ne!(source, unhandled);
    let options = RunOptions {
        capture_output: true,
        ..RunOptions::new(ModuleSource::Bytes {
            name: "unhandled_switch.wat".into(),
            bytes: unhandled.into_bytes(),
        })
    };
    let error = run::run(&options).expect_err("traps");
    assert_eq!(error.kind(), &ErrorKind::UnhandledTag);
    assert_eq!(error.stdout(), b"100 : i32\n");
    assert_eq!(
        error.to_string(),
        "unhandled_switch.wat: trap: unhandled suspend/switch tag: no enclosing `resume` \
         handles it"
    );
}

/// Runs `wasmfx-run` with one of the pass runner's test hooks set, and without
/// `RUST_BACKTRACE`, which would add Rust's own panic report.
fn wasmfx_run_with_hook<S: AsRef<std::ffi::OsStr>>(hook: &str, pass: &str, args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasmfx-run"))
        .args(args)
        .env(hook, pass)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("wasmfx-run starts")
}

#[test]
fn a_bug_in_the_lowering_is_an_internal_error_with_exit_code_2() {
    let module = example("goroutines");
    let dir = tempfile::tempdir().expect("tempdir");
    let compiled = dir.path().join("goroutines.cwasm");
    let panic = wasmfx_passes::runner::TEST_PANIC_ENV;
    let precompile = ["--lower".as_ref(), "--precompile".as_ref(), compiled.as_os_str(), module.as_os_str()];
    for args in [&["--lower".as_ref(), module.as_os_str()][..], &precompile[..]] {
        let output = wasmfx_run_with_hook(panic, "lower-to-asyncify", args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line expected, got: {err}");
        let prefix = format!(
            "error: {}: internal error in pass lower-to-asyncify: a deliberate panic \
             (WASMFX_TEST_PANIC_IN_PASS=lower-to-asyncify) (at passes/src/runner.rs:",
            module.display()
        );
        assert!(err.starts_with(&prefix) && err.ends_with(")\n"), "{args:?}: {err}");
        assert!(!err.contains("panicked") && !err.contains("Wasmtime"), "{err}");
        assert_eq!(stdout(&output), "", "nothing ran");
    }
    assert!(!compiled.exists(), "a precompiled module was written");

    let invalid = wasmfx_passes::runner::TEST_INVALID_OUTPUT_ENV;
    let output =
        wasmfx_run_with_hook(invalid, "lower-to-asyncify", &["--lower".as_ref(), module.as_os_str()]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(&format!(
            "error: {}: internal error in pass lower-to-asyncify: the output is invalid: type mismatch",
            module.display()
        )) && err.lines().count() == 1,
        "{err}"
    );

    // What the lowering refuses is still the input's error.
    let dir = tempfile::tempdir().expect("tempdir");
    let refused = |name: &str, wat: &str, why: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, wat).unwrap();
        let output = wasmfx_run(&["--lower".as_ref(), path.as_os_str()]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert_eq!(stderr(&output), format!("error: {}: cannot lower: unsupported: {why}\n", path.display()));
    };
    refused(
        "memory64.wat",
        r#"(module (memory i64 1) (type $f (func)) (type $c (cont $f)) (func (export "_start")))"#,
        "a 64-bit or shared memory 0 (not lowered by --lower-to-asyncify yet)",
    );
}

#[test]
fn a_lowered_precompiled_module_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let compiled = dir.path().join("goroutines.cwasm");
    let output = wasmfx_run(&[
        "--lower".as_ref(),
        "--precompile".as_ref(),
        compiled.as_os_str(),
        example("goroutines").as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "", "precompiling does not run the module");
    // It was lowered: it runs without stack switching, and has no continuations to count.
    let outcome =
        run::run(&RunOptions { lower: true, ..captured(compiled.clone()) }).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(String::from_utf8_lossy(&outcome.stdout), expected("goroutines"));
    assert_eq!(outcome.continuations, None);
    // The `.cwasm` knows it was compiled with stack switching off, so `--lower` is optional.
    for args in [&[compiled.as_os_str()][..], &["--lower".as_ref(), compiled.as_os_str()][..]] {
        let output = wasmfx_run(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", stderr(&output));
        assert_eq!(stdout(&output), expected("goroutines"), "{args:?}");
    }
    // Fuel still has to match, and the error says so rather than blame stack switching.
    let output = wasmfx_run(&["--fuel".as_ref(), "100".as_ref(), compiled.as_os_str()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("compiled without fuel support"), "{}", stderr(&output));

    // A module precompiled natively cannot be lowered any more.
    let native = dir.path().join("native.cwasm");
    let output =
        wasmfx_run(&["--precompile".as_ref(), native.as_os_str(), example("goroutines").as_os_str()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = wasmfx_run(&["--lower".as_ref(), native.as_os_str()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("it was precompiled without --lower, so it runs only without --lower"),
        "{}",
        stderr(&output)
    );
}
