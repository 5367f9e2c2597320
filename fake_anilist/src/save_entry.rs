//! The `SaveMediaListEntry` mutation: upserts the signed-in user's entry for `mediaId` and
//! records the call. Arguments: `mediaId` (required), `status`, `progress`, `scoreRaw`
//! (0–100) and `score` (in the user's own format; `scoreRaw` wins when both are sent),
//! `notes`. Others AniList accepts are not modelled and ignored.

use std::collections::BTreeMap;
use std::sync::PoisonError;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::arguments::Arguments;
use crate::caller::{Caller, Refusal};
use crate::graphql::{graphql_error, ERROR_LOCATION};
use crate::state::{unix_now, Shared};
use crate::users::{EntryChanges, ListStatus, RecordedMutation, ScoreFormat};

const FIELD: &str = "SaveMediaListEntry";

/// Field name → messages, AniList's `validation` object.
type Validation = BTreeMap<&'static str, Vec<String>>;

/// The mutation's arguments, type-checked but not yet range-checked (that needs the user's
/// score format).
#[derive(Debug, PartialEq)]
pub(crate) struct SaveEntry {
    media_id: Option<i64>,
    status: Option<ListStatus>,
    progress: Option<i64>,
    score_raw: Option<i64>,
    score: Option<f64>,
    notes: Option<String>,
}

impl SaveEntry {
    /// # Errors
    /// A GraphQL error message for an argument of the wrong type or an unknown status, as the
    /// schema refuses those before AniList's validator runs.
    pub(crate) fn parse(arguments: &Arguments) -> Result<Self, String> {
        let status = match arguments.string("status")? {
            None => None,
            Some(text) => Some(ListStatus::parse(text).ok_or_else(|| {
                format!("Argument \"status\" got invalid value \"{text}\"; expected type MediaListStatus.")
            })?),
        };
        Ok(Self {
            media_id: arguments.int("mediaId")?,
            status,
            progress: arguments.int("progress")?,
            score_raw: arguments.int("scoreRaw")?,
            score: arguments.float("score")?,
            notes: arguments.string("notes")?.map(str::to_owned),
        })
    }

    /// The media id and the changes, with `score` converted from `format` to 0–100.
    fn validate(&self, format: ScoreFormat) -> Result<(i64, EntryChanges), Validation> {
        let mut problems = Validation::new();
        let mut complain = |field: &'static str, message: String| {
            problems.entry(field).or_default().push(message);
        };
        if self.media_id.is_none() {
            complain("mediaId", "The media id field is required.".to_owned());
        }
        if self.progress.is_some_and(|progress| progress < 0) {
            complain("progress", "progress may not be less than 0".to_owned());
        }
        if let Some(raw) = self.score_raw {
            check_score(raw as f64, 100.0, |message| complain("scoreRaw", message));
        }
        if let Some(score) = self.score {
            check_score(score, format.max(), |message| complain("score", message));
        }
        match self.media_id {
            Some(media_id) if problems.is_empty() => Ok((
                media_id,
                EntryChanges {
                    status: self.status,
                    progress: self.progress,
                    score: self
                        .score_raw
                        .or_else(|| self.score.map(|score| format.to_raw(score))),
                    notes: self.notes.clone(),
                },
            )),
            _ => Err(problems),
        }
    }
}

fn check_score(score: f64, max: f64, mut complain: impl FnMut(String)) {
    if score > max {
        complain(format!("score may not be greater than {max}"));
    }
    if score < 0.0 {
        complain("score may not be less than 0".to_owned());
    }
}

