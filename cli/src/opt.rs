//! `wasmfx-opt`: reads a module, runs passes in command-line order, validates, and writes or
//! prints it, following `wasm-opt`'s conventions.

use crate::io::{EXIT_ERROR, ToolError, display_name, read_input, write_output};
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::ffi::OsString;
use std::panic::{AssertUnwindSafe, catch_unwind};
use wasmfx_ir::{Error, LinkedExports, Module, WasmFeatures, text, validate};
use wasmfx_passes::runner::describe_panic;
use wasmfx_passes::{PassRunner, REGISTRY, pipelines};

/// The command line of `wasmfx-opt`, with one flag per registered pass and per feature.
pub fn command() -> Command {
    let mut cmd = Command::new("wasmfx-opt")
        .about("Read, transform, validate and write WebAssembly modules with stack switching (WasmFX)")
        .override_usage(
            "wasmfx-opt INPUT [-O|-O0..-O4|-Os|-Oz] [passes...] [-o OUT] [-S] [--print] [--enable-FEATURE ...|--all-features] [-n]",
        )
        .arg(
            Arg::new("input")
                .value_name("INPUT")
                .required_unless_present("emit-shared-runtime")
                .help("a .wasm or .wat module; `-` reads standard input"),
        )
        .arg(
            Arg::new("emit-shared-runtime")
                .long("emit-shared-runtime")
                .action(ArgAction::SetTrue)
                .conflicts_with("input")
                .help(
                    "write the shared runtime that modules lowered separately \
                     (--pass-arg lower-to-asyncify-shared@NAME) import, to be instantiated \
                     first and registered as NAME",
                ),
        )
        .arg(
            Arg::new("output")
                .short('o')
                .long("output")
                .value_name("OUT")
                .help("write the module to OUT; `-` writes standard output"),
        )
        .arg(
            Arg::new("emit-text")
                .short('S')
                .long("emit-text")
                .action(ArgAction::SetTrue)
                .help("write the text format instead of a binary"),
        )
        .arg(
            Arg::new("print")
                .long("print")
                .action(ArgAction::SetTrue)
                .help("print the resulting module as text on standard output"),
        )
        .arg(
            Arg::new("no-validation")
                .short('n')
                .long("no-validation")
                .action(ArgAction::SetTrue)
                .help("do not validate the output (input is always validated)"),
        )
        .arg(
            Arg::new("pass-arg")
                .long("pass-arg")
                .value_name("KEY@VALUE")
                .action(ArgAction::Append)
                .help("an argument for the passes"),
        )
        .arg(Arg::new("link").long("link").value_name("NAME@FILE").action(ArgAction::Append).help(
            "link the module FILE, named NAME, into the input before the passes run: the \
                     input's imports from NAME are bound to FILE's exports, and FILE's imports from \
                     the input's name (--link-name) to the input's exports",
        ))
        .arg(
            Arg::new("merge")
                .long("merge")
                .value_name("NAME=FILE")
                .action(ArgAction::Append)
                .conflicts_with("link")
                .help(
                    "merge the module FILE, registered as NAME, into one program with the input \
                     and the other --merge modules, in this order (the input first, named by \
                     --link-name): imports from any of their names are bound to that module's \
                     exports, every export but tags stays, start functions run in order",
                ),
        )
        .arg(
            Arg::new("link-name")
                .long("link-name")
                .value_name("NAME")
                .default_value("main")
                .help("the input's module name for the modules --link or --merge link in"),
        )
        .arg(
            Arg::new("all-features")
                .long("all-features")
                .action(ArgAction::SetTrue)
                .help("enable every feature (the default)"),
        )
        .arg(
            Arg::new("mvp-features")
                .long("mvp-features")
                .action(ArgAction::SetTrue)
                .help("start from the WebAssembly 1.0 features only; add others with --enable-FEATURE"),
        )
        .next_help_heading("Passes (run in the order given, as often as given)");
    for pass in REGISTRY {
        cmd = cmd.arg(repeatable_flag(pass.name).help(pass.description));
    }
    // `-O2` and the like are rewritten to these hidden flags before clap sees them (see
    // `level_flags`), so that they keep their place among the passes.
    for level in pipelines::LEVELS {
        cmd = cmd.arg(repeatable_flag(&level_id(level)).hide(true));
    }
    cmd = cmd.next_help_heading("Features");
    let names: Vec<String> = validate::feature_names().map(|(n, _)| n).collect();
    for name in &names {
        let enable = format!("enable-{name}");
        let disable = format!("disable-{name}");
        cmd = cmd.arg(repeatable_flag(&enable).hide(true)).arg(repeatable_flag(&disable).hide(true));
    }
    cmd.after_help(format!(
        "Features: --enable-FEATURE and --disable-FEATURE for any of: {}.\n\
         All are on by default (stack-switching included); a pass that lowers a feature\n\
         validates its output with that feature off.\n\
         Optimisation levels, each a fixed list of the passes above run where it stands among\n\
         them: -O (= -O2), -O0, -O1, -O2, -O3, -O4, -Os, -Oz (see the README).\n\
         Set WASMFX_PASS_DEBUG=1 to validate after every pass.",
        names.join(", ")
    ))
}

