//! `cargo xtask bench`: issue 5's performance benchmark. Builds and serves the release site on a
//! throwaway database against the in-process fake AniList, seeds a busy space through the REST
//! API, then prints figures: requests per second and latency of the hot endpoints next to the
//! trivial `/readyz`, the WASM bundle's size, Lighthouse scores, and the time and AniList calls
//! of importing a 1,000-entry list (from AniList, and as a MyAnimeList file). Missed targets are
//! reported, not fatal; errors (a failed request, a non-2xx answer) fail the command.

mod bundle;
mod import;
mod lighthouse;
mod load;
mod report;
mod seed;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use reqwest::Client;
use time::OffsetDateTime;

use crate::api::{Anime, Api};
use crate::build::{self, SiteBuild};
use crate::fake::InProcessAniList;
use crate::postgres::{Cluster, ThrowawayDatabase};
use crate::toolchain::Toolchain;
use crate::util::{self, format_duration, info, warn, Progress};
use crate::workspace;

use load::{Endpoint, Measured, Request, Settings};

/// Server start-up includes applying migrations.
const READY_LIMIT: Duration = Duration::from_secs(60);
/// The fake's AniList rate limit, and the budget the server starts with: the most the
/// server's limiter believes (1,000 a minute), so adding 500 anime takes seconds.
const ANILIST_PER_MINUTE: u32 = 1_000;
/// Fixed seeds: every run measures the same data.
const MEDIA_SEED: u64 = 0x00B1_005E;
const PLAN_SEED: u64 = 0x5EED_2026;
/// Set for the optimised xtask that `bench` hands over to.
const OPTIMISED: &str = "XTASK_BENCH_OPTIMISED";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchOptions {
    /// Measured seconds per endpoint and round.
    pub seconds: u64,
    /// Warm-up seconds per endpoint, once before the first round.
    pub warmup: u64,
    pub rounds: usize,
    /// Requests in flight, for the load and for seeding.
    pub concurrency: usize,
    pub lighthouse: bool,
}

impl Default for BenchOptions {
    fn default() -> Self {
        Self {
            seconds: 10,
            warmup: 5,
            rounds: 3,
            concurrency: 16,
            lighthouse: true,
        }
    }
}

impl BenchOptions {
    /// The command line that gives these options (after `cargo xtask`).
    pub fn to_args(&self) -> Vec<String> {
        let mut args = vec!["bench".to_owned()];
        for (flag, value) in [
            ("--seconds", self.seconds.to_string()),
            ("--warmup", self.warmup.to_string()),
            ("--rounds", self.rounds.to_string()),
            ("--concurrency", self.concurrency.to_string()),
        ] {
            args.extend([flag.to_owned(), value]);
        }
        if !self.lighthouse {
            args.push("--no-lighthouse".to_owned());
        }
        args
    }
}

pub fn bench(options: &BenchOptions) -> Result<()> {
    let root = workspace::root()?;
    // `cargo xtask` is a debug build, and an unoptimised load generator burns more CPU than
    // the server it measures (a third of /healthz's req/s on 2 cores): run an optimised xtask.
    if cfg!(debug_assertions) && std::env::var_os(OPTIMISED).is_none() {
        return run_optimised(&root, options);
    }
    let external_db = std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty());
    let mut progress = Progress::new(11);

    let (site, toolchain) = build::prepare(&root, &mut progress, external_db.is_none())?;
    progress.step("Building the site (as shipped: cargo leptos build --release)");
    build::site(&root, &toolchain, SiteBuild::Shipped)?;
    let started = Instant::now();

    progress.step("Measuring the bundle");
    let sizes = measure_bundle(&root, &site)?;

    progress.step("Starting PostgreSQL and a throwaway database");
    // Declared before the fake and the server, so they are dropped (stopped) last.
    let (_cluster, database) = throwaway_database(&root, external_db)?;

    progress.step("Starting the fake AniList");
    let (fake, episode_counts) = generated_catalog()?;

    progress.step("Starting the server");
    let addr = format!("127.0.0.1:{}", util::free_port()?);
    let mut server = start_server(&root, &addr, &database, &fake)?;
    let load = Load::new(options, &addr)?;

    progress.step("Seeding through the REST API");
    let seeded = load
        .seed(&episode_counts)
        .with_context(|| format!("seeding failed{}", server.log_tail()))?;

    progress.step("Measuring the endpoints");
    let measured = load
        .measure_endpoints(&seeded)
        .with_context(|| format!("the load failed{}", server.log_tail()))?;

    let audits = if options.lighthouse {
        progress.step("Lighthouse (mobile): performance and accessibility");
        load.audit_pages(&root, &toolchain, &seeded)
    } else {
        progress.skip("Lighthouse", "--no-lighthouse");
        Vec::new()
    };

    progress.step("Importing a 1,000-entry list (from AniList, then as a MyAnimeList file)");
    let imports = load
        .runtime
        .block_on(import::measure(&load.api, &load.client, &addr, &fake))
        .with_context(|| format!("the import failed{}", server.log_tail()))?;

    server.stop()?;
    fake.stop();
    drop(database);

    let missed = report::print(&report::Figures {
        rounds: load.settings.rounds,
        seeding_requests: seeded.requests,
        seeding_took: seeded.took,
        measured: &measured,
        sizes: &sizes,
        audits: &audits,
        imports: &imports,
        took: started.elapsed(),
    });
    fail_on_errors(&measured)?;
    if missed > 0 {
        info(format!(
            "{missed} target(s) missed (reported only; the command fails only on errors)"
        ));
    }
    Ok(())
}

