//! The site's files (target/site): served as the build's brotli or gzip copy when the browser
//! accepts it. `cargo xtask` writes those copies after each release build; a build made some
//! other way (`cargo leptos build`) leaves older copies behind, so at start-up any copy older
//! than its file is deleted rather than served with the wrong content.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use tower_http::services::ServeDir;

const COMPRESSED_SUFFIXES: [&str; 2] = ["br", "gz"];

/// `ServeDir` over `site_root` with its precompressed copies, after removing stale ones.
pub fn serve_site<F>(site_root: &Path, fallback: F) -> ServeDir<F> {
    let removed = remove_stale_copies(site_root);
    if removed > 0 {
        tracing::info!(removed, "removed compressed copies older than their files");
    }
    ServeDir::new(site_root)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(fallback)
}

/// Deletes every `.br`/`.gz` under `root` whose file is missing or newer; returns how many.
fn remove_stale_copies(root: &Path) -> usize {
    let mut removed = 0;
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let is_copy = path
                .extension()
                .and_then(|extension| extension.to_str())
                .is_some_and(|extension| COMPRESSED_SUFFIXES.contains(&extension));
            if is_copy && is_stale(&path) && fs::remove_file(&path).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

fn is_stale(copy: &Path) -> bool {
    let modified = |path: &Path| -> Option<SystemTime> { fs::metadata(path).ok()?.modified().ok() };
    match (modified(&copy.with_extension("")), modified(copy)) {
        (Some(original), Some(copied)) => copied < original,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_older_than_their_file_or_without_one_are_removed() {
        let root = std::env::temp_dir().join(format!("bloomwatch-static-{}", std::process::id()));
        fs::create_dir_all(root.join("pkg")).unwrap();
        fs::write(root.join("pkg/app.wasm.br"), b"old").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(root.join("pkg/app.wasm"), b"new").unwrap();
        fs::write(root.join("pkg/app.js"), b"js").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(root.join("pkg/app.js.gz"), b"fresh").unwrap();
        fs::write(root.join("orphan.css.br"), b"no file").unwrap();

        assert_eq!(remove_stale_copies(&root), 2);
        assert!(!root.join("pkg/app.wasm.br").exists());
        assert!(root.join("pkg/app.js.gz").exists());
        assert!(!root.join("orphan.css.br").exists());
        fs::remove_dir_all(&root).unwrap();
    }
}
