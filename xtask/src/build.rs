//! Building the site with cargo-leptos, and running the server binary it produces.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};

use crate::compress;
use crate::config_check;
use crate::toolchain::{self, Needs, Toolchain};
use crate::util::{self, info, interrupted, warn, Progress};
use crate::workspace;

/// How long a SIGTERM'd server may take to finish its requests before it is killed.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// The first two steps of the commands that serve the site (`run`, `bench`): checks
/// that Leptos.toml and Cargo.toml agree (returning the site settings), then sets up what
/// building needs, and PostgreSQL unless the database is somebody else's.
pub fn prepare(
    root: &Path,
    progress: &mut Progress,
    local_postgres: bool,
) -> Result<(toml::Table, Toolchain)> {
    progress.step("Checking that Leptos.toml and Cargo.toml agree");
    let site = config_check::check(root)?;
    progress.step("Setting up the toolchain");
    let toolchain = toolchain::setup(
        root,
        &Needs {
            site: true,
            lint: false,
            chromium: false,
            postgres: local_postgres,
        },
    )?;
    Ok((site, toolchain))
}

/// How a site build makes its two halves. Both build the same code; they differ only in how
/// long the compiler spends optimising it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteBuild {
    /// As shipped: the optimised server, and the WASM with `wasm-release` (fat LTO, one
    /// codegen unit) and wasm-opt. `cargo xtask run --release` and `bench`.
    Shipped,
    /// Quick to build, for a first `cargo xtask run` and the end-to-end tests: the server
    /// unoptimised from the dependencies `cargo test` compiles too (password hashing stays
    /// optimised: Cargo.toml), and the WASM with `wasm-release` minus its LTO pass, in 16
    /// codegen units, then `wasm-opt -O1`. Minutes less on a cold build, most of a minute on
    /// every build; a WASM about a tenth larger.
    Quick,
}

/// The WASM half as [`SiteBuild::Quick`] builds it. cargo-leptos always compiles it with
/// Leptos.toml's `lib-profile-release` and runs `wasm-opt -Oz` (a minute on two cores, every
/// build), so the overrides go through cargo's and cargo-leptos' environment.
const QUICK_WASM: [(&str, &str); 3] = [
    ("CARGO_PROFILE_WASM_RELEASE_LTO", "false"),
    ("CARGO_PROFILE_WASM_RELEASE_CODEGEN_UNITS", "16"),
    (
        "LEPTOS_WASM_OPT_FEATURES",
        "-O1,--enable-bulk-memory,--enable-nontrapping-float-to-int",
    ),
];

impl SiteBuild {
    fn server_exe(self, root: &Path) -> PathBuf {
        let profile = match self {
            Self::Shipped => "release",
            Self::Quick => "debug",
        };
        workspace::target_dir(root).join(profile).join("server")
    }

    /// What `run` says it builds and serves.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Shipped => "as shipped: the optimised server, the WASM with LTO",
            Self::Quick => "quick to build: the unoptimised server, the WASM without LTO",
        }
    }
}

pub fn site(root: &Path, toolchain: &Toolchain, build: SiteBuild) -> Result<()> {
    let fix = "fix the compile errors above (both halves build: the server and the wasm frontend)";
    let leptos = || {
        let mut cmd = toolchain.command("cargo");
        cmd.current_dir(root).args(["leptos", "build"]);
        cmd
    };
    match build {
        SiteBuild::Shipped => {
            util::run(leptos().arg("--release").args(toolchain.leptos_args()), fix)?;
        }
        SiteBuild::Quick => {
            let mut front = leptos();
            front
                .args(["--release", "--frontend-only"])
                .args(toolchain.leptos_args())
                .envs(QUICK_WASM);
            let mut server = leptos();
            server.arg("--server-only");
            // Side by side, as cargo-leptos builds a site in one profile: the WASM compiles in
            // its own target dir (target/front), and each build fills the cores that the
            // other leaves idle (wasm-opt, each one's last crates, linking).
            std::thread::scope(|scope| {
                let server = scope.spawn(|| util::run(&mut server, fix));
                let front = util::run(&mut front, fix);
                let server = server
                    .join()
                    .unwrap_or_else(|_| Err(anyhow!("the server build panicked")));
                front.and(server)
            })?;
        }
    }
    // The site root is Leptos.toml's `site-root` (xtask checks it against Cargo.toml).
    let compressed = compress::precompress_site(&root.join("target/site"))?;
    if compressed > 0 {
        info(format!(
            "wrote gzip and brotli copies of {compressed} site files"
        ));
    }
    Ok(())
}

