//! A closed-loop HTTP load generator: `concurrency` workers, each sending its next request as
//! soon as the previous answer is read in full, over kept-alive connections. Every endpoint is
//! warmed up once, then measured for a fixed time in each of several interleaved rounds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use reqwest::header::{HeaderValue, AUTHORIZATION};
use reqwest::{Client, Method};
use serde_json::json;
use tokio::sync::Mutex;
use tokio::task::JoinSet;

use crate::api::{participant, Anime, Member};
use crate::util::interrupted;

/// What one endpoint's workers send.
pub enum Request {
    /// `GET url`, with a bearer token when given.
    Get { url: String, token: Option<String> },
    /// `PATCH .../participant-progress` on anime the worker owns, with the versions it saw.
    Progress(Arc<Writes>),
}

pub struct Endpoint {
    pub label: String,
    pub request: Request,
}

/// How long and how hard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub concurrency: usize,
    pub warmup: Duration,
    pub measured: Duration,
    pub rounds: usize,
}

/// One endpoint in one round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub rps: f64,
    pub p50: Duration,
    pub p99: Duration,
}

/// One endpoint over all rounds.
pub struct Measured {
    pub label: String,
    pub rounds: Vec<Sample>,
    pub requests: usize,
    /// Non-2xx answers and failed requests, warm-up included.
    pub errors: usize,
    pub first_error: Option<String>,
}

impl Measured {
    /// The median of each figure over the rounds.
    pub fn median(&self) -> Sample {
        let mut rps: Vec<f64> = self.rounds.iter().map(|s| s.rps).collect();
        let mut p50: Vec<Duration> = self.rounds.iter().map(|s| s.p50).collect();
        let mut p99: Vec<Duration> = self.rounds.iter().map(|s| s.p99).collect();
        rps.sort_by(f64::total_cmp);
        p50.sort();
        p99.sort();
        Sample {
            rps: middle(&rps).copied().unwrap_or(0.0),
            p50: middle(&p50).copied().unwrap_or_default(),
            p99: middle(&p99).copied().unwrap_or_default(),
        }
    }
}

/// The middle element (the upper one of an even count).
fn middle<T>(sorted: &[T]) -> Option<&T> {
    sorted.get(sorted.len() / 2)
}

/// The progress writes' state: each worker owns distinct anime (one member's entry on each),
/// so no two requests ever race for the same version.
pub struct Writes {
    per_worker: Vec<Mutex<Owned>>,
}

struct Owned {
    entries: Vec<OwnedEntry>,
    next: usize,
}

struct OwnedEntry {
    url: String,
    member: usize,
    auth: HeaderValue,
    user_id: String,
    version: i32,
    episodes: i32,
    count: i32,
}

impl Writes {
    /// Splits `anime` (the space's list as `members[0]` sees it) over `workers` workers; anime
    /// `i` goes to worker `i % workers`, which edits it as member `(i / workers) % members`.
    pub fn new(
        base: &str,
        space_id: &str,
        anime: &[Anime],
        members: &[Member],
        workers: usize,
    ) -> Result<Self> {
        let workers = workers.max(1);
        let mut per_worker: Vec<Owned> = (0..workers)
            .map(|_| Owned {
                entries: Vec::new(),
                next: 0,
            })
            .collect();
        let with_count = anime
            .iter()
            .filter(|a| a.episode_count_snapshot.is_some_and(|c| c >= 1));
        for (index, anime) in with_count.enumerate() {
            let member_index = (index / workers) % members.len().max(1);
            let Some(member) = members.get(member_index) else {
                bail!("no members to write as");
            };
            let own = participant(anime, member);
            per_worker[index % workers].entries.push(OwnedEntry {
                url: format!(
                    "{base}/api/watch-spaces/{space_id}/anime/{}/participant-progress",
                    anime.id
                ),
                member: member_index,
                auth: bearer(&member.token)?,
                user_id: member.user_id.clone(),
                version: own.map_or(0, |p| p.version),
                episodes: own.map_or(0, |p| p.episodes_watched),
                count: anime.episode_count_snapshot.unwrap_or(1),
            });
        }
        if let Some(empty) = per_worker.iter().position(|w| w.entries.is_empty()) {
            bail!(
                "worker {empty} has no anime to write to: seed more anime or use fewer connections"
            );
        }
        Ok(Self {
            per_worker: per_worker.into_iter().map(Mutex::new).collect(),
        })
    }
}

fn bearer(token: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(&format!("Bearer {token}")).context("a token that is no header value")
}

/// What one request came to.
enum Outcome {
    Ok,
    Failed(String),
}

/// One worker's view of an endpoint, prepared once per phase.
enum Prepared {
    Get {
        url: String,
        auth: Option<HeaderValue>,
    },
    Progress {
        writes: Arc<Writes>,
        worker: usize,
    },
}

impl Prepared {
    fn new(request: &Request, worker: usize) -> Result<Self> {
        Ok(match request {
            Request::Get { url, token } => Prepared::Get {
                url: url.clone(),
                auth: token.as_deref().map(bearer).transpose()?,
            },
            Request::Progress(writes) => Prepared::Progress {
                writes: Arc::clone(writes),
                worker: worker % writes.per_worker.len(),
            },
        })
    }

