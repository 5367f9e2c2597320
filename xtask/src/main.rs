//! BloomWatch's task runner: `cargo xtask run | test | bench | db`. See `cargo xtask help`.

mod api;
mod bench;
mod build;
mod check_counts;
mod compress;
mod config_check;
mod crash;
mod demo;
mod fake;
mod postgres;
mod run;
mod source_checks;
mod test;
mod token_keys;
mod toolchain;
mod util;
mod workspace;

use std::process::ExitCode;

use anyhow::{bail, Context, Result};

const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  run [--port N] [--demo] [--release]
                      Build the site and serve it with a project-local PostgreSQL. By default
                      the build is quick (the server unoptimised, the WASM without LTO: the
                      configuration the end-to-end tests run).
                      --release      build as shipped: the optimised server, the WASM with LTO
                      --port N       listen on 127.0.0.1:N (default: BLOOMWATCH_ADDR, else
                                     Leptos.toml's site-addr)
                      --demo         offline demo: a fake AniList, the database bloomwatch_demo,
                                     and two seeded users (Mika and Ren) sharing a space,
                                     Mika's AniList linked to the fake.
  test [--no-e2e] [--no-lint] [-- ARGS]
                      The CI pipeline: fmt, clippy, schema check, cargo test against a
                      throwaway PostgreSQL, the quick site build (as `run`), playwright. ARGS go to `cargo test`.
  bench [--seconds N] [--warmup N] [--rounds N] [--concurrency N] [--no-lighthouse]
                      Performance benchmark (prints figures; fails only on errors): builds and
                      serves the release site on a throwaway database with a fake AniList of
                      520 anime, seeds 4 members sharing 500 anime, ratings, progress and 3,000
                      sessions through the REST API, then measures req/s and p50/p99 of
                      /healthz, /readyz (the reference), the dashboard, the anime list and
                      progress writes (closed loop), the WASM/JS/CSS sizes (raw, gzip, brotli)
                      and Lighthouse scores of / and a space's page. Checks issue 5's targets.
                      Runs as an optimised xtask (cargo run --release -p xtask), compiled on
                      the first run: a debug load generator would measure itself.
                      --seconds N      measured seconds per endpoint and round (default 10)
                      --warmup N       warm-up seconds per endpoint, before round 1 (default 5)
                      --rounds N       interleaved rounds; the median is reported (default 3)
                      --concurrency N  requests in flight (default 16)
                      --no-lighthouse  skip the Lighthouse audits
  db                  Start the project-local PostgreSQL, print DATABASE_URL, wait for Ctrl-C.
  help                Show this text.

Environment:
  DATABASE_URL          run: use this database instead of the project-local cluster;
                        bench: create (and drop) its throwaway database on that server.
  BLOOMWATCH_ADDR       run: the server's listen address (overridden by --port).
  RUST_LOG              server log filter (default: info).
  BLOOMWATCH_WASM_MODE  rustup | debian: force how the wasm32 std is provided.
  CHROMIUM_PATH, CI     passed to playwright (see end2end/playwright.config.ts); bench: the
                        browser for Lighthouse (also CHROME_PATH; default /usr/bin/chromium).

Files: .bloomwatch/ holds the local cluster (postgres/, postgres.log, postgres.port) and the
key of linked AniList tokens (token-keys, when BLOOMWATCH_TOKEN_KEYS is unset);
target/tools/ holds the npm binaryen (wasm-opt) and the remembered wasm mode.";

#[derive(Debug, PartialEq, Eq)]
enum Cmd {
    Run(run::RunOptions),
    Test {
        e2e: bool,
        lint: bool,
        test_args: Vec<String>,
    },
    Bench(bench::BenchOptions),
    Db,
    Help,
}

fn parse(args: &[String]) -> Result<Cmd> {
    let Some((command, rest)) = args.split_first() else {
        return Ok(Cmd::Help);
    };
    match command.as_str() {
        "run" => {
            let (mut port, mut demo, mut release) = (None, false, false);
            let mut rest = rest.iter();
            while let Some(arg) = rest.next() {
                let value = match arg.as_str() {
                    "--release" => {
                        release = true;
                        continue;
                    }
                    "--demo" => {
                        demo = true;
                        continue;
                    }
                    "--port" => rest.next().context("--port needs a number")?.as_str(),
                    other => match other.strip_prefix("--port=") {
                        Some(value) => value,
                        None => bail!("unknown option for run: {other}"),
                    },
                };
                port = Some(
                    value
                        .parse()
                        .with_context(|| format!("--port {value}: not a port number"))?,
                );
            }
            Ok(Cmd::Run(run::RunOptions {
                port,
                demo,
                release,
            }))
        }
        "test" => {
            let (mut e2e, mut lint) = (true, true);
            let mut rest = rest.iter();
            for arg in rest.by_ref() {
                match arg.as_str() {
                    "--no-e2e" => e2e = false,
                    "--no-lint" => lint = false,
                    "--" => break,
                    other => bail!(
                        "unknown option for test: {other} (put cargo test arguments after --)"
                    ),
                }
            }
            Ok(Cmd::Test {
                e2e,
                lint,
                test_args: rest.cloned().collect(),
            })
        }
        "bench" => parse_bench(rest).map(Cmd::Bench),
        "db" if rest.is_empty() => Ok(Cmd::Db),
        "help" | "--help" | "-h" => Ok(Cmd::Help),
        other => bail!("unknown command: {other}"),
    }
}

fn parse_bench(rest: &[String]) -> Result<bench::BenchOptions> {
    let mut options = bench::BenchOptions::default();
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        if arg == "--no-lighthouse" {
            options.lighthouse = false;
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (arg.as_str(), None),
        };
        if !["--seconds", "--warmup", "--rounds", "--concurrency"].contains(&name) {
            bail!("unknown option for bench: {arg}");
        }
        let value = match inline {
            Some(value) => value,
            None => rest
                .next()
                .with_context(|| format!("{name} needs a number"))?
                .as_str(),
        };
        let number: u64 = value
            .parse()
            .with_context(|| format!("{name} {value}: not a whole number"))?;
        let count = || -> Result<usize> {
            if number == 0 {
                bail!("{name} must be at least 1");
            }
            Ok(usize::try_from(number)?)
        };
        match name {
            "--seconds" => options.seconds = u64::try_from(count()?)?,
            "--warmup" => options.warmup = number,
            "--rounds" => options.rounds = count()?,
            _ => options.concurrency = count()?,
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cmd = match parse(&args) {
        Ok(cmd) => cmd,
        Err(e) => {
            eprintln!("error: {e:#}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = util::install_signal_handlers() {
        eprintln!("error: {e:#}");
        return ExitCode::FAILURE;
    }
    let result = match cmd {
        Cmd::Run(options) => run::run(&options),
        Cmd::Test {
            e2e,
            lint,
            test_args,
        } => test::test(&test::TestOptions {
            e2e,
            lint,
            test_args,
        }),
        Cmd::Bench(options) => bench::bench(&options),
        Cmd::Db => run::db(),
        Cmd::Help => {
            println!("{USAGE}");
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) if util::interrupted() => {
            eprintln!("interrupted");
            ExitCode::from(130)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_run() {
        assert_eq!(
            parse(&args("run")).unwrap(),
            Cmd::Run(run::RunOptions {
                port: None,
                demo: false,
                release: false,
            })
        );
        assert_eq!(
            parse(&args("run --release --port 8080")).unwrap(),
            Cmd::Run(run::RunOptions {
                port: Some(8080),
                demo: false,
                release: true,
            })
        );
        assert_eq!(
            parse(&args("run --port=9000 --demo")).unwrap(),
            Cmd::Run(run::RunOptions {
                port: Some(9000),
                demo: true,
                release: false,
            })
        );
        assert!(parse(&args("run --port")).is_err());
        assert!(parse(&args("run --port x")).is_err());
        assert!(parse(&args("run --demos")).is_err());
    }

    #[test]
    fn parses_test() {
        assert_eq!(
            parse(&args("test --no-e2e -- --nocapture identity")).unwrap(),
            Cmd::Test {
                e2e: false,
                lint: true,
                test_args: args("--nocapture identity"),
            }
        );
        assert_eq!(
            parse(&args("test --no-lint")).unwrap(),
            Cmd::Test {
                e2e: true,
                lint: false,
                test_args: vec![],
            }
        );
        assert!(parse(&args("test --nocapture")).is_err());
    }

    #[test]
    fn parses_bench() {
        assert_eq!(
            parse(&args("bench")).unwrap(),
            Cmd::Bench(bench::BenchOptions {
                seconds: 10,
                warmup: 5,
                rounds: 3,
                concurrency: 16,
                lighthouse: true,
            })
        );
        assert_eq!(
            parse(&args(
                "bench --seconds 3 --warmup=0 --rounds 1 --concurrency=8 --no-lighthouse"
            ))
            .unwrap(),
            Cmd::Bench(bench::BenchOptions {
                seconds: 3,
                warmup: 0,
                rounds: 1,
                concurrency: 8,
                lighthouse: false,
            })
        );
        assert!(parse(&args("bench --seconds")).is_err());
        assert!(parse(&args("bench --seconds ten")).is_err());
        assert!(parse(&args("bench --seconds 0")).is_err());
        assert!(parse(&args("bench --rounds=0")).is_err());
        assert!(parse(&args("bench --concurrency -4")).is_err());
        assert!(parse(&args("bench --lighthouse")).is_err());
        assert!(parse(&args("bench --no-lighthouse=1")).is_err());
        let options = bench::BenchOptions {
            seconds: 2,
            warmup: 1,
            rounds: 5,
            concurrency: 4,
            lighthouse: false,
        };
        assert_eq!(
            parse(&options.to_args()).unwrap(),
            Cmd::Bench(options.clone())
        );
    }

    #[test]
    fn parses_the_rest() {
        assert_eq!(parse(&[]).unwrap(), Cmd::Help);
        assert_eq!(parse(&args("db")).unwrap(), Cmd::Db);
        assert!(parse(&args("deploy")).is_err());
    }
}
