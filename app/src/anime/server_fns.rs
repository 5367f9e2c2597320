//! Anime in a space: thin adapters over the AnimeTracking and AniListSync facades. Each acts
//! as the signed-in user; the facades enforce membership and who may do what. Form fields
//! that people type numbers or dates into arrive as text and are parsed here, so a typo
//! becomes a message next to its field instead of a malformed request.
//! Endpoints are named rather than hashed, so they stay stable for tests and tools.

// A form's fields are a server function's arguments, and the macro copies them into the
// browser's call stub, which a per-function `allow` does not reach.
#![expect(clippy::too_many_arguments)]

use anilist_sync::contracts::{AniListMediaId, EntrySyncDto, MediaSearchResultsDto};
use anime_tracking::contracts::{
    AnimePageDto, AnimeSort, WatchSessionId, WatchSpaceAnimeDetailsDto, WatchSpaceAnimeId,
    WatchStatus,
};
use identity::contracts::UserId;
use kernel::paging::PageCursor;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use watch_spaces::contracts::WatchSpaceId;

use super::AnimeTab;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::services::for_signed_in_user;

/// Everything the anime detail page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnimeDetailsView {
    pub entry: WatchSpaceAnimeDetailsDto,
    pub space_name: String,
    /// Where the signed-in member's own entry stands with their AniList list.
    pub my_sync: EntrySyncDto,
    /// Today's date (UTC) as `YYYY-MM-DD`, the default date of a new session. From the
    /// server, so the server-rendered form and the hydrated one agree.
    pub today: String,
}

/// What adding an anime led to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AddAnimeOutcome {
    /// The new entry, to go to.
    Added(WatchSpaceAnimeId),
    /// The space already tracks it: the message, and the entry to go to instead.
    AlreadyTracked {
        message: String,
        existing_id: WatchSpaceAnimeId,
    },
}

/// One page of the space's anime on one tab, in the chosen order, after `after` (the first
/// page when `None`), with the space's totals by status.
#[server(endpoint = "list_anime")]
pub async fn list_anime(
    space_id: WatchSpaceId,
    tab: AnimeTab,
    sort: AnimeSort,
    after: Option<PageCursor>,
) -> Result<AnimePageDto, AppError> {
    for_signed_in_user(|services, user| async move {
        let query = anime_tracking::contracts::AnimeListQuery {
            statuses: tab.statuses().to_vec(),
            sort,
            limit: kernel::paging::PageLimit::default(),
            after,
        };
        Ok(services
            .anime_tracking
            .list_anime(user.id, space_id, query)
            .await?)
    })
    .await
}

/// Searches AniList (or, while it is unavailable, our cache); adult titles only for people
/// who opted in on their profile.
#[server(endpoint = "search_anime")]
pub async fn search_anime(query: String) -> Result<MediaSearchResultsDto, AppError> {
    for_signed_in_user(|services, user| async move {
        Ok(services
            .anilist
            .search(
                anilist_sync::contracts::AskedBy::Member(user.id),
                &query,
                user.show_adult_content,
            )
            .await?)
    })
    .await
}

/// Tracks an AniList anime in the space. A browser without JavaScript goes to its page (or to
/// the entry that already exists).
#[server(endpoint = "add_anime")]
pub async fn add_anime(
    space_id: WatchSpaceId,
    anilist_media_id: AniListMediaId,
) -> Result<AddAnimeOutcome, AppError> {
    use anime_tracking::contracts::{AddAnime, AnimeTrackingError};

    for_signed_in_user(|services, user| async move {
        let command = AddAnime {
            anilist_media_id,
            shared_status: None,
        };
        let outcome = match services
            .anime_tracking
            .add_anime(user.id, space_id, command)
            .await
        {
            Ok(anime) => AddAnimeOutcome::Added(anime.id),
            Err(error @ AnimeTrackingError::AlreadyTracked { existing_id, .. }) => {
                AddAnimeOutcome::AlreadyTracked {
                    message: error.to_string(),
                    existing_id,
                }
            }
            Err(error) => return Err(error.into()),
        };
        let entry = match &outcome {
            AddAnimeOutcome::Added(id) => *id,
            AddAnimeOutcome::AlreadyTracked { existing_id, .. } => *existing_id,
        };
        crate::navigation::redirect_plain_form(&super::anime_path(space_id, entry));
        Ok(outcome)
    })
    .await
}

