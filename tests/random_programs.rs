//! Fixed-seed random WasmFX programs (written by `tests/generator/mod.rs`) run natively, lowered
//! and lowered then optimised (`-O2`) through `wasmfx_cli::run::run`; the runs must agree on
//! stdout, stderr, the exit code and the error's kind and message, as the differential
//! programs' (`tests/differential/`) do.
//!
//! Each seed is one test, `seed/S`, in a libtest-mimic harness: `cargo test --release --test
//! random_programs -- --exact seed/42` reruns one, `-- seed/` runs only the seeds. `cargo test`
//! runs seeds 0..1000; `WASMFX_RANDOM_COUNT=N` makes N seeds instead and `WASMFX_RANDOM_SEED=S`
//! starts them at seed S (to explore more programs); `WASMFX_RANDOM_NATIVE_ONLY=1` runs only the
//! native side (to check the generator). Most seeds' programs use `switch`, `resume_throw` and
//! exceptions; `WASMFX_RANDOM_CLASSIC=1` gives every seed the program it had before the
//! generator knew them (as one seed in five has anyway). A failing seed writes its program,
//! with the differences in a comment at the top, to `target/tmp/random-programs/seed-S.wat`
//! (the directory is emptied when the tests start).

mod generator;
mod runs;

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use libtest_mimic::{Arguments, Failed, Trial};
use runs::{Observed, differences, observe};
use wasmfx_cli::run::ErrorKind;

const DEFAULT_COUNT: u64 = 1000;

fn main() {
    let args = Arguments::from_args();
    let start = env_u64("WASMFX_RANDOM_SEED", 0);
    let count = env_u64("WASMFX_RANDOM_COUNT", DEFAULT_COUNT);
    let native_only = std::env::var("WASMFX_RANDOM_NATIVE_ONLY").is_ok_and(|v| v == "1");
    if !args.list {
        // Programs written by an earlier run would pass for failures of this one.
        let _ = std::fs::remove_dir_all(failure_dir());
    }
    let mut trials: Vec<Trial> = (start..start + count)
        .map(|seed| {
            Trial::test(format!("seed/{seed}"), move || {
                check_seed(seed, native_only).map_err(|message| {
                    let path = write_failure(seed, &message);
                    Failed::from(format!("{message}\n(the program is in {})", path.display()))
                })
            })
        })
        .collect();
    let tests: [(&str, fn()); 3] = [
        (
            "generated_programs_are_deterministic_valid_and_varied",
            generated_programs_are_deterministic_valid_and_varied,
        ),
        (
            "programs_from_bytes_are_valid_and_behave_the_same_lowered",
            programs_from_bytes_are_valid_and_behave_the_same_lowered,
        ),
        ("the_comparison_sees_every_kind_of_difference", the_comparison_sees_every_kind_of_difference),
    ];
    trials.extend(tests.into_iter().map(|(name, test)| {
        Trial::test(name, move || {
            test();
            Ok(())
        })
    }));
    libtest_mimic::run(&args, trials).exit();
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text.trim().parse().unwrap_or_else(|_| panic!("{name}={text} is not a number")),
        Err(_) => default,
    }
}

/// Checks that a native run ended as a generated program may: normally, or (for the few that
/// end with a deliberate trap) with one of the traps the generator plants. Anything else is a
/// bug in the generator.
fn check_native(native: &Observed) -> Result<(), String> {
    if native.stdout.is_empty() {
        return Err("the native run printed nothing".into());
    }
    match &native.error {
        None if native.exit_code == 0 => Ok(()),
        Some((ErrorKind::UnhandledTag, _)) => Ok(()),
        Some((ErrorKind::Trap(message), _))
            if ["null reference", "continuation already consumed", "integer divide by zero"]
                .contains(&message.as_str()) =>
        {
            Ok(())
        }
        _ => Err(format!("the native run ended with {}: a generator bug", native.ending())),
    }
}

/// The program of `seed`: with its own features, or with none under `WASMFX_RANDOM_CLASSIC=1`.
fn program(seed: u64) -> String {
    if std::env::var("WASMFX_RANDOM_CLASSIC").is_ok_and(|v| v == "1") {
        generator::program_with(seed, generator::Features::CLASSIC)
    } else {
        generator::program(seed)
    }
}

