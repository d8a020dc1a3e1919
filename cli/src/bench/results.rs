//! What measuring gives: each run's record, their summary, one cell per benchmark and
//! variant, the machine it ran on, and the report.

use super::Variant;
use serde::{Deserialize, Serialize};
use std::process::Command;

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
    /// For a C variant made by transforming another module (Asyncify's `wasm-opt --asyncify
    /// -O2` of clang's output, our lowering of the WasmFX build), that module's size: the
    /// variant's growth is `wasm_bytes` minus this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_wasm_bytes: Option<u64>,
    /// Every run, the warm-up first.
    pub runs: Vec<RunRecord>,
}

impl Cell {
    /// How many bytes the variant's transformation added to its input (negative: removed).
    pub fn growth(&self) -> Option<i64> {
        self.input_wasm_bytes.map(|input| self.wasm_bytes as i64 - input as i64)
    }

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
