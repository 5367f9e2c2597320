//! The `MediaListCollection` query: one chunk of a user's anime list, grouped as AniList
//! groups it. Entries are ordered by entry id; chunk `k` holds entries `(k-1)*perChunk` up to
//! `k*perChunk`. Within a chunk there is one list per status ("Watching" … "Rewatching") and
//! one per custom list, so an entry in a custom list comes twice, and one hidden from status
//! lists only in its custom lists: clients must dedupe, as with the real API.
//! `forceSingleCompletedList` is accepted and changes nothing, because the fake never splits
//! the completed list by format.

use std::sync::PoisonError;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::arguments::Arguments;
use crate::caller::Caller;
use crate::graphql::{graphql_error, ERROR_LOCATION};
use crate::state::{unix_now, Shared};
use crate::users::{ListStatus, StoredListEntry};

const FIELD: &str = "MediaListCollection";
const DEFAULT_PER_CHUNK: i64 = 500;
/// AniList's cap on `perChunk`.
const MAX_PER_CHUNK: i64 = 500;

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct CollectionQuery {
    user: UserRef,
    chunk: usize,
    per_chunk: usize,
}

#[derive(Debug, PartialEq, Eq)]
enum UserRef {
    Id(i64),
    Name(String),
}

impl CollectionQuery {
    /// # Errors
    /// A GraphQL error message when neither `userId` nor `userName` is given, `type` is not
    /// `ANIME`, or an argument has the wrong type.
    pub(crate) fn parse(arguments: &Arguments) -> Result<Self, String> {
        let user = match (arguments.int("userId")?, arguments.string("userName")?) {
            (Some(id), _) => UserRef::Id(id),
            (None, Some(name)) => UserRef::Name(name.to_owned()),
            (None, None) => return Err("MediaListCollection needs userId or userName.".to_owned()),
        };
        match arguments.string("type")? {
            Some("ANIME") => {}
            Some(other) => {
                return Err(format!(
                    "This fake AniList keeps anime lists only, not type {other}."
                ))
            }
            None => return Err("MediaListCollection needs a type (ANIME).".to_owned()),
        }
        let chunk = arguments.int("chunk")?.unwrap_or(1).max(1);
        let per_chunk = arguments
            .int("perChunk")?
            .unwrap_or(DEFAULT_PER_CHUNK)
            .clamp(1, MAX_PER_CHUNK);
        Ok(Self {
            user,
            chunk: usize::try_from(chunk).unwrap_or(usize::MAX),
            per_chunk: usize::try_from(per_chunk).unwrap_or(1),
        })
    }
}

/// Public users' lists need no token; a private user's only their own.
pub(crate) fn answer(
    shared: &Shared,
    query: &CollectionQuery,
    caller: &Caller,
    base_url: &str,
) -> Response {
    let viewer = match caller.optional() {
        Ok(viewer) => viewer,
        Err(refusal) => return refusal.answer(FIELD),
    };
    let not_found = |message| {
        graphql_error(
            StatusCode::NOT_FOUND,
            message,
            Some(ERROR_LOCATION),
            json!({FIELD: null}),
        )
    };
    let catalog = shared
        .catalog
        .read()
        .unwrap_or_else(PoisonError::into_inner);
    let users = shared.users();
    let account = match &query.user {
        UserRef::Id(id) => users.by_id(*id),
        UserRef::Name(name) => users.by_name(name),
    };
    let Some(account) = account else {
        return not_found("User not found");
    };
    if account.private && viewer != Some(account.id) {
        return not_found("Private User");
    }
    let skip = (query.chunk - 1).saturating_mul(query.per_chunk);
    let chunk: Vec<&StoredListEntry> = account
        .entries
        .iter()
        .skip(skip)
        .take(query.per_chunk)
        .collect();
    let now = i64::try_from(unix_now()).unwrap_or(i64::MAX);
    let render = |stored: &&StoredListEntry| {
        entry_json(stored, catalog.lookup(stored.entry.media_id, base_url, now))
    };
    let status_lists = ListStatus::ALL.into_iter().filter_map(|status| {
        let entries = chunk
            .iter()
            .filter(|stored| {
                !stored.entry.hidden_from_status_lists && stored.entry.status == status.as_str()
            })
            .map(render)
            .collect();
        list_group(status.list_name(), Some(status), entries)
    });
    let custom_lists = account.custom_lists.iter().filter_map(|name| {
        let entries = chunk
            .iter()
            .filter(|stored| stored.entry.custom_lists.contains(name))
            .map(render)
            .collect();
        list_group(name, None, entries)
    });
    let lists: Vec<Value> = status_lists.chain(custom_lists).collect();
    tracing::debug!(
        user = account.id,
        chunk = query.chunk,
        "MediaListCollection"
    );
    Json(json!({"data": {FIELD: {
        "hasNextChunk": account.entries.len() > skip.saturating_add(query.per_chunk),
        "user": {
            "id": account.id,
            "name": account.name,
            "mediaListOptions": {"scoreFormat": account.score_format},
        },
        "lists": lists,
    }}}))
    .into_response()
}

