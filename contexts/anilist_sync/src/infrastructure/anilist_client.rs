//! The one HTTP client that talks to AniList. Every request first takes a slot from the
//! server-wide budget (waiting at most [`MAX_WAIT_FOR_SLOT`]), every answer re-tunes that
//! budget from AniList's headers, a 429 closes it until AniList's reset, and passing failures
//! (timeouts, 5xx, broken connections) are retried up to twice with jittered backoff, within
//! one deadline per call.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rand::Rng;
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use time::OffsetDateTime;

use super::anilist_api::{self, FetchError, ListChunk, RawResponse, SavedListEntry, Viewer};
use crate::contracts::{AniListMediaId, MediaDto, SearchQuery};
use crate::domain::rate_limit::{RateLimiter, WINDOW};

/// The longest a user-facing call waits for a slot; beyond that it fails fast as rate limited.
pub const MAX_WAIT_FOR_SLOT: Duration = Duration::from_secs(2);
/// The most of an answer we read: AniList's pages of 20 are far smaller.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// The most of a list chunk we read: 500 entries with their media, descriptions included.
const MAX_LIST_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Time for the pauses between attempts, on top of the attempts' own timeouts.
const BACKOFF_ALLOWANCE: Duration = Duration::from_secs(1);

/// The longest wait AniList's `Retry-After` or reset time can impose: its window is a minute,
/// so anything far beyond is an odd answer, and an unbounded one would overflow the clock.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(15 * 60);

/// The first retry's pause; each further retry doubles it.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// Who waits for a call, which decides how it takes a slot of the shared budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// A person waits: the next slot within [`MAX_WAIT_FOR_SLOT`], retries within one deadline.
    Interactive,
    /// A background job: only a slot free right now that leaves people their share, and one
    /// attempt (the job is retried later instead).
    Background,
}

/// One request to AniList's GraphQL endpoint and how it is sent.
struct Call<'a> {
    /// What it does, for the metrics (`search`, `media`, ...).
    operation: &'static str,
    body: serde_json::Value,
    /// The member's token, for calls made on their behalf.
    token: Option<&'a SecretString>,
    pace: Pace,
    max_body: usize,
}

impl<'a> Call<'a> {
    /// A call made for a person who waits, without a token.
    fn interactive(operation: &'static str, query: &str, variables: serde_json::Value) -> Self {
        Self {
            operation,
            body: json!({ "query": query, "variables": variables }),
            token: None,
            pace: Pace::Interactive,
            max_body: MAX_BODY_BYTES,
        }
    }
}

/// Whose list to read: by AniList user id (a linked member) or by user name (anyone public).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListOwner {
    Id(i64),
    Name(String),
}

/// The variables of one `SaveMediaListEntry`: absolute values, only those that are set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListEntryValues {
    pub media_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_raw: Option<u8>,
}

/// How the client is set up.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    pub endpoint: String,
    pub request_timeout: Duration,
    pub initial_requests_per_minute: u32,
    pub max_retries: u32,
}

/// AniList's GraphQL endpoint behind the budget.
#[derive(Debug)]
pub struct AniListClient {
    http: reqwest::Client,
    settings: ClientSettings,
    limiter: Mutex<RateLimiter>,
    sent: AtomicU64,
}

