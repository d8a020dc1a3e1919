//! The benchmark report in three forms: markdown tables in the WasmFX paper's layout, JSON
//! with every raw run and the machine, and an SVG chart.

use super::{Baseline, Cell, Outcome, Report, Summary, Variant};
use std::fmt::Write;

/// Which figure of a cell.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Median wall time.
    Time,
    /// Median peak RSS.
    Memory,
    /// Size of the `.wasm`.
    Size,
}

impl Metric {
    /// All metrics, in column order.
    pub const ALL: [Metric; 3] = [Metric::Time, Metric::Memory, Metric::Size];

    fn title(self) -> &'static str {
        match self {
            Metric::Time => "run time",
            Metric::Memory => "peak memory",
            Metric::Size => "binary size",
        }
    }

    /// The cell's figure (seconds, bytes, bytes), or why there is none.
    pub fn value(self, cell: &Cell) -> Result<f64, Outcome> {
        match self {
            Metric::Size => Ok(cell.wasm_bytes as f64),
            Metric::Time => cell.result().map(|s: Summary| s.median_seconds),
            Metric::Memory => cell.result().map(|s| s.median_rss_kib as f64 * 1024.0),
        }
    }

    fn format(self, value: f64) -> String {
        match self {
            Metric::Time => format!("{} s", significant(value)),
            Metric::Memory => format!("{} MB", significant(value / 1e6)),
            Metric::Size if value >= 1000.0 => format!("{} KB", significant(value / 1e3)),
            Metric::Size => format!("{value:.0} B"),
        }
    }
}

/// Three significant digits, without exponent.
fn significant(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let digits = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.digits$}")
}

/// A ratio with two decimals, or two significant digits when it is below 0.1.
fn ratio(r: f64) -> String {
    if r >= 0.1 || r == 0.0 {
        format!("{r:.2}")
    } else {
        let digits = (1 - r.log10().floor() as i32).max(2) as usize;
        format!("{r:.digits$}")
    }
}

fn with_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How a failed cell reads in a table.
pub fn failure_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Ok => "ok".into(),
        Outcome::ContinuationLimit { count: Some(n) } => {
            format!("fails: continuation limit ({} continuations)", with_thousands(*n))
        }
        Outcome::ContinuationLimit { count: None } => "fails: continuation limit".into(),
        Outcome::WrongAnswer { .. } => "fails: wrong answer".into(),
        Outcome::Failed { message } => format!("fails: {}", message.replace('|', "\\|")),
    }
}

fn benchmarks(report: &Report) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for c in &report.cells {
        if !names.contains(&c.benchmark) {
            names.push(c.benchmark.clone());
        }
    }
    names
}

fn cell<'a>(report: &'a Report, benchmark: &str, variant: Variant) -> Option<&'a Cell> {
    report.cells.iter().find(|c| c.benchmark == benchmark && c.variant == variant)
}

/// A variant's row label: the paper's names for the C programs' variants.
pub fn label(variant: Variant) -> &'static str {
    match variant {
        Variant::CBespoke => "Bespoke",
        Variant::CAsyncify => "Asyncify",
        Variant::CWasmfx => "WasmFX (native)",
        Variant::CWasmfxLowered => "WasmFX lowered by us",
        Variant::CWasmfxLoweredBinaryenO2 => "WasmFX lowered by us + Binaryen -O2",
        Variant::CAsyncifyNode => "Asyncify, Node.js",
        Variant::CWasmfxLoweredNode => "WasmFX lowered by us, Node.js",
        v => v.name(),
    }
}

