//! Makes sure the build tools are present (a Rust port of shared/toolchain/setup.sh) and describes
//! the environment to build in. Idempotent: a run with nothing to install only does cheap checks.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::util::{self, find_in_path, info, output, privileged, probe, run, warn};
use crate::workspace;

const CARGO_LEPTOS_VERSION: &str = "0.3.11";
/// How long building cargo-leptos from source took on the 2-core reference machine.
const CARGO_LEPTOS_MINUTES: u32 = 10;
/// A prebuilt binary arrives in seconds when GitHub is reachable.
const BINSTALL_LIMIT: Duration = Duration::from_secs(120);
/// Debian's binaryen 108 produces wasm that fails at hydration time without any build error.
const BINARYEN_VERSION: &str = "132.0.0";
const BINARYEN_MAJOR: &str = "132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The oldest Node.js the pinned Playwright runs on.
const NODE_MAJOR: u32 = 20;
/// rustup may hang when its server is unreachable; after this we use Debian's toolchain instead.
const RUSTUP_LIMIT: Duration = Duration::from_secs(20);
/// Symlinks to Debian's rustc-web binaries, so they can go first on PATH without the rest of /usr/bin.
const RUST_WEB_BIN: &str = "/usr/local/lib/rust-web/bin";
/// Debian mode has no prebuilt wasm32 std, so the wasm half builds std from source.
const BUILD_STD: &str = "-Zbuild-std=std,panic_abort";

/// What the calling command is going to do.
pub struct Needs {
    /// `cargo leptos build`: cargo-leptos, wasm-bindgen, wasm-opt, node.
    pub site: bool,
    /// clippy and rustfmt, including clippy for wasm32.
    pub lint: bool,
    /// A browser for the end-to-end tests.
    pub chromium: bool,
    /// PostgreSQL server binaries for a local cluster.
    pub postgres: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum WasmMode {
    /// rustup's prebuilt wasm32 std.
    Rustup,
    /// Debian rustc-web 1.96 with `-Zbuild-std`.
    Debian,
}

/// The environment every cargo/npm command of a run uses.
pub struct Toolchain {
    mode: Option<WasmMode>,
    path: OsString,
}

impl Toolchain {
    /// `program` resolved on our PATH, with our environment.
    pub fn command(&self, program: &str) -> Command {
        let resolved = find_in_path(program, &self.path).unwrap_or_else(|| PathBuf::from(program));
        let mut cmd = Command::new(resolved);
        cmd.env("PATH", &self.path);
        // `cargo xtask` is `cargo run`, which gives xtask the environment of a crate being run
        // (CARGO_MANIFEST_DIR, CARGO_PKG_NAME, ...). Passed on, it reaches build scripts that
        // rerun when it changes (ring's does), so every run would rebuild the server's
        // dependency chain, and the next `cargo xtask` its own.
        for (name, _) in std::env::vars_os() {
            if name.to_str().is_some_and(set_by_cargo_run) {
                cmd.env_remove(name);
            }
        }
        if self.mode == Some(WasmMode::Debian) {
            // -Zbuild-std is unstable; set for the whole run so both halves share fingerprints.
            cmd.env("RUSTC_BOOTSTRAP", "1");
        }
        cmd
    }

    /// Extra cargo args for compiling to wasm32.
    pub fn wasm_cargo_args(&self) -> &'static [&'static str] {
        match self.mode {
            Some(WasmMode::Debian) => &[BUILD_STD],
            _ => &[],
        }
    }

    /// Extra `cargo leptos` args: build-std for the wasm half only.
    pub fn leptos_args(&self) -> Vec<String> {
        self.wasm_cargo_args()
            .iter()
            .map(|arg| format!("--lib-cargo-args={arg}"))
            .collect()
    }
}

/// A variable that `cargo run` sets for the program it runs (`CARGO` itself is kept: it names
/// the cargo to use).
fn set_by_cargo_run(name: &str) -> bool {
    name.starts_with("CARGO_PKG_")
        || name.starts_with("CARGO_MANIFEST_")
        || [
            "CARGO_CRATE_NAME",
            "CARGO_BIN_NAME",
            "CARGO_PRIMARY_PACKAGE",
        ]
        .contains(&name)
}

