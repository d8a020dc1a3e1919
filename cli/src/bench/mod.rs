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
}

impl Variant {
    /// Every variant, in table order.
    pub const ALL: [Variant; 4] = [Variant::Bespoke, Variant::Native, Variant::Lowered, Variant::LoweredNode];

    /// The variant's name in tables and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Bespoke => "bespoke",
            Variant::Native => "native",
            Variant::Lowered => "lowered",
            Variant::LoweredNode => "lowered-node",
        }
    }

    /// The variant named `name`.
    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
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
            Ok(BenchmarkSpec {
                name,
                wasmfx: entry.wasmfx,
                bespoke: entry.bespoke,
                full: Params { args: entry.full_args, expected: entry.full_stdout },
                quick: Params { args: entry.quick_args, expected: entry.quick_stdout },
            })
        })
        .collect()
}

/// The modules one benchmark's variants run, built and precompiled.
struct Prepared {
    native: (PathBuf, u64),
    lowered: (PathBuf, PathBuf, u64),
    bespoke: (PathBuf, u64),
}

fn prepare(spec: &BenchmarkSpec, base: &Path, work: &Path, runner: &Path) -> Result<Prepared, String> {
    let features = wasmfx_ir::validate::default_features();
    let read = |file: &str| -> Result<wasmfx_ir::Module, String> {
        let path = base.join(file);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        wasmfx_ir::Module::from_input(&bytes, features).map_err(|e| format!("{}: {e}", path.display()))
    };
    let dir = work.join(&spec.name);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let write = |name: &str, bytes: &[u8]| -> Result<(PathBuf, u64), String> {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok((path, bytes.len() as u64))
    };
    let valid = |file: &str, name: &str| -> Result<Vec<u8>, String> {
        read(file)?.to_valid_bytes(features).map_err(|e| format!("{}: {name}: {e}", spec.name))
    };
    let native = valid(&spec.wasmfx, "native.wasm")?;
    let (native_wasm, native_size) = write("native.wasm", &native)?;
    let lowered = wasmfx_passes::lower_module(&native, &Default::default())
        .map_err(|e| format!("{}: {e}", spec.name))?;
    let (lowered_wasm, lowered_size) = write("lowered.wasm", &lowered)?;
    let (bespoke_wasm, bespoke_size) = write("bespoke.wasm", &valid(&spec.bespoke, "bespoke.wasm")?)?;
    let precompile = |wasm: &Path, out: &str, lower: bool| -> Result<PathBuf, String> {
        let out = dir.join(out);
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
            return Err(format!("{}: precompiling {} failed", spec.name, wasm.display()));
        }
        Ok(out)
    };
    Ok(Prepared {
        native: (precompile(&native_wasm, "native.cwasm", false)?, native_size),
        lowered: (precompile(&lowered_wasm, "lowered.cwasm", true)?, lowered_wasm, lowered_size),
        bespoke: (precompile(&bespoke_wasm, "bespoke.cwasm", false)?, bespoke_size),
    })
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
        ProgressBar::new((specs.len() * variants.len() * per_cell) as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} {msg}")
            .map_err(|e| e.to_string())?
            .progress_chars("=> "),
    );
    let mut cells = Vec::new();
    for spec in specs {
        bar.set_message(format!("{}: preparing", spec.name));
        let prepared = prepare(spec, base, &config.work_dir, &config.runner)?;
        let params = if config.quick { &spec.quick } else { &spec.full };
        for &variant in &variants {
            bar.set_message(format!("{} {}", spec.name, variant.name()));
            let (program, size) = match variant {
                Variant::Native => (prepared.native.0.clone(), prepared.native.1),
                Variant::Lowered => (prepared.lowered.0.clone(), prepared.lowered.2),
                Variant::LoweredNode => (prepared.lowered.1.clone(), prepared.lowered.2),
                Variant::Bespoke => (prepared.bespoke.0.clone(), prepared.bespoke.1),
            };
            let mut runs = Vec::new();
            for i in 0..per_cell {
                let mut cmd = match variant {
                    Variant::LoweredNode => {
                        let mut c = Command::new("node");
                        c.arg(&config.node_harness);
                        c
                    }
                    Variant::Lowered => {
                        let mut c = Command::new(&config.runner);
                        c.arg("--lower");
                        c
                    }
                    Variant::Native | Variant::Bespoke => Command::new(&config.runner),
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
    Ok(Report { machine: Machine::detect(), quick: config.quick, runs: config.runs, cells })
}
