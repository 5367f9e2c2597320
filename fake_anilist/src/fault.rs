//! Failures the fake can inject into GraphQL answers, modelled on what AniList really returns.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::graphql::{graphql_error, too_many_requests, ERROR_LOCATION};

/// A failure applied to GraphQL requests (see [`crate::FakeAniList::set_fault`]).
///
/// JSON form (for `POST /__control/fault`): `{"kind": "serverError"}`,
/// `{"kind": "rateLimited", "retryAfterSeconds": 30}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum Fault {
    /// HTTP 429 with `Retry-After`, `X-RateLimit-Remaining: 0`, `X-RateLimit-Reset` and
    /// AniList's "Too Many Requests." body.
    RateLimited {
        #[serde(alias = "retry_after_seconds")]
        retry_after_seconds: u64,
    },
    /// HTTP 500 with a small HTML body, as a proxy in front of AniList would send.
    ServerError,
    /// The request is accepted and never answered (the client's timeout must fire).
    Timeout,
    /// HTTP 200, `Content-Type: application/json`, a body that is not JSON.
    MalformedJson,
    /// HTTP 200 carrying only a GraphQL error: AniList answers errors with 200 at times.
    GraphQlErrors,
    /// HTTP 403 with the error AniList sends while its API is switched off.
    Disabled,
    /// HTTP 200 with valid JSON in a shape no query asked for.
    WrongShape,
}

impl Fault {
    /// The answer for this fault. For `Timeout` the handler first waits an hour (or until the
    /// server stops), so its 504 is only ever seen by a client without a timeout.
    pub(crate) fn response(self, now_unix: u64) -> Response {
        match self {
            Fault::RateLimited {
                retry_after_seconds,
            } => too_many_requests(retry_after_seconds, now_unix + retry_after_seconds),
            Fault::ServerError => (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, HeaderValue::from_static("text/html"))],
                "<html><head><title>500 Internal Server Error</title></head>\
                 <body><h1>500 Internal Server Error</h1></body></html>",
            )
                .into_response(),
            Fault::Timeout => StatusCode::GATEWAY_TIMEOUT.into_response(),
            Fault::MalformedJson => (
                StatusCode::OK,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                r#"{"data":{"Page":{"pageInfo":{"hasNextPage":tru"#,
            )
                .into_response(),
            Fault::GraphQlErrors => {
                let mut response = graphql_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal Server Error",
                    Some(ERROR_LOCATION),
                    serde_json::Value::Null,
                );
                // The error says 500 while the transport says 200.
                *response.status_mut() = StatusCode::OK;
                response
            }
            Fault::Disabled => graphql_error(
                StatusCode::FORBIDDEN,
                "The AniList API has been temporarily disabled.",
                None,
                serde_json::Value::Null,
            ),
            Fault::WrongShape => (
                StatusCode::OK,
                axum::Json(json!({"data": {"Page": {"media": "nope"}}})),
            )
                .into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_use_camel_case_json_and_accept_the_snake_case_field() {
        let fault = Fault::RateLimited {
            retry_after_seconds: 7,
        };
        assert_eq!(
            serde_json::to_value(fault).unwrap(),
            json!({"kind": "rateLimited", "retryAfterSeconds": 7})
        );
        let parsed: Fault =
            serde_json::from_value(json!({"kind": "rateLimited", "retry_after_seconds": 7}))
                .unwrap();
        assert_eq!(parsed, fault);
        let parsed: Fault = serde_json::from_value(json!({"kind": "graphQlErrors"})).unwrap();
        assert_eq!(parsed, Fault::GraphQlErrors);
    }
}
