//! `POST /`: recognises BloomWatch's operations by their text (no GraphQL parser) and answers
//! them the way AniList does, headers and errors included. With whitespace removed:
//! - a query starting with `mutation` and containing `SaveMediaListEntry(`: the list update
//!   ([`crate::save_entry`]); any other mutation is refused;
//! - `Viewer{`: the signed-in user;
//! - `MediaListCollection(`: a user's list ([`crate::list_collection`]);
//! - `idMal_in`: `Page { media(idMal_in: …) }`, the catalog media with those MAL ids;
//! - `Media(id:$id`: the lookup by id;
//! - `Page(` and `media(` with `$search`: the title search.
//!
//! The search and lookup read `variables` by name; the newer operations read their fields'
//! arguments, inline or as variables ([`crate::arguments`]).

use std::sync::{Arc, PoisonError};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::arguments::Arguments;
use crate::caller::{Caller, Refusal};
use crate::catalog::SearchPage;
use crate::fault::Fault;
use crate::list_collection::CollectionQuery;
use crate::rate_limit::Admission;
use crate::save_entry::SaveEntry;
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

const UNDERSTOOD: &str = "This fake AniList understands only the media search, the \
    Media(id: $id) lookup, Page { media(idMal_in: ...) }, Viewer, MediaListCollection and the \
    SaveMediaListEntry mutation.";

#[derive(Debug, PartialEq)]
enum Operation {
    Search {
        search: String,
        page: usize,
        per_page: usize,
    },
    Lookup {
        id: i64,
    },
    MediaByMalIds {
        mal_ids: Vec<i64>,
        page: usize,
        per_page: usize,
    },
    Viewer,
    ListCollection(CollectionQuery),
    SaveListEntry {
        save: SaveEntry,
        /// As sent, for the record of mutations.
        variables: Value,
    },
}

/// How a request the fake could not read is counted.
const INVALID: &str = "invalid";

impl Operation {
    /// The name the fake counts the operation under ([`crate::FakeAniList::operation_counts`]).
    fn name(&self) -> &'static str {
        match self {
            Operation::Search { .. } => "search",
            Operation::Lookup { .. } => "Media",
            Operation::MediaByMalIds { .. } => "idMal_in",
            Operation::Viewer => "Viewer",
            Operation::ListCollection(_) => "MediaListCollection",
            Operation::SaveListEntry { .. } => "SaveMediaListEntry",
        }
    }
}