/// Runs the program of `seed` natively and, unless `native_only`, lowered; returns how the
/// runs differ, or why the program itself is wrong.
fn check_seed(seed: u64, native_only: bool) -> Result<(), String> {
    let text = program(seed);
    let name = format!("random-{seed}.wat");
    let native = observe(&name, text.as_bytes(), false);
    check_native(&native)?;
    if native_only {
        return Ok(());
    }
    let lowered = observe(&name, text.as_bytes(), true);
    let mut found = differences("native", &native, "lowered", &lowered);
    let optimized = observe(&name, &lowered_and_optimized(&text)?, true);
    found.extend(differences("native", &native, "lowered -O2", &optimized));
    if found.is_empty() { Ok(()) } else { Err(found.join("\n")) }
}

/// `text` lowered and optimised with `-O2`'s passes, validated after each pass.
fn lowered_and_optimized(text: &str) -> Result<Vec<u8>, String> {
    let features = wasmfx::ir::validate::default_features();
    let mut module = wasmfx::ir::Module::from_input(text.as_bytes(), features).map_err(|e| e.to_string())?;
    let mut runner = wasmfx::passes::PassRunner::new();
    runner.debug = true;
    for pass in std::iter::once("lower-to-asyncify")
        .chain(wasmfx::passes::pipelines::pipeline("2").unwrap_or_default())
    {
        runner.add(pass).map_err(|e| e.to_string())?;
    }
    let out = runner.run(&mut module, features).map_err(|e| e.to_string())?;
    module.to_valid_bytes(out).map_err(|e| format!("lowered -O2: {e}"))
}

/// Calls `check` on seeds `start..start + count` on every core; returns the failures, by seed.
fn run_seeds(start: u64, count: u64, check: impl Fn(u64) -> Result<(), String> + Sync) -> Vec<(u64, String)> {
    let next = AtomicU64::new(start);
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let seed = next.fetch_add(1, Ordering::Relaxed);
                    if seed >= start + count {
                        break;
                    }
                    if let Err(message) = check(seed) {
                        failures.lock().unwrap().push((seed, message));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    failures
}

/// Where failing programs are written; it holds those of the last run only.
fn failure_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("random-programs")
}

/// Writes the program of `seed` with `message` in a comment at its top; returns the path.
fn write_failure(seed: u64, message: &str) -> PathBuf {
    let dir = failure_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("seed-{seed}.wat"));
    let mut text = String::new();
    for line in message.lines() {
        text.push_str(&format!(";; FAILED: {line}\n"));
    }
    text.push_str(&program(seed));
    std::fs::write(&path, text).unwrap();
    path
}