/// A running server binary of the site build. Dropping it stops it gracefully.
pub struct Server {
    child: Child,
    pub addr: String,
    log: Option<PathBuf>,
}

/// Starts the server that the site build `build` made, from the workspace root (it reads
/// Leptos.toml and serves target/site from there). `addr` is where it will listen, for the readiness probe.
/// With `log`, its output goes to that file instead of the terminal.
pub fn spawn_server(
    root: &Path,
    build: SiteBuild,
    env: &[(&str, String)],
    addr: String,
    log: Option<PathBuf>,
) -> Result<Server> {
    let exe = build.server_exe(root);
    if !exe.is_file() {
        bail!(
            "{} does not exist\n    fix: the site build must run first",
            exe.display()
        );
    }
    let mut cmd = Command::new(&exe);
    cmd.current_dir(root).stdin(Stdio::null());
    if std::env::var_os("RUST_LOG").is_none() {
        cmd.env("RUST_LOG", "info");
    }
    cmd.envs(env.iter().map(|(k, v)| (k, v)));
    if let Some(log) = &log {
        let file = File::create(log).with_context(|| format!("creating {}", log.display()))?;
        cmd.stdout(file.try_clone()?).stderr(file);
    }
    // Its own process group: a Ctrl-C in the terminal reaches only xtask, which then stops the
    // server with SIGTERM (graceful shutdown) before stopping PostgreSQL.
    cmd.process_group(0);
    let child = cmd
        .spawn()
        .with_context(|| format!("starting {}", exe.display()))?;
    Ok(Server { child, addr, log })
}

impl Server {
    /// Waits until GET /readyz answers 200.
    pub fn wait_ready(&mut self, limit: Duration) -> Result<()> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "the server exited during start-up ({status}){}",
                    self.log_tail()
                );
            }
            if util::http_status(&self.addr, "/readyz") == Some(200) {
                return Ok(());
            }
            if interrupted() {
                bail!("interrupted");
            }
            if Instant::now() > deadline {
                bail!(
                    "GET http://{}/readyz did not answer 200 within {}s{}",
                    self.addr,
                    limit.as_secs(),
                    self.log_tail()
                );
            }
            sleep(Duration::from_millis(250));
        }
    }

    /// Blocks until the server exits by itself (Err) or xtask is interrupted (Ok).
    pub fn wait_for_interrupt(&mut self) -> Result<()> {
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("the server stopped by itself ({status})");
            }
            if interrupted() {
                return Ok(());
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// SIGTERM, then SIGKILL if it is still running after the grace period.
    pub fn stop(&mut self) -> Result<ExitStatus> {
        if let Some(status) = self.child.try_wait()? {
            return Ok(status);
        }
        info("stopping the server (SIGTERM)");
        util::terminate(&self.child);
        let deadline = Instant::now() + SHUTDOWN_GRACE;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                warn(format!(
                    "the server did not stop within {}s; killing it",
                    SHUTDOWN_GRACE.as_secs()
                ));
                self.child.kill()?;
                return Ok(self.child.wait()?);
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// `kill -9`: no shutdown at all, as when the machine or the process dies.
    pub fn kill(&mut self) -> Result<ExitStatus> {
        if let Some(status) = self.child.try_wait()? {
            return Ok(status);
        }
        self.child.kill()?;
        Ok(self.child.wait()?)
    }

    /// The end of the server log, for error messages ("" when it logs to the terminal).
    pub fn log_tail(&self) -> String {
        match &self.log {
            Some(log) => format!(
                "\n    last lines of {}:\n{}",
                log.display(),
                util::tail(log, 60)
            ),
            None => String::new(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            warn(format!("stopping the server: {e:#}"));
        }
    }
}