/// A `MediaListGroup`; AniList leaves out empty ones. `status` is `None` for a custom list.
fn list_group(name: &str, status: Option<ListStatus>, entries: Vec<Value>) -> Option<Value> {
    (!entries.is_empty()).then(|| {
        json!({
            "name": name,
            "isCustomList": status.is_none(),
            "isSplitCompletedList": false,
            "status": status.map(ListStatus::as_str),
            "entries": entries,
        })
    })
}

/// A `MediaList` with every field clients read; `score` is on the 0–100 scale because they
/// ask for `score(format: POINT_100)`.
fn entry_json(stored: &StoredListEntry, media: Option<Value>) -> Value {
    let entry = &stored.entry;
    json!({
        "id": stored.id,
        "mediaId": entry.media_id,
        "status": entry.status,
        "progress": entry.progress,
        "repeat": entry.repeat,
        "notes": entry.notes,
        "private": false,
        "score": entry.score,
        "startedAt": fuzzy_date(entry.started_at),
        "completedAt": fuzzy_date(entry.completed_at),
        "updatedAt": stored.updated_at,
        "media": media,
    })
}

/// AniList answers an unset date with an object of nulls, not with null.
fn fuzzy_date(date: Option<(i32, u8, u8)>) -> Value {
    match date {
        Some((year, month, day)) => json!({"year": year, "month": month, "day": day}),
        None => json!({"year": null, "month": null, "day": null}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(arguments: &str, variables: Value) -> Result<CollectionQuery, String> {
        let query = format!("{{ MediaListCollection({arguments}) {{ hasNextChunk }} }}");
        CollectionQuery::parse(&Arguments::of_field(&query, FIELD, &variables)?)
    }

    #[test]
    fn reads_the_user_and_clamps_the_chunking() {
        let query = parse(
            "userId: $userId, type: ANIME, chunk: $chunk, perChunk: 900",
            json!({"userId": 5, "chunk": 0}),
        )
        .unwrap();
        assert_eq!(
            query,
            CollectionQuery {
                user: UserRef::Id(5),
                chunk: 1,
                per_chunk: 500
            }
        );
        let query = parse("userName: \"Yuu\", type: $type", json!({"type": "ANIME"})).unwrap();
        assert_eq!(query.user, UserRef::Name("Yuu".into()));
        assert_eq!((query.chunk, query.per_chunk), (1, 500));
    }

    #[test]
    fn needs_a_user_and_the_anime_type() {
        assert!(parse("type: ANIME", json!({})).is_err());
        assert!(parse("userId: 1, type: MANGA", json!({})).is_err());
        assert!(parse("userId: 1", json!({})).is_err());
        assert!(parse("userId: \"1\", type: ANIME", json!({})).is_err());
    }

    #[test]
    fn unset_dates_are_objects_of_nulls() {
        assert_eq!(fuzzy_date(Some((2024, 4, 1)))["month"], 4);
        assert_eq!(
            fuzzy_date(None),
            json!({"year": null, "month": null, "day": null})
        );
    }
}