/// The generator itself: the same seed gives the same program, every program validates, and
/// over a few hundred seeds every construct the generator is meant to produce shows up; most
/// seeds use the newer constructs, and classic programs none of them.
fn generated_programs_are_deterministic_valid_and_varied() {
    let features = wasmfx::ir::validate::default_features();
    let wanted = [
        "cont.new",
        "cont.bind",
        "(suspend $t",
        "table.grow $q",
        "(br_on_null",
        "(global.set $g",
        "(call_ref",
        "(call_indirect $fns",
        "(return_call ",
        "(return_call_indirect",
        "(return_call_ref",
        "(br_table",
        "(loop $loop",
        "(block $value",
        "f32.const nan:",
        "f64.const -nan:",
        "(suspend $never)",
        "(ref.null $c_nop)",
        "(resume $c_nop (local.get $dead))",
        "i32.div_u",
        // Switch, cancellation and exceptions.
        "(rec\n    (type $pf0 (func (param i64 (ref null $pc0))",
        "(switch $pc0 $sw0",
        "(switch $pc1 $sw1",
        "(resume $pc0 (on $sw0 switch)",
        "(call $pp0_put (local.get $prev))",
        "(resume_throw $pc0 $x",
        "(resume_throw $c",
        "(local.set $cancel (i32.wrap_i64",
        "(try_table (catch $x",
        "(try_table (result",
        "(catch_ref $x",
        "(catch_all $",
        "(catch_all_ref $",
        "(then (throw $x",
        "(resume_throw $c_nop $x0",
        // Dead code around stack-switching and reference instructions.
        "(br $dead",
        "(br_table $dead",
        "(unreachable)\n          (suspend $t",
        "(unreachable)\n          (resume $c",
        "(unreachable)\n          (cont.new $c",
        "(unreachable)\n          (cont.bind $c",
        "(unreachable)\n          (ref.as_non_null)",
        "(unreachable)\n          (br_on_null $dead",
        "(unreachable)\n          (call_ref $f",
        "(unreachable)\n          (resume_throw $c",
        "(unreachable)\n          (switch $pc",
        "(resume $c",
        "(ref.null $c",
        "(ref.as_non_null (ref.null $c",
        "(cont.bind $c",
        "(cont.new $c",
        // GC values live across suspends (`tests/generator/gc.rs`).
        "(struct.new $gbox",
        "(array.new $garr",
        "(ref.i31 (i32.wrap_i64",
        "(call $gc_digest",
    ];
    let new_constructs = ["(try_table", "(throw", "(switch", "resume_throw", "(rec"];
    let mut extended = 0;
    let mut seen = vec![0; wanted.len()];
    let mut total_bytes = 0;
    let mut failures = Vec::new();
    for seed in 0..400 {
        let text = generator::program(seed);
        if text != generator::program(seed) {
            failures.push(format!("seed {seed}: two different programs"));
        }
        for (count, construct) in seen.iter_mut().zip(wanted) {
            if text.contains(construct) {
                *count += 1;
            }
        }
        if generator::Features::of_seed(seed) != generator::Features::CLASSIC {
            extended += 1;
        }
        let classic = generator::program_with(seed, generator::Features::CLASSIC);
        if let Some(construct) = new_constructs.iter().find(|c| classic.contains(*c)) {
            failures.push(format!("seed {seed}: a classic program contains `{construct}`"));
        }
        match wasmfx::ir::text::parse_text(&text) {
            Ok(bytes) => {
                total_bytes += bytes.len();
                if let Err(e) = wasmparser::Validator::new_with_features(features).validate_all(&bytes) {
                    failures.push(format!("seed {seed}: invalid: {e}"));
                }
            }
            Err(e) => failures.push(format!("seed {seed}: does not parse: {e}")),
        }
    }
    // Handlers that name the same tag twice: `(on $t1 $on3) (on $t1 $on4)`, say.
    let twice = (0..400)
        .filter(|&seed| {
            generator::program(seed).lines().any(|line| {
                let tags: Vec<&str> =
                    line.split("(on ").skip(1).filter_map(|clause| clause.split(' ').next()).collect();
                (1..tags.len()).any(|i| tags[..i].contains(&tags[i]))
            })
        })
        .count();
    eprintln!(
        "400 programs, {total_bytes} bytes of binary; constructs seen: {seen:?}, same tag twice: {twice}"
    );
    for (count, construct) in seen.iter().zip(wanted) {
        if *count == 0 {
            failures.push(format!("no program contains `{construct}`"));
        }
    }
    if twice == 0 {
        failures.push("no program names the same tag twice in one resume".into());
    }
    eprintln!("{extended} of 400 programs use switch, resume_throw or exceptions");
    if extended < 280 {
        failures.push(format!("only {extended} of 400 programs use switch, resume_throw or exceptions"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The generator driven by bytes instead of a seed, as the `lower` fuzz target drives it: the
/// empty input, inputs of one repeated byte, and splitmix byte strings of many lengths each give
/// a valid program that runs the same lowered. (Short inputs run out and read as zeros, so the
/// generator must make a program of any input.)
fn programs_from_bytes_are_valid_and_behave_the_same_lowered() {
    let mut inputs: Vec<Vec<u8>> = vec![Vec::new(), vec![0xff; 64], vec![0x80; 4096]];
    for k in 0..40u64 {
        let mut rng = generator::Rng::new(k);
        let len = (k * k * 7 % 3000) as usize;
        inputs.push((0..len).map(|_| rng.next_u64() as u8).collect());
    }
    let failures = run_seeds(0, inputs.len() as u64, |i| {
        let text = generator::program_from_bytes(&inputs[i as usize]);
        let name = format!("bytes-{i}.wat");
        let native = observe(&name, text.as_bytes(), false);
        check_native(&native)?;
        let lowered = observe(&name, text.as_bytes(), true);
        let found = differences("native", &native, "lowered", &lowered);
        if found.is_empty() { Ok(()) } else { Err(found.join("\n")) }
    });
    assert!(failures.is_empty(), "{failures:?}");
}

/// The comparison the random programs are checked by sees every kind of difference: stdout,
/// stderr, the exit code and the error's kind and message.
fn the_comparison_sees_every_kind_of_difference() {
    let text = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/trap_div_zero.wat"),
    )
    .unwrap();
    let first = observe("trap_div_zero.wat", &text, false);
    let second = observe("trap_div_zero.wat", &text, false);
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
    other.error = Some((ErrorKind::UnhandledTag, first.error.as_ref().unwrap().1.clone()));
    assert_eq!(differences("native", &first, "lowered", &other).len(), 1);
}
