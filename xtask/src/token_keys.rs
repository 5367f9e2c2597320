//! The key the server seals linked AniList tokens with (`BLOOMWATCH_TOKEN_KEYS`). When it is
//! not set, `run` makes one once and keeps it in `.bloomwatch/token-keys` (so links survive
//! restarts), and the tests use a fresh one per run.

use std::io::Read as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use anyhow::{Context, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::util::info;

pub const VARIABLE: &str = "BLOOMWATCH_TOKEN_KEYS";

/// `k1:<32 random bytes in base64>`, from the kernel's random source.
pub fn fresh() -> Result<String> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .context("reading /dev/urandom for a token key")?;
    Ok(format!("k1:{}", STANDARD.encode(bytes)))
}

/// The environment's keys, else the project-local ones (made on first use, readable by the
/// owner only).
pub fn local(root: &Path) -> Result<String> {
    if let Some(keys) = std::env::var(VARIABLE)
        .ok()
        .filter(|keys| !keys.trim().is_empty())
    {
        return Ok(keys);
    }
    let path = root.join(".bloomwatch/token-keys");
    if let Ok(keys) = std::fs::read_to_string(&path) {
        return Ok(keys.trim().to_owned());
    }
    let keys = fresh()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&path, format!("{keys}\n"))
        .and_then(|()| std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)))
        .with_context(|| format!("writing {}", path.display()))?;
    info(format!(
        "made a key for linked AniList tokens in {} (keep it: without it links must be made again)",
        path.display()
    ));
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_keys_are_32_random_bytes_under_id_k1() {
        let key = fresh().unwrap();
        let (id, encoded) = key.split_once(':').unwrap();
        assert_eq!(id, "k1");
        assert_eq!(STANDARD.decode(encoded).unwrap().len(), 32);
        assert_ne!(key, fresh().unwrap());
    }
}
