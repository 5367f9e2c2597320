//! Prometheus metrics: the `metrics` facade (which the contexts count through) recorded by
//! the Prometheus exporter, rendered at `GET /metrics` for a scraper that sends
//! `Authorization: Bearer <BLOOMWATCH_METRICS_TOKEN>` (404 while no token is set). Request
//! durations are recorded here, per method, route template and status class.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kernel::ErrorKind;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use secrecy::{ExposeSecret as _, SecretString};
use sha2::{Digest, Sha256};

use crate::rest::problem::ApiError;

/// The request-duration histogram.
const REQUEST_DURATION: &str = "bloomwatch_http_request_duration_seconds";
/// Its buckets, in seconds: a page is good within 0.2 s and poor beyond 1 s.
const DURATION_BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The process's one recorder (the first server built installs it; tests build many).
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full(REQUEST_DURATION.to_owned()),
                &DURATION_BUCKETS,
            )
            .map(PrometheusBuilder::build_recorder)
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "metrics buckets refused; using summaries");
                PrometheusBuilder::new().build_recorder()
            });
        let handle = recorder.handle();
        if let Err(error) = metrics::set_global_recorder(recorder) {
            tracing::warn!(%error, "another metrics recorder is installed; /metrics stays empty");
        }
        handle
    })
}

/// Who may read `/metrics`: the SHA-256 of the configured token. Digests are compared, so
/// how long a comparison takes tells nothing about the token.
#[derive(Clone)]
pub struct MetricsAccess {
    token_hash: Option<[u8; 32]>,
}

impl MetricsAccess {
    pub fn new(token: Option<&SecretString>) -> Self {
        // Installed even without a token: the counters then simply go unread.
        handle();
        Self {
            token_hash: token.map(|token| Sha256::digest(token.expose_secret().as_bytes()).into()),
        }
    }

    fn allows(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        let Some(expected) = self.token_hash else {
            return Err(ApiError::new(ErrorKind::NotFound, "There is nothing here."));
        };
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(|token| <[u8; 32]>::from(Sha256::digest(token.as_bytes())));
        if presented.is_some_and(|presented| presented == expected) {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorKind::Unauthenticated,
                "Send the metrics token as a bearer token.",
            ))
        }
    }
}

/// `GET /metrics`: Prometheus' text format.
pub async fn render(State(access): State<MetricsAccess>, headers: HeaderMap) -> Response {
    match access.allows(&headers) {
        Ok(()) => (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            handle().render(),
        )
            .into_response(),
        Err(refused) => refused.into_response(),
    }
}

/// Records how long each request took, by method, route template (never the raw path: ids
/// would make every request a series of its own) and status class.
pub async fn record_duration(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let status = format!("{}xx", response.status().as_u16() / 100);
    metrics::histogram!(REQUEST_DURATION, "method" => method, "route" => route, "status" => status)
        .record(started.elapsed().as_secs_f64());
    response
}