pub fn setup(root: &Path, needs: &Needs) -> Result<Toolchain> {
    let mut apt = Apt::default();
    let cargo_bin = cargo_home().join("bin");
    let base_path = util::prepend_path(&[cargo_bin], &util::current_path())?;

    let mut base = vec!["ca-certificates", "gcc", "libc6-dev", "pkg-config"];
    if needs.chromium
        && std::env::var_os("CHROMIUM_PATH").is_none()
        && !Path::new("/usr/bin/chromium").exists()
    {
        base.push("chromium");
    }
    apt.install(&base)?;
    if needs.site
        && (find_in_path("node", &base_path).is_none() || find_in_path("npm", &base_path).is_none())
    {
        apt.install(&["nodejs", "npm"])?;
    }
    if needs.postgres && crate::postgres::newest_bin_dir().is_none() {
        apt.install(&["postgresql"])?;
    }

    let mode = if needs.site || needs.lint {
        Some(wasm_mode(root, &base_path)?)
    } else {
        None
    };
    let mut front: Vec<PathBuf> = Vec::new();
    if mode == Some(WasmMode::Debian) {
        let mut packages = vec!["rust-web-src", "rust-web-llvm", "lld-22"];
        let mut tools = vec!["cargo", "rustc", "rustdoc"];
        if needs.lint {
            packages.extend(["rust-web-clippy", "rustfmt-web"]);
            tools.extend(["cargo-clippy", "clippy-driver", "cargo-fmt", "rustfmt"]);
        }
        rust_web(&mut apt, &packages, &tools)?;
        if !Path::new("/usr/lib/rustlib/src/rust/library").is_dir() {
            bail!("rust-web-src did not provide /usr/lib/rustlib/src/rust/library (needed by -Zbuild-std)\n    fix: apt-get install --reinstall rust-web-src");
        }
        if !Path::new("/usr/bin/rust-lld").exists() {
            bail!("/usr/bin/rust-lld is missing (the wasm linker)\n    fix: apt-get install rust-web-llvm lld-22");
        }
        front.push(PathBuf::from(RUST_WEB_BIN));
    }

    if needs.site {
        cargo_leptos(&mut apt, &base_path)?;
        wasm_bindgen(root, &base_path)?;
        front.push(binaryen(root, &base_path)?);
    }
    if needs.chromium {
        front.extend(node_for_playwright(root, &base_path)?);
    }

    let path = util::prepend_path(&front, &base_path)?;
    if needs.site {
        check_wasm_opt(&path)?;
    }
    Ok(Toolchain { mode, path })
}

fn cargo_home() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"),
    }
}

/// Installs Debian packages that are missing; `apt-get update` runs once, before the first install.
#[derive(Default)]
struct Apt {
    updated: bool,
}

impl Apt {
    fn install(&mut self, packages: &[&str]) -> Result<()> {
        if find_in_path("dpkg", &util::current_path()).is_none() {
            warn(format!(
                "no dpkg (not Debian/Ubuntu?): make sure these are installed: {}",
                packages.join(" ")
            ));
            return Ok(());
        }
        let missing: Vec<&str> = packages
            .iter()
            .copied()
            .filter(|package| !is_installed(package))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let fix = format!(
            "installing Debian packages failed\n    fix: run `apt-get install {}` yourself and read its messages",
            missing.join(" ")
        );
        // Captured, not streamed (dpkg is chatty); apt's own messages end up in the error.
        // Not in a process group of its own: sudo may have to ask for a password.
        if !self.updated {
            info("apt: apt-get update");
            output(privileged("apt-get")?.args(["update", "-qq"])).with_context(|| fix.clone())?;
            self.updated = true;
        }
        info(format!("apt: installing {}", missing.join(" ")));
        output(
            privileged("apt-get")?
                .env("DEBIAN_FRONTEND", "noninteractive")
                .args(["install", "-y", "-qq"])
                .args(&missing),
        )
        .with_context(|| fix.clone())?;
        Ok(())
    }
}

/// Whether dpkg has `package` installed: a removed package whose configuration files are
/// left (`deinstall ok config-files`) is not.
fn is_installed(package: &str) -> bool {
    probe(Command::new("dpkg-query").args(["--show", "--showformat=${Status}", package]))
        .is_some_and(|status| status.trim() == "install ok installed")
}