/// The WASM, JS and CSS the site build wrote, measured and listed.
fn measure_bundle(root: &Path, site: &toml::Table) -> Result<Vec<bundle::FileSize>> {
    let setting = |key: &str, default: &str| {
        site.get(key)
            .and_then(|value| value.as_str())
            .unwrap_or(default)
            .to_owned()
    };
    let pkg_dir = root
        .join(setting("site-root", "target/site"))
        .join(setting("site-pkg-dir", "pkg"));
    let sizes = bundle::measure(&pkg_dir, &setting("output-name", "bloomwatch"))?;
    report::print_sizes(root, &sizes);
    Ok(sizes)
}

/// A database of the benchmark's own (dropped with it) on the project-local cluster, or on
/// the server of `external_db`. The cluster is returned to be stopped after the database.
fn throwaway_database(
    root: &Path,
    external_db: Option<String>,
) -> Result<(Option<Cluster>, ThrowawayDatabase)> {
    let (cluster, admin_url) = match external_db {
        Some(url) => {
            info("using the server of DATABASE_URL from the environment");
            (None, url)
        }
        None => {
            let cluster = Cluster::project_local(root)?;
            let url = cluster.url("postgres");
            (Some(cluster), url)
        }
    };
    let database = ThrowawayDatabase::create(
        &admin_url,
        &format!("bloomwatch_bench_{}", std::process::id()),
    )?;
    Ok((cluster, database))
}

/// The fake AniList with the generated catalog, and each show's episode count in order.
fn generated_catalog() -> Result<(InProcessAniList, Vec<i32>)> {
    let fake = InProcessAniList::start()?;
    fake.set_rate_limit(ANILIST_PER_MINUTE);
    let mut rng = seed::Rng::new(MEDIA_SEED);
    let mut episode_counts = Vec::with_capacity(seed::MEDIA);
    for index in 0..seed::MEDIA {
        let media = seed::media(index, &fake.url(), &mut rng);
        let episodes = media["episodes"].as_i64().unwrap_or(1);
        episode_counts.push(i32::try_from(episodes).unwrap_or(1));
        fake.insert_media(media);
    }
    info(format!(
        "{} generated anime added to the catalog, at {}",
        seed::MEDIA,
        fake.url()
    ));
    Ok((fake, episode_counts))
}

/// The shipped server on `database` and the fake, logging to target/tmp/bench-server.log.
fn start_server(
    root: &Path,
    addr: &str,
    database: &ThrowawayDatabase,
    fake: &InProcessAniList,
) -> Result<build::Server> {
    let log_dir = workspace::target_dir(root).join("tmp");
    std::fs::create_dir_all(&log_dir)?;
    let log = log_dir.join("bench-server.log");
    info(format!("server on {addr}, log in {}", log.display()));
    let mut server = build::spawn_server(
        root,
        SiteBuild::Shipped,
        &[
            ("DATABASE_URL", database.url().to_owned()),
            ("BLOOMWATCH_ADDR", addr.to_owned()),
            ("ANILIST_API_URL", fake.url()),
            // The seeding adds 500 titles by id for one member: a load generator, not a person.
            (
                "ANILIST_REQUESTS_PER_MEMBER_PER_MINUTE",
                "100000".to_owned(),
            ),
            (
                "ANILIST_REQUESTS_PER_MINUTE",
                ANILIST_PER_MINUTE.to_string(),
            ),
        ],
        addr.to_owned(),
        Some(log),
    )?;
    server.wait_ready(READY_LIMIT)?;
    Ok(server)
}

