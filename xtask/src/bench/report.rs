//! What the benchmark prints at the end: the figures as tables, then each target with PASS or
//! FAIL. Missed targets are counted, never fatal.

use std::path::Path;
use std::time::Duration;

use crate::util::{format_duration, info, warn};

use super::bundle::{self, FileSize};
use super::import::Imported;
use super::lighthouse::{self, Audit};
use super::load::{self, Measured, Sample};

/// The dashboard's targets against `/readyz` (issue 5).
const DASHBOARD_MIN_RPS_SHARE: f64 = 0.40;
const DASHBOARD_MAX_P99_FACTOR: f64 = 5.0;

/// Everything one run measured.
pub struct Figures<'a> {
    pub rounds: usize,
    pub seeding_requests: usize,
    pub seeding_took: Duration,
    pub measured: &'a [Measured],
    pub sizes: &'a [FileSize],
    pub audits: &'a [Audit],
    pub imports: &'a [Imported],
    /// The whole run without the site build.
    pub took: Duration,
}

/// Prints the figures and the targets; answers how many targets were missed.
pub fn print(figures: &Figures<'_>) -> usize {
    println!();
    match figures.rounds {
        1 => println!("==> Results (one round)"),
        rounds => println!("==> Results (median of {rounds} rounds)"),
    }
    println!(
        "    seeding: {} requests in {}",
        figures.seeding_requests,
        format_duration(figures.seeding_took)
    );
    let readyz = median_of(figures.measured, |label| label == "GET /readyz");
    endpoint_table(figures.measured, readyz);
    println!();
    bundle_lines(figures.sizes);
    audit_table(figures.audits);

    println!();
    println!("==> Targets");
    let mut verdicts = Verdicts::default();
    endpoint_targets(&mut verdicts, figures.measured, readyz);
    bundle_target(&mut verdicts, figures.sizes);
    audit_targets(&mut verdicts, figures.audits);
    import_targets(&mut verdicts, figures.imports);
    println!(
        "    benchmark time without the build: {}",
        format_duration(figures.took)
    );
    verdicts.missed
}

/// The bundle's files with their three sizes, as the step that measures them shows them.
pub fn print_sizes(root: &Path, sizes: &[FileSize]) {
    info(format!(
        "{:<6} {:>12} {:>12} {:>12}  file",
        "", "raw", "gzip -9", "brotli 11"
    ));
    for size in sizes {
        let shown = size.path.strip_prefix(root).unwrap_or(&size.path);
        info(format!(
            "{:<6} {:>12} {:>12} {:>12}  {}",
            size.label,
            bundle::kilobytes(size.raw),
            bundle::kilobytes(size.gzip),
            bundle::kilobytes(size.brotli),
            shown.display()
        ));
    }
}

/// Prints one target's line and keeps count of the missed ones.
#[derive(Default)]
struct Verdicts {
    missed: usize,
}

impl Verdicts {
    fn check(&mut self, passed: bool, text: &str) {
        println!("    {} {text}", if passed { "PASS" } else { "FAIL" });
        if !passed {
            self.missed += 1;
        }
    }
}

fn median_of(measured: &[Measured], label: impl Fn(&str) -> bool) -> Option<Sample> {
    measured
        .iter()
        .find(|m| label(&m.label))
        .map(Measured::median)
}

fn endpoint_table(measured: &[Measured], readyz: Option<Sample>) {
    println!(
        "    {:<46} {:>9} {:>8} {:>8} {:>10} {:>10} {:>8}",
        "endpoint", "req/s", "p50 ms", "p99 ms", "rps÷readyz", "p99÷readyz", "non-2xx"
    );
    for m in measured {
        let median = m.median();
        let (rps_ratio, p99_ratio) = match readyz {
            Some(reference) => (
                format!("{:.2}", ratio(median.rps, reference.rps)),
                format!(
                    "{:.2}",
                    ratio(load::millis(median.p99), load::millis(reference.p99))
                ),
            ),
            None => ("-".to_owned(), "-".to_owned()),
        };
        println!(
            "    {:<46} {:>9.0} {:>8.2} {:>8.2} {:>10} {:>10} {:>8}",
            m.label,
            median.rps,
            load::millis(median.p50),
            load::millis(median.p99),
            rps_ratio,
            p99_ratio,
            m.errors
        );
    }
}

fn bundle_lines(sizes: &[FileSize]) {
    for size in sizes {
        println!(
            "    {:<5} {} raw, {} gzip -9, {} brotli",
            size.label,
            bundle::kilobytes(size.raw),
            bundle::kilobytes(size.gzip),
            bundle::kilobytes(size.brotli)
        );
    }
}