/// One table: a row per benchmark and variant of `variants` present in the report.
fn table(out: &mut String, report: &Report, variants: &[Variant], baseline: Baseline) {
    let _ = writeln!(
        out,
        "| benchmark | variant | {} | {} | {} |",
        Metric::Time.title(),
        Metric::Memory.title(),
        Metric::Size.title()
    );
    let _ = writeln!(out, "|---|---|---|---|---|");
    for name in benchmarks(report) {
        for &variant in variants {
            let Some(c) = cell(report, &name, variant) else { continue };
            let base = cell(report, &name, baseline.variant_for(variant));
            let mut row = format!("| {name} | {} |", label(variant));
            for metric in Metric::ALL {
                let text = match metric.value(c) {
                    Err(outcome) => failure_text(&outcome),
                    Ok(v) => match base.map(|b| metric.value(b)) {
                        Some(Ok(b)) if v > 0.0 => format!("{} ({})", ratio(b / v), metric.format(v)),
                        _ => format!("n/a ({})", metric.format(v)),
                    },
                };
                let _ = write!(row, " {text} |");
            }
            let _ = writeln!(out, "{row}");
        }
    }
}

/// The C variants whose growth the growth table shows, in column order (the Node.js rows
/// run the same modules).
const GROWN: [Variant; 3] = [Variant::CAsyncify, Variant::CWasmfxLowered, Variant::CWasmfxLoweredBinaryenO2];

/// A growth in bytes, signed, with its input and output: `+3,412 B (10,953 → 14,365 B)`.
fn growth_text(c: &Cell) -> Option<String> {
    let (input, growth) = (c.input_wasm_bytes?, c.growth()?);
    let sign = if growth < 0 { "-" } else { "+" };
    Some(format!(
        "{sign}{} B ({} → {} B)",
        with_thousands(growth.unsigned_abs()),
        with_thousands(input),
        with_thousands(c.wasm_bytes)
    ))
}

/// The C programs' module growth: what Asyncify (`wasm-opt --asyncify -O2`) adds to clang's
/// output, what our lowering adds to the WasmFX build, and the second over the first.
fn growth_table(out: &mut String, report: &Report) {
    let mut header = String::from("| benchmark |");
    for v in GROWN {
        let _ = write!(header, " {} |", label(v));
    }
    let _ = writeln!(out, "{header} lowered growth ÷ Asyncify growth |");
    let _ = writeln!(out, "|---|{}---|", "---|".repeat(GROWN.len()));
    for name in benchmarks(report) {
        let cells = GROWN.map(|v| cell(report, &name, v).filter(|c| c.growth().is_some()));
        if cells.iter().all(Option::is_none) {
            continue;
        }
        let mut row = format!("| {name} |");
        for c in cells {
            let _ = write!(row, " {} |", c.and_then(growth_text).unwrap_or_else(|| "n/a".into()));
        }
        let growths = (cells[0].and_then(Cell::growth), cells[1].and_then(Cell::growth));
        let quotient = match growths {
            (Some(asyncify), Some(lowered)) if asyncify > 0 => {
                format!("{:.2}", lowered as f64 / asyncify as f64)
            }
            (Some(_), Some(_)) => "n/a (Asyncify's output is not bigger than its input)".into(),
            _ => "n/a".into(),
        };
        let _ = writeln!(out, "{row} {quotient} |");
    }
}

