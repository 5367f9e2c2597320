//! Lighthouse audits (npm `lighthouse`, from end2end/package.json) in Debian's Chromium:
//! mobile preset, performance and accessibility. A missing browser or package is reported and
//! skipped, never fatal: the audits are one part of the benchmark.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use reqwest::header::SET_COOKIE;
use reqwest::redirect::Policy;
use reqwest::Client;
use serde_json::Value;

use crate::toolchain::Toolchain;
use crate::util::{self, info};
use crate::workspace;

/// Scores at or above this pass (issue 5).
pub const SCORE_TARGET: u32 = 95;
/// The browser session cookie (`__Host-bloomwatch` only over https).
const SESSION_COOKIE: &str = "bloomwatch";

pub struct Page {
    pub label: &'static str,
    pub path: String,
    /// `name=value` of a signed-in browser session, for pages behind the login.
    pub cookie: Option<String>,
}

pub struct Audit {
    pub label: &'static str,
    pub path: String,
    pub performance: Option<u32>,
    pub accessibility: Option<u32>,
    pub lcp_ms: Option<f64>,
    pub tbt_ms: Option<f64>,
    pub cls: Option<f64>,
    /// Where the page ended up, when that is not where it started (a redirect to the login).
    pub redirected_to: Option<String>,
    pub report: PathBuf,
    /// Lighthouse's own complaint (a page that did not load), if any.
    pub problem: Option<String>,
}

/// The browser Lighthouse should drive: `CHROME_PATH`, `CHROMIUM_PATH`, else Debian's.
pub fn chromium() -> Result<PathBuf> {
    for variable in ["CHROME_PATH", "CHROMIUM_PATH"] {
        if let Some(path) = std::env::var_os(variable).filter(|p| !p.is_empty()) {
            let path = PathBuf::from(path);
            if path.is_file() {
                return Ok(path);
            }
            bail!("{variable}={} does not exist", path.display());
        }
    }
    let debian = PathBuf::from("/usr/bin/chromium");
    if debian.is_file() {
        return Ok(debian);
    }
    bail!("Chromium not found (CHROME_PATH, CHROMIUM_PATH, /usr/bin/chromium)\n    fix: apt-get install chromium")
}

/// Installs end2end's npm packages (Lighthouse among them) unless they are up to date.
pub fn install(root: &Path, toolchain: &Toolchain) -> Result<()> {
    let dir = root.join("end2end");
    crate::test::npm_install(&dir, toolchain)?;
    if !dir.join("node_modules/.bin/lighthouse").exists() {
        bail!("end2end/node_modules/.bin/lighthouse is missing\n    fix: add the npm package `lighthouse` to end2end/package.json (npm i -D -E lighthouse@12.2.3)");
    }
    Ok(())
}

