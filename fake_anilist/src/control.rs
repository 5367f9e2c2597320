//! `/__control/*`: the knobs of [`crate::FakeAniList`] over HTTP, for browser tests and the
//! demo, which run the fake in another process. These requests are not counted.

use std::sync::{Arc, PoisonError};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};

use crate::fault::Fault;
use crate::generated::GeneratedListSpec;
use crate::state::{unix_now, Shared};
use crate::users::{EntryEdit, FakeUser};

/// Body of `POST /__control/fault`: `{"fault": {"kind": "serverError"} | null, "latencyMs": 250}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FaultControl {
    fault: Option<Fault>,
    latency_ms: Option<u64>,
}

pub(crate) async fn set_fault(
    State(shared): State<Arc<Shared>>,
    Json(control): Json<FaultControl>,
) -> StatusCode {
    shared.set_fault(control.fault);
    if let Some(latency_ms) = control.latency_ms {
        shared.set_latency(Duration::from_millis(latency_ms));
    }
    StatusCode::NO_CONTENT
}

pub(crate) async fn reset(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.reset();
    StatusCode::NO_CONTENT
}

pub(crate) async fn requests(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({
        "count": shared.request_count(),
        "byOperation": shared.operation_counts(),
    }))
}

/// `POST /__control/users`: a [`FakeUser`] → `{"id": …}`, or 400 `{"error": "…"}`.
pub(crate) async fn insert_user(
    State(shared): State<Arc<Shared>>,
    Json(user): Json<FakeUser>,
) -> Response {
    let catalog = shared
        .catalog
        .read()
        .unwrap_or_else(PoisonError::into_inner);
    let inserted = shared.users().insert(user, &catalog, unix_now());
    match inserted {
        Ok(id) => Json(json!({"id": id})).into_response(),
        Err(error) => (StatusCode::BAD_REQUEST, Json(json!({"error": error}))).into_response(),
    }
}

/// `POST /__control/users/generated`: a [`GeneratedListSpec`] → the user's id, the number of
/// entries, the MyAnimeList file of the same list and its MAL ids AniList does not know; or
/// 400 `{"error": "…"}`.
pub(crate) async fn insert_generated_user(
    State(shared): State<Arc<Shared>>,
    Json(spec): Json<GeneratedListSpec>,
) -> Response {
    match crate::server::insert_generated(&shared, &spec) {
        Ok((id, list)) => Json(json!({
            "id": id,
            "entries": list.user.entries.len(),
            "malXml": list.mal_xml,
            "unknownMalIds": list.unknown_mal_ids,
        }))
        .into_response(),
        Err(error) => (StatusCode::BAD_REQUEST, Json(json!({"error": error}))).into_response(),
    }
}

/// `POST /__control/users/{name}/entries`: an [`EntryEdit`] → the changed entry, or 400
/// `{"error": "…"}`.
pub(crate) async fn edit_entry(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    Json(edit): Json<EntryEdit>,
) -> Response {
    let catalog = shared
        .catalog
        .read()
        .unwrap_or_else(PoisonError::into_inner);
    let edited = shared.users().edit(&name, edit, &catalog, unix_now());
    match edited {
        Ok(entry) => Json(json!(entry)).into_response(),
        Err(error) => (StatusCode::BAD_REQUEST, Json(json!({"error": error}))).into_response(),
    }
}

/// `GET /__control/users/{name}`: the user, their ids and their list.
pub(crate) async fn user(State(shared): State<Arc<Shared>>, Path(name): Path<String>) -> Response {
    match shared.users().by_name(&name) {
        Some(account) => Json(json!(account)).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Body of `POST /__control/oauth`; a left-out field leaves its knob as it is.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct OAuthControl {
    /// `Some(None)` (JSON `null`) returns to a new user per approval.
    #[serde(default, deserialize_with = "present")]
    approve_as: Option<Option<String>>,
    deny: Option<bool>,
    #[serde(default)]
    expire_tokens: bool,
}

/// Tells a JSON `null` (`Some(None)`) from a left-out field (`None`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

pub(crate) async fn set_oauth(
    State(shared): State<Arc<Shared>>,
    Json(control): Json<OAuthControl>,
) -> StatusCode {
    let mut oauth = shared.oauth();
    if let Some(name) = control.approve_as {
        oauth.set_approve_as(name);
    }
    if let Some(deny) = control.deny {
        oauth.set_deny(deny);
    }
    if control.expire_tokens {
        oauth.expire_tokens();
    }
    StatusCode::NO_CONTENT
}

pub(crate) async fn mutations(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({"mutations": shared.users().mutations()}))
}