/// What drives the running server: the load generator's runtime and HTTP client, the API
/// client on top, and the load's settings.
struct Load {
    runtime: tokio::runtime::Runtime,
    client: Client,
    api: Arc<Api>,
    addr: String,
    concurrency: usize,
    settings: Settings,
}

impl Load {
    fn new(options: &BenchOptions, addr: &str) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("starting a tokio runtime for the load")?;
        let client = Client::builder()
            .pool_max_idle_per_host(options.concurrency.max(1) * 2)
            .timeout(Duration::from_secs(30))
            .build()
            .context("building an HTTP client")?;
        let api = Arc::new(Api::new(client.clone(), addr));
        Ok(Self {
            runtime,
            client,
            api,
            addr: addr.to_owned(),
            concurrency: options.concurrency,
            settings: Settings {
                concurrency: options.concurrency.max(1),
                warmup: Duration::from_secs(options.warmup),
                measured: Duration::from_secs(options.seconds.max(1)),
                rounds: options.rounds.max(1),
            },
        })
    }

    /// The busy space: members, anime, progress, ratings and sessions, through the REST API.
    fn seed(&self, episode_counts: &[i32]) -> Result<seed::Seeded> {
        let plans = seed::plan(episode_counts, OffsetDateTime::now_utc(), PLAN_SEED)?;
        let seeded =
            self.runtime
                .block_on(seed::seed(Arc::clone(&self.api), plans, self.concurrency))?;
        #[expect(clippy::cast_precision_loss)]
        let seed_rate = seeded.requests as f64 / seeded.took.as_secs_f64().max(f64::EPSILON);
        info(format!(
            "{} members, {} anime, {} progress entries, {} ratings, {} sessions: {} requests in {} ({seed_rate:.0} req/s, {} in flight)",
            seeded.members.len(),
            seed::ANIME,
            seeded.progress,
            seeded.ratings,
            seeded.sessions,
            seeded.requests,
            format_duration(seeded.took),
            self.concurrency
        ));
        Ok(seeded)
    }

    fn measure_endpoints(&self, seeded: &seed::Seeded) -> Result<Vec<Measured>> {
        let settings = self.settings;
        info(format!(
            "{} connections, closed loop; {}s warm-up per endpoint, then {} round(s) of {}s each",
            settings.concurrency,
            settings.warmup.as_secs(),
            settings.rounds,
            settings.measured.as_secs()
        ));
        let endpoints = self.runtime.block_on(endpoints(
            &self.api,
            &self.addr,
            seeded,
            settings.concurrency,
        ))?;
        self.runtime
            .block_on(load::measure(&self.client, &endpoints, settings, |line| {
                info(line);
            }))
    }

    /// Lighthouse on the landing page and, signed in as the first member, the space's page.
    fn audit_pages(
        &self,
        root: &Path,
        toolchain: &Toolchain,
        seeded: &seed::Seeded,
    ) -> Vec<lighthouse::Audit> {
        match self.runtime.block_on(lighthouse::session_cookie(
            &self.addr,
            &seeded.emails[0],
            seeded.password,
        )) {
            Ok(cookie) => run_lighthouse(root, toolchain, &self.addr, &seeded.space_id, &cookie),
            Err(e) => {
                warn(format!("skipping Lighthouse: no browser session: {e:#}"));
                Vec::new()
            }
        }
    }
}

/// Fails the benchmark when a request failed: figures of a server that answers errors mean nothing.
fn fail_on_errors(measured: &[Measured]) -> Result<()> {
    let lines: Vec<String> = measured
        .iter()
        .filter(|m| m.errors > 0)
        .map(|m| {
            format!(
                "{}: {} of {} requests failed, first: {}",
                m.label,
                m.errors,
                m.requests,
                m.first_error.as_deref().unwrap_or("?")
            )
        })
        .collect();
    if lines.is_empty() {
        return Ok(());
    }
    bail!("requests failed:\n    {}", lines.join("\n    "))
}

