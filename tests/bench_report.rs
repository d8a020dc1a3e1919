//! The benchmark report writers on a fixed set of runs: the markdown table (checked against
//! `tests/bench/report.md`, re-blessed with `WASMFX_BLESS=1`), the JSON (every run and the
//! machine, read back equal) and the SVG chart (well-formed, one bar per measured figure, a
//! mark per failure).

mod common;

use wasmfx::cli::bench::report::{self, Metric};
use wasmfx::cli::bench::{Baseline, Cell, Machine, Outcome, Report, RunRecord, Variant};

fn run(seconds: f64, rss_mib: u64) -> RunRecord {
    RunRecord { warmup: false, seconds, peak_rss_kib: rss_mib * 1024, outcome: Outcome::Ok }
}

fn cell(benchmark: &str, variant: Variant, wasm_bytes: u64, runs: Vec<RunRecord>) -> Cell {
    Cell { benchmark: benchmark.into(), variant, wasm_bytes, input_wasm_bytes: None, runs }
}

/// A cell of a warm-up and three runs of `seconds` and `rss_mib` each.
fn steady(benchmark: &str, variant: Variant, wasm_bytes: u64, seconds: f64, rss_mib: u64) -> Cell {
    let mut warm = run(9.0, 99);
    warm.warmup = true;
    cell(
        benchmark,
        variant,
        wasm_bytes,
        vec![warm, run(seconds, rss_mib), run(seconds, rss_mib), run(seconds, rss_mib)],
    )
}

/// `c` made from a module of `input_wasm_bytes` (Asyncify's input, the lowering's).
fn grown_from(input_wasm_bytes: u64, c: Cell) -> Cell {
    Cell { input_wasm_bytes: Some(input_wasm_bytes), ..c }
}

/// c10m natively: one run, stopped by the continuation limit.
fn stopped_at_the_limit(variant: Variant) -> Cell {
    let limit = RunRecord {
        warmup: true,
        seconds: 0.5,
        peak_rss_kib: 150_000,
        outcome: Outcome::ContinuationLimit { count: Some(32737) },
    };
    cell("c10m", variant, 844, vec![limit])
}

fn fixed_report() -> Report {
    let mut warm = run(9.0, 99);
    warm.warmup = true;
    Report {
        machine: Machine {
            cpu: "Test CPU".into(),
            cores: 2,
            os: "Test OS".into(),
            tools: vec![("wasmtime".into(), "48.0.8".into())],
        },
        quick: false,
        runs: 3,
        cells: vec![
            cell(
                "c10m",
                Variant::Bespoke,
                940,
                vec![warm.clone(), run(0.14, 13), run(0.15, 13), run(0.13, 14)],
            ),
            stopped_at_the_limit(Variant::Native),
            cell(
                "c10m",
                Variant::Lowered,
                9100,
                vec![warm.clone(), run(0.70, 54), run(0.72, 55), run(0.69, 54)],
            ),
            steady("c10m", Variant::LoweredBinaryenO2, 6100, 0.66, 54),
            cell(
                "c10m",
                Variant::LoweredNode,
                9100,
                vec![RunRecord {
                    warmup: true,
                    seconds: 1.0,
                    peak_rss_kib: 40_000,
                    outcome: Outcome::WrongAnswer { stdout: "1\n".into() },
                }],
            ),
            cell(
                "sieve",
                Variant::Bespoke,
                33_000,
                vec![warm.clone(), run(1.0, 13), run(1.0, 13), run(1.0, 13)],
            ),
            cell(
                "sieve",
                Variant::Native,
                39_000,
                vec![warm.clone(), run(0.5, 47), run(0.4, 47), run(0.6, 46)],
            ),
            // The C programs: the paper's c10m figures, our lowering 3x Asyncify's time.
            steady("c10m", Variant::CBespoke, 940, 0.14, 13),
            grown_from(8000, steady("c10m", Variant::CAsyncify, 9100, 0.70, 54)),
            stopped_at_the_limit(Variant::CWasmfx),
            grown_from(9500, steady("c10m", Variant::CWasmfxLowered, 12_000, 2.10, 60)),
            grown_from(9500, steady("c10m", Variant::CWasmfxLoweredBinaryenO2, 10_000, 2.00, 60)),
            grown_from(8000, steady("c10m", Variant::CAsyncifyNode, 9100, 1.40, 100)),
            grown_from(9500, steady("c10m", Variant::CWasmfxLoweredNode, 12_000, 2.8, 110)),
        ],
    }
}

#[test]
fn summaries_take_medians_and_skip_the_warm_up() {
    let r = fixed_report();
    let s = r.cells[0].result().unwrap();
    assert_eq!((s.median_seconds, s.min_seconds, s.max_seconds), (0.14, 0.13, 0.15));
    assert_eq!((s.median_rss_kib, s.max_rss_kib), (13 * 1024, 14 * 1024));
    assert_eq!(r.cells[1].result().unwrap_err(), Outcome::ContinuationLimit { count: Some(32737) });
    assert_eq!(Metric::Size.value(&r.cells[1]).unwrap(), 844.0, "sizes are known even when runs fail");
}

