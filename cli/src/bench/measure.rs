//! Measuring: preparing each variant's module (precompiled for Wasmtime), and running one
//! process to completion with its wall time and peak RSS from `wait4`.

use super::binaryen::WasmOpt;
use super::{BenchmarkSpec, Config, Outcome, RunRecord, Variant, c};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Precompiles `wasm` for Wasmtime into `out` (lowering it first when `lower`).
pub(super) fn precompile(runner: &Path, wasm: &Path, out: PathBuf, lower: bool) -> Result<PathBuf, String> {
    let mut cmd = Command::new(runner);
    if lower {
        cmd.arg("--lower");
    }
    let status = cmd
        .arg("--precompile")
        .arg(&out)
        .arg(wasm)
        .status()
        .map_err(|e| format!("{}: {e}", runner.display()))?;
    if !status.success() {
        return Err(format!("precompiling {} failed", wasm.display()));
    }
    Ok(out)
}

/// What one variant of a benchmark runs (a `.cwasm` for Wasmtime, a `.wasm` for Node.js),
/// the size of the `.wasm` it comes from and, for a C variant built by transforming another
/// module (Asyncify, the lowering), the size of that module.
pub(super) struct Prepared {
    pub(super) variant: Variant,
    pub(super) program: PathBuf,
    pub(super) size: u64,
    pub(super) input_size: Option<u64>,
}

/// A module a variant runs: the variant, the `.wasm`, whether Wasmtime runs it lowered, and
/// the module it was transformed from, if the report gives its growth.
type Module = (Variant, PathBuf, bool, Option<PathBuf>);

