//! `POST /`: recognises BloomWatch's two queries by their text (no GraphQL parser) and answers
//! them the way AniList does, headers and errors included.

use std::sync::{Arc, PoisonError};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::fault::Fault;
use crate::rate_limit::Admission;
use crate::state::{unix_now, Shared};

/// Where AniList points its errors for a query whose field sits on line 2.
pub(crate) const ERROR_LOCATION: (u32, u32) = (2, 3);
const DEFAULT_PER_PAGE: i64 = 20;
/// AniList caps `perPage` at 50 (docs: `guide/graphql/pagination.md`).
const MAX_PER_PAGE: i64 = 50;
/// Long enough for any client timeout to fire first.
const NEVER: std::time::Duration = std::time::Duration::from_secs(60 * 60);

const RATE_LIMIT_LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const RATE_LIMIT_REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RATE_LIMIT_RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

#[derive(Debug, PartialEq, Eq)]
enum Operation {
    Search {
        search: String,
        page: usize,
        per_page: usize,
    },
    Lookup {
        id: i64,
    },
}

pub(crate) async fn answer(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let plan = shared.plan_request();
    if !shared.sleep_unless_stopping(plan.latency).await {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let now = unix_now();
    let mut response = match (plan.admission, plan.fault) {
        (
            Admission::Limited {
                retry_after_seconds,
                reset_at_unix,
            },
            _,
        ) => too_many_requests(retry_after_seconds, reset_at_unix),
        (Admission::Allowed { .. }, Some(Fault::Timeout)) => {
            shared.sleep_unless_stopping(NEVER).await;
            Fault::Timeout.response(now)
        }
        (Admission::Allowed { .. }, Some(fault)) => fault.response(now),
        (Admission::Allowed { .. }, None) => match parse_operation(&body) {
            Ok(operation) => run(&shared, &operation, &cover_base(&headers)),
            Err(message) => graphql_error(StatusCode::BAD_REQUEST, &message, None, Value::Null),
        },
    };
    let remaining = match (plan.admission, plan.fault) {
        (Admission::Allowed { remaining }, fault)
            if !matches!(fault, Some(Fault::RateLimited { .. })) =>
        {
            remaining
        }
        _ => 0,
    };
    let headers = response.headers_mut();
    headers.insert(RATE_LIMIT_LIMIT, HeaderValue::from(plan.per_minute));
    headers.insert(RATE_LIMIT_REMAINING, HeaderValue::from(remaining));
    response
}

fn run(shared: &Shared, operation: &Operation, cover_base: &str) -> Response {
    let catalog = shared
        .catalog
        .read()
        .unwrap_or_else(PoisonError::into_inner);
    let now = i64::try_from(unix_now()).unwrap_or(i64::MAX);
    match *operation {
        Operation::Search {
            ref search,
            page,
            per_page,
        } => {
            let found = catalog.search(search, page, per_page, cover_base, now);
            tracing::debug!(search, page, results = found.media.len(), "search");
            Json(json!({"data": {"Page": {
                "pageInfo": {
                    "hasNextPage": found.has_next_page,
                    "currentPage": page,
                    "perPage": per_page,
                },
                "media": found.media,
            }}}))
            .into_response()
        }
        Operation::Lookup { id } => match catalog.lookup(id, cover_base, now) {
            Some(media) => Json(json!({"data": {"Media": media}})).into_response(),
            None => graphql_error(
                StatusCode::NOT_FOUND,
                "Not Found.",
                Some(ERROR_LOCATION),
                json!({"Media": null}),
            ),
        },
    }
}

/// Covers are served by this fake, at the address the client used to reach it.
fn cover_base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}/")
}

