//! Facts about the Cargo workspace: where it is, which packages it has, what Cargo.lock pins.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Deserialize;

/// The workspace root is xtask's parent folder, wherever `cargo xtask` was started from.
/// `cargo run` passes the manifest folder at run time; that wins over the compile-time one,
/// because checkouts sharing a CARGO_TARGET_DIR also share (and overwrite) the xtask binary.
pub fn root() -> Result<PathBuf> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.ends_with("xtask") && dir.join("Cargo.toml").is_file())
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    match manifest_dir.parent() {
        Some(root) => Ok(root.to_path_buf()),
        None => bail!("xtask's manifest folder has no parent"),
    }
}

/// Honour CARGO_TARGET_DIR like cargo does, so we find the binaries it built.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

pub fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

#[derive(Deserialize)]
struct Manifest {
    workspace: Option<WorkspaceSection>,
    package: Option<PackageSection>,
}

#[derive(Deserialize)]
struct WorkspaceSection {
    #[serde(default)]
    members: Vec<String>,
}

#[derive(Deserialize)]
struct PackageSection {
    name: String,
}

pub struct Member {
    pub name: String,
    /// Relative to the workspace root, e.g. `contexts/identity`.
    pub dir: PathBuf,
}

/// The workspace members with their package names, read from the manifests, so crates added
/// later are picked up without touching xtask. Supports the `dir/*` glob form.
pub fn members(root: &Path) -> Result<Vec<Member>> {
    let manifest: Manifest =
        toml::from_str(&read(&root.join("Cargo.toml"))?).context("parsing Cargo.toml")?;
    let Some(workspace) = manifest.workspace else {
        bail!("{}/Cargo.toml has no [workspace] table", root.display());
    };
    let mut dirs = Vec::new();
    for member in workspace.members {
        match member.strip_suffix("/*") {
            Some(parent) => {
                let entries = std::fs::read_dir(root.join(parent))
                    .with_context(|| format!("listing workspace members in {parent}/"))?;
                let mut found = Vec::new();
                for entry in entries {
                    let path = entry?.path();
                    if path.join("Cargo.toml").is_file() {
                        if let Ok(relative) = path.strip_prefix(root) {
                            found.push(relative.to_path_buf());
                        }
                    }
                }
                found.sort();
                dirs.extend(found);
            }
            None => dirs.push(PathBuf::from(member)),
        }
    }
    dirs.into_iter()
        .map(|dir| {
            let path = root.join(&dir).join("Cargo.toml");
            let manifest: Manifest = toml::from_str(&read(&path)?)
                .with_context(|| format!("parsing {}", path.display()))?;
            match manifest.package {
                Some(package) => Ok(Member {
                    name: package.name,
                    dir,
                }),
                None => bail!("{} has no [package] table", path.display()),
            }
        })
        .collect()
}

#[derive(Deserialize)]
struct Lockfile {
    #[serde(default)]
    package: Vec<LockedPackage>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: String,
    version: String,
}

/// The version of `package` that Cargo.lock pins (the first one, if several are locked).
pub fn locked_version(root: &Path, package: &str) -> Result<String> {
    let path = root.join("Cargo.lock");
    let lock: Lockfile = toml::from_str(&read(&path)?).context("parsing Cargo.lock")?;
    match lock.package.into_iter().find(|p| p.name == package) {
        Some(found) => Ok(found.version),
        None => bail!(
            "Cargo.lock has no `{package}` package\n    fix: run `cargo generate-lockfile` after adding the dependency"
        ),
    }
}