/// One anime with its sessions and AniList's metadata (see `AnimeTracking::get_anime`).
#[server(endpoint = "get_anime")]
pub async fn get_anime(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
) -> Result<AnimeDetailsView, AppError> {
    for_signed_in_user(|services, user| async move {
        let entry = services
            .anime_tracking
            .get_anime(user.id, space_id, anime_id)
            .await?;
        let space = services.watch_spaces.get_space(user.id, space_id).await?;
        let my_sync = services
            .anilist
            .entry_sync(user.id, entry.anime.anilist_media_id)
            .await?;
        Ok(AnimeDetailsView {
            entry,
            space_name: space.name,
            my_sync,
            today: ssr::today(),
        })
    })
    .await
}

/// Changes the shared state: status, episodes watched together, mood, vibe, pitch. Absent
/// fields stay as they are; a blank mood, vibe or pitch clears it.
#[server(endpoint = "update_anime")]
pub async fn update_anime(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    version: i32,
    shared_status: Option<WatchStatus>,
    shared_episodes_watched: Option<String>,
    mood: Option<String>,
    vibe: Option<String>,
    pitch: Option<String>,
) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        let command = anime_tracking::contracts::UpdateWatchSpaceAnime {
            version,
            shared_status,
            shared_episodes_watched: ssr::parse_whole_number(
                shared_episodes_watched.as_deref(),
                "sharedEpisodesWatched",
            )?,
            mood: mood.map(ssr::blank_as_none),
            vibe: vibe.map(ssr::blank_as_none),
            pitch: pitch.map(ssr::blank_as_none),
        };
        services
            .anime_tracking
            .update_anime(user.id, space_id, anime_id, command)
            .await?;
        Ok(())
    })
    .await
}

/// Removes the anime from the space (owners and whoever added it). A browser without
/// JavaScript goes back to the space's list.
#[server(endpoint = "remove_anime")]
pub async fn remove_anime(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        services
            .anime_tracking
            .remove_anime(user.id, space_id, anime_id)
            .await?;
        crate::navigation::redirect_plain_form(&format!("/spaces/{space_id}/anime"));
        Ok(())
    })
    .await
}

/// The signed-in member's own status and episodes watched.
#[server(endpoint = "update_participant_progress")]
pub async fn update_participant_progress(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    version: i32,
    individual_status: Option<WatchStatus>,
    episodes_watched: Option<String>,
) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        let command = anime_tracking::contracts::UpdateParticipantProgress {
            version,
            individual_status,
            episodes_watched: ssr::parse_whole_number(
                episodes_watched.as_deref(),
                "episodesWatched",
            )?,
        };
        services
            .anime_tracking
            .update_participant_progress(user.id, space_id, anime_id, command)
            .await?;
        Ok(())
    })
    .await
}

/// The signed-in member's rating (0.5 to 10 in half steps) and notes.
#[server(endpoint = "rate_anime")]
pub async fn rate_anime(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    version: i32,
    rating_score: String,
    rating_notes: Option<String>,
) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        let score = anime_tracking::contracts::RatingScore::parse(&rating_score)
            .map_err(|error| ssr::field_error("ratingScore", error.to_string()))?;
        let command = anime_tracking::contracts::RateAnime {
            version,
            rating_score: score.value(),
            rating_notes,
        };
        services
            .anime_tracking
            .rate_anime(user.id, space_id, anime_id, command)
            .await?;
        Ok(())
    })
    .await
}