    async fn send(&self, client: &Client) -> Outcome {
        match self {
            Prepared::Get { url, auth } => {
                let mut request = client.get(url);
                if let Some(auth) = auth {
                    request = request.header(AUTHORIZATION, auth.clone());
                }
                match request.send().await {
                    Ok(response) => {
                        let status = response.status();
                        match response.bytes().await {
                            Ok(_) if status.is_success() => Outcome::Ok,
                            Ok(body) => Outcome::Failed(format!(
                                "{status}: {}",
                                String::from_utf8_lossy(&body)
                            )),
                            Err(e) => Outcome::Failed(format!("reading the body: {e}")),
                        }
                    }
                    Err(e) => Outcome::Failed(format!("{e}")),
                }
            }
            Prepared::Progress { writes, worker } => {
                let mut owned = writes.per_worker[*worker].lock().await;
                let index = owned.next % owned.entries.len();
                owned.next = owned.next.wrapping_add(1);
                let entry = &mut owned.entries[index];
                write_progress(client, entry).await
            }
        }
    }
}

/// The next episode count (wrapping to 0 after the last), so every write changes something.
fn next_episodes(episodes: i32, count: i32) -> i32 {
    (episodes + 1) % (count.max(1) + 1)
}

async fn write_progress(client: &Client, entry: &mut OwnedEntry) -> Outcome {
    let episodes = next_episodes(entry.episodes, entry.count);
    let response = client
        .request(Method::PATCH, &entry.url)
        .header(AUTHORIZATION, entry.auth.clone())
        .json(&json!({"version": entry.version, "episodesWatched": episodes}))
        .send()
        .await;
    let response = match response {
        Ok(response) => response,
        Err(e) => return Outcome::Failed(format!("{e}")),
    };
    let status = response.status();
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(e) => return Outcome::Failed(format!("reading the body: {e}")),
    };
    if !status.is_success() {
        return Outcome::Failed(format!("{status}: {}", String::from_utf8_lossy(&body)));
    }
    let anime: Anime = match serde_json::from_slice(&body) {
        Ok(anime) => anime,
        Err(e) => return Outcome::Failed(format!("an unexpected body ({e})")),
    };
    let member = Member {
        token: String::new(),
        user_id: entry.user_id.clone(),
    };
    match participant(&anime, &member) {
        Some(own) => {
            entry.version = own.version;
            entry.episodes = own.episodes_watched;
            Outcome::Ok
        }
        None => Outcome::Failed(format!(
            "the answer lists no entry of member {}",
            entry.member + 1
        )),
    }
}

/// What one phase of one endpoint came to.
struct Phase {
    latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
    requests: usize,
}

/// Runs `endpoints` as `settings` say, on the calling runtime.
pub async fn measure(
    client: &Client,
    endpoints: &[Endpoint],
    settings: Settings,
    mut report: impl FnMut(&str),
) -> Result<Vec<Measured>> {
    // One request each first: an endpoint that fails fails the benchmark before any load.
    for endpoint in endpoints {
        if let Outcome::Failed(why) = Prepared::new(&endpoint.request, 0)?.send(client).await {
            bail!("{} answered {why}", endpoint.label);
        }
    }
    let mut results: Vec<Measured> = endpoints
        .iter()
        .map(|endpoint| Measured {
            label: endpoint.label.clone(),
            rounds: Vec::new(),
            requests: 0,
            errors: 0,
            first_error: None,
        })
        .collect();
    if !settings.warmup.is_zero() {
        for (endpoint, result) in endpoints.iter().zip(&mut results) {
            report(&format!(
                "warming up {} for {}s",
                endpoint.label,
                settings.warmup.as_secs_f64()
            ));
            let phase = run_phase(client, endpoint, settings.concurrency, settings.warmup).await?;
            result.absorb(&phase);
        }
    }
    for round in 1..=settings.rounds {
        for (endpoint, result) in endpoints.iter().zip(&mut results) {
            let phase =
                run_phase(client, endpoint, settings.concurrency, settings.measured).await?;
            result.absorb(&phase);
            let sample = sample(phase.latencies, settings.measured);
            report(&format!(
                "round {round}/{}: {:<44} {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms",
                settings.rounds,
                endpoint.label,
                sample.rps,
                millis(sample.p50),
                millis(sample.p99)
            ));
            result.rounds.push(sample);
        }
    }
    Ok(results)
}

impl Measured {
    fn absorb(&mut self, phase: &Phase) {
        self.requests += phase.requests;
        self.errors += phase.errors;
        if self.first_error.is_none() {
            self.first_error.clone_from(&phase.first_error);
        }
    }
}