/// `cargo run --release -p xtask -- bench ...`: compiled once (a few minutes the first time).
fn run_optimised(root: &Path, options: &BenchOptions) -> Result<()> {
    info("handing over to an optimised xtask (cargo run --release -p xtask; slow only the first time)");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.current_dir(root)
        .args(["run", "--release", "--package", "xtask", "--"])
        .args(options.to_args())
        .env(OPTIMISED, "1");
    let status = util::status(&mut cmd)?;
    if util::interrupted() {
        bail!("interrupted");
    }
    if !status.success() {
        bail!("the benchmark failed ({status}; its error is above)");
    }
    Ok(())
}

/// The measured endpoints, in table order; `/readyz` is the reference.
async fn endpoints(
    api: &Api,
    addr: &str,
    seeded: &seed::Seeded,
    workers: usize,
) -> Result<Vec<Endpoint>> {
    let base = format!("http://{addr}");
    let member = &seeded.members[0];
    let space = &seeded.space_id;
    let anime: Vec<Anime> = api
        .all_pages(&member.token, &format!("/watch-spaces/{space}/anime"))
        .await?;
    if anime.len() != seed::ANIME {
        bail!(
            "the space lists {} anime, not the {} seeded",
            anime.len(),
            seed::ANIME
        );
    }
    let writes = load::Writes::new(&base, space, &anime, &seeded.members, workers)?;
    let get = |label: &str, path: &str, token: bool| Endpoint {
        label: label.to_owned(),
        request: Request::Get {
            url: format!("{base}{path}"),
            token: token.then(|| member.token.clone()),
        },
    };
    Ok(vec![
        get("GET /healthz", "/healthz", false),
        get("GET /readyz", "/readyz", false),
        // One query too, but through the API's bearer-token authentication: what any
        // authenticated endpoint pays before its own work.
        get("GET /api/me", "/api/me", true),
        get(
            "GET /api/watch-spaces/{id}/dashboard",
            &format!("/api/watch-spaces/{space}/dashboard"),
            true,
        ),
        get(
            "GET /api/watch-spaces/{id}/anime (a page of 50)",
            &format!("/api/watch-spaces/{space}/anime"),
            true,
        ),
        Endpoint {
            label: "PATCH …/anime/{animeId}/participant-progress".to_owned(),
            request: Request::Progress(Arc::new(writes)),
        },
    ])
}

fn run_lighthouse(
    root: &Path,
    toolchain: &Toolchain,
    addr: &str,
    space_id: &str,
    cookie: &str,
) -> Vec<lighthouse::Audit> {
    let chromium = match lighthouse::chromium() {
        Ok(path) => path,
        Err(e) => {
            warn(format!("skipping Lighthouse: {e:#}"));
            return Vec::new();
        }
    };
    if let Err(e) = lighthouse::install(root, toolchain) {
        warn(format!("skipping Lighthouse: {e:#}"));
        return Vec::new();
    }
    let pages = [
        lighthouse::Page {
            label: "landing",
            path: "/".to_owned(),
            cookie: None,
        },
        lighthouse::Page {
            label: "dashboard",
            path: format!("/spaces/{space_id}"),
            cookie: Some(cookie.to_owned()),
        },
    ];
    let mut audits = Vec::new();
    for page in &pages {
        if util::interrupted() {
            break;
        }
        match lighthouse::audit(root, toolchain, &chromium, addr, page) {
            Ok(audit) => audits.push(audit),
            Err(e) => warn(format!("Lighthouse on {} failed: {e:#}", page.path)),
        }
    }
    audits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_survive_the_hand_over() {
        let options = BenchOptions {
            seconds: 4,
            warmup: 0,
            rounds: 2,
            concurrency: 8,
            lighthouse: false,
        };
        assert_eq!(
            options.to_args().join(" "),
            "bench --seconds 4 --warmup 0 --rounds 2 --concurrency 8 --no-lighthouse"
        );
        assert_eq!(
            BenchOptions::default().to_args().join(" "),
            "bench --seconds 10 --warmup 5 --rounds 3 --concurrency 16"
        );
    }
}
