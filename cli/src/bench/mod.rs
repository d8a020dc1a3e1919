//! `wasmfx-bench`: runs the WasmFX paper's benchmarks in several variants and measures them
//! as the paper did.
//!
//! Each benchmark is a WasmFX program and a bespoke one (plain Wasm doing the same work),
//! listed in `benches/programs/params.toml` with full and quick arguments and the answer each
//! must print. Each variant runs in its own process, so that peak memory is the
//! variant's: `native` (Wasmtime 48 with stack switching), `lowered` (our
//! `--lower-to-asyncify` output on Wasmtime with stack switching off), `lowered-node` (the
//! same output on Node.js) and `bespoke`. Compilation is left out for the Wasmtime variants by
//! precompiling (`wasmfx-run --precompile`); Node compiles as it loads, so its times include
//! compilation. Every run checks the answer; a wrong answer or a crash is a failure in the
//! results, and Wasmtime's native continuation limit is reported with the count reached.
//! A measurement is the median wall time of N runs after a warm-up (with min and max), the
//! peak RSS of the process (median and max), and the size of the `.wasm` the variant runs.

pub mod c;
pub mod report;

use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// One benchmark as the manifest lists it.
#[derive(Clone, Debug, Serialize)]
pub struct BenchmarkSpec {
    /// The name tables use.
    pub name: String,
    /// The WasmFX program, relative to the manifest.
    pub wasmfx: String,
    /// The bespoke program, relative to the manifest.
    pub bespoke: String,
    /// The full-size arguments and answer.
    pub full: Params,
    /// The small arguments and answer, for `--quick` and the tests.
    pub quick: Params,
    /// The C versions, relative to the manifest: the program on the fiber interface and
    /// the bespoke one (same arguments and answers).
    pub c: Option<(String, String)>,
}

/// Arguments (the program's argv after its name) and what the program must print.
#[derive(Clone, Debug, Serialize)]
pub struct Params {
    /// The arguments.
    pub args: Vec<String>,
    /// The exact standard output.
    pub expected: String,
}

/// One entry of `params.toml`.
#[derive(Deserialize)]
struct ManifestEntry {
    wasmfx: String,
    bespoke: String,
    #[serde(default)]
    full_args: Vec<String>,
    full_stdout: String,
    quick_args: Vec<String>,
    quick_stdout: String,
    c: Option<String>,
    c_bespoke: Option<String>,
}

/// How a program is run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    /// The bespoke program (plain Wasm, no coroutines) on Wasmtime: the usual baseline.
    Bespoke,
    /// The WasmFX program on Wasmtime 48 with stack switching.
    Native,
    /// The WasmFX program lowered by `--lower-to-asyncify`, on Wasmtime without stack switching.
    Lowered,
    /// The lowered program on Node.js.
    LoweredNode,
    /// The bespoke C program (no fibers) on Wasmtime.
    CBespoke,
    /// The C program on fibers over Binaryen's Asyncify, on Wasmtime.
    CAsyncify,
    /// The same module on Node.js.
    CAsyncifyNode,
    /// The C program on fibers over WasmFX, on Wasmtime 48 with stack switching.
    CWasmfx,
    /// That module lowered by `--lower-to-asyncify`, on Wasmtime without stack switching.
    CWasmfxLowered,
    /// The lowered module on Node.js.
    CWasmfxLoweredNode,
}

impl Variant {
    /// The variants of the WAT programs, in table order.
    pub const WAT: [Variant; 4] = [Variant::Bespoke, Variant::Native, Variant::Lowered, Variant::LoweredNode];

    /// The variants of the C programs, in table order (the paper's rows first).
    pub const C: [Variant; 6] = [
        Variant::CBespoke,
        Variant::CAsyncify,
        Variant::CWasmfx,
        Variant::CWasmfxLowered,
        Variant::CAsyncifyNode,
        Variant::CWasmfxLoweredNode,
    ];