/// The markdown tables: for the C programs the paper's layout (per benchmark the rows
/// Bespoke, Asyncify, WasmFX natively, WasmFX lowered by us, then the Node.js rows), and for
/// the WAT programs a row per variant; each figure is the ratio baseline / variant (higher
/// is better) with the absolute figure in parentheses.
pub fn markdown(report: &Report, baseline: Baseline) -> String {
    let mut out = String::new();
    let params = if report.quick { "quick" } else { "full" };
    let warm =
        if report.cells.iter().any(|c| c.runs.iter().any(|r| r.warmup)) { " after a warm-up" } else { "" };
    let method = format!(
        "Run time: median wall time of {n} run(s) of the whole process{warm}; peak memory: median peak \
         RSS; binary size: the `.wasm` the variant runs",
        n = report.runs
    );
    let has_c = report.cells.iter().any(|c| c.variant.is_c());
    let has_wat = report.cells.iter().any(|c| !c.variant.is_c());
    if has_c {
        let b = label(baseline.variant_for(Variant::CBespoke));
        let _ = writeln!(
            out,
            "### The C programs (the paper's tables)\n\n\
             Each figure is **{b} / variant** (higher is better; {b} = 1.00), with the absolute figure in \
             parentheses. Every variant is built from one C source per benchmark: Bespoke without \
             fibers, the others on the fiber interface, over Binaryen's Asyncify or over WasmFX \
             (natively, or lowered by `--lower-to-asyncify`); Wasmtime unless the row says Node.js. \
             {method}, custom sections stripped. Parameters: {params}.\n"
        );
        table(&mut out, report, &Variant::C, baseline);
        if report.cells.iter().any(|c| c.growth().is_some()) {
            let _ = writeln!(
                out,
                "\nModule growth: what each transformation adds to the module it is given (Asyncify: \
                 `wasm-opt --asyncify -O2` of clang's output; the lowering: `--lower-to-asyncify` of \
                 the WasmFX build, then our `-O2` or Binaryen's), custom sections stripped.\n"
            );
            growth_table(&mut out, report);
        }
        if has_wat {
            let _ = writeln!(out, "\n### The WAT programs\n");
        }
    }
    if has_wat {
        let b = baseline.variant_for(Variant::Bespoke).name();
        let _ = writeln!(
            out,
            "Each figure is **{b} / variant** (higher is better; {b} = 1.00), with the absolute figure \
             in parentheses. {method}. Parameters: {params}.\n"
        );
        table(&mut out, report, &Variant::WAT, baseline);
    }
    let m = &report.machine;
    let tools: Vec<String> = m.tools.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = writeln!(out, "\nMachine: {}, {} cores, {}; {}.", m.cpu, m.cores, m.os, tools.join(", "));
    out
}

/// Every run and the machine, as JSON.
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("a report serialises")
}

const COLORS: [(Variant, &str); Variant::ALL.len()] = [
    (Variant::Bespoke, "#6b7280"),
    (Variant::Native, "#2563eb"),
    (Variant::Lowered, "#ea580c"),
    (Variant::LoweredBinaryenO2, "#facc15"),
    (Variant::LoweredNode, "#16a34a"),
    (Variant::CBespoke, "#374151"),
    (Variant::CAsyncify, "#9333ea"),
    (Variant::CWasmfx, "#1d4ed8"),
    (Variant::CWasmfxLowered, "#c2410c"),
    (Variant::CWasmfxLoweredBinaryenO2, "#ca8a04"),
    (Variant::CAsyncifyNode, "#d8b4fe"),
    (Variant::CWasmfxLoweredNode, "#15803d"),
];

