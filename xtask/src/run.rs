//! `cargo xtask run` (build and serve the app) and `cargo xtask db` (just the local database).

use std::thread::sleep;
use std::time::Duration;

use anyhow::Result;

use crate::build::{self, SiteBuild};
use crate::config_check;
use crate::demo;
use crate::fake::InProcessAniList;
use crate::postgres::{Cluster, LOCAL_DATABASE};
use crate::token_keys;
use crate::toolchain::{self, Needs};
use crate::util::{info, interrupted, Progress};
use crate::workspace;

/// Server start-up includes applying migrations.
const READY_LIMIT: Duration = Duration::from_secs(60);

#[derive(Debug, PartialEq, Eq)]
pub struct RunOptions {
    pub port: Option<u16>,
    /// Serve against an in-process fake AniList and seed demo users and a demo space.
    pub demo: bool,
    /// Build as shipped (`--release`) instead of quick to build.
    pub release: bool,
}

pub fn run(options: &RunOptions) -> Result<()> {
    let root = workspace::root()?;
    let external_db = std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty());
    let mut progress = Progress::new(if options.demo { 7 } else { 5 });

    let (site, toolchain) = build::prepare(&root, &mut progress, external_db.is_none())?;

    progress.step("Starting PostgreSQL");
    // Declared before the server so it is dropped (stopped) after the server.
    let (cluster, database_url) = match external_db {
        Some(url) => {
            info("using DATABASE_URL from the environment");
            (None, url)
        }
        None => {
            let cluster = Cluster::project_local(&root)?;
            let database = if options.demo {
                cluster.ensure_database(demo::DEMO_DATABASE)?;
                demo::DEMO_DATABASE
            } else {
                LOCAL_DATABASE
            };
            let url = cluster.url(database);
            (Some(cluster), url)
        }
    };
    info(format!("DATABASE_URL={database_url}"));

    let build = if options.release {
        SiteBuild::Shipped
    } else {
        SiteBuild::Quick
    };
    progress.step(&format!("Building the site ({})", build.describe()));
    build::site(&root, &toolchain, build)?;

    // Declared before the server so it is stopped after the server.
    let fake_anilist = if options.demo {
        progress.step("Starting the fake AniList (offline demo catalog)");
        let fake = InProcessAniList::start()?;
        info(format!("ANILIST_API_URL={}", fake.url()));
        Some(fake)
    } else {
        None
    };

    progress.step("Starting the server");
    let mut env = vec![
        ("DATABASE_URL", database_url),
        (token_keys::VARIABLE, token_keys::local(&root)?),
    ];
    if let Some(fake) = &fake_anilist {
        env.extend(fake.server_env());
    }
    let chosen = match options.port {
        Some(port) => Some(format!("127.0.0.1:{port}")),
        None => std::env::var("BLOOMWATCH_ADDR").ok(),
    };
    if let Some(addr) = &chosen {
        env.push(("BLOOMWATCH_ADDR", addr.clone()));
    }
    // Without BLOOMWATCH_ADDR the server listens on Leptos.toml's site-addr (which LEPTOS_SITE_ADDR overrides).
    let addr = chosen
        .or_else(|| std::env::var("LEPTOS_SITE_ADDR").ok())
        .or_else(|| {
            site.get("site-addr")
                .and_then(|a| a.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    let mut server = build::spawn_server(&root, build, &env, addr, None)?;
    server.wait_ready(READY_LIMIT)?;
    if let Some(fake) = &fake_anilist {
        progress.step("Seeding the demo data through the REST API");
        demo::seed_demo(fake, &server.addr)?;
    }
    println!();
    println!("    BloomWatch is running at http://{}/", server.addr);
    if fake_anilist.is_some() {
        println!("    Demo logins (password {}):", demo::DEMO_PASSWORD);
        for user in [demo::MIKA, demo::REN] {
            println!("      {:<5} {}", user.display_name, user.email);
        }
    }
    if build == SiteBuild::Quick {
        println!("    This is the quick build; `cargo xtask run --release` builds it as shipped (optimised).");
    }
    println!("    Press Ctrl-C to stop.");
    println!();
    let outcome = server.wait_for_interrupt();
    server.stop()?;
    if let Some(fake) = fake_anilist {
        fake.stop();
    }
    drop(cluster);
    outcome
}

/// Starts the project-local cluster for tools like psql or a server started by hand.
pub fn db() -> Result<()> {
    let root = workspace::root()?;
    let mut progress = Progress::new(3);

    progress.step("Checking that Leptos.toml and Cargo.toml agree");
    config_check::check(&root)?;

    progress.step("Checking for PostgreSQL");
    toolchain::setup(
        &root,
        &Needs {
            site: false,
            lint: false,
            chromium: false,
            postgres: true,
        },
    )?;

    progress.step("Starting PostgreSQL");
    let mut cluster = Cluster::project_local(&root)?;
    let url = cluster.url(LOCAL_DATABASE);
    println!();
    println!("    DATABASE_URL={url}");
    println!("    psql {url}");
    println!();
    if cluster.started_here() {
        println!("    Press Ctrl-C to stop PostgreSQL.");
        while !interrupted() {
            sleep(Duration::from_millis(200));
        }
    }
    cluster.stop();
    Ok(())
}