    /// Every variant, in table order: the WAT programs' then the C programs'.
    pub const ALL: [Variant; 10] = {
        let mut all = [Variant::Bespoke; 10];
        let mut i = 0;
        while i < all.len() {
            all[i] = if i < 4 { Variant::WAT[i] } else { Variant::C[i - 4] };
            i += 1;
        }
        all
    };

    /// The variant's name in tables and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Bespoke => "bespoke",
            Variant::Native => "native",
            Variant::Lowered => "lowered",
            Variant::LoweredNode => "lowered-node",
            Variant::CBespoke => "c-bespoke",
            Variant::CAsyncify => "c-asyncify",
            Variant::CAsyncifyNode => "c-asyncify-node",
            Variant::CWasmfx => "c-wasmfx",
            Variant::CWasmfxLowered => "c-wasmfx-lowered",
            Variant::CWasmfxLoweredNode => "c-wasmfx-lowered-node",
        }
    }

    /// The variant named `name`.
    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
    }

    /// Whether it runs a C program.
    pub fn is_c(self) -> bool {
        Variant::C.contains(&self)
    }

    /// Whether it runs on Node.js.
    pub fn on_node(self) -> bool {
        matches!(self, Variant::LoweredNode | Variant::CAsyncifyNode | Variant::CWasmfxLoweredNode)
    }
}

/// What the ratios of a report are relative to.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Baseline {
    /// The bespoke programs (the paper's second table shape).
    Bespoke,
    /// The C programs on Binaryen's Asyncify (the paper's first table shape); the WAT programs,
    /// which have no Asyncify build, stay relative to bespoke.
    Asyncify,
    /// WasmFX natively.
    Native,
    /// WasmFX lowered by us, on Wasmtime.
    Lowered,
}

impl Baseline {
    /// Every baseline.
    pub const ALL: [Baseline; 4] =
        [Baseline::Bespoke, Baseline::Asyncify, Baseline::Native, Baseline::Lowered];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Baseline::Bespoke => "bespoke",
            Baseline::Asyncify => "asyncify",
            Baseline::Native => "native",
            Baseline::Lowered => "lowered",
        }
    }

    /// The baseline named `name`.
    pub fn from_name(name: &str) -> Option<Baseline> {
        Baseline::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The variant the figures of `variant`'s family (WAT or C programs) are divided by.
    pub fn variant_for(self, variant: Variant) -> Variant {
        match (variant.is_c(), self) {
            (false, Baseline::Bespoke | Baseline::Asyncify) => Variant::Bespoke,
            (false, Baseline::Native) => Variant::Native,
            (false, Baseline::Lowered) => Variant::Lowered,
            (true, Baseline::Bespoke) => Variant::CBespoke,
            (true, Baseline::Asyncify) => Variant::CAsyncify,
            (true, Baseline::Native) => Variant::CWasmfx,
            (true, Baseline::Lowered) => Variant::CWasmfxLowered,
        }
    }
}

/// What one run did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Outcome {
    /// It printed the expected answer and exited with 0.
    Ok,
    /// It ran to the end but printed something else.
    WrongAnswer {
        /// What it printed.
        stdout: String,
    },
    /// Native stack switching ran out of continuation stacks.
    ContinuationLimit {
        /// How many continuations it had created.
        count: Option<u64>,
    },
    /// It failed otherwise (a trap, a crash, a non-zero exit).
    Failed {
        /// The exit code and the first line of its error output.
        message: String,
    },
}

/// One run of one variant of one benchmark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Whether this was the warm-up run (not counted).
    pub warmup: bool,
    /// Wall-clock seconds of the whole process.
    pub seconds: f64,
    /// Peak resident set size of the process, in KiB.
    pub peak_rss_kib: u64,
    /// What happened.
    pub outcome: Outcome,
}

