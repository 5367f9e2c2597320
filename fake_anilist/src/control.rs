//! `/__control/*`: the knobs of [`crate::FakeAniList`] over HTTP, for browser tests and the
//! demo, which run the fake in another process. These requests are not counted.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::fault::Fault;
use crate::state::Shared;

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
    Json(json!({"count": shared.request_count()}))
}