/// Runs `wasmfx-opt` with `args` (the first is the program name); returns the exit code: 0,
/// 1 for bad input or options ([`EXIT_ERROR`]), 2 for a bug of ours
/// ([`crate::io::EXIT_INTERNAL`]).
pub fn main(args: impl IntoIterator<Item = OsString>) -> i32 {
    let matches = match command().try_get_matches_from(level_flags(args)) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { 0 };
        }
    };
    // Passes catch their own panics; this catches the reader's, the writer's and ours, which
    // are as much bugs and get the same one-line report.
    let result = catch_unwind(AssertUnwindSafe(|| run(&matches))).unwrap_or_else(|payload| {
        let input = matches.get_one::<String>("input").map(|p| display_name(p)).unwrap_or_default();
        let error = Error::internal(format!("internal error: {}", describe_panic(payload.as_ref())));
        Err(ToolError::ir(&input, &error))
    });
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    }
}

/// The hidden flag that stands for `-O{level}`.
fn level_id(level: &str) -> String {
    format!("optimize-level-{level}")
}

/// The arguments with `-O`, `-O0`...`-O4`, `-Os` and `-Oz` spelt as the hidden flags of
/// [`command`]: clap's short options with optional values would take the next argument
/// (`-O in.wat`) as the level.
fn level_flags(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    args.into_iter()
        .map(|arg| match arg.to_str().and_then(|a| a.strip_prefix("-O")) {
            Some("") => format!("--{}", level_id("2")).into(),
            Some(level) if pipelines::LEVELS.contains(&level) => format!("--{}", level_id(level)).into(),
            _ => arg,
        })
        .collect()
}

/// A flag that takes no value and may be given any number of times, each occurrence keeping
/// its position for [`occurrences`]. clap refuses a second `SetTrue` flag, and a `Count` flag
/// keeps only its last position; an `Append` of an implied value keeps every one.
fn repeatable_flag(id: &str) -> Arg {
    Arg::new(id.to_string())
        .long(id.to_string())
        .action(ArgAction::Append)
        .num_args(0)
        .default_missing_value("true")
        .value_parser(clap::value_parser!(bool))
}

/// Every command-line position at which the flag `id` (a [`repeatable_flag`]) occurs.
fn occurrences(matches: &ArgMatches, id: &str) -> Vec<usize> {
    matches.indices_of(id).map(|i| i.collect()).unwrap_or_default()
}

fn features(matches: &ArgMatches) -> WasmFeatures {
    let mut features =
        if matches.get_flag("mvp-features") { WasmFeatures::WASM1 } else { validate::default_features() };
    // Later flags win, as on wasm-opt's command line.
    let mut toggles: Vec<(usize, bool, WasmFeatures)> = Vec::new();
    for (name, flag) in validate::feature_names() {
        for (on, id) in [(true, format!("enable-{name}")), (false, format!("disable-{name}"))] {
            toggles.extend(occurrences(matches, &id).into_iter().map(|at| (at, on, flag)));
        }
    }
    toggles.sort_by_key(|t| t.0);
    for (_, on, flag) in toggles {
        features.set(flag, on);
    }
    features
}

/// The `NAME{separator}FILE` values of the option `id`, in order.
fn named_files<'a>(
    matches: &'a ArgMatches,
    id: &str,
    separator: char,
) -> Result<Vec<(&'a str, &'a str)>, ToolError> {
    matches
        .get_many::<String>(id)
        .into_iter()
        .flatten()
        .map(|arg| {
            arg.split_once(separator)
                .filter(|(name, path)| !name.is_empty() && !path.is_empty())
                .ok_or_else(|| ToolError::general(format!("--{id} {arg}: expected NAME{separator}FILE")))
        })
        .collect()
}