impl AniListClient {
    /// A client with its own budget.
    ///
    /// # Errors
    /// When the HTTP client cannot be built (no TLS backend).
    pub fn new(settings: ClientSettings) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(settings.request_timeout)
            .connect_timeout(settings.request_timeout)
            .user_agent(concat!("BloomWatch/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            limiter: Mutex::new(RateLimiter::new(settings.initial_requests_per_minute)),
            settings,
            sent: AtomicU64::new(0),
        })
    }

    /// How many requests went out since the client was built.
    pub fn requests_sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// The first page of AniList's best matches for `query`.
    ///
    /// # Errors
    /// See [`FetchError`].
    pub async fn search(
        &self,
        query: &SearchQuery,
        now: OffsetDateTime,
    ) -> Result<Vec<MediaDto>, FetchError> {
        let call = Call::interactive(
            "search",
            anilist_api::SEARCH_QUERY,
            json!({
                "search": query.as_str(),
                "page": 1,
                "perPage": anilist_api::SEARCH_PAGE_SIZE,
            }),
        );
        self.call(&call, |raw| anilist_api::search_results(raw, now))
            .await
    }

    /// One anime by id.
    ///
    /// # Errors
    /// See [`FetchError`]; `NotFound` when AniList has no anime with that id.
    pub async fn media(
        &self,
        id: AniListMediaId,
        now: OffsetDateTime,
    ) -> Result<MediaDto, FetchError> {
        let call = Call::interactive("media", anilist_api::MEDIA_QUERY, json!({ "id": id.get() }));
        self.call(&call, |raw| anilist_api::media_result(raw, now))
            .await
    }

    /// Who `token` belongs to (while a member links their account).
    ///
    /// # Errors
    /// See [`FetchError`]; `Unauthorized` when AniList refuses the token.
    pub async fn viewer(&self, token: &SecretString) -> Result<Viewer, FetchError> {
        let call = Call {
            token: Some(token),
            ..Call::interactive("viewer", anilist_api::VIEWER_QUERY, json!({}))
        };
        self.call(&call, anilist_api::viewer_result).await
    }

    /// Sets the token owner's list entry to `values`, in the background.
    ///
    /// # Errors
    /// See [`FetchError`]; `Throttled` when the shared budget has no spare slot now (nothing
    /// was sent), `Unauthorized` when AniList refuses the token, `Invalid` when it refuses
    /// the values.
    pub async fn save_list_entry(
        &self,
        token: &SecretString,
        values: &ListEntryValues,
    ) -> Result<SavedListEntry, FetchError> {
        let call = Call {
            token: Some(token),
            pace: Pace::Background,
            ..Call::interactive(
                "save_list_entry",
                anilist_api::SAVE_LIST_ENTRY_MUTATION,
                json!(values),
            )
        };
        self.call(&call, anilist_api::saved_list_entry).await
    }

    /// Chunk `chunk` (from 1) of `owner`'s anime list; with `token`, a private list of the
    /// token's owner is readable too.
    ///
    /// # Errors
    /// See [`FetchError`]; `NotFound` for an unknown user or someone else's private list.
    pub async fn list_chunk(
        &self,
        owner: &ListOwner,
        chunk: u32,
        token: Option<&SecretString>,
        pace: Pace,
        now: OffsetDateTime,
    ) -> Result<ListChunk, FetchError> {
        let variables = match owner {
            ListOwner::Id(id) => json!({ "userId": id, "chunk": chunk }),
            ListOwner::Name(name) => json!({ "userName": name, "chunk": chunk }),
        };
        let call = Call {
            token,
            pace,
            max_body: MAX_LIST_BODY_BYTES,
            ..Call::interactive("list_chunk", anilist_api::LIST_COLLECTION_QUERY, variables)
        };
        self.call(&call, |raw| anilist_api::list_chunk(raw, now))
            .await
    }

    /// Page `page` (from 1) of the anime AniList knows under these MyAnimeList ids (at most
    /// [`anilist_api::MAL_IDS_PER_PAGE`] of them), and whether more pages follow.
    ///
    /// # Errors
    /// See [`FetchError`].
    pub async fn media_by_mal_ids(
        &self,
        mal_ids: &[i32],
        page: u32,
        pace: Pace,
        now: OffsetDateTime,
    ) -> Result<(Vec<MediaDto>, bool), FetchError> {
        let call = Call {
            pace,
            ..Call::interactive(
                "media_by_mal_ids",
                anilist_api::MAL_IDS_QUERY,
                json!({ "ids": mal_ids, "page": page }),
            )
        };
        self.call(&call, |raw| anilist_api::mal_ids_page(raw, now))
            .await
    }

    async fn call<T>(
        &self,
        call: &Call<'_>,
        read: impl Fn(&RawResponse) -> Result<T, FetchError>,
    ) -> Result<T, FetchError> {
        // Users wait for this call: all attempts together get one and a half request timeouts
        // plus the backoff pauses, so a hung AniList costs 8.5 s by default, not three full
        // timeouts; a retry starts only with a quarter of a timeout left.
        let deadline =
            Instant::now() + self.settings.request_timeout.mul_f32(1.5) + BACKOFF_ALLOWANCE;
        let min_attempt = self.settings.request_timeout / 4;
        let mut retries = 0;
        loop {
            let attempt_timeout = self
                .settings
                .request_timeout
                .min(deadline.saturating_duration_since(Instant::now()));
            let outcome = match self.send(call, attempt_timeout).await {
                Ok(raw) => read(&raw),
                Err(error) => Err(error),
            };
            let pause = backoff(retries);
            match outcome {
                Err(error)
                    if call.pace == Pace::Interactive
                        && error.is_retryable()
                        && retries < self.settings.max_retries
                        && Instant::now() + pause + min_attempt < deadline =>
                {
                    tracing::info!(%error, retry = retries + 1, ?pause, "retrying AniList");
                    tokio::time::sleep(pause).await;
                    retries += 1;
                }
                outcome => return outcome,
            }
        }
    }

    /// Sends one request when the budget allows and returns what came back.
    async fn send(&self, call: &Call<'_>, timeout: Duration) -> Result<RawResponse, FetchError> {
        let now = Instant::now();
        let slot = match call.pace {
            Pace::Interactive => self.limiter().reserve(now, MAX_WAIT_FOR_SLOT),
            Pace::Background => self.limiter().reserve_spare(now),
        }
        .map_err(|retry_after| {
            metrics::counter!("bloomwatch_anilist_requests_total", "operation" => call.operation, "outcome" => "held_back")
                .increment(1);
            FetchError::Throttled { retry_after }
        })?;
        metrics::histogram!("bloomwatch_anilist_limiter_wait_seconds", "operation" => call.operation)
            .record(slot.saturating_duration_since(now).as_secs_f64());
        tokio::time::sleep_until(slot.into()).await;

        self.sent.fetch_add(1, Ordering::Relaxed);
        let mut builder = self
            .http
            .post(&self.settings.endpoint)
            .header(ACCEPT, "application/json")
            .timeout(timeout)
            .json(&call.body);
        if let Some(token) = call.token {
            builder = builder.header(AUTHORIZATION, format!("Bearer {}", token.expose_secret()));
        }
        let sent = builder.send().await.map_err(transport_error);
        let outcome = match &sent {
            Ok(response) if response.status().is_success() => "ok",
            Ok(response) if response.status().as_u16() == 429 => "rate_limited",
            Ok(response) if response.status().is_server_error() => "server_error",
            Ok(_) => "refused",
            Err(FetchError::Timeout) => "timeout",
            Err(_) => "transport_error",
        };
        metrics::counter!("bloomwatch_anilist_requests_total", "operation" => call.operation, "outcome" => outcome)
            .increment(1);
        let mut response = sent?;

        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers());
        {
            let now = Instant::now();
            let mut limiter = self.limiter();
            // A 429's own wait is the one that counts (its "0 remaining" would close the
            // budget for a whole minute whatever `Retry-After` says).
            let remaining = if status == 429 {
                None
            } else {
                header_number(response.headers(), "x-ratelimit-remaining")
            };
            limiter.observe(
                now,
                header_number(response.headers(), "x-ratelimit-limit"),
                remaining,
            );
            if status == 429 {
                limiter.block_until(now + retry_after.unwrap_or(WINDOW));
            }
        }

        if response
            .content_length()
            .is_some_and(|length| length > call.max_body as u64)
        {
            return Err(too_large(call.max_body));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            if body.len() + chunk.len() > call.max_body {
                return Err(too_large(call.max_body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse {
            status,
            retry_after,
            body,
        })
    }

    fn limiter(&self) -> std::sync::MutexGuard<'_, RateLimiter> {
        self.limiter.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn too_large(max_body: usize) -> FetchError {
    FetchError::Malformed(format!("the answer is larger than {max_body} bytes"))
}

fn transport_error(error: reqwest::Error) -> FetchError {
    if error.is_timeout() {
        FetchError::Timeout
    } else {
        FetchError::Transport(error.to_string())
    }
}

/// The pause before retry number `retries + 1`: 200 ms, 400 ms, … with ±20% jitter, so
/// instances that failed together do not retry together.
fn backoff(retries: u32) -> Duration {
    let base = FIRST_BACKOFF.saturating_mul(2u32.saturating_pow(retries));
    base.mul_f64(rand::thread_rng().gen_range(0.8..1.2))
}

fn header_number<T: std::str::FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// How long AniList asks us to wait: `Retry-After` in seconds, else `X-RateLimit-Reset` (a
/// Unix time) from now; at most [`MAX_RETRY_AFTER`].
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = match header_number::<u64>(headers, RETRY_AFTER.as_str()) {
        Some(seconds) => seconds,
        None => {
            let reset: u64 = header_number(headers, "x-ratelimit-reset")?;
            let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
            reset.saturating_sub(now)
        }
    };
    Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_doubles_with_jitter() {
        for _ in 0..50 {
            let first = backoff(0);
            let second = backoff(1);
            assert!(first >= Duration::from_millis(160) && first <= Duration::from_millis(240));
            assert!(second >= Duration::from_millis(320) && second <= Duration::from_millis(480));
        }
    }

    #[test]
    fn retry_after_prefers_the_header_then_the_reset_time() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        let in_a_minute = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 60;
        headers.insert("x-ratelimit-reset", HeaderValue::from(in_a_minute));
        let from_reset = retry_after(&headers).unwrap();
        assert!(from_reset >= Duration::from_secs(59) && from_reset <= Duration::from_secs(60));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("30"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(30)));
        headers.insert(RETRY_AFTER, HeaderValue::from(u64::MAX));
        assert_eq!(retry_after(&headers), Some(MAX_RETRY_AFTER));
        headers.remove(RETRY_AFTER);
        headers.insert("x-ratelimit-reset", HeaderValue::from(u64::MAX));
        assert_eq!(retry_after(&headers), Some(MAX_RETRY_AFTER));
        headers.insert("x-ratelimit-limit", HeaderValue::from_static(" 90 "));
        assert_eq!(
            header_number::<u32>(&headers, "x-ratelimit-limit"),
            Some(90)
        );
    }
}