pub(crate) async fn answer(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let operation = parse_operation(&body);
    shared.count_operation(operation.as_ref().map_or(INVALID, Operation::name));
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
        (Admission::Allowed { .. }, None) => match operation {
            Ok(operation) => {
                let caller = Caller::identify(&shared, &headers);
                run(&shared, &operation, &caller, &base_url(&headers))
            }
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

fn run(shared: &Shared, operation: &Operation, caller: &Caller, base_url: &str) -> Response {
    let now = i64::try_from(unix_now()).unwrap_or(i64::MAX);
    let catalog = || {
        shared
            .catalog
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    };
    match *operation {
        Operation::Search {
            ref search,
            page,
            per_page,
        } => {
            let found = catalog().search(search, page, per_page, base_url, now);
            tracing::debug!(search, page, results = found.media.len(), "search");
            page_answer(found, page, per_page)
        }
        Operation::MediaByMalIds {
            ref mal_ids,
            page,
            per_page,
        } => {
            let found = catalog().by_mal_ids(mal_ids, page, per_page, base_url, now);
            tracing::debug!(?mal_ids, page, results = found.media.len(), "idMal_in");
            page_answer(found, page, per_page)
        }
        Operation::Lookup { id } => match catalog().lookup(id, base_url, now) {
            Some(media) => Json(json!({"data": {"Media": media}})).into_response(),
            None => graphql_error(
                StatusCode::NOT_FOUND,
                "Not Found.",
                Some(ERROR_LOCATION),
                json!({"Media": null}),
            ),
        },
        Operation::Viewer => viewer(shared, caller, base_url),
        Operation::ListCollection(ref query) => {
            crate::list_collection::answer(shared, query, caller, base_url)
        }
        Operation::SaveListEntry {
            ref save,
            ref variables,
        } => crate::save_entry::answer(shared, save, caller, variables),
    }
}

fn page_answer(found: SearchPage, page: usize, per_page: usize) -> Response {
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

/// The signed-in user with their list settings; the avatar is served by this fake.
fn viewer(shared: &Shared, caller: &Caller, base_url: &str) -> Response {
    let user_id = match caller.required() {
        Ok((user_id, _)) => user_id,
        Err(refusal) => return refusal.answer("Viewer"),
    };
    let users = shared.users();
    let Some(account) = users.by_id(user_id) else {
        return Refusal::InvalidToken.answer("Viewer");
    };
    let avatar = format!("{base_url}avatars/{}.svg", account.id);
    Json(json!({"data": {"Viewer": {
        "id": account.id,
        "name": account.name,
        "avatar": {"large": avatar, "medium": avatar},
        "mediaListOptions": {
            "scoreFormat": account.score_format,
            "animeList": {
                "customLists": account.custom_lists,
                "advancedScoringEnabled": false,
            },
        },
    }}}))
    .into_response()
}

/// Covers and avatars are served by this fake, at the address the client used to reach it.
fn base_url(headers: &HeaderMap) -> String {
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
    let arguments = |field| Arguments::of_field(query, field, variables);
    if compact.starts_with("mutation") {
        return if compact.contains("SaveMediaListEntry(") {
            Ok(Operation::SaveListEntry {
                save: SaveEntry::parse(&arguments("SaveMediaListEntry")?)?,
                variables: variables.clone(),
            })
        } else {
            Err(UNDERSTOOD.to_owned())
        };
    }
    if compact.contains("Viewer{") {
        Ok(Operation::Viewer)
    } else if compact.contains("MediaListCollection(") {
        Ok(Operation::ListCollection(CollectionQuery::parse(
            &arguments("MediaListCollection")?,
        )?))
    } else if compact.contains("idMal_in") {
        let mal_ids = arguments("media")?
            .int_list("idMal_in")?
            .ok_or("Argument \"idMal_in\" of media needs a list of MAL ids.")?;
        let page_arguments = arguments("Page")?;
        let page = page_arguments.int("page")?.unwrap_or(1).max(1);
        let per_page = page_arguments
            .int("perPage")?
            .unwrap_or(DEFAULT_PER_PAGE)
            .clamp(1, MAX_PER_PAGE);
        Ok(Operation::MediaByMalIds {
            mal_ids,
            page: usize::try_from(page).unwrap_or(1),
            per_page: usize::try_from(per_page).unwrap_or(1),
        })
    } else if compact.contains("Media(id:$id") {
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
        Err(UNDERSTOOD.to_owned())
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
    fn recognises_the_signed_in_operations_whatever_the_spacing() {
        assert_eq!(
            parse(json!({"query": "query { Viewer { id name } }"})),
            Ok(Operation::Viewer)
        );
        assert_eq!(
            parse(json!({"query": "{Viewer\n{id}}"})),
            Ok(Operation::Viewer)
        );
        let save = "mutation ($mediaId: Int, $progress: Int) {\n  SaveMediaListEntry (mediaId: $mediaId, progress: $progress) { id } }";
        let variables = json!({"mediaId": 21, "progress": 3});
        assert!(matches!(
            parse(json!({"query": save, "variables": variables})),
            Ok(Operation::SaveListEntry { variables: sent, .. }) if sent == variables
        ));
        let collection = "query ($userName: String) { MediaListCollection(userName: $userName, type: ANIME) { hasNextChunk } }";
        assert!(matches!(
            parse(json!({"query": collection, "variables": {"userName": "Yuu"}})),
            Ok(Operation::ListCollection(_))
        ));
    }

    #[test]
    fn recognises_the_mal_id_batch_before_the_search() {
        let query = "query ($ids: [Int], $page: Int) { Page(page: $page, perPage: 2) {\n  pageInfo { hasNextPage }\n  media(idMal_in: $ids, type: ANIME) { id idMal } } }";
        assert_eq!(
            parse(json!({"query": query, "variables": {"ids": [1, 2, 3], "page": 2}})),
            Ok(Operation::MediaByMalIds {
                mal_ids: vec![1, 2, 3],
                page: 2,
                per_page: 2
            })
        );
        let unpaged = "{ Page { media(idMal_in: [5], type: ANIME) { id } } }";
        assert_eq!(
            parse(json!({"query": unpaged})),
            Ok(Operation::MediaByMalIds {
                mal_ids: vec![5],
                page: 1,
                per_page: 20
            })
        );
        assert!(parse(json!({"query": query, "variables": {"ids": "1,2"}})).is_err());
        assert!(parse(json!({"query": query})).is_err());
    }

    #[test]
    fn refuses_other_operations_and_bodies() {
        assert!(parse(json!({"query": "{ Studio(id: 1) { name } }"})).is_err());
        assert!(
            parse(json!({"query": "mutation { DeleteMediaListEntry(id: 1) { deleted } }"}))
                .is_err()
        );
        assert!(parse(json!({"query": "{ SaveMediaListEntry(mediaId: 1) { id } }"})).is_err());
        assert!(parse(json!({"variables": {}})).is_err());
        assert!(parse_operation(b"not json").is_err());
    }
}