/// Signs in through the browser's login form (the `log_in` server function) and answers the
/// session cookie as `name=value`.
pub async fn session_cookie(addr: &str, email: &str, password: &str) -> Result<String> {
    let client = Client::builder()
        .redirect(Policy::none())
        .build()
        .context("building an HTTP client")?;
    let response = client
        .post(format!("http://{addr}/rpc/log_in"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .context("POST /rpc/log_in")?;
    let status = response.status();
    let cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| cookie_pair(value, SESSION_COOKIE));
    match cookie {
        Some(cookie) => Ok(cookie),
        None => bail!(
            "POST /rpc/log_in answered {status} without a {SESSION_COOKIE} cookie: {}",
            response.text().await.unwrap_or_default()
        ),
    }
}

/// `name=value` from a `Set-Cookie` header value, when it sets `name`.
fn cookie_pair(set_cookie: &str, name: &str) -> Option<String> {
    let pair = set_cookie.split(';').next()?.trim();
    let (key, value) = pair.split_once('=')?;
    (key == name && !value.is_empty()).then(|| pair.to_owned())
}

/// Audits `page` on the server at `addr`; the report goes to target/tmp.
pub fn audit(
    root: &Path,
    toolchain: &Toolchain,
    chromium: &Path,
    addr: &str,
    page: &Page,
) -> Result<Audit> {
    let out_dir = workspace::target_dir(root).join("tmp");
    std::fs::create_dir_all(&out_dir)?;
    let base = out_dir.join(format!("lighthouse-{}", page.label));
    let mut cmd = toolchain.command("npx");
    cmd.current_dir(root.join("end2end"))
        .args([
            "--no-install",
            "lighthouse",
            &format!("http://{addr}{}", page.path),
        ])
        .args([
            "--quiet",
            "--output=json",
            "--output=html",
            "--only-categories=performance,accessibility",
            "--chrome-flags=--headless=new --no-sandbox",
        ])
        .arg(format!("--output-path={}", base.display()))
        .env("CHROME_PATH", chromium);
    let headers = out_dir.join(format!("lighthouse-{}-headers.json", page.label));
    if let Some(cookie) = &page.cookie {
        std::fs::write(
            &headers,
            serde_json::json!({ "Cookie": cookie }).to_string(),
        )?;
        cmd.arg(format!("--extra-headers={}", headers.display()));
    }
    let result = run(&mut cmd);
    if page.cookie.is_some() {
        let _ = std::fs::remove_file(&headers);
    }
    result?;
    let report = base.with_file_name(format!("lighthouse-{}.report.json", page.label));
    let json: Value = serde_json::from_str(&workspace::read(&report)?)
        .with_context(|| format!("parsing {}", report.display()))?;
    let mut audit = read_report(&json, page);
    audit.report = report.with_extension("html");
    info(format!(
        "{}: performance {}, accessibility {} (report: {})",
        page.path,
        shown(audit.performance),
        shown(audit.accessibility),
        audit.report.display()
    ));
    Ok(audit)
}

fn run(cmd: &mut Command) -> Result<()> {
    let status = util::status(cmd)?;
    if !status.success() {
        bail!("`{}` failed ({status})", util::describe(cmd));
    }
    Ok(())
}

fn shown(score: Option<u32>) -> String {
    score.map_or_else(|| "-".to_owned(), |s| s.to_string())
}

/// The figures of a Lighthouse JSON report.
fn read_report(json: &Value, page: &Page) -> Audit {
    let score = |category: &str| {
        json["categories"][category]["score"].as_f64().map(|score| {
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let score = (score * 100.0).round() as u32;
            score
        })
    };
    let numeric = |audit: &str| json["audits"][audit]["numericValue"].as_f64();
    let final_url = json["finalDisplayedUrl"]
        .as_str()
        .or_else(|| json["finalUrl"].as_str())
        .unwrap_or_default();
    let final_path = final_url
        .find("://")
        .and_then(|scheme| {
            final_url[scheme + 3..]
                .find('/')
                .map(|slash| &final_url[scheme + 3 + slash..])
        })
        .unwrap_or("/");
    Audit {
        label: page.label,
        path: page.path.clone(),
        performance: score("performance"),
        accessibility: score("accessibility"),
        lcp_ms: numeric("largest-contentful-paint"),
        tbt_ms: numeric("total-blocking-time"),
        cls: numeric("cumulative-layout-shift"),
        redirected_to: (!final_url.is_empty() && final_path != page.path)
            .then(|| final_path.to_owned()),
        report: PathBuf::new(),
        problem: json["runtimeError"]["message"].as_str().map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_session_cookie() {
        assert_eq!(
            cookie_pair(
                "bloomwatch=abc123; HttpOnly; SameSite=Lax; Path=/",
                "bloomwatch"
            ),
            Some("bloomwatch=abc123".to_owned())
        );
        assert_eq!(cookie_pair("other=1; Path=/", "bloomwatch"), None);
        assert_eq!(cookie_pair("bloomwatch=; Max-Age=0", "bloomwatch"), None);
    }

    #[test]
    fn reads_scores_and_metrics_from_a_report() {
        let page = Page {
            label: "dashboard",
            path: "/spaces/1".to_owned(),
            cookie: None,
        };
        let report = json!({
            "finalDisplayedUrl": "http://127.0.0.1:4000/login?next=%2Fspaces%2F1",
            "categories": {"performance": {"score": 0.874}, "accessibility": {"score": 1}},
            "audits": {
                "largest-contentful-paint": {"numericValue": 2100.5},
                "total-blocking-time": {"numericValue": 120.0},
                "cumulative-layout-shift": {"numericValue": 0.01}
            }
        });
        let audit = read_report(&report, &page);
        assert_eq!(audit.performance, Some(87));
        assert_eq!(audit.accessibility, Some(100));
        assert_eq!(audit.lcp_ms, Some(2100.5));
        assert_eq!(audit.cls, Some(0.01));
        assert_eq!(
            audit.redirected_to.as_deref(),
            Some("/login?next=%2Fspaces%2F1")
        );
        let stayed = json!({"finalDisplayedUrl": "http://127.0.0.1:4000/spaces/1",
                            "categories": {"performance": {"score": null}}});
        let audit = read_report(&stayed, &page);
        assert_eq!(audit.redirected_to, None);
        assert_eq!(audit.performance, None);
    }
}
