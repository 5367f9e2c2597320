//! `cargo xtask test`: the whole CI pipeline. Every step is timed; a failed step does not stop
//! the independent ones after it, so one run reports everything that is wrong.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::build::{self, SiteBuild};
use crate::check_counts;
use crate::config_check;
use crate::fake::InProcessAniList;
use crate::postgres::Cluster;
use crate::source_checks;
use crate::token_keys;
use crate::toolchain::{self, Needs, Toolchain};
use crate::util::{self, format_duration, info, interrupted, warn, Progress};
use crate::workspace::{self, Member};

/// Packages compiled for the server (`ssr`). Linted and tested together, never with
/// `--workspace`: feature unification would switch on `ssr` and `hydrate` at once. Names not
/// (yet) in the workspace are skipped, so planned crates can be listed ahead of time.
const SERVER_PACKAGES: &[&str] = &[
    "server",
    "app",
    "migration",
    "testkit",
    "xtask",
    "kernel",
    "identity",
    "watch_spaces",
    "anime_tracking",
    "analytics",
    "anilist_sync",
    "fake_anilist",
];

/// Packages compiled for the browser (wasm32, `hydrate`).
const BROWSER_PACKAGES: &[&str] = &["frontend"];

/// Server start-up includes applying migrations.
const READY_LIMIT: Duration = Duration::from_secs(60);
const E2E_DATABASE: &str = "bloomwatch_e2e";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub struct TestOptions {
    pub e2e: bool,
    pub lint: bool,
    /// Passed to `cargo test` after its `--`.
    pub test_args: Vec<String>,
}

pub fn test(options: &TestOptions) -> Result<()> {
    let root = workspace::root()?;
    let lint_steps = if options.lint { 3 } else { 0 };
    let e2e_steps = if options.e2e { 3 } else { 0 };
    let mut steps = Steps {
        progress: Progress::new(6 + lint_steps + e2e_steps),
        records: Vec::new(),
        notes: Vec::new(),
        started: Instant::now(),
    };

    let mut members = Vec::new();
    let checked = steps.run("Checking the workspace (Leptos.toml == Cargo.toml)", || {
        config_check::check(&root)?;
        warn_when_disk_is_short(&root);
        members = workspace::members(&root)?;
        for member in &members {
            if !SERVER_PACKAGES.contains(&member.name.as_str())
                && !BROWSER_PACKAGES.contains(&member.name.as_str())
            {
                warn(format!(
                    "package `{}` is in neither SERVER_PACKAGES nor BROWSER_PACKAGES (xtask/src/test.rs), so it is not linted or tested",
                    member.name
                ));
            }
        }
        Ok(())
    });
    let server_set = present(SERVER_PACKAGES, &members);
    let browser_set = present(BROWSER_PACKAGES, &members);

    let mut toolchain = None;
    if checked {
        steps.run("Setting up the toolchain", || {
            toolchain = Some(toolchain::setup(
                &root,
                &Needs {
                    site: options.e2e,
                    lint: options.lint,
                    chromium: options.e2e,
                    postgres: true,
                },
            )?);
            Ok(())
        });
    } else {
        steps.skip("Setting up the toolchain", "the workspace check failed");
    }
    let Some(toolchain) = toolchain else {
        return steps.finish();
    };

    if options.lint {
        steps.run("cargo fmt --all -- --check", || {
            util::run(
                toolchain
                    .command("cargo")
                    .current_dir(&root)
                    .args(["fmt", "--all", "--", "--check"]),
                "run `cargo fmt --all`",
            )
        });
        steps.run("clippy, server packages", || {
            let mut cmd = toolchain.command("cargo");
            cmd.current_dir(&root).arg("clippy");
            for package in &server_set {
                cmd.args(["-p", package]);
            }
            cmd.args(["--all-targets", "--", "-D", "warnings"]);
            util::run(&mut cmd, "fix the warnings above")
        });
        if browser_set.is_empty() {
            steps.skip("clippy, browser packages (wasm32)", "no browser packages");
        } else {
            steps.run("clippy, browser packages (wasm32)", || {
                let mut cmd = toolchain.command("cargo");
                cmd.current_dir(&root).arg("clippy");
                for package in &browser_set {
                    cmd.args(["-p", package]);
                }
                cmd.args(["--target", WASM_TARGET])
                    .args(toolchain.wasm_cargo_args())
                    .args(["--", "-D", "warnings"]);
                util::run(&mut cmd, "fix the warnings above")
            });
        }
    }

    steps.run("Checking that contexts only query their own schema", || {
        source_checks::check_context_schemas(&root, &members)
    });

    steps.run(
        "Checking that no server function changes state over GET",
        || source_checks::check_server_fn_encodings(&root),
    );

    let mut cluster = None;
    steps.run("Starting a throwaway PostgreSQL", || {
        cluster = Some(Cluster::throwaway()?);
        Ok(())
    });

    match &cluster {
        Some(cluster) => {
            let cargo_test = || {
                let mut cmd = toolchain.command("cargo");
                cmd.current_dir(&root)
                    .arg("test")
                    .env("TEST_DATABASE_URL", cluster.url("postgres"));
                for package in &server_set {
                    cmd.args(["-p", package]);
                }
                cmd
            };
            let tested = steps.run("cargo test", || {
                let mut cmd = cargo_test();
                // Every failing test binary reports, not only the first.
                cmd.arg("--no-fail-fast");
                if !options.test_args.is_empty() {
                    cmd.arg("--").args(&options.test_args);
                }
                util::run(&mut cmd, "fix the failing tests above")
            });
            // Counted over the whole suite only: a filtered run has no whole to count.
            if tested && options.test_args.is_empty() {
                let mut list = cargo_test();
                // The unit and integration tests (doctests are no checks of this kind).
                list.args(["--lib", "--bins", "--tests"]);
                match check_counts::count(list, &root) {
                    Ok(counts) => steps.note(format!(
                        "checks run and passed: {} abuse, {} fault, {} fuzz (fuzz_*, {} cases each; PROPTEST_CASES for more)",
                        counts.abuse,
                        counts.fault,
                        counts.fuzz,
                        std::env::var("PROPTEST_CASES").unwrap_or_else(|_| "256".to_owned())
                    )),
                    Err(error) => {
                        steps.run("Counting the abuse, fault and fuzz checks", || Err(error));
                    }
                }
            }
        }
        None => steps.skip("cargo test", "PostgreSQL did not start"),
    }

    if options.e2e {
        let built = steps.run(
            "Building the site (quick: the server as tested, the WASM without LTO)",
            || build::site(&root, &toolchain, SiteBuild::Quick),
        );
        match (&cluster, built) {
            (Some(cluster), true) => {
                steps.run("End-to-end tests (playwright)", || {
                    end_to_end(&root, &toolchain, cluster)
                });
            }
            (None, _) => steps.skip("End-to-end tests (playwright)", "PostgreSQL did not start"),
            (_, false) => steps.skip("End-to-end tests (playwright)", "the site did not build"),
        }
        const CRASH: &str = "Crash: kill -9 under writes, then PostgreSQL stopped at once";
        let mut crash_note = None;
        if built {
            steps.run(CRASH, || {
                let outcome = crate::crash::run(&root)?;
                crash_note = Some(format!(
                    "crash check: all {} writes acknowledged before kill -9 survived an immediate PostgreSQL stop ({} stored)",
                    outcome.acknowledged, outcome.found
                ));
                Ok(())
            });
        } else {
            steps.skip(CRASH, "the site did not build");
        }
        if let Some(note) = crash_note {
            steps.note(note);
        }
    }

    drop(cluster);
    steps.finish()
}