/// The summary of the counted runs of a cell, when all succeeded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Median wall time, seconds.
    pub median_seconds: f64,
    /// Fastest run, seconds.
    pub min_seconds: f64,
    /// Slowest run, seconds.
    pub max_seconds: f64,
    /// Median peak RSS, KiB.
    pub median_rss_kib: u64,
    /// Largest peak RSS, KiB.
    pub max_rss_kib: u64,
}

/// All runs of one variant of one benchmark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The benchmark.
    pub benchmark: String,
    /// The variant.
    pub variant: Variant,
    /// Size in bytes of the `.wasm` the variant runs.
    pub wasm_bytes: u64,
    /// Every run, the warm-up first.
    pub runs: Vec<RunRecord>,
}

impl Cell {
    /// The summary of the counted runs, or the first failure.
    pub fn result(&self) -> Result<Summary, Outcome> {
        let counted: Vec<&RunRecord> = self.runs.iter().filter(|r| !r.warmup).collect();
        if let Some(bad) = self.runs.iter().find(|r| r.outcome != Outcome::Ok) {
            return Err(bad.outcome.clone());
        }
        if counted.is_empty() {
            return Err(Outcome::Failed { message: "no runs".into() });
        }
        let mut times: Vec<f64> = counted.iter().map(|r| r.seconds).collect();
        times.sort_by(f64::total_cmp);
        let mut rss: Vec<u64> = counted.iter().map(|r| r.peak_rss_kib).collect();
        rss.sort();
        Ok(Summary {
            median_seconds: median(&times),
            min_seconds: times[0],
            max_seconds: times[times.len() - 1],
            median_rss_kib: rss[rss.len() / 2],
            max_rss_kib: rss[rss.len() - 1],
        })
    }
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if !n.is_multiple_of(2) { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 }
}

/// The machine and tools a report was measured with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// CPU model.
    pub cpu: String,
    /// Logical cores.
    pub cores: usize,
    /// Operating system and kernel.
    pub os: String,
    /// Versions of the tools involved.
    pub tools: Vec<(String, String)>,
}

impl Machine {
    /// Reads this machine's description.
    pub fn detect() -> Machine {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| {
                s.lines().find_map(|l| {
                    l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
                })
            })
            .unwrap_or_else(|| "unknown".into());
        let os_name = std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("PRETTY_NAME=").map(|v| v.trim_matches('"').to_string()))
            })
            .unwrap_or_else(|| std::env::consts::OS.to_string());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        let command_version = |cmd: &str, arg: &str| {
            Command::new(cmd)
                .arg(arg)
                .output()
                .ok()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_else(|| "not found".into())
        };
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            os: format!("{os_name}, Linux {kernel}"),
            tools: vec![
                ("wasmfx".into(), env!("CARGO_PKG_VERSION").into()),
                ("wasmtime".into(), crate::run::WASMTIME_VERSION.into()),
                ("node".into(), command_version("node", "--version")),
                ("rustc".into(), command_version("rustc", "--version")),
            ],
        }
    }
}

/// What to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// The manifest (`benches/programs/benchmarks.json`).
    pub manifest: PathBuf,
    /// Use the quick parameters.
    pub quick: bool,
    /// Counted runs per cell (a warm-up run comes first when `warmup`).
    pub runs: usize,
    /// Whether to do a warm-up run first.
    pub warmup: bool,
    /// Only these benchmarks (all when empty).
    pub benchmarks: Vec<String>,
    /// Only these variants (all when empty).
    pub variants: Vec<Variant>,
    /// Where the built and precompiled modules go.
    pub work_dir: PathBuf,
    /// The `wasmfx-run` binary.
    pub runner: PathBuf,
    /// The Node.js harness (`tests/node/run.mjs`).
    pub node_harness: PathBuf,
    /// Where the C builds are cached (`target/bench-c`).
    pub c_cache: PathBuf,
    /// The project's tool folder (`tools/`, where `scripts/install-deps` puts Binaryen).
    pub tools_dir: PathBuf,
    /// Show a progress bar.
    pub progress: bool,
}