fn parse_operation(body: &[u8]) -> Result<Operation, String> {
    let request: Value =
        serde_json::from_slice(body).map_err(|e| format!("Invalid JSON body: {e}"))?;
    let query = request["query"]
        .as_str()
        .ok_or("Must provide query string.")?;
    let compact: String = query.chars().filter(|c| !c.is_whitespace()).collect();
    let variables = &request["variables"];
    if compact.contains("Media(id:$id") {
        let id = variables["id"]
            .as_i64()
            .ok_or("Variable \"$id\" of required type \"Int\" was not provided.")?;
        Ok(Operation::Lookup { id })
    } else if compact.contains("Page(") && compact.contains("media(") && query.contains("$search") {
        let search = variables["search"]
            .as_str()
            .ok_or("Variable \"$search\" of type \"String\" was not provided.")?
            .to_owned();
        let page = int_variable(variables, "page", 1)?.max(1);
        let per_page = int_variable(variables, "perPage", DEFAULT_PER_PAGE)?.clamp(1, MAX_PER_PAGE);
        Ok(Operation::Search {
            search,
            page: usize::try_from(page).unwrap_or(1),
            per_page: usize::try_from(per_page).unwrap_or(1),
        })
    } else {
        Err(
            "This fake AniList understands only the media search and the Media(id: $id) lookup."
                .to_owned(),
        )
    }
}

fn int_variable(variables: &Value, name: &str, default: i64) -> Result<i64, String> {
    match &variables[name] {
        Value::Null => Ok(default),
        value => value
            .as_i64()
            .ok_or_else(|| format!("Variable \"${name}\" got invalid value {value}.")),
    }
}

/// AniList's error envelope: `{"data": …, "errors": [{"message", "status", "locations"?}]}`.
pub(crate) fn graphql_error(
    status: StatusCode,
    message: &str,
    location: Option<(u32, u32)>,
    data: Value,
) -> Response {
    let mut error = json!({"message": message, "status": status.as_u16()});
    if let Some((line, column)) = location {
        error["locations"] = json!([{"line": line, "column": column}]);
    }
    (status, Json(json!({"data": data, "errors": [error]}))).into_response()
}

pub(crate) fn too_many_requests(retry_after_seconds: u64, reset_at_unix: u64) -> Response {
    let mut response = graphql_error(
        StatusCode::TOO_MANY_REQUESTS,
        "Too Many Requests.",
        None,
        Value::Null,
    );
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
    headers.insert(RATE_LIMIT_RESET, HeaderValue::from(reset_at_unix));
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(body: Value) -> Result<Operation, String> {
        parse_operation(body.to_string().as_bytes())
    }

    #[test]
    fn recognises_a_search_with_defaults_and_clamps_per_page() {
        let query = "query ($search: String, $page: Int = 1, $perPage: Int = 20) {\n  Page(page: $page, perPage: $perPage) { media(search: $search, type: ANIME) { id } } }";
        assert_eq!(
            parse(json!({"query": query, "variables": {"search": "bloom"}})),
            Ok(Operation::Search {
                search: "bloom".into(),
                page: 1,
                per_page: 20
            })
        );
        assert_eq!(
            parse(json!({"query": query, "variables": {"search": "x", "page": 0, "perPage": 500}})),
            Ok(Operation::Search {
                search: "x".into(),
                page: 1,
                per_page: 50
            })
        );
        assert!(parse(json!({"query": query, "variables": {}})).is_err());
    }

    #[test]
    fn recognises_a_lookup_whatever_the_spacing() {
        let query = "query ($id: Int) { Media( id : $id, type: ANIME) { id } }";
        assert_eq!(
            parse(json!({"query": query, "variables": {"id": 21}})),
            Ok(Operation::Lookup { id: 21 })
        );
        assert!(parse(json!({"query": query, "variables": {"id": "21"}})).is_err());
    }

    #[test]
    fn refuses_other_operations_and_bodies() {
        assert!(parse(json!({"query": "{ Viewer { id } }"})).is_err());
        assert!(parse(json!({"variables": {}})).is_err());
        assert!(parse_operation(b"not json").is_err());
    }
}
