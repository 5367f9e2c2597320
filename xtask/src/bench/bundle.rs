//! The size of what a browser downloads: the WASM bundle, its JS glue and the CSS, raw and
//! compressed as a server would send them (gzip -9 and brotli quality 11).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::compress;

/// The WASM budget, brotli-compressed (issue 5; shared/notes/perf-security.md C1).
pub const WASM_BROTLI_BUDGET: u64 = 300 * 1_000;

pub struct FileSize {
    pub label: &'static str,
    pub path: PathBuf,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// The bundle files under `pkg_dir` (the site's pkg folder) named after `output_name`.
pub fn measure(pkg_dir: &Path, output_name: &str) -> Result<Vec<FileSize>> {
    let wasm = [
        format!("{output_name}.wasm"),
        format!("{output_name}_bg.wasm"),
    ]
    .into_iter()
    .map(|name| pkg_dir.join(name))
    .find(|path| path.is_file())
    .with_context(|| {
        format!(
            "no {output_name}.wasm in {}\n    fix: the site build must run first",
            pkg_dir.display()
        )
    })?;
    let mut files = vec![("wasm", wasm)];
    for (label, extension) in [("js", "js"), ("css", "css")] {
        let path = pkg_dir.join(format!("{output_name}.{extension}"));
        if path.is_file() {
            files.push((label, path));
        }
    }
    files
        .into_iter()
        .map(|(label, path)| {
            let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            Ok(FileSize {
                label,
                raw: bytes.len() as u64,
                gzip: compress::gzip(&bytes)?.len() as u64,
                brotli: compress::brotli(&bytes)?.len() as u64,
                path,
            })
        })
        .collect()
}

/// `1234567` → `1,234.6 kB` (kB = 1,000 bytes, as the budget is written).
pub fn kilobytes(bytes: u64) -> String {
    let tenths = (bytes + 50) / 100;
    let (whole, tenth) = (tenths / 10, tenths % 10);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{grouped}.{tenth} kB")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compresses_and_measures_the_bundle() {
        let dir = std::env::temp_dir().join(format!("xtask-bundle-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let text = "BloomWatch ".repeat(10_000);
        fs::write(dir.join("site.wasm"), &text).unwrap();
        fs::write(dir.join("site.css"), "body{}").unwrap();
        let sizes = measure(&dir, "site").unwrap();
        fs::remove_dir_all(&dir).unwrap();
        let labels: Vec<&str> = sizes.iter().map(|s| s.label).collect();
        assert_eq!(labels, ["wasm", "css"]);
        let wasm = &sizes[0];
        assert_eq!(wasm.raw, 110_000);
        assert!(wasm.gzip < 1_000, "{}", wasm.gzip);
        assert!(wasm.brotli < wasm.gzip, "{} {}", wasm.brotli, wasm.gzip);
    }

    #[test]
    fn a_missing_bundle_says_to_build() {
        let error = measure(Path::new("/nonexistent"), "site").err().unwrap();
        assert!(format!("{error:#}").contains("site build"));
    }

    #[test]
    fn formats_kilobytes() {
        assert_eq!(kilobytes(0), "0.0 kB");
        assert_eq!(kilobytes(299_950), "300.0 kB");
        assert_eq!(kilobytes(1_234_567), "1,234.6 kB");
    }
}
