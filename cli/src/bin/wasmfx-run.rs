//! `wasmfx-run`: runs a WebAssembly module that uses stack switching natively on Wasmtime 48.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use wasmfx_cli::run::{self, DirMapping, EXIT_ERROR, ModuleSource, RunError, RunOptions, precompile};

/// Run a WebAssembly module with stack switching (WasmFX) natively on Wasmtime 48.
///
/// Without --invoke, runs the WASI command's `_start` (or only instantiates a module that has a
/// start function and no `_start`), with ARGS as the guest's argv after the module's name. With
/// --invoke, calls that export with ARGS parsed by its parameter types and prints its results,
/// one per line.
///
/// Exit codes: the guest's `proc_exit` code (0 when it returns); 1 for a usage, load, compile
/// or link error or bad arguments; 2 for an internal error (a bug in --lower's lowering); 3
/// for a trap (also an unhandled suspend/switch tag, running out of fuel, a timeout); 4 when
/// Wasmtime ran out of native continuation stacks.
#[derive(Parser, Debug)]
#[command(name = "wasmfx-run", version)]
struct Cli {
    /// The module: `.wasm`, `.wat`, a `.cwasm` written by --precompile, or `-` for stdin.
    #[arg(value_name = "MODULE")]
    module: String,

    /// Call this exported function instead of `_start`; ARGS are its arguments.
    #[arg(long, value_name = "NAME")]
    invoke: Option<String>,

    /// Set an environment variable of the guest (repeatable).
    #[arg(long, value_name = "K=V", value_parser = parse_env)]
    env: Vec<(String, String)>,

    /// Give the guest access to a host directory, under the name GUEST if given (repeatable).
    #[arg(long, value_name = "HOST[::GUEST]")]
    dir: Vec<DirMapping>,

    /// Native stack size of each continuation, in bytes (suffixes K, M, G allowed; at least
    /// 64K; Wasmtime's default is 2M). Wasm frames may use half of it, at most 512K.
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    stack_size: Option<usize>,

    /// Run with this much fuel (roughly one unit per Wasm instruction); running out traps.
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,

    /// Interrupt the guest after this many seconds; being interrupted traps.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    timeout: Option<Duration>,

    /// Lower stack switching away (as `wasmfx-opt --lower-to-asyncify` does) and run the result
    /// with stack switching off, as a plain host would.
    #[arg(long)]
    lower: bool,

    /// Compile the module and write the result to OUT instead of running it; run OUT later to
    /// leave compilation out of the run time. Pass the same --fuel and --timeout as the runs.
    /// With --lower, the module is lowered first; OUT then runs with or without --lower.
    #[arg(long, value_name = "OUT")]
    precompile: Option<PathBuf>,

    /// The guest's arguments, or the --invoke'd function's.
    #[arg(value_name = "ARGS", trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

fn parse_env(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
        _ => Err(format!("`{text}` is not K=V")),
    }
}

fn parse_size(text: &str) -> Result<usize, String> {
    let upper = text.trim().to_ascii_uppercase();
    let upper = upper.strip_suffix("IB").unwrap_or(upper.trim_end_matches('B'));
    let (digits, shift) = match upper.as_bytes().last() {
        Some(b'K') => (&upper[..upper.len() - 1], 10),
        Some(b'M') => (&upper[..upper.len() - 1], 20),
        Some(b'G') => (&upper[..upper.len() - 1], 30),
        _ => (upper, 0),
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("`{text}` is not a size in bytes (like 65536, 64K or 2M)"))
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| *s > 0.0)
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("`{text}` is not a positive number of seconds"))
}

fn report(error: &RunError) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error: {error}");
    if !error.backtrace().is_empty() {
        let _ = writeln!(stderr, "wasm backtrace:");
        for frame in error.backtrace() {
            let _ = writeln!(stderr, "{frame}");
        }
    }
    exit_code(error.exit_code())
}

/// Converts a guest exit code to the process's; the OS keeps the low 8 bits either way.
fn exit_code(code: i32) -> ExitCode {
    ExitCode::from(code as u8)
}

fn main() -> ExitCode {
    // Bugs of ours and Wasmtime's surface as panics, which the library turns into one-line
    // errors; the default hook would print a second, multi-line report first.
    wasmfx_cli::io::install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() { exit_code(EXIT_ERROR) } else { ExitCode::SUCCESS };
        }
    };
    let module =
        if cli.module == "-" { ModuleSource::Stdin } else { ModuleSource::Path(PathBuf::from(&cli.module)) };
    let options = RunOptions {
        invoke: cli.invoke,
        args: cli.args,
        env: cli.env,
        dirs: cli.dir,
        stack_size: cli.stack_size,
        fuel: cli.fuel,
        timeout: cli.timeout,
        lower: cli.lower,
        ..RunOptions::new(module)
    };
    if let Some(out) = cli.precompile {
        return match precompile(&options, &out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => report(&error),
        };
    }
    match run::run(&options) {
        Ok(outcome) => {
            let mut stdout = std::io::stdout().lock();
            for value in &outcome.results {
                let _ = writeln!(stdout, "{value}");
            }
            let _ = stdout.flush();
            exit_code(outcome.exit_code)
        }
        Err(error) => {
            let _ = std::io::stdout().flush();
            report(&error)
        }
    }
}
