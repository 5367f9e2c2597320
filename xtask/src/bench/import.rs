//! The import figures (issue 12): a 1,000-entry AniList list and the same list as a
//! MyAnimeList file (the fake's generator), each imported by a new member into a space of their
//! own through the REST API, timed from the request that starts it to the job reading `done`,
//! with the AniList calls the fake counted meanwhile.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fake_anilist::GeneratedListSpec;
use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::api::{Account, Api, IdOnly, Member};
use crate::fake::InProcessAniList;

/// Titles on the imported list.
const ENTRIES: usize = 1_000;
/// The generated AniList user whose list is imported.
const LIST_OWNER: &str = "BenchImport";
/// Longer than any import of 1,000 titles should take, even on a busy machine.
const LIMIT: Duration = Duration::from_secs(300);
const BOUNDARY: &str = "xtask-bench-import";

/// One import, measured.
pub struct Imported {
    pub label: &'static str,
    pub took: Duration,
    /// GraphQL requests the fake received during the import, and those of the operation the
    /// import is made of (`MediaListCollection` or `idMal_in`).
    pub calls: usize,
    pub operation: &'static str,
    pub operation_calls: usize,
    /// Issue 12's bound on `calls`.
    pub max_calls: usize,
    pub added: u64,
    pub unmatched: usize,
}

/// Imports the generated list from AniList, then its MyAnimeList file, each into a new space.
///
/// # Errors
/// A request that fails, a job that fails or does not finish within five minutes.
pub async fn measure(
    api: &Api,
    client: &Client,
    addr: &str,
    fake: &InProcessAniList,
) -> Result<Vec<Imported>> {
    let list = fake.insert_generated_user(&GeneratedListSpec {
        name: LIST_OWNER.to_owned(),
        entries: ENTRIES,
        ..GeneratedListSpec::default()
    })?;
    let mut measured = Vec::new();
    // Issue 12: 500 entries a call from AniList, 50 MAL ids a call for the file.
    for (index, (label, max_calls)) in [("AniList list", 3), ("MyAnimeList file", 20)]
        .into_iter()
        .enumerate()
    {
        let email = format!("importer{index}@bench.example");
        let member = api
            .sign_in(&Account {
                display_name: "Importer",
                email: &email,
                password: "correct horse battery staple",
            })
            .await?;
        let space: IdOnly = api
            .call(
                Some(&member.token),
                Method::POST,
                "/watch-spaces",
                Some(json!({"name": format!("Import {index}")})),
            )
            .await?
            .parse()?;
        let path = format!("/watch-spaces/{}/imports", space.id);
        let (before, operation) = if index == 0 {
            (
                fake.request_counts("MediaListCollection"),
                "MediaListCollection",
            )
        } else {
            (fake.request_counts("idMal_in"), "idMal_in")
        };
        let started = Instant::now();
        let job: Value = if index == 0 {
            api.call(
                Some(&member.token),
                Method::POST,
                &path,
                Some(json!({"source": "anilist", "userName": LIST_OWNER})),
            )
            .await?
            .parse()?
        } else {
            upload(client, addr, &path, &member, list.mal_xml.as_bytes()).await?
        };
        let job = finished(api, &member, &path, &job).await?;
        let took = started.elapsed();
        let after = fake.request_counts(operation);
        measured.push(Imported {
            label,
            took,
            calls: after.0 - before.0,
            operation,
            operation_calls: after.1 - before.1,
            max_calls,
            added: job["added"].as_u64().unwrap_or(0),
            unmatched: job["unmatched"].as_array().map_or(0, Vec::len),
        });
    }
    Ok(measured)
}

/// `POST /api{path}` with the file as a `multipart/form-data` upload; the job it starts.
async fn upload(
    client: &Client,
    addr: &str,
    path: &str,
    member: &Member,
    file: &[u8],
) -> Result<Value> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
         filename=\"animelist.xml\"\r\nContent-Type: application/xml\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let response = client
        .post(format!("http://{addr}/api{path}"))
        .bearer_auth(&member.token)
        .header(
            reqwest::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .with_context(|| format!("POST /api{path}"))?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        bail!("POST /api{path} answered {status}: {text}");
    }
    Ok(serde_json::from_str(&text)?)
}

/// Follows the job until it is done.
async fn finished(api: &Api, member: &Member, path: &str, job: &Value) -> Result<Value> {
    let id = job["id"].as_str().context("the import has no id")?;
    let deadline = Instant::now() + LIMIT;
    loop {
        let job: Value = api
            .call(
                Some(&member.token),
                Method::GET,
                &format!("{path}/{id}"),
                None,
            )
            .await?
            .parse()?;
        match job["state"].as_str() {
            Some("done") => return Ok(job),
            Some("failed") => bail!("the import failed: {job}"),
            _ if Instant::now() > deadline => bail!("the import did not finish in time: {job}"),
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}