/// A chart: one panel per metric, a group of bars per benchmark, one bar per variant, each
/// the variant's figure relative to the baseline on a log scale (a bar up is worse than the
/// baseline, down is better); failed cells are marked.
pub fn svg(report: &Report, baseline: Baseline) -> String {
    let names = benchmarks(report);
    let variants: Vec<Variant> =
        Variant::ALL.into_iter().filter(|v| report.cells.iter().any(|c| c.variant == *v)).collect();
    let legend_rows = variants.len().div_ceil(5).max(1);
    let (bar_w, gap, left, panel_h) = (22.0, 26.0, 70.0, 220.0);
    let top = 54.0 + 16.0 * legend_rows as f64;
    let group_w = bar_w * variants.len() as f64 + gap;
    let width = (left + group_w * names.len().max(1) as f64 + 20.0).max(760.0);
    let height = top + (panel_h + 60.0) * 3.0 + 20.0;
    // Log10 range of the ratios, symmetric, at least one decade each way.
    let mut span: f64 = 1.0;
    for name in &names {
        for &v in &variants {
            if let (Some(c), Some(b)) = (cell(report, name, v), cell(report, name, baseline.variant_for(v))) {
                for m in Metric::ALL {
                    if let (Ok(x), Ok(y)) = (m.value(c), m.value(b))
                        && x > 0.0
                        && y > 0.0
                    {
                        span = span.max((x / y).log10().abs().ceil());
                    }
                }
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        out,
        r#"<text x="{left}" y="22" font-size="15" font-weight="bold">wasmfx-bench: each variant ÷ {} (log scale, lower is better)</text>"#,
        match (variants.iter().any(|v| v.is_c()), variants.iter().any(|v| !v.is_c())) {
            (true, true) => format!(
                "{} (C programs), ÷ {} (WAT programs)",
                label(baseline.variant_for(Variant::CBespoke)),
                baseline.variant_for(Variant::Bespoke).name()
            ),
            (true, false) => label(baseline.variant_for(Variant::CBespoke)).to_string(),
            _ => baseline.variant_for(Variant::Bespoke).name().to_string(),
        }
    );
    for (i, &v) in variants.iter().enumerate() {
        let color = COLORS.iter().find(|c| c.0 == v).map_or("#000", |c| c.1);
        let x = left + (i % 5) as f64 * 170.0;
        let y = 38.0 + (i / 5) as f64 * 16.0;
        let _ = writeln!(out, r#"<rect x="{x}" y="{y}" width="12" height="12" fill="{color}"/>"#);
        let _ = writeln!(out, r#"<text x="{}" y="{}">{}</text>"#, x + 16.0, y + 10.0, label(v));
    }
    for (p, metric) in Metric::ALL.into_iter().enumerate() {
        let y0 = top + p as f64 * (panel_h + 60.0) + 20.0;
        let mid = y0 + panel_h / 2.0;
        let scale = (panel_h / 2.0) / span;
        let _ = writeln!(
            out,
            r#"<text x="{left}" y="{}" font-size="13" font-weight="bold">{}</text>"#,
            y0 - 6.0,
            metric.title()
        );
        for d in -(span as i32)..=(span as i32) {
            let y = mid - d as f64 * scale;
            let label =
                if d >= 0 { format!("{}×", 10i64.pow(d as u32)) } else { format!("{}×", 10f64.powi(d)) };
            let _ = writeln!(
                out,
                r##"<line x1="{left}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{}" stroke-width="{}"/><text x="{}" y="{:.1}" text-anchor="end">{label}</text>"##,
                width - 20.0,
                if d == 0 { "#111" } else { "#ddd" },
                if d == 0 { 1.5 } else { 1.0 },
                left - 6.0,
                y + 4.0
            );
        }
        for (g, name) in names.iter().enumerate() {
            let gx = left + g as f64 * group_w + gap / 2.0;
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{name}</text>"#,
                gx + bar_w * variants.len() as f64 / 2.0,
                y0 + panel_h + 16.0
            );
            for (i, &v) in variants.iter().enumerate() {
                let base = cell(report, name, baseline.variant_for(v)).map(|b| metric.value(b));
                let x = gx + i as f64 * bar_w;
                let color = COLORS.iter().find(|c| c.0 == v).map_or("#000", |c| c.1);
                let Some(c) = cell(report, name, v) else { continue };
                match (metric.value(c), &base) {
                    (Ok(x_val), Some(Ok(b))) if x_val > 0.0 && *b > 0.0 => {
                        let h = (x_val / b).log10() * scale;
                        // A bar at the baseline gets a visible sliver.
                        let (y, hh) = if h >= 0.0 { (mid - h.max(2.0), h.max(2.0)) } else { (mid, -h) };
                        let _ = writeln!(
                            out,
                            r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{color}"><title>{name} {}: {} ({:.2}×)</title></rect>"#,
                            bar_w - 2.0,
                            hh,
                            v.name(),
                            metric.format(x_val),
                            x_val / b
                        );
                    }
                    (Err(outcome), _) => {
                        let _ = writeln!(
                            out,
                            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{color}" font-weight="bold">✗<title>{name} {}: {}</title></text>"#,
                            x + bar_w / 2.0 - 1.0,
                            mid - 4.0,
                            v.name(),
                            failure_text(&outcome)
                        );
                    }
                    _ => {}
                }
            }
        }
    }
    let _ = writeln!(out, "</svg>");
    out
}