/// Debian's rustc-web (1.96) plus `packages`, with `tools` symlinked into RUST_WEB_BIN.
fn rust_web(apt: &mut Apt, packages: &[&str], tools: &[&str]) -> Result<()> {
    let mut all = vec!["rustc-web", "cargo-web"];
    all.extend(packages);
    apt.install(&all)?;
    let dir = Path::new(RUST_WEB_BIN);
    for tool in tools {
        let target = Path::new("/usr/bin").join(tool);
        let link = dir.join(tool);
        if std::fs::read_link(&link).is_ok_and(|t| t == target) {
            continue;
        }
        let fix = format!(
            "create it yourself: ln -sfn {} {}",
            target.display(),
            link.display()
        );
        run(privileged("mkdir")?.arg("-p").arg(dir), &fix)?;
        run(privileged("ln")?.arg("-sfn").arg(&target).arg(&link), &fix)?;
    }
    Ok(())
}

/// Picks how to get a wasm32 std. BLOOMWATCH_WASM_MODE=rustup|debian forces a mode.
fn wasm_mode(root: &Path, path: &OsStr) -> Result<WasmMode> {
    let forced = std::env::var("BLOOMWATCH_WASM_MODE").unwrap_or_default();
    // A failed rustup attempt is remembered: otherwise every run would wait RUSTUP_LIMIT again.
    let memo = workspace::target_dir(root).join("tools/wasm-mode");
    let rustup = find_in_path("rustup", path);
    let installed = || {
        rustup.as_ref().is_some_and(|r| {
            probe(Command::new(r).args(["target", "list", "--installed"]))
                .is_some_and(|out| out.lines().any(|l| l.trim() == WASM_TARGET))
        })
    };
    let mode = match forced.as_str() {
        "debian" => WasmMode::Debian,
        "rustup" | "" if installed() => WasmMode::Rustup,
        "" if std::fs::read_to_string(&memo).is_ok_and(|m| m.trim() == "debian") => {
            info(format!(
                "wasm32: Debian mode, remembered in {} (delete it to try rustup again)",
                memo.display()
            ));
            return Ok(WasmMode::Debian);
        }
        "rustup" | "" => {
            let added = rustup.as_ref().is_some_and(|r| {
                info(format!(
                    "wasm32: trying `rustup target add {WASM_TARGET}` (limit {}s)",
                    RUSTUP_LIMIT.as_secs()
                ));
                util::succeeds_within(
                    Command::new(r).args(["target", "add", WASM_TARGET]),
                    RUSTUP_LIMIT,
                )
            });
            match (added, forced.as_str()) {
                (true, _) => WasmMode::Rustup,
                (false, "rustup") => bail!(
                    "`rustup target add {WASM_TARGET}` failed and BLOOMWATCH_WASM_MODE=rustup\n    fix: install the target by hand, or unset BLOOMWATCH_WASM_MODE to fall back to Debian's rustc-web"
                ),
                (false, _) => {
                    warn("no rustup wasm32 target; falling back to Debian rustc-web + -Zbuild-std");
                    if let Some(parent) = memo.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    std::fs::write(&memo, "debian\n")?;
                    WasmMode::Debian
                }
            }
        }
        other => bail!("BLOOMWATCH_WASM_MODE={other}: use `rustup` or `debian`"),
    };
    info(match mode {
        WasmMode::Rustup => "wasm32: rustup's prebuilt std",
        WasmMode::Debian => "wasm32: Debian rustc-web, std built from source (-Zbuild-std)",
    });
    Ok(mode)
}