/// `concurrency` workers send `endpoint`'s requests back to back for `length`.
async fn run_phase(
    client: &Client,
    endpoint: &Endpoint,
    concurrency: usize,
    length: Duration,
) -> Result<Phase> {
    let end = Instant::now() + length;
    let mut workers = JoinSet::new();
    for worker in 0..concurrency.max(1) {
        let prepared = Prepared::new(&endpoint.request, worker)?;
        let client = client.clone();
        workers.spawn(async move {
            let mut phase = Phase {
                latencies: Vec::with_capacity(4096),
                errors: 0,
                first_error: None,
                requests: 0,
            };
            while Instant::now() < end && !interrupted() {
                let started = Instant::now();
                let outcome = prepared.send(&client).await;
                let finished = Instant::now();
                // Like wrk: a request still running at the end counts only as an error, if one.
                if finished <= end {
                    phase.latencies.push(finished - started);
                }
                phase.requests += 1;
                if let Outcome::Failed(why) = outcome {
                    phase.errors += 1;
                    phase.first_error.get_or_insert(why);
                }
            }
            phase
        });
    }
    let mut total = Phase {
        latencies: Vec::new(),
        errors: 0,
        first_error: None,
        requests: 0,
    };
    while let Some(joined) = workers.join_next().await {
        let phase = joined.context("a load worker failed")?;
        total.latencies.extend(phase.latencies);
        total.errors += phase.errors;
        total.requests += phase.requests;
        if total.first_error.is_none() {
            total.first_error = phase.first_error;
        }
    }
    if interrupted() {
        bail!("interrupted");
    }
    Ok(total)
}

/// Requests per second over `length` (those answered within it), and the latency percentiles.
fn sample(mut latencies: Vec<Duration>, length: Duration) -> Sample {
    latencies.sort();
    let count = latencies.len();
    #[expect(clippy::cast_precision_loss)]
    let rps = count as f64 / length.as_secs_f64().max(f64::EPSILON);
    Sample {
        rps,
        p50: percentile(&latencies, 50),
        p99: percentile(&latencies, 99),
    }
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (sorted.len() * percent).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

pub fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&v| Duration::from_millis(v)).collect()
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let values = ms(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&values, 50), Duration::from_millis(50));
        assert_eq!(percentile(&values, 99), Duration::from_millis(99));
        assert_eq!(percentile(&ms(&[7]), 99), Duration::from_millis(7));
        assert_eq!(percentile(&[], 50), Duration::ZERO);
    }

    #[test]
    fn a_sample_counts_requests_per_second() {
        let sample = sample(ms(&[3, 1, 2, 4]), Duration::from_secs(2));
        assert!((sample.rps - 2.0).abs() < 1e-9);
        assert_eq!(sample.p50, Duration::from_millis(2));
        assert_eq!(sample.p99, Duration::from_millis(4));
    }

    #[test]
    fn the_median_is_taken_per_figure() {
        let sample = |rps, p50, p99| Sample {
            rps,
            p50: Duration::from_millis(p50),
            p99: Duration::from_millis(p99),
        };
        let measured = Measured {
            label: "x".to_owned(),
            rounds: vec![sample(10.0, 5, 9), sample(30.0, 1, 7), sample(20.0, 3, 30)],
            requests: 0,
            errors: 0,
            first_error: None,
        };
        assert_eq!(measured.median(), sample(20.0, 3, 9));
    }

    #[test]
    fn progress_writes_always_change_the_count() {
        assert_eq!(next_episodes(0, 12), 1);
        assert_eq!(next_episodes(11, 12), 12);
        assert_eq!(next_episodes(12, 12), 0);
        assert_eq!(next_episodes(0, 1), 1);
        assert_eq!(next_episodes(1, 1), 0);
    }

    #[test]
    fn each_worker_owns_distinct_anime() {
        let anime: Vec<Anime> = (0..10)
            .map(|i| {
                serde_json::from_value(json!({
                    "id": format!("a{i}"), "version": 1, "episodeCountSnapshot": 12,
                    "participants": [{"userId": "u2", "version": 3, "episodesWatched": 4}]
                }))
                .unwrap()
            })
            .collect();
        let members: Vec<Member> = ["u1", "u2"]
            .iter()
            .map(|id| Member {
                token: format!("t-{id}"),
                user_id: (*id).to_owned(),
            })
            .collect();
        let writes = Writes::new("http://h", "s", &anime, &members, 4).unwrap();
        let mut seen = std::collections::HashSet::new();
        for worker in &writes.per_worker {
            let owned = worker.try_lock().unwrap();
            for entry in &owned.entries {
                assert!(seen.insert(entry.url.clone()), "{} twice", entry.url);
            }
        }
        assert_eq!(seen.len(), 10);
        let first = writes.per_worker[0].try_lock().unwrap();
        // Anime 0 as member 1 (u1, no entry yet), anime 4 as member 2 (u2, version 3).
        assert_eq!(first.entries[0].version, 0);
        assert_eq!(first.entries[1].version, 3);
        assert_eq!(first.entries[1].episodes, 4);
        assert!(first.entries[0]
            .url
            .ends_with("/api/watch-spaces/s/anime/a0/participant-progress"));
        assert!(Writes::new("http://h", "s", &anime[..2], &members, 4).is_err());
    }
}
