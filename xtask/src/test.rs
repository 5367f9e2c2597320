//! `cargo xtask test`: the whole CI pipeline. Every step is timed; a failed step does not stop
//! the independent ones after it, so one run reports everything that is wrong.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::build::{self, ServerBuild};
use crate::config_check;
use crate::demo::InProcessAniList;
use crate::postgres::Cluster;
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

/// The PostgreSQL schema of each bounded context. A context's SQL may only name its own schema.
const CONTEXT_SCHEMAS: &[&str] = &[
    "identity",
    "watch_spaces",
    "anime_tracking",
    "analytics",
    "anilist_sync",
];

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
    let e2e_steps = if options.e2e { 2 } else { 0 };
    let mut steps = Steps {
        progress: Progress::new(6 + lint_steps + e2e_steps),
        records: Vec::new(),
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
        check_context_schemas(&root, &members)
    });

    steps.run(
        "Checking that no server function changes state over GET",
        || check_server_fn_encodings(&root),
    );

    let mut cluster = None;
    steps.run("Starting a throwaway PostgreSQL", || {
        cluster = Some(Cluster::throwaway()?);
        Ok(())
    });

    match &cluster {
        Some(cluster) => {
            steps.run("cargo test", || {
                let mut cmd = toolchain.command("cargo");
                cmd.current_dir(&root)
                    .arg("test")
                    .env("TEST_DATABASE_URL", cluster.url("postgres"));
                for package in &server_set {
                    cmd.args(["-p", package]);
                }
                if !options.test_args.is_empty() {
                    cmd.arg("--").args(&options.test_args);
                }
                util::run(&mut cmd, "fix the failing tests above")
            });
        }
        None => steps.skip("cargo test", "PostgreSQL did not start"),
    }

    if options.e2e {
        let built = steps.run(
            "Building the site (the WASM as shipped, the server as tested)",
            || build::site(&root, &toolchain, ServerBuild::Debug),
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
        (token_keys::VARIABLE, token_keys::fresh()?),
    ];
    env.extend(anilist.server_env());
    let mut server = build::spawn_server(root, ServerBuild::Debug, &env, addr.clone(), Some(log))?;
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

fn check_context_schemas(root: &Path, members: &[Member]) -> Result<()> {
    let mut problems = Vec::new();
    let mut files = 0;
    for member in members.iter().filter(|m| m.dir.starts_with("contexts")) {
        for file in rust_files(&root.join(&member.dir))? {
            files += 1;
            let source = workspace::read(&file)?;
            for (line, mention) in foreign_schema_mentions(&source, &member.name) {
                let shown = file
                    .strip_prefix(root)
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                problems.push(format!(
                    "{shown}:{line}: `{mention}` is another context's table; use that context's public API instead"
                ));
            }
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n    "));
    }
    info(format!("{files} Rust files checked"));
    Ok(())
}

/// Leptos server functions have no CSRF protection of their own; a GET encoding would let any
/// site trigger one with a link, so every server function must keep a POST encoding.
fn check_server_fn_encodings(root: &Path) -> Result<()> {
    let mut problems = Vec::new();
    for file in rust_files(&root.join("app/src"))? {
        let source = workspace::read(&file)?;
        for line in get_encoded_server_fns(&source) {
            let shown = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .display()
                .to_string();
            problems.push(format!("{shown}:{line}: a server function with a GET encoding; use the default POST encoding"));
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n    "));
    }
    Ok(())
}

/// Lines (1-based) of `#[server(...)]` attributes that choose a GET input encoding.
fn get_encoded_server_fns(source: &str) -> Vec<usize> {
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim_start();
            line.starts_with("#[server")
                && (line.contains("GetUrl") || line.contains("GetCbor") || line.contains("Get>"))
        })
        .map(|(index, _)| index + 1)
        .collect()
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                found.extend(rust_files(&path)?);
            }
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// `schema.table` mentions of other contexts' schemas inside string literals (where SQL lives),
/// as (line, mention). Comments and ordinary code such as `identity.id` are not looked at.
fn foreign_schema_mentions(source: &str, own_schema: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (start_line, text) in string_literals(source) {
        for schema in CONTEXT_SCHEMAS.iter().filter(|s| **s != own_schema) {
            for (offset, _) in text.match_indices(schema) {
                let boundary = !text[..offset].chars().next_back().is_some_and(is_ident);
                let Some(rest) = text[offset + schema.len()..].strip_prefix('.') else {
                    continue;
                };
                let table: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if boundary && !table.is_empty() {
                    let line = start_line + text[..offset].matches('\n').count();
                    found.push((line, format!("{schema}.{table}")));
                }
            }
        }
    }
    found.sort();
    found
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The contents of the string literals in Rust source, each with the line it starts on.
/// A small lexer: it knows comments, char literals vs lifetimes, escapes and raw strings.
fn string_literals(source: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = source.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let mut found = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while let Some(c) = at(i) {
        match (c, at(i + 1)) {
            ('\n', _) => {
                line += 1;
                i += 1;
            }
            ('/', Some('/')) => {
                while at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                let mut depth = 0;
                while let Some(c) = at(i) {
                    match (c, at(i + 1)) {
                        ('/', Some('*')) => {
                            depth += 1;
                            i += 2;
                        }
                        ('*', Some('/')) => {
                            depth -= 1;
                            i += 2;
                            if depth == 0 {
                                break;
                            }
                        }
                        ('\n', _) => {
                            line += 1;
                            i += 1;
                        }
                        _ => i += 1,
                    }
                }
            }
            ('\'', Some('\\')) => {
                // An escaped char literal such as '\'' or '\u{1F600}'.
                i += 3;
                while at(i).is_some_and(|c| c != '\'') {
                    i += 1;
                }
                i += 1;
            }
            ('\'', _) if at(i + 2) == Some('\'') => i += 3,
            ('"', _) => {
                let hashes = raw_string_hashes(&chars, i);
                let start_line = line;
                let mut text = String::new();
                i += 1;
                while let Some(c) = at(i) {
                    if c == '"' {
                        if let Some(hashes) = hashes {
                            if (1..=hashes).all(|k| at(i + k) == Some('#')) {
                                i += 1 + hashes;
                                break;
                            }
                        } else {
                            i += 1;
                            break;
                        }
                    }
                    if c == '\\' && hashes.is_none() {
                        let escaped = at(i + 1).unwrap_or(' ');
                        // Escaped whitespace becomes a space, so line numbers stay those of the source.
                        text.push(match escaped {
                            'n' | 'r' | 't' => ' ',
                            other => other,
                        });
                        if escaped == '\n' {
                            line += 1;
                        }
                        i += 2;
                        continue;
                    }
                    if c == '\n' {
                        line += 1;
                    }
                    text.push(c);
                    i += 1;
                }
                found.push((start_line, text));
            }
            _ => i += 1,
        }
    }
    found
}

/// For a `"` at `quote`: Some(number of `#`) when it opens a raw string (r"", r#""#, br"", cr"").
fn raw_string_hashes(chars: &[char], quote: usize) -> Option<usize> {
    let mut start = quote;
    while start > 0 && chars[start - 1] == '#' {
        start -= 1;
    }
    let hashes = quote - start;
    if start == 0 || chars[start - 1] != 'r' {
        return None;
    }
    let before_r = start.checked_sub(2).map(|k| chars[k]);
    let prefix_ok = match before_r {
        None => true,
        Some('b' | 'c') => start
            .checked_sub(3)
            .map(|k| chars[k])
            .is_none_or(|c| !is_ident(c)),
        Some(c) => !is_ident(c),
    };
    prefix_ok.then_some(hashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_functions_with_get_encodings_are_found() {
        let source = "#[server]\nasync fn a() {}\n#[server(input = GetUrl)]\nasync fn b() {}\n#[server(endpoint = \"x\", input = server_fn::codec::GetCbor)]\nasync fn c() {}\n";
        assert_eq!(get_encoded_server_fns(source), [3, 5]);
    }

    #[test]
    fn finds_another_contexts_table_in_sql() {
        let source =
            "fn q() -> &'static str {\n    \"SELECT * FROM identity.users WHERE id = $1\"\n}\n";
        assert_eq!(
            foreign_schema_mentions(source, "watch_spaces"),
            [(2, "identity.users".to_owned())]
        );
    }

    #[test]
    fn own_schema_is_fine() {
        let source = r#"const Q: &str = "SELECT * FROM watch_spaces.spaces";"#;
        assert!(foreign_schema_mentions(source, "watch_spaces").is_empty());
    }

    #[test]
    fn comments_and_code_are_ignored() {
        let source = "// FROM identity.users\n/* identity.sessions */\nlet x = identity.user_id;\n";
        assert!(foreign_schema_mentions(source, "watch_spaces").is_empty());
    }

    #[test]
    fn raw_multiline_strings_report_the_right_line() {
        let source = "let a = '\"';\nlet q = r#\"\n  SELECT *\n  FROM analytics.events\n\"#;\n";
        assert_eq!(
            foreign_schema_mentions(source, "identity"),
            [(4, "analytics.events".to_owned())]
        );
    }

    #[test]
    fn needs_a_word_boundary_and_a_table() {
        let source =
            r#"let a = "myidentity.users"; let b = "identity."; let c = "identity.Users";"#;
        assert!(foreign_schema_mentions(source, "watch_spaces").is_empty());
    }

    #[test]
    fn lifetimes_and_escapes_do_not_confuse_the_lexer() {
        let source = "fn f<'a>(x: &'a str) -> char { '\\'' }\nconst Q: &str = \"a \\\" b\\nFROM identity.tokens\";\n";
        assert_eq!(
            foreign_schema_mentions(source, "kernel"),
            [(2, "identity.tokens".to_owned())]
        );
    }

    #[test]
    fn only_existing_packages_are_selected() {
        let members = [Member {
            name: "server".to_owned(),
            dir: PathBuf::from("server"),
        }];
        assert_eq!(present(&["server", "analytics"], &members), ["server"]);
    }
}