/// A cold run writes about 8 GiB (target dir, the throwaway cluster); running out half-way
/// fails in confusing places (a test database, the linker), so say it up front.
const DISK_NEEDED_GIB: u64 = 12;

fn warn_when_disk_is_short(root: &Path) {
    let Some(free_kib) = util::free_disk_kib(root) else {
        return;
    };
    let free_gib = free_kib / (1024 * 1024);
    if free_gib < DISK_NEEDED_GIB {
        warn(format!(
            "only {free_gib} GiB free on the disk of {}; a cold run needs about {DISK_NEEDED_GIB} GiB\n    fix: free some space (an old target/ or /tmp folders) before running",
            root.display()
        ));
    }
}

/// The names from `wanted` that are workspace packages, in `wanted`'s order.
fn present<'a>(wanted: &[&'a str], members: &[Member]) -> Vec<&'a str> {
    wanted
        .iter()
        .copied()
        .filter(|name| members.iter().any(|m| m.name == *name))
        .collect()
}

enum Status {
    Passed,
    Failed,
    Skipped(String),
}

struct Record {
    title: String,
    status: Status,
    took: Duration,
}

struct Steps {
    progress: Progress,
    records: Vec<Record>,
    /// Lines for the end of the summary.
    notes: Vec<String>,
    started: Instant,
}

impl Steps {
    /// Runs one step; returns whether it passed.
    fn run(&mut self, title: &str, step: impl FnOnce() -> Result<()>) -> bool {
        if interrupted() {
            self.skip(title, "interrupted");
            return false;
        }
        self.progress.step(title);
        let start = Instant::now();
        let result = step();
        let took = start.elapsed();
        let status = match result {
            Ok(()) => {
                info(format!("ok ({})", format_duration(took)));
                Status::Passed
            }
            Err(_) if interrupted() => Status::Skipped("interrupted".to_owned()),
            Err(e) => {
                eprintln!("    FAILED: {title}: {e:#}");
                Status::Failed
            }
        };
        let passed = matches!(status, Status::Passed);
        self.records.push(Record {
            title: title.to_owned(),
            status,
            took,
        });
        passed
    }