fn audit_table(audits: &[Audit]) {
    if audits.is_empty() {
        return;
    }
    println!();
    println!(
        "    {:<56} {:>11} {:>13} {:>9} {:>8} {:>6}",
        "Lighthouse (mobile)", "performance", "accessibility", "LCP ms", "TBT ms", "CLS"
    );
    for audit in audits {
        let score = |s: Option<u32>| s.map_or_else(|| "-".to_owned(), |s| s.to_string());
        let number = |n: Option<f64>, digits: usize| {
            n.map_or_else(|| "-".to_owned(), |n| format!("{n:.digits$}"))
        };
        println!(
            "    {:<56} {:>11} {:>13} {:>9} {:>8} {:>6}",
            format!("{} {}", audit.label, audit.path),
            score(audit.performance),
            score(audit.accessibility),
            number(audit.lcp_ms, 0),
            number(audit.tbt_ms, 0),
            number(audit.cls, 3)
        );
        if let Some(to) = &audit.redirected_to {
            warn(format!(
                "{} ended up at {to}: not the page meant (is the session cookie accepted?)",
                audit.path
            ));
        }
        if let Some(problem) = &audit.problem {
            warn(format!("{}: {problem}", audit.path));
        }
    }
}

fn endpoint_targets(verdicts: &mut Verdicts, measured: &[Measured], readyz: Option<Sample>) {
    let dashboard = median_of(measured, |label| label.ends_with("/dashboard"));
    let (Some(dashboard), Some(readyz)) = (dashboard, readyz) else {
        println!("    (the dashboard or /readyz was not measured)");
        return;
    };
    let share = ratio(dashboard.rps, readyz.rps);
    verdicts.check(
        share >= DASHBOARD_MIN_RPS_SHARE,
        &format!(
            "dashboard req/s ≥ {:.0}% of /readyz's: {:.0} vs {:.0} ({:.0}%)",
            DASHBOARD_MIN_RPS_SHARE * 100.0,
            dashboard.rps,
            readyz.rps,
            share * 100.0
        ),
    );
    let factor = ratio(load::millis(dashboard.p99), load::millis(readyz.p99));
    verdicts.check(
        factor < DASHBOARD_MAX_P99_FACTOR,
        &format!(
            "dashboard p99 < {DASHBOARD_MAX_P99_FACTOR:.0}× /readyz's: {:.2} ms vs {:.2} ms ({factor:.2}×)",
            load::millis(dashboard.p99),
            load::millis(readyz.p99)
        ),
    );
    if let Some(me) = median_of(measured, |label| label == "GET /api/me") {
        println!(
            "    (for comparison, not a target: dashboard req/s = {:.0}% of the authenticated one-query GET /api/me's)",
            ratio(dashboard.rps, me.rps) * 100.0
        );
    }
}

fn bundle_target(verdicts: &mut Verdicts, sizes: &[FileSize]) {
    if let Some(wasm) = sizes.iter().find(|s| s.label == "wasm") {
        verdicts.check(
            wasm.brotli <= bundle::WASM_BROTLI_BUDGET,
            &format!(
                "WASM ≤ {} brotli: {} ({} gzip -9)",
                bundle::kilobytes(bundle::WASM_BROTLI_BUDGET),
                bundle::kilobytes(wasm.brotli),
                bundle::kilobytes(wasm.gzip)
            ),
        );
    }
}

fn audit_targets(verdicts: &mut Verdicts, audits: &[Audit]) {
    for audit in audits {
        for (category, score) in [
            ("performance", audit.performance),
            ("accessibility", audit.accessibility),
        ] {
            let shown = score.map_or_else(|| "no score".to_owned(), |s| s.to_string());
            verdicts.check(
                score.is_some_and(|s| s >= lighthouse::SCORE_TARGET),
                &format!(
                    "Lighthouse {category} ≥ {} on {} ({}): {shown}",
                    lighthouse::SCORE_TARGET,
                    audit.path,
                    audit.label
                ),
            );
        }
    }
}

fn import_targets(verdicts: &mut Verdicts, imports: &[Imported]) {
    for imported in imports {
        verdicts.check(
            imported.calls <= imported.max_calls,
            &format!(
                "import of a 1,000-entry {}: {} ({} titles added, {} unmatched), {} AniList calls ({} {}; target ≤ {})",
                imported.label,
                format_duration(imported.took),
                imported.added,
                imported.unmatched,
                imported.calls,
                imported.operation_calls,
                imported.operation,
                imported.max_calls
            ),
        );
    }
}

fn ratio(value: f64, reference: f64) -> f64 {
    if reference > 0.0 {
        value / reference
    } else {
        0.0
    }
}