/// The (major, minor) of `rustc --version` on `path`.
fn rustc_version(path: &OsStr) -> Option<(u32, u32)> {
    let out = probe(Command::new("rustc").arg("--version").env("PATH", path))?;
    let mut parts = out.split_whitespace().nth(1)?.split('.');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

fn version_word(path: &OsStr, program: &str) -> Option<String> {
    let exe = find_in_path(program, path)?;
    let out = probe(Command::new(exe).arg("--version"))?;
    out.split_whitespace().nth(1).map(str::to_owned)
}

fn cargo_leptos(apt: &mut Apt, path: &OsStr) -> Result<()> {
    if version_word(path, "cargo-leptos").as_deref() == Some(CARGO_LEPTOS_VERSION) {
        info(format!("cargo-leptos {CARGO_LEPTOS_VERSION}: present"));
        return Ok(());
    }
    if binstall(path, "cargo-leptos", CARGO_LEPTOS_VERSION) {
        return Ok(());
    }
    // Its lockfile needs rustc >= 1.96 (cargo-util-schemas 0.14.2); rustup stable may be older.
    let install_path = if rustc_version(path).is_some_and(|v| v >= (1, 96)) {
        path.to_owned()
    } else {
        info("cargo-leptos needs rustc >= 1.96 to build: using Debian's rustc-web");
        rust_web(apt, &[], &["cargo", "rustc", "rustdoc"])?;
        util::prepend_path(&[PathBuf::from(RUST_WEB_BIN)], path)?
    };
    info(format!(
        "installing cargo-leptos {CARGO_LEPTOS_VERSION} from source (about {CARGO_LEPTOS_MINUTES} min on 2 cores, once)"
    ));
    // Unoptimised: cargo-leptos only drives cargo, wasm-bindgen and wasm-opt, and its own work
    // (minifying one JS file, one stylesheet) takes well under a second either way, while its
    // release profile (fat LTO, one codegen unit) costs most of an hour on two cores.
    run(
        Command::new("cargo")
            .env("PATH", &install_path)
            .env("CARGO_PROFILE_DEV_DEBUG", "false")
            .args([
                "install",
                "cargo-leptos",
                "--version",
                CARGO_LEPTOS_VERSION,
                "--locked",
                "--debug",
                "--features",
                "no_downloads",
            ]),
        "check the compiler output above; a rustc older than 1.96 cannot build it with --locked",
    )
}

/// A prebuilt `crate_name` from `cargo binstall`, when it is installed and can download one
/// (it needs GitHub; offline it fails at once). Never lets binstall compile from source.
fn binstall(path: &OsStr, crate_name: &str, version: &str) -> bool {
    if find_in_path("cargo-binstall", path).is_none() {
        return false;
    }
    info(format!(
        "trying a prebuilt {crate_name} {version} with cargo binstall (limit {}s)",
        BINSTALL_LIMIT.as_secs()
    ));
    let installed = util::succeeds_within(
        Command::new("cargo").env("PATH", path).args([
            "binstall",
            "--no-confirm",
            "--disable-strategies",
            "compile",
            &format!("{crate_name}@{version}"),
        ]),
        BINSTALL_LIMIT,
    );
    if !installed {
        info("no prebuilt binary: building from source instead");
    }
    installed
}

/// wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
fn wasm_bindgen(root: &Path, path: &OsStr) -> Result<()> {
    let wanted = workspace::locked_version(root, "wasm-bindgen")?;
    if version_word(path, "wasm-bindgen").as_deref() == Some(wanted.as_str()) {
        info(format!(
            "wasm-bindgen-cli {wanted} (as in Cargo.lock): present"
        ));
        return Ok(());
    }
    if binstall(path, "wasm-bindgen-cli", &wanted) {
        return Ok(());
    }
    info(format!(
        "installing wasm-bindgen-cli {wanted} (about 3 min on 2 cores, once)"
    ));
    let install = |locked: bool| {
        let mut cmd = Command::new("cargo");
        cmd.env("PATH", path).args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
            "--force",
        ]);
        if locked {
            cmd.arg("--locked");
        }
        util::status(&mut cmd).is_ok_and(|s| s.success())
    };
    // --locked fails when the registry lacks a locked dependency (seen: webpki-roots 1.0.11).
    if install(true) || install(false) {
        return Ok(());
    }
    bail!("installing wasm-bindgen-cli {wanted} failed\n    fix: see the cargo output above; the CLI version must equal `wasm-bindgen` in Cargo.lock")
}

/// binaryen from npm into target/tools/npm; returns the folder to put first on PATH.
fn binaryen(root: &Path, path: &OsStr) -> Result<PathBuf> {
    let package = format!("binaryen@{BINARYEN_VERSION}");
    npm_tool(root, path, "npm", &package, "wasm-opt", is_our_wasm_opt)
}

