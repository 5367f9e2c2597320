//! gzip and brotli, at their best settings: the release site's text and WASM files get
//! `.gz` and `.br` copies beside them (the server sends those to browsers that accept them),
//! and the benchmark measures the same compression.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use flate2::write::GzEncoder;
use flate2::Compression;

/// What is worth compressing: text and WASM. Images other than SVG are compressed already.
const COMPRESSIBLE: [&str; 8] = [
    "wasm",
    "js",
    "css",
    "svg",
    "json",
    "webmanifest",
    "html",
    "txt",
];

/// Below this, the headers cost more than compression saves.
const MIN_BYTES: u64 = 1_024;

pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut output = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut output, &params)
        .context("brotli compression failed")?;
    Ok(output)
}

/// Writes `<file>.gz` and `<file>.br` for every compressible file under `site_root` whose
/// copies are missing or older than it. Returns how many files it compressed.
pub fn precompress_site(site_root: &Path) -> Result<usize> {
    let mut compressed = 0;
    let mut folders = vec![site_root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries =
            fs::read_dir(&folder).with_context(|| format!("reading {}", folder.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if is_compressible(&path)? && precompress(&path)? {
                compressed += 1;
            }
        }
    }
    Ok(compressed)
}

fn is_compressible(path: &Path) -> Result<bool> {
    let extension = path.extension().and_then(|extension| extension.to_str());
    Ok(
        extension.is_some_and(|extension| COMPRESSIBLE.contains(&extension))
            && fs::metadata(path)?.len() >= MIN_BYTES,
    )
}

/// Compresses one file unless both copies are newer than it.
fn precompress(path: &Path) -> Result<bool> {
    let modified = fs::metadata(path)?.modified()?;
    let copies = [("gz", gzip as fn(&[u8]) -> Result<Vec<u8>>), ("br", brotli)];
    let stale: Vec<_> = copies
        .into_iter()
        .map(|(suffix, compress)| {
            let mut name = path.as_os_str().to_owned();
            name.push(format!(".{suffix}"));
            (std::path::PathBuf::from(name), compress)
        })
        .filter(|(copy, _)| {
            fs::metadata(copy)
                .and_then(|metadata| metadata.modified())
                .map_or(true, |copied| copied < modified)
        })
        .collect();
    if stale.is_empty() {
        return Ok(false);
    }
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    for (copy, compress) in stale {
        fs::write(&copy, compress(&bytes)?)
            .with_context(|| format!("writing {}", copy.display()))?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_appear_for_text_and_wasm_and_are_refreshed_only_when_stale() {
        let site =
            std::env::temp_dir().join(format!("bloomwatch-precompress-{}", std::process::id()));
        let pkg = site.join("pkg");
        fs::create_dir_all(&pkg).unwrap();
        let text = "const bloom = 'watch';\n".repeat(200);
        fs::write(pkg.join("app.js"), &text).unwrap();
        fs::write(site.join("tiny.css"), "a{}").unwrap();
        fs::write(site.join("photo.png"), vec![0_u8; 4_096]).unwrap();

        assert_eq!(precompress_site(&site).unwrap(), 1);
        assert!(pkg.join("app.js.gz").is_file());
        let brotli_copy = fs::read(pkg.join("app.js.br")).unwrap();
        let mut unpacked = Vec::new();
        brotli::BrotliDecompress(&mut &brotli_copy[..], &mut unpacked).unwrap();
        assert_eq!(unpacked, text.as_bytes());
        assert!(
            !site.join("tiny.css.gz").exists(),
            "too small to be worth it"
        );
        assert!(!site.join("photo.png.gz").exists(), "not compressible");

        assert_eq!(precompress_site(&site).unwrap(), 0, "nothing changed");
        fs::remove_dir_all(&site).unwrap();
    }
}
