//! The round-trip benchmark: wall time, CPU time and peak memory of `wasmfx-opt IN -o OUT` against
//! Binaryen's `wasm-opt IN -o OUT` on big real modules, each run a process of its own.
//!
//! Inputs come from `scripts/install-roundtrip-inputs` (pinned npm packages in
//! `benches/roundtrip/inputs/`, Debian's binaryen 108); nothing is fetched here. Run it with
//! `cargo build --release && cargo bench --bench roundtrip` (see this folder's README).
//! Options after `--`: `--runs N` (default 5, after one warm-up run of each tool),
//! `--wasm-opt PATH`, `--wasmfx-opt PATH`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One input: a name for the table and where the install script puts it.
const INPUTS: [(&str, &str); 2] = [
    ("esbuild.wasm (esbuild-wasm 0.28.2)", "node_modules/esbuild-wasm/esbuild.wasm"),
    ("sql-wasm.wasm (sql.js 1.13.0)", "node_modules/sql.js/dist/sql-wasm.wasm"),
];

/// What one run of a tool cost.
#[derive(Copy, Clone)]
struct Run {
    wall: Duration,
    /// User plus system time of the process, all its threads: what the work costs, which
    /// other processes loading the machine change far less than the wall time.
    cpu: Duration,
    /// Peak resident set size, in bytes.
    peak: u64,
}

/// A `timeval` of `rusage` as a duration.
fn duration(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

/// Runs `command` to completion and measures it with `wait4`, which reports the child's own
/// CPU time and peak RSS (not the sum and the largest of every child so far, as
/// `getrusage(RUSAGE_CHILDREN)` would).
fn measure(command: &mut Command) -> Result<Run, String> {
    let start = Instant::now();
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    // The tools print little, so stderr cannot fill its pipe before they exit.
    let mut status = 0;
    // SAFETY: `rusage` is plain data that `wait4` fills in; `pid` is our own child, which
    // nothing else waits for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    if waited != pid {
        return Err(format!("wait4 failed for {command:?}: {}", std::io::Error::last_os_error()));
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr {
            use std::io::Read;
            let _ = pipe.read_to_string(&mut stderr);
        }
        return Err(format!("{command:?} failed ({status:#x}): {}", stderr.trim()));
    }
    let cpu = duration(usage.ru_utime) + duration(usage.ru_stime);
    Ok(Run { wall, cpu, peak: usage.ru_maxrss as u64 * 1024 })
}

/// The machine's load averages over 1, 5 and 15 minutes, as `uptime` prints them: the
/// other processes that the wall times share the cores with.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

struct Options {
    runs: usize,
    wasm_opt: PathBuf,
    wasmfx_opt: PathBuf,
}

fn options() -> Result<Options, String> {
    // `cargo bench` builds this into target/release/deps/; the tools are in target/release/.
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let release = exe.parent().and_then(Path::parent).ok_or("no target directory")?;
    let mut o = Options { runs: 5, wasm_opt: "wasm-opt".into(), wasmfx_opt: release.join("wasmfx-opt") };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => o.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--wasm-opt" => o.wasm_opt = value()?.into(),
            "--wasmfx-opt" => o.wasmfx_opt = value()?.into(),
            // `cargo bench` passes `--bench` to every bench target.
            "--bench" => {}
            other => return Err(format!("unknown option {other}")),
        }
    }
    if o.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    if !o.wasmfx_opt.exists() {
        return Err(format!("{} is missing: run `cargo build --release` first", o.wasmfx_opt.display()));
    }
    Ok(o)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let o = options()?;
    let inputs_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/roundtrip/inputs");
    let out_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = out_dir.path().join("out.wasm");
    let version = Command::new(&o.wasm_opt).arg("--version").output().map_err(|e| {
        format!("cannot run {}: {e} (run scripts/install-roundtrip-inputs)", o.wasm_opt.display())
    })?;
    println!(
        "Round trip (`TOOL IN -o OUT`), median of {} run(s) after a warm-up; baseline {}",
        o.runs,
        String::from_utf8_lossy(&version.stdout).trim()
    );
    println!("load average at the start: {}", load_average());
    println!();
    println!(
        "| input | wasmfx-opt: wall, CPU, peak | wasm-opt: wall, CPU, peak | wall: wasm-opt / wasmfx-opt | CPU: wasm-opt / wasmfx-opt | memory: wasmfx-opt / wasm-opt |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, path) in INPUTS {
        let input = inputs_dir.join(path);
        if !input.exists() {
            return Err(format!("{} is missing: run scripts/install-roundtrip-inputs", input.display()));
        }
        let ours = || {
            let mut c = Command::new(&o.wasmfx_opt);
            c.arg(&input).arg("-o").arg(&out);
            c
        };
        // Every feature, so that wasm-opt reads what the module uses.
        let theirs = || {
            let mut c = Command::new(&o.wasm_opt);
            c.arg("--all-features").arg(&input).arg("-o").arg(&out);
            c
        };
        measure(&mut ours())?;
        measure(&mut theirs())?;
        let (mut a, mut b) = (Vec::new(), Vec::new());
        // Interleaved, so that a change in the machine's load falls on both tools alike.
        for _ in 0..o.runs {
            a.push(measure(&mut ours())?);
            b.push(measure(&mut theirs())?);
        }
        let wall = |runs: &[Run]| median(runs.iter().map(|r| r.wall.as_secs_f64()).collect());
        let cpu = |runs: &[Run]| median(runs.iter().map(|r| r.cpu.as_secs_f64()).collect());
        let peak = |runs: &[Run]| median(runs.iter().map(|r| r.peak as f64 / 1e6).collect());
        let (wa, wb, ca, cb, pa, pb) = (wall(&a), wall(&b), cpu(&a), cpu(&b), peak(&a), peak(&b));
        println!(
            "| {name} | {wa:.3} s, {ca:.3} s, {pa:.0} MB | {wb:.3} s, {cb:.3} s, {pb:.0} MB | {:.2}x | {:.2}x | {:.2} |",
            wb / wa,
            cb / ca,
            pa / pb
        );
    }
    println!();
    println!("load average at the end: {}", load_average());
    Ok(())
}