/// `--emit-shared-runtime`: writes the shared runtime (to `-o`, as text with `-S`, or printed).
fn emit_shared_runtime(matches: &ArgMatches) -> Result<(), ToolError> {
    let in_runtime = |e: Error| ToolError::ir("shared runtime", &e);
    let bytes = wasmfx_passes::lower_to_asyncify::emit_shared_runtime().map_err(in_runtime)?;
    write_result(matches, &bytes, &in_runtime)
}

/// Writes the resulting module as `-o`, `-S` and `--print` say.
fn write_result(
    matches: &ArgMatches,
    bytes: &[u8],
    on_error: &dyn Fn(Error) -> ToolError,
) -> Result<(), ToolError> {
    if let Some(out) = matches.get_one::<String>("output") {
        if matches.get_flag("emit-text") {
            write_output(out, text::print_text(bytes).map_err(on_error)?.as_bytes())?;
        } else {
            write_output(out, bytes)?;
        }
    }
    if matches.get_flag("print") {
        write_output("-", text::print_text(bytes).map_err(on_error)?.as_bytes())?;
    }
    Ok(())
}

fn run(matches: &ArgMatches) -> Result<(), ToolError> {
    if matches.get_flag("emit-shared-runtime") {
        return emit_shared_runtime(matches);
    }
    let input_path = matches.get_one::<String>("input").expect("required");
    let input_name = display_name(input_path);
    let features = features(matches);

    // The passes and their arguments are options, checked before the input is read.
    let mut runner = PassRunner::new();
    let mut passes: Vec<(usize, &str)> = REGISTRY
        .iter()
        .flat_map(|p| occurrences(matches, p.name).into_iter().map(move |at| (at, p.name)))
        .collect();
    for level in pipelines::LEVELS {
        for at in occurrences(matches, &level_id(level)) {
            let names = pipelines::pipeline(level).unwrap_or_default();
            passes.extend(names.into_iter().map(|name| (at, name)));
        }
    }
    // Stable: the passes of one level keep their order.
    passes.sort_by_key(|p| p.0);
    for (_, name) in passes {
        runner.add(name).map_err(ToolError::general)?;
    }
    for arg in matches.get_many::<String>("pass-arg").into_iter().flatten() {
        runner.args.add(arg).map_err(ToolError::general)?;
    }
    runner.check_args().map_err(ToolError::general)?;
    let links = named_files(matches, "link", '@')?;
    let merges = named_files(matches, "merge", '=')?;

    let input = read_input(input_path)?;
    let in_file = |e: Error| ToolError::ir(&input_name, &e);
    // A `.wasm` file is read as a binary whatever it holds, so a bad magic number is reported
    // as such; other names are sniffed.
    let mut module = if input_path.ends_with(".wasm") {
        Module::from_bytes(&input, features)
    } else {
        Module::from_input(&input, features)
    }
    .map_err(in_file)?;
    let main_name = matches.get_one::<String>("link-name").expect("has a default");
    let read_module = |path: &str| -> Result<Module, ToolError> {
        let bytes = read_input(path)?;
        Module::from_input(&bytes, features).map_err(|e| ToolError::ir(&display_name(path), &e))
    };
    for (name, path) in &links {
        module.link(read_module(path)?, main_name, name).map_err(in_file)?;
    }
    if !merges.is_empty() {
        let mut parts = vec![(main_name.clone(), module)];
        for (name, path) in &merges {
            parts.push((name.to_string(), read_module(path)?));
        }
        module = Module::link_all(parts, LinkedExports::Program).map_err(in_file)?;
    }

    let output_features = runner.run(&mut module, features).map_err(in_file)?;
    let bytes = runner
        .write_output(&module, features, output_features, !matches.get_flag("no-validation"), Some(&input))
        .map_err(in_file)?;

    write_result(matches, &bytes, &in_file)?;
    // A big module is millions of allocations, and freeing them is a visible part of a round
    // trip that the process's exit would do for nothing: they are freed on a thread of their
    // own, which a tool exiting right after does not wait for (an in-process caller's memory
    // is still given back). Where no thread can be had, the refused closure, and the module
    // with it, is dropped here instead of panicking as `thread::spawn` would.
    let _ = std::thread::Builder::new().spawn(move || drop(module));
    Ok(())
}