/// Takes back the signed-in member's rating.
#[server(endpoint = "clear_rating")]
pub async fn clear_rating(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        services
            .anime_tracking
            .clear_rating(user.id, space_id, anime_id)
            .await?;
        Ok(())
    })
    .await
}

/// Records a session: its date (`YYYY-MM-DD`), episodes, notes and who was there (the
/// ticked boxes; none ticked is an empty list, which the domain refuses, rather than
/// "everyone").
#[server(endpoint = "record_session")]
pub async fn record_session(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    session_date: String,
    start_episode: String,
    end_episode: String,
    notes: Option<String>,
    attendee_user_ids: Option<Vec<UserId>>,
) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        let command = anime_tracking::contracts::RecordWatchSession {
            session_date_utc: ssr::parse_date(&session_date)?,
            start_episode: ssr::parse_required_number(&start_episode, "startEpisode")?,
            end_episode: ssr::parse_required_number(&end_episode, "endEpisode")?,
            notes,
            attendee_user_ids: Some(attendee_user_ids.unwrap_or_default()),
        };
        services
            .anime_tracking
            .record_session(user.id, space_id, anime_id, command)
            .await?;
        Ok(())
    })
    .await
}

/// Changes a session's notes (its creator only).
#[server(endpoint = "update_session")]
pub async fn update_session(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    session_id: WatchSessionId,
    notes: Option<String>,
) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        let command = anime_tracking::contracts::UpdateWatchSession { notes };
        services
            .anime_tracking
            .update_session(user.id, space_id, anime_id, session_id, command)
            .await?;
        Ok(())
    })
    .await
}

/// Deletes a session (its creator only).
#[server(endpoint = "delete_session")]
pub async fn delete_session(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    session_id: WatchSessionId,
) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        Ok(services
            .anime_tracking
            .delete_session(user.id, space_id, anime_id, session_id)
            .await?)
    })
    .await
}

#[cfg(feature = "ssr")]
mod ssr {
    use kernel::{ErrorKind, FieldErrors};
    use time::macros::format_description;
    use time::{Date, OffsetDateTime};

    use crate::error::AppError;

    pub fn field_error(field: &str, message: impl Into<String>) -> AppError {
        let message = message.into();
        AppError {
            kind: ErrorKind::Validation,
            message: message.clone(),
            field_errors: FieldErrors::single(field, message),
        }
    }

    /// `None` for a blank text, so it clears the stored one.
    pub fn blank_as_none(text: String) -> Option<String> {
        (!text.trim().is_empty()).then_some(text)
    }

    /// A typed whole number; blank or absent means "leave it as it is".
    pub fn parse_whole_number(raw: Option<&str>, field: &str) -> Result<Option<i32>, AppError> {
        match raw.map(str::trim).filter(|raw| !raw.is_empty()) {
            None => Ok(None),
            Some(raw) => raw
                .parse()
                .map(Some)
                .map_err(|_| field_error(field, "Please enter a whole number, like 3.")),
        }
    }

    /// A typed whole number that must be there.
    pub fn parse_required_number(raw: &str, field: &str) -> Result<i32, AppError> {
        parse_whole_number(Some(raw), field)?
            .ok_or_else(|| field_error(field, "Please enter an episode number."))
    }

    /// A date input's `YYYY-MM-DD`, as midnight UTC.
    pub fn parse_date(raw: &str) -> Result<OffsetDateTime, AppError> {
        Date::parse(raw.trim(), format_description!("[year]-[month]-[day]"))
            .map(|date| date.midnight().assume_utc())
            .map_err(|_| field_error("sessionDateUtc", "Please pick the day you watched."))
    }

    pub fn today() -> String {
        OffsetDateTime::now_utc()
            .date()
            .format(format_description!("[year]-[month]-[day]"))
            .unwrap_or_default()
    }
}
