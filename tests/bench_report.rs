//! The benchmark report writers on a fixed set of runs: the markdown table (checked against
//! `tests/bench/report.md`, re-blessed with `WASMFX_BLESS=1`), the JSON (every run and the
//! machine, read back equal) and the SVG chart (well-formed, one bar per measured figure, a
//! mark per failure).

mod common;

use wasmfx::cli::bench::report::{self, Metric};
use wasmfx::cli::bench::{Cell, Machine, Outcome, Report, RunRecord, Variant};

fn run(seconds: f64, rss_mib: u64) -> RunRecord {
    RunRecord { warmup: false, seconds, peak_rss_kib: rss_mib * 1024, outcome: Outcome::Ok }
}

fn cell(benchmark: &str, variant: Variant, wasm_bytes: u64, runs: Vec<RunRecord>) -> Cell {
    Cell { benchmark: benchmark.into(), variant, wasm_bytes, runs }
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
            cell(
                "c10m",
                Variant::Native,
                844,
                vec![RunRecord {
                    warmup: true,
                    seconds: 0.5,
                    peak_rss_kib: 150_000,
                    outcome: Outcome::ContinuationLimit { count: Some(32737) },
                }],
            ),
            cell(
                "c10m",
                Variant::Lowered,
                9100,
                vec![warm.clone(), run(0.70, 54), run(0.72, 55), run(0.69, 54)],
            ),
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
            cell("sieve", Variant::Native, 39_000, vec![warm, run(0.5, 47), run(0.4, 47), run(0.6, 46)]),
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
    let md = report::markdown(&fixed_report(), Variant::Bespoke);
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
    let against_native = report::markdown(&fixed_report(), Variant::Native);
    assert!(against_native.contains("**native / variant**"), "{against_native}");
    assert!(against_native.contains("| c10m | lowered | n/a (0.700 s)"), "{against_native}");
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
    let svg = report::svg(&fixed_report(), Variant::Bespoke);
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    // Bars: time and memory for the 4 successful cells, size for all 6: 14, each with a title.
    assert_eq!(svg.matches("</rect>").count(), 14, "{svg}");
    // Failure marks: the failed native and node cells, in the time and memory panels.
    assert_eq!(svg.matches('✗').count(), 4);
    for v in ["bespoke", "native", "lowered", "lowered-node"] {
        assert!(svg.contains(&format!(">{v}</text>")), "legend lacks {v}");
    }
}

#[test]
fn write_sample_chart_for_inspection() {
    if let Ok(path) = std::env::var("WASMFX_SAMPLE_SVG") {
        std::fs::write(path, report::svg(&fixed_report(), Variant::Bespoke)).unwrap();
    }
}