    fn skip(&mut self, title: &str, why: &str) {
        // After Ctrl-C every later step is skipped for that reason, whatever else failed.
        let why = if interrupted() { "interrupted" } else { why };
        self.progress.skip(title, why);
        self.records.push(Record {
            title: title.to_owned(),
            status: Status::Skipped(why.to_owned()),
            took: Duration::ZERO,
        });
    }

    /// A line for the end of the summary.
    fn note(&mut self, line: String) {
        self.notes.push(line);
    }

    /// Prints the summary table; fails when any step failed or the run was interrupted.
    fn finish(self) -> Result<()> {
        println!();
        println!("==> Summary");
        for record in &self.records {
            let (word, time) = match &record.status {
                Status::Passed => ("passed", format_duration(record.took)),
                Status::Failed => ("FAILED", format_duration(record.took)),
                Status::Skipped(_) => ("skipped", "-".to_owned()),
            };
            let note = match &record.status {
                Status::Skipped(why) => format!("  ({why})"),
                _ => String::new(),
            };
            println!("    {word:<8}{time:>9}  {}{note}", record.title);
        }
        println!("    total {}", format_duration(self.started.elapsed()));
        for note in &self.notes {
            println!("    {note}");
        }
        let failed = self
            .records
            .iter()
            .filter(|r| matches!(r.status, Status::Failed))
            .count();
        if interrupted() {
            bail!("interrupted");
        }
        if failed > 0 {
            bail!("{failed} step(s) failed");
        }
        Ok(())
    }
}

fn end_to_end(root: &Path, toolchain: &Toolchain, cluster: &Cluster) -> Result<()> {
    let e2e_dir = root.join("end2end");
    cluster.ensure_database(E2E_DATABASE)?;
    let addr = format!("127.0.0.1:{}", util::free_port()?);
    let log_dir = workspace::target_dir(root).join("tmp");
    fs::create_dir_all(&log_dir)?;
    let log = log_dir.join("e2e-server.log");
    info(format!("server on {addr}, log in {}", log.display()));
    let anilist = InProcessAniList::start()?;
    let mut env = vec![
        ("DATABASE_URL", cluster.url(E2E_DATABASE)),
        ("BLOOMWATCH_ADDR", addr.clone()),
        ("ANILIST_TIMEOUT_SECONDS", "2".to_owned()),
        // Every browser of the suite registers and searches from 127.0.0.1, far more than
        // one household would; the limits themselves are tested in the server's tests.
        ("BLOOMWATCH_REGISTRATIONS_PER_HOUR", "100000".to_owned()),
        (
            "ANILIST_REQUESTS_PER_MEMBER_PER_MINUTE",
            "100000".to_owned(),
        ),
        (token_keys::VARIABLE, token_keys::fresh()?),
    ];
    env.extend(anilist.server_env());
    let mut server = build::spawn_server(root, SiteBuild::Quick, &env, addr.clone(), Some(log))?;
    server.wait_ready(READY_LIMIT)?;
    npm_install(&e2e_dir, toolchain)?;
    let status = util::status(
        toolchain
            .command("npx")
            .current_dir(&e2e_dir)
            .args(["--no-install", "playwright", "test"])
            .env("BASE_URL", format!("http://{addr}"))
            .env("FAKE_ANILIST_URL", anilist.url()),
    )?;
    server.stop()?;
    anilist.stop();
    if !status.success() {
        bail!(
            "`npx playwright test` failed ({status}){}",
            server.log_tail()
        );
    }
    Ok(())
}

/// `npm ci` (or `npm install` without a lockfile), skipped when node_modules was installed
/// from exactly the current lockfile. The stamp is a copy of the lockfile we installed from.
pub(crate) fn npm_install(dir: &Path, toolchain: &Toolchain) -> Result<()> {
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules/.xtask-installed-lock");
    let installed_from =
        || workspace::read(&lock).or_else(|_| workspace::read(&dir.join("package.json")));
    if fs::read_to_string(&stamp).ok() == Some(installed_from()?) {
        info("end2end/node_modules is up to date");
        return Ok(());
    }
    let verb = if lock.is_file() { "ci" } else { "install" };
    util::run(
        toolchain
            .command("npm")
            .current_dir(dir)
            .args([verb, "--no-fund", "--no-audit"]),
        "check end2end/package.json and that npm can reach its registry",
    )?;
    fs::write(&stamp, installed_from()?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn only_existing_packages_are_selected() {
        let members = [Member {
            name: "server".to_owned(),
            dir: PathBuf::from("server"),
        }];
        assert_eq!(present(&["server", "analytics"], &members), ["server"]);
    }
}