/// A finished measurement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where it was measured.
    pub machine: Machine,
    /// Whether the quick parameters were used.
    pub quick: bool,
    /// Counted runs per cell.
    pub runs: usize,
    /// Every cell, benchmark by benchmark in manifest order, variants in table order.
    pub cells: Vec<Cell>,
}

/// Reads the manifest (`params.toml`), keeping its order.
pub fn load_manifest(path: &Path) -> Result<Vec<BenchmarkSpec>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let table: toml::Table = text.parse().map_err(|e| format!("{}: {e}", path.display()))?;
    table
        .into_iter()
        .map(|(name, value)| {
            let entry: ManifestEntry =
                value.try_into().map_err(|e| format!("{}: [{name}]: {e}", path.display()))?;
            let c = match (entry.c, entry.c_bespoke) {
                (Some(c), Some(b)) => Some((c, b)),
                (None, None) => None,
                _ => return Err(format!("{}: [{name}]: `c` and `c_bespoke` go together", path.display())),
            };
            Ok(BenchmarkSpec {
                name,
                wasmfx: entry.wasmfx,
                bespoke: entry.bespoke,
                full: Params { args: entry.full_args, expected: entry.full_stdout },
                quick: Params { args: entry.quick_args, expected: entry.quick_stdout },
                c,
            })
        })
        .collect()
}