/// Builds and precompiles the modules the selected `variants` of one benchmark run.
pub(super) fn prepare(
    spec: &BenchmarkSpec,
    base: &Path,
    config: &Config,
    variants: &[Variant],
    c_tools: Option<&c::CToolchain>,
    wasm_opt: Option<&WasmOpt>,
) -> Result<Vec<Prepared>, String> {
    let dir = config.work_dir.join(&spec.name);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let runner = config.runner.as_path();
    let mut modules: Vec<Module> = Vec::new();
    if variants.iter().any(|v| !v.is_c()) {
        let features = wasmfx_ir::validate::default_features();
        let read = |file: &str| -> Result<wasmfx_ir::Module, String> {
            let path = base.join(file);
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            wasmfx_ir::Module::from_input(&bytes, features).map_err(|e| format!("{}: {e}", path.display()))
        };
        // Without custom sections (the `name` section from the text's `$` names, above all),
        // as the C programs' modules, so that a size is the code's and data's, and our
        // optimiser's output compares with Binaryen's, which writes no names.
        let write = |name: &str, bytes: &[u8]| -> Result<PathBuf, String> {
            let path = dir.join(name);
            let stripped = c::strip_custom_sections(bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            std::fs::write(&path, stripped).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(path)
        };
        let valid = |module: &wasmfx_ir::Module, name: &str| -> Result<Vec<u8>, String> {
            module.to_valid_bytes(features).map_err(|e| format!("{}: {name}: {e}", spec.name))
        };
        let program = valid(&read(&spec.wasmfx)?, "native.wasm")?;
        let native = write("native.wasm", &program)?;
        let lower = |level: &str, file: &str| -> Result<PathBuf, String> {
            let bytes = wasmfx_passes::lower_and_optimise(&program, &Default::default(), level)
                .map_err(|e| format!("{}: {e}", spec.name))?;
            write(file, &bytes)
        };
        let lowered = lower("2", "lowered.wasm")?;
        let bespoke = write("bespoke.wasm", &valid(&read(&spec.bespoke)?, "bespoke.wasm")?)?;
        modules.extend([
            (Variant::Bespoke, bespoke, false, None),
            (Variant::Native, native, false, None),
            (Variant::Lowered, lowered.clone(), true, None),
            (Variant::LoweredNode, lowered, false, None),
        ]);
        if let Some(wasm_opt) = wasm_opt
            && variants.contains(&Variant::LoweredBinaryenO2)
        {
            let unoptimised = lower("0", "lowered-O0.wasm")?;
            let optimised = dir.join("lowered+binaryen-O2.wasm");
            wasm_opt.optimise_lowered(&spec.name, &unoptimised, &optimised)?;
            modules.push((Variant::LoweredBinaryenO2, optimised, true, None));
        }
    }
    if let (Some((fibers, bespoke)), Some(tools)) = (&spec.c, c_tools)
        && variants.iter().any(|v| v.is_c())
    {
        let bespoke = base.join(bespoke);
        let built = c::build(&spec.name, &base.join(fibers), Some(&bespoke), &config.c_cache, &dir, tools)?;
        let (asyncify_input, wasmfx_input) = (Some(built.asyncify_input), Some(built.wasmfx.clone()));
        modules.extend([
            (Variant::CBespoke, built.bespoke.expect("built with a bespoke source"), false, None),
            (Variant::CAsyncify, built.asyncify.clone(), false, asyncify_input.clone()),
            (Variant::CAsyncifyNode, built.asyncify, false, asyncify_input),
            (Variant::CWasmfx, built.wasmfx, false, None),
            (Variant::CWasmfxLowered, built.lowered.clone(), true, wasmfx_input.clone()),
            (Variant::CWasmfxLoweredBinaryenO2, built.lowered_binaryen_o2, true, wasmfx_input.clone()),
            (Variant::CWasmfxLoweredNode, built.lowered, false, wasmfx_input),
        ]);
    }
    let mut prepared = Vec::new();
    let size_of = |wasm: &Path| -> Result<u64, String> {
        Ok(std::fs::metadata(wasm).map_err(|e| format!("{}: {e}", wasm.display()))?.len())
    };
    for (variant, wasm, lower, input) in modules {
        if !variants.contains(&variant) {
            continue;
        }
        let size = size_of(&wasm)?;
        let input_size = input.as_deref().map(size_of).transpose()?;
        let program = if variant.on_node() {
            wasm
        } else {
            precompile(runner, &wasm, dir.join(format!("{}.cwasm", variant.name())), lower)?
        };
        prepared.push(Prepared { variant, program, size, input_size });
    }
    Ok(prepared)
}

/// Runs a command to completion and measures its wall time and peak RSS.
pub(super) fn measure(mut cmd: Command, expected: &str) -> RunRecord {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return RunRecord {
                warmup: false,
                seconds: 0.0,
                peak_rss_kib: 0,
                outcome: Outcome::Failed { message: e.to_string() },
            };
        }
    };
    let mut stdout_pipe = child.stdout.take().expect("piped");
    let mut stderr_pipe = child.stderr.take().expect("piped");
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stdout_pipe, &mut s).ok();
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stderr_pipe, &mut s).ok();
        s
    });
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; the pid is our own child's.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let seconds = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).to_string();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).to_string();
    let (code, signal) = if waited < 0 {
        (-1, None)
    } else if libc::WIFEXITED(status) {
        (libc::WEXITSTATUS(status), None)
    } else {
        (128 + libc::WTERMSIG(status), Some(libc::WTERMSIG(status)))
    };
    let outcome = if code == 0 && stdout == expected {
        Outcome::Ok
    } else if code == 0 {
        Outcome::WrongAnswer { stdout }
    } else if let Some(rest) = stderr.split("native continuation limit reached after ").nth(1) {
        Outcome::ContinuationLimit { count: rest.split_whitespace().next().and_then(|n| n.parse().ok()) }
    } else {
        let first = stderr.lines().next().unwrap_or("").trim().to_string();
        let how = match signal {
            Some(s) => format!("killed by signal {s}"),
            None => format!("exit code {code}"),
        };
        Outcome::Failed { message: if first.is_empty() { how } else { format!("{how}: {first}") } }
    };
    RunRecord { warmup: false, seconds, peak_rss_kib: usage.ru_maxrss as u64, outcome }
}
