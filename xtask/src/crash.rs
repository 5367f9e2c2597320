//! The crash test of `cargo xtask test`: the server (the binary the site build made) takes
//! writes from several clients, is killed with `kill -9` while they are in flight, and
//! PostgreSQL is stopped at once after it (`-m immediate`, no checkpoint: it recovers from its
//! WAL on the next start). Every write the server acknowledged must then be there.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::json;

use crate::api::{Account, Api, IdOnly};
use crate::build::{self, SiteBuild};
use crate::postgres::Cluster;
use crate::token_keys;
use crate::util::{self, info};
use crate::workspace;

const DATABASE: &str = "bloomwatch_crash";
const WRITERS: usize = 4;
/// How long the writers run before the kill.
const WRITING: Duration = Duration::from_secs(3);
const READY_LIMIT: Duration = Duration::from_secs(60);

#[derive(Deserialize)]
struct Space {
    id: String,
}

/// What the crash test saw: writes acknowledged before the kill, and how many were found after.
pub struct Outcome {
    pub acknowledged: usize,
    pub found: usize,
}

pub fn run(root: &std::path::Path) -> Result<Outcome> {
    let mut cluster = Cluster::durable_throwaway()?;
    cluster.ensure_database(DATABASE)?;
    let env = vec![
        ("DATABASE_URL", cluster.url(DATABASE)),
        ("BLOOMWATCH_REGISTRATIONS_PER_HOUR", "100000".to_owned()),
        (token_keys::VARIABLE, token_keys::fresh()?),
    ];
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;

    let log_dir = workspace::target_dir(root).join("tmp");
    std::fs::create_dir_all(&log_dir)?;
    let addr = format!("127.0.0.1:{}", util::free_port()?);
    let mut env_here = env.clone();
    env_here.push(("BLOOMWATCH_ADDR", addr.clone()));
    let mut server = build::spawn_server(
        root,
        SiteBuild::Quick,
        &env_here,
        addr.clone(),
        Some(log_dir.join("crash-server.log")),
    )?;
    server.wait_ready(READY_LIMIT)?;
    let api = Arc::new(Api::new(reqwest::Client::new(), &addr));
    let token = runtime.block_on(sign_in(&api))?;
    let acknowledged = runtime.block_on(write_until_killed(&api, &token, || {
        server.kill().map(|_| ())
    }))?;
    cluster.crash_and_restart()?;

    let addr = format!("127.0.0.1:{}", util::free_port()?);
    let mut env_there = env;
    env_there.push(("BLOOMWATCH_ADDR", addr.clone()));
    let mut restarted = build::spawn_server(
        root,
        SiteBuild::Quick,
        &env_there,
        addr.clone(),
        Some(log_dir.join("crash-restarted-server.log")),
    )?;
    restarted.wait_ready(READY_LIMIT)?;
    let api = Api::new(reqwest::Client::new(), &addr);
    let stored: Vec<Space> = runtime.block_on(api.all_pages(&token, "/watch-spaces"))?;
    restarted.stop()?;
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !stored.iter().any(|space| &space.id == *id))
        .collect();
    if !missing.is_empty() {
        bail!(
            "{} of {} acknowledged writes were lost in the crash: {missing:?}",
            missing.len(),
            acknowledged.len()
        );
    }
    if acknowledged.is_empty() {
        bail!("no write was acknowledged before the kill: the test proved nothing");
    }
    Ok(Outcome {
        acknowledged: acknowledged.len(),
        found: stored.len(),
    })
}

async fn sign_in(api: &Api) -> Result<String> {
    let member = api
        .sign_in(&Account {
            display_name: "Crash",
            email: "crash@example.org",
            password: "correct horse battery",
        })
        .await?;
    Ok(member.token)
}

/// Writers create spaces until `kill` has run (after [`WRITING`]); the ids of those the server
/// answered 201 for.
async fn write_until_killed(
    api: &Arc<Api>,
    token: &str,
    kill: impl FnOnce() -> Result<()>,
) -> Result<Vec<String>> {
    let deadline = Instant::now() + WRITING * 10;
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let api = api.clone();
            let token = token.to_owned();
            tokio::spawn(async move {
                let mut acknowledged = Vec::new();
                for n in 0.. {
                    if Instant::now() > deadline {
                        break;
                    }
                    let body = json!({"name": format!("Crash {writer}-{n}")});
                    let reply = api
                        .call(Some(&token), Method::POST, "/watch-spaces", Some(body))
                        .await;
                    match reply {
                        Ok(reply) if reply.status == StatusCode::CREATED => {
                            acknowledged.push(reply.parse::<IdOnly>()?.id);
                        }
                        // The server is gone: this writer is done.
                        _ => break,
                    }
                }
                anyhow::Ok(acknowledged)
            })
        })
        .collect();
    tokio::time::sleep(WRITING).await;
    info("kill -9 of the server while writes are in flight");
    kill()?;
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await??);
    }
    Ok(acknowledged)
}