/// Precompiles `wasm` for Wasmtime into `out` (lowering it first when `lower`).
fn precompile(runner: &Path, wasm: &Path, out: PathBuf, lower: bool) -> Result<PathBuf, String> {
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

/// What one variant of a benchmark runs (a `.cwasm` for Wasmtime, a `.wasm` for Node.js) and
/// the size of the `.wasm` it comes from.
struct Prepared {
    variant: Variant,
    program: PathBuf,
    size: u64,
}

/// Builds and precompiles the modules the selected `variants` of one benchmark run.
fn prepare(
    spec: &BenchmarkSpec,
    base: &Path,
    config: &Config,
    variants: &[Variant],
    c_tools: Option<&c::CToolchain>,
) -> Result<Vec<Prepared>, String> {
    let dir = config.work_dir.join(&spec.name);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let runner = config.runner.as_path();
    let mut modules: Vec<(Variant, PathBuf, bool)> = Vec::new();
    if variants.iter().any(|v| !v.is_c()) {
        let features = wasmfx_ir::validate::default_features();
        let read = |file: &str| -> Result<wasmfx_ir::Module, String> {
            let path = base.join(file);
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            wasmfx_ir::Module::from_input(&bytes, features).map_err(|e| format!("{}: {e}", path.display()))
        };
        let write = |name: &str, bytes: &[u8]| -> Result<PathBuf, String> {
            let path = dir.join(name);
            std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(path)
        };
        let valid = |module: &wasmfx_ir::Module, name: &str| -> Result<Vec<u8>, String> {
            module.to_valid_bytes(features).map_err(|e| format!("{}: {name}: {e}", spec.name))
        };
        let program = valid(&read(&spec.wasmfx)?, "native.wasm")?;
        let native = write("native.wasm", &program)?;
        let lowered = wasmfx_passes::lower_module(&program, &Default::default())
            .map_err(|e| format!("{}: {e}", spec.name))?;
        let lowered = write("lowered.wasm", &lowered)?;
        let bespoke = write("bespoke.wasm", &valid(&read(&spec.bespoke)?, "bespoke.wasm")?)?;
        modules.extend([
            (Variant::Bespoke, bespoke, false),
            (Variant::Native, native, false),
            (Variant::Lowered, lowered.clone(), true),
            (Variant::LoweredNode, lowered, false),
        ]);
    }
    if let (Some((fibers, bespoke)), Some(tools)) = (&spec.c, c_tools)
        && variants.iter().any(|v| v.is_c())
    {
        let bespoke = base.join(bespoke);
        let built = c::build(&spec.name, &base.join(fibers), Some(&bespoke), &config.c_cache, &dir, tools)?;
        modules.extend([
            (Variant::CBespoke, built.bespoke.expect("built with a bespoke source"), false),
            (Variant::CAsyncify, built.asyncify.clone(), false),
            (Variant::CAsyncifyNode, built.asyncify, false),
            (Variant::CWasmfx, built.wasmfx, false),
            (Variant::CWasmfxLowered, built.lowered.clone(), true),
            (Variant::CWasmfxLoweredNode, built.lowered, false),
        ]);
    }
    let mut prepared = Vec::new();
    for (variant, wasm, lower) in modules {
        if !variants.contains(&variant) {
            continue;
        }
        let size = std::fs::metadata(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?.len();
        let program = if variant.on_node() {
            wasm
        } else {
            precompile(runner, &wasm, dir.join(format!("{}.cwasm", variant.name())), lower)?
        };
        prepared.push(Prepared { variant, program, size });
    }
    Ok(prepared)
}

/// Runs a command to completion and measures its wall time and peak RSS.
fn measure(mut cmd: Command, expected: &str) -> RunRecord {
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

/// Runs the benchmarks `config` selects and returns every measurement.
pub fn run(config: &Config) -> Result<Report, String> {
    let specs = load_manifest(&config.manifest)?;
    let base = config.manifest.parent().unwrap_or(Path::new("."));
    let specs: Vec<&BenchmarkSpec> = specs
        .iter()
        .filter(|s| config.benchmarks.is_empty() || config.benchmarks.contains(&s.name))
        .collect();
    let variants: Vec<Variant> = Variant::ALL
        .into_iter()
        .filter(|v| config.variants.is_empty() || config.variants.contains(v))
        .collect();
    let per_cell = config.runs + usize::from(config.warmup);
    let bar = if config.progress {
        let cells: usize =
            specs.iter().map(|s| variants.iter().filter(|v| !v.is_c() || s.c.is_some()).count()).sum();
        ProgressBar::new((cells * per_cell) as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} {msg}")
            .map_err(|e| e.to_string())?
            .progress_chars("=> "),
    );
    let wants_c = variants.iter().any(|v| v.is_c()) && specs.iter().any(|s| s.c.is_some());
    let c_tools = if wants_c { Some(c::CToolchain::find(&config.tools_dir)?) } else { None };
    let mut cells = Vec::new();
    for spec in specs {
        bar.set_message(format!("{}: preparing", spec.name));
        let prepared = prepare(spec, base, config, &variants, c_tools.as_ref())?;
        let params = if config.quick { &spec.quick } else { &spec.full };
        for Prepared { variant, program, size } in prepared {
            bar.set_message(format!("{} {}", spec.name, variant.name()));
            let mut runs = Vec::new();
            for i in 0..per_cell {
                let mut cmd = if variant.on_node() {
                    let mut c = Command::new("node");
                    c.arg(&config.node_harness);
                    c
                } else {
                    let mut c = Command::new(&config.runner);
                    if matches!(variant, Variant::Lowered | Variant::CWasmfxLowered) {
                        c.arg("--lower");
                    }
                    c
                };
                cmd.arg(&program).args(&params.args);
                let mut record = measure(cmd, &params.expected);
                record.warmup = config.warmup && i == 0;
                let failed = record.outcome != Outcome::Ok;
                runs.push(record);
                bar.inc(1);
                if failed {
                    // A failure is the cell's result: repeating it measures nothing.
                    bar.inc((per_cell - i - 1) as u64);
                    break;
                }
            }
            cells.push(Cell { benchmark: spec.name.clone(), variant, wasm_bytes: size, runs });
        }
    }
    bar.finish_and_clear();
    let mut machine = Machine::detect();
    if let Some(tools) = c_tools {
        machine.tools.extend(tools.versions);
    }
    Ok(Report { machine, quick: config.quick, runs: config.runs, cells })
}