#[test]
fn markdown_table_in_the_papers_layout() {
    let md = report::markdown(&fixed_report(), Baseline::Bespoke);
    let path = common::root().join("tests/bench/report.md");
    if std::env::var("WASMFX_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &md).unwrap();
    }
    assert_eq!(md, std::fs::read_to_string(&path).unwrap());
    // The ratios read as the paper's: baseline / variant, so a slower variant is below 1.
    assert!(md.contains("| c10m | bespoke | 1.00 (0.140 s) | 1.00 (13.6 MB) | 1.00 (940 B) |"), "{md}");
    assert!(md.contains("| c10m | lowered | 0.20 (0.700 s)"), "{md}");
    assert!(md.contains("fails: continuation limit (32,737 continuations)"), "{md}");
    assert!(md.contains("fails: wrong answer"), "{md}");
    let against_native = report::markdown(&fixed_report(), Baseline::Native);
    assert!(against_native.contains("**native / variant**"), "{against_native}");
    assert!(against_native.contains("| c10m | lowered | n/a (0.700 s)"), "{against_native}");
    // The C programs in the paper's rows, against bespoke and (the paper's first table)
    // against Asyncify.
    assert!(md.contains("| c10m | Bespoke | 1.00 (0.140 s) |"), "{md}");
    assert!(md.contains("| c10m | Asyncify | 0.20 (0.700 s) |"), "{md}");
    assert!(md.contains("| c10m | WasmFX (native) | fails: continuation limit"), "{md}");
    assert!(md.contains("| c10m | WasmFX lowered by us | 0.067 (2.10 s) |"), "{md}");
    // Module growth: output minus input, and the lowering's over Asyncify's.
    assert!(
        md.contains(
            "| c10m | +1,100 B (8,000 → 9,100 B) | +2,500 B (9,500 → 12,000 B) | +500 B (9,500 → 10,000 B) | 2.27 |"
        ),
        "{md}"
    );
    let against_asyncify = report::markdown(&fixed_report(), Baseline::Asyncify);
    assert!(against_asyncify.contains("**Asyncify / variant**"), "{against_asyncify}");
    assert!(
        against_asyncify.contains("| c10m | Asyncify | 1.00 (0.700 s) | 1.00 (56.6 MB) | 1.00 (9.10 KB) |")
    );
    assert!(
        against_asyncify.contains("| c10m | WasmFX lowered by us | 0.33 (2.10 s) |"),
        "{against_asyncify}"
    );
    assert!(against_asyncify.contains("| c10m | Bespoke | 5.00 (0.140 s) |"), "{against_asyncify}");
    // The WAT programs have no Asyncify build: they stay relative to bespoke.
    assert!(against_asyncify.contains("**bespoke / variant**"), "{against_asyncify}");
    let rows: Vec<&str> =
        against_asyncify.lines().filter(|l| l.starts_with("| c10m | ") && !l.contains(" → ")).collect();
    let labels: Vec<&str> = rows.iter().map(|r| r.split(" | ").nth(1).unwrap()).collect();
    assert_eq!(
        labels,
        [
            "Bespoke",
            "Asyncify",
            "WasmFX (native)",
            "WasmFX lowered by us",
            "WasmFX lowered by us + Binaryen -O2",
            "Asyncify, Node.js",
            "WasmFX lowered by us, Node.js",
            "bespoke",
            "native",
            "lowered",
            "lowered+binaryen-O2",
            "lowered-node"
        ]
    );
}

#[test]
fn json_has_every_run_and_the_machine() {
    let r = fixed_report();
    let text = report::json(&r);
    let back: Report = serde_json::from_str(&text).unwrap();
    assert_eq!(back, r);
    assert!(
        text.contains("\"cpu\": \"Test CPU\"") && text.contains("\"kind\": \"continuation-limit\""),
        "{text}"
    );
}

#[test]
fn svg_chart_has_a_bar_per_figure_and_marks_failures() {
    let svg = report::svg(&fixed_report(), Baseline::Asyncify);
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    // Bars: time and memory for the 5 + 6 successful cells, size for all 7 + 7: 36, each with
    // a title.
    assert_eq!(svg.matches("</rect>").count(), 36, "{svg}");
    // Failure marks: the failed native and node cells and C native, in the time and memory
    // panels.
    assert_eq!(svg.matches('✗').count(), 6);
    for v in [
        "bespoke",
        "native",
        "lowered",
        "lowered+binaryen-O2",
        "lowered-node",
        "Asyncify",
        "WasmFX lowered by us",
    ] {
        assert!(svg.contains(&format!(">{v}</text>")), "legend lacks {v}");
    }
    assert!(svg.contains("÷ Asyncify (C programs), ÷ bespoke (WAT programs)"), "{svg}");
    // The C bars are relative to Asyncify: the lowered c10m's time bar is 3.00×.
    assert!(svg.contains("c10m c-wasmfx-lowered: 2.10 s (3.00×)"), "{svg}");
}

#[test]
fn write_sample_chart_for_inspection() {
    if let Ok(path) = std::env::var("WASMFX_SAMPLE_SVG") {
        std::fs::write(path, report::svg(&fixed_report(), Baseline::Asyncify)).unwrap();
    }
}