/// Order: sign-in (401), validation (400), the media (404), then the upsert.
pub(crate) fn answer(
    shared: &Shared,
    save: &SaveEntry,
    caller: &Caller,
    variables: &Value,
) -> Response {
    let (user_id, token) = match caller.required() {
        Ok(signed_in) => signed_in,
        Err(refusal) => return refusal.answer(FIELD),
    };
    let catalog = shared
        .catalog
        .read()
        .unwrap_or_else(PoisonError::into_inner);
    let mut users = shared.users();
    let Some(account) = users.by_id(user_id) else {
        return Refusal::InvalidToken.answer(FIELD);
    };
    let user_name = account.name.clone();
    let (media_id, changes) = match save.validate(account.score_format) {
        Ok(valid) => valid,
        Err(validation) => {
            let error = json!({"message": "validation", "status": 400, "validation": validation});
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"data": {FIELD: null}, "errors": [error]})),
            )
                .into_response();
        }
    };
    if !catalog.contains(media_id) {
        return graphql_error(
            StatusCode::NOT_FOUND,
            "Not Found.",
            Some(ERROR_LOCATION),
            json!({FIELD: null}),
        );
    }
    let now = unix_now();
    let Some(saved) = users.save_entry(user_id, media_id, changes, now) else {
        return Refusal::InvalidToken.answer(FIELD);
    };
    users.record(RecordedMutation {
        user_id,
        user_name,
        token: token.to_owned(),
        variables: variables.clone(),
        at_unix: now,
    });
    tracing::debug!(user_id, media_id, "SaveMediaListEntry");
    Json(json!({"data": {FIELD: {
        "id": saved.id,
        "mediaId": saved.entry.media_id,
        "status": saved.entry.status,
        "progress": saved.entry.progress,
        "score": saved.entry.score,
        "updatedAt": saved.updated_at,
    }}}))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(arguments: &str, variables: Value) -> Result<SaveEntry, String> {
        let query = format!("mutation {{ SaveMediaListEntry({arguments}) {{ id }} }}");
        SaveEntry::parse(&Arguments::of_field(&query, FIELD, &variables)?)
    }

    #[test]
    fn wrong_types_and_statuses_are_graphql_errors() {
        assert!(parse("mediaId: $id", json!({"id": "21"})).is_err());
        assert!(parse("mediaId: 21, status: WATCHING", json!({})).is_err());
        assert!(parse("mediaId: 21, score: \"high\"", json!({})).is_err());
        let save = parse("mediaId: 21, status: $status", json!({"status": "CURRENT"})).unwrap();
        assert_eq!(save.status, Some(ListStatus::Current));
    }

    #[test]
    fn validation_collects_every_problem_by_field() {
        let save = parse("progress: -1, scoreRaw: 101, score: 11", json!({})).unwrap();
        let problems = save.validate(ScoreFormat::Point10Decimal).unwrap_err();
        assert_eq!(
            serde_json::to_value(problems).unwrap(),
            json!({
                "mediaId": ["The media id field is required."],
                "progress": ["progress may not be less than 0"],
                "scoreRaw": ["score may not be greater than 100"],
                "score": ["score may not be greater than 10"],
            })
        );
        let save = parse("mediaId: 1, score: 4", json!({})).unwrap();
        assert!(save.validate(ScoreFormat::Point3).is_err());
    }

    #[test]
    fn score_is_converted_from_the_user_format_and_score_raw_wins() {
        let save = parse("mediaId: 1, score: 4", json!({})).unwrap();
        assert_eq!(
            save.validate(ScoreFormat::Point5).unwrap().1.score,
            Some(80)
        );
        assert_eq!(
            save.validate(ScoreFormat::Point100).unwrap().1.score,
            Some(4)
        );
        let save = parse("mediaId: 1, score: 4, scoreRaw: 55", json!({})).unwrap();
        assert_eq!(
            save.validate(ScoreFormat::Point5).unwrap().1.score,
            Some(55)
        );
        let (media_id, changes) = parse("mediaId: 1", json!({}))
            .unwrap()
            .validate(ScoreFormat::Point10)
            .unwrap();
        assert_eq!((media_id, changes), (1, EntryChanges::default()));
    }
}