/// Playwright needs Node.js 20 or newer, and Debian 12's own nodejs is 18: then a Node.js 20
/// from the npm registry goes into target/tools/node. Returns the folder to put first on
/// PATH, if one is needed.
fn node_for_playwright(root: &Path, path: &OsStr) -> Result<Option<PathBuf>> {
    let system = find_in_path("node", path);
    if system.as_deref().is_some_and(node_is_new_enough) {
        return Ok(None);
    }
    let package = format!("node@{NODE_MAJOR}");
    npm_tool(root, path, "node", &package, "node", node_is_new_enough).map(Some)
}

fn node_is_new_enough(exe: &Path) -> bool {
    probe(Command::new(exe).arg("--version"))
        .is_some_and(|version| node_major(&version) >= Some(NODE_MAJOR))
}

/// `v20.20.2` → 20.
fn node_major(version: &str) -> Option<u32> {
    version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// `package` from npm into target/tools/<folder> unless its `exe` there is already `ready`;
/// returns the folder of its executables.
fn npm_tool(
    root: &Path,
    path: &OsStr,
    folder: &str,
    package: &str,
    exe: &str,
    ready: fn(&Path) -> bool,
) -> Result<PathBuf> {
    let prefix = workspace::target_dir(root).join("tools").join(folder);
    let bin = prefix.join("node_modules/.bin");
    if ready(&bin.join(exe)) {
        info(format!("{package}: present in {}", bin.display()));
        return Ok(bin);
    }
    info(format!("installing {package} into {}", prefix.display()));
    std::fs::create_dir_all(&prefix).with_context(|| format!("creating {}", prefix.display()))?;
    run(
        Command::new("npm")
            .env("PATH", path)
            .arg("install")
            .arg("--prefix")
            .arg(&prefix)
            .args(["--no-fund", "--no-audit", "--loglevel=error", package]),
        "check that npm can reach its registry",
    )?;
    if !ready(&bin.join(exe)) {
        bail!(
            "{package} was installed but {} does not work\n    fix: delete {} and run again",
            bin.join(exe).display(),
            prefix.display()
        );
    }
    Ok(bin)
}

fn is_our_wasm_opt(exe: &Path) -> bool {
    probe(Command::new(exe).arg("--version"))
        .is_some_and(|v| v.contains(&format!("version {BINARYEN_MAJOR}")))
}

/// cargo-leptos takes the first wasm-opt on PATH without checking its version.
fn check_wasm_opt(path: &OsStr) -> Result<()> {
    match find_in_path("wasm-opt", path) {
        Some(exe) if is_our_wasm_opt(&exe) => Ok(()),
        Some(exe) => bail!(
            "the wasm-opt cargo-leptos would use, {}, is not binaryen {BINARYEN_MAJOR} (older ones break hydration)\n    fix: delete target/tools/npm and run again",
            exe.display()
        ),
        None => bail!("no wasm-opt on PATH after installing binaryen\n    fix: delete target/tools/npm and run again"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_versions_are_read_by_their_major() {
        assert_eq!(node_major("v20.20.2\n"), Some(20));
        assert_eq!(node_major("v18.19.0"), Some(18));
        assert_eq!(node_major("garbage"), None);
        assert!(node_major("v18.19.0") < Some(NODE_MAJOR));
    }

    #[test]
    fn the_environment_of_cargo_run_is_not_passed_on() {
        for name in [
            "CARGO_MANIFEST_DIR",
            "CARGO_PKG_VERSION_MAJOR",
            "CARGO_CRATE_NAME",
        ] {
            assert!(set_by_cargo_run(name), "{name}");
        }
        for name in [
            "CARGO",
            "CARGO_HOME",
            "CARGO_TARGET_DIR",
            "CARGO_PROFILE_DEV_DEBUG",
        ] {
            assert!(!set_by_cargo_run(name), "{name}");
        }
    }

    #[test]
    fn leptos_args_only_in_debian_mode() {
        let debian = Toolchain {
            mode: Some(WasmMode::Debian),
            path: OsString::new(),
        };
        assert_eq!(
            debian.leptos_args(),
            ["--lib-cargo-args=-Zbuild-std=std,panic_abort"]
        );
        let rustup = Toolchain {
            mode: Some(WasmMode::Rustup),
            path: OsString::new(),
        };
        assert!(rustup.leptos_args().is_empty());
    }
}
