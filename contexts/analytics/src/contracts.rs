//! What other crates may know about Analytics: the DTOs it answers with and its public
//! error. Wasm-safe.

use anime_tracking::contracts::{
    RatingScore, WatchSessionDto, WatchSpaceAnimeDto, WatchSpaceAnimeId,
};
use identity::contracts::UserId;
use kernel::{ErrorKind, FieldErrors, PublicError};
use serde::{Deserialize, Serialize};
use watch_spaces::contracts::WatchSpaceId;

/// A member as analytics names them.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberRefDto {
    pub user_id: UserId,
    pub display_name: String,
}

/// Two members' shared taste.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PairCompatibilityDto {
    pub member_a: MemberRefDto,
    pub member_b: MemberRefDto,
    /// Titles both of them rated.
    pub rated_together_count: u32,
    /// 0 to 100; `null` until they rated enough titles together (see `unlockHint`).
    pub score: Option<u8>,
    /// Points between their ratings, on average; `null` with nothing rated together.
    pub average_gap: Option<f64>,
    /// A warm name for the score's band; `null` without a score.
    pub label: Option<String>,
    /// What to do to get a score, while there is none.
    pub unlock_hint: Option<String>,
    /// Pearson's correlation of their ratings (-1 to 1), from 5 titles rated together.
    pub correlation: Option<f64>,
    /// Why there is no correlation, when there is none.
    pub correlation_note: Option<String>,
}

/// `GET /api/watch-spaces/{id}/analytics/compatibility`: the space's score (the mean over
/// pairs that have one) and every pair of current members.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompatibilityDto {
    pub watch_space_id: WatchSpaceId,
    pub score: Option<u8>,
    /// The mean of the scored pairs' average gaps.
    pub average_gap: Option<f64>,
    /// Titles rated by at least two members.
    pub rated_together_count: u32,
    pub label: Option<String>,
    pub unlock_hint: Option<String>,
    pub pairs: Vec<PairCompatibilityDto>,
}

/// Everything Analytics can refuse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AnalyticsError {
    /// One or more random-pick filters are invalid; the messages say which and why (400).
    #[error("{0}")]
    InvalidFilters(FieldErrors),
    /// No such space, or the asking user is not a member of it (404).
    #[error("We could not find that space. It may not exist, or you may not be a member of it.")]
    SpaceNotFound,
    /// PostgreSQL cannot be reached right now; nothing was changed (503, Retry-After).
    #[error("{}", kernel::DATABASE_UNAVAILABLE)]
    DatabaseUnavailable,
    /// Something failed on the server; the details are in the server's logs (500).
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl PublicError for AnalyticsError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidFilters(_) => ErrorKind::Validation,
            Self::SpaceNotFound => ErrorKind::NotFound,
            Self::DatabaseUnavailable => ErrorKind::Unavailable,
            Self::Internal => ErrorKind::Internal,
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            Self::InvalidFilters(errors) => Some(errors),
            Self::SpaceNotFound | Self::DatabaseUnavailable | Self::Internal => None,
        }
    }

    fn retry_after_seconds(&self) -> Option<u64> {
        (*self == Self::DatabaseUnavailable).then_some(kernel::DATABASE_RETRY_AFTER_SECONDS)
    }
}

/// One member's rating of a title, with their notes.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberRatingDto {
    pub member: MemberRefDto,
    pub rating_score: RatingScore,
    pub rating_notes: Option<String>,
}

/// A title rated by at least two members, and how far apart their ratings are.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RatingGapDto {
    pub watch_space_anime_id: WatchSpaceAnimeId,
    pub title: String,
    pub cover_image_url: Option<String>,
    /// Points between the highest and the lowest rating.
    pub gap: f64,
    /// Every current member's rating of it, highest first.
    pub ratings: Vec<MemberRatingDto>,
}

/// `GET /api/watch-spaces/{id}/analytics/rating-gaps`: where tastes differ most and meet.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RatingGapsDto {
    pub watch_space_id: WatchSpaceId,
    /// Up to 5 titles with the biggest gaps (gap above 0), biggest first.
    pub biggest_gaps: Vec<RatingGapDto>,
    /// Up to 5 titles with the smallest gaps, smallest first.
    pub most_aligned: Vec<RatingGapDto>,
    /// Every title rated by at least two members, biggest gap first.
    pub all: Vec<RatingGapDto>,
}

/// Sessions in one calendar month (UTC).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MonthlySessionsDto {
    /// `YYYY-MM`.
    pub month: String,
    pub sessions: u32,
    /// Distinct episodes those sessions covered.
    pub episodes: u32,
}

/// How many tracked shows carry a genre (AniList's genres; a show counts once per genre).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenreShareDto {
    pub genre: String,
    pub shows: u32,
    /// `shows` over the shows whose genres are known, 0 to 1, rounded to hundredths.
    pub share: f64,
}

/// `GET /api/watch-spaces/{id}/analytics/shared-stats`, and the dashboard's `stats`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedStatsDto {
    pub total_shows: u32,
    /// Shows by shared status.
    pub currently_watching: u32,
    pub backlog: u32,
    pub finished: u32,
    pub paused: u32,
    pub dropped: u32,
    /// Distinct episodes covered by sessions, each episode of a show counted once however
    /// many sessions overlap on it.
    pub episodes_watched_together: u32,
    /// Those episodes times each show's episode length, where AniList knows it; in hours,
    /// rounded to tenths.
    pub hours_together: f64,
    /// Episodes watched together whose length is unknown (left out of `hoursTogether`).
    pub episodes_without_duration: u32,
    pub total_sessions: u32,
    /// The last 12 months, oldest first, months without sessions included.
    pub sessions_per_month: Vec<MonthlySessionsDto>,
    /// Consecutive ISO weeks (UTC) with at least one session, ending this week, or last week
    /// while this week has none yet.
    pub current_weekly_streak: u32,
    /// Finished shows over the shows started (every status but backlog), 0 to 1; `null`
    /// before anything was started.
    pub completion_rate: Option<f64>,
    /// Most common first (ties by name).
    pub genre_mix: Vec<GenreShareDto>,
    /// Shows whose genres are unknown (AniList metadata not cached).
    pub shows_without_genres: u32,
}

/// A recent watch session with the show it was for.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentSessionDto {
    pub watch_space_anime_id: WatchSpaceAnimeId,
    pub title: String,
    pub cover_image_url: Option<String>,
    /// Nested, not flattened: flattened, its own `watchSpaceAnimeId` would repeat the key
    /// above, and serde refuses to read such JSON back.
    pub session: WatchSessionDto,
}

/// Everything the analytics page shows, computed from one read of the space: compatibility,
/// every rating gap and the shared stats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpaceAnalyticsDto {
    pub compatibility: CompatibilityDto,
    pub rating_gaps: RatingGapsDto,
    pub stats: SharedStatsDto,
}

/// `GET /api/watch-spaces/{id}/dashboard`: the design document's dashboard, plus what the
/// dashboard page shows around it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardDto {
    pub watch_space_id: WatchSpaceId,
    pub stats: SharedStatsDto,
    pub compatibility: CompatibilityDto,
    /// Shows the space is watching, most recently updated first (up to 6).
    pub currently_watching: Vec<WatchSpaceAnimeDto>,
    /// Backlog shows, most recently added first (up to 6).
    pub backlog_highlights: Vec<WatchSpaceAnimeDto>,
    /// The biggest rating gaps (up to 5, gap above 0).
    pub rating_gap_highlights: Vec<RatingGapDto>,
    /// The titles rated most alike (up to 5).
    pub most_aligned: Vec<RatingGapDto>,
    /// The latest sessions across all shows, newest first (up to 5).
    pub recent_sessions: Vec<RecentSessionDto>,
}

/// Filters for the random pick from the backlog; all optional.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RandomPickQuery {
    /// Only shows with this AniList genre (case-insensitive).
    pub genre: Option<String>,
    /// Only shows with at most this many episodes left (unknown counts do not qualify).
    pub max_episodes: Option<u32>,
    /// Only shows whose remaining runtime fits in this many minutes ("tonight"; unknown
    /// lengths do not qualify).
    pub max_minutes: Option<u32>,
    /// Only shows whose mood contains this text (case-insensitive).
    pub mood: Option<String>,
}

/// `POST /api/watch-spaces/{id}/analytics/random-pick`: one backlog show, chosen uniformly
/// among those matching the filters that no current member has dropped, never the space's
/// previous pick when there is another candidate.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RandomPickDto {
    pub watch_space_id: WatchSpaceId,
    /// `null` when nothing matches; `message` says why.
    pub pick: Option<WatchSpaceAnimeDto>,
    /// How many shows it was chosen from.
    pub candidates: u32,
    /// AniList's genres of the pick, when cached.
    pub genres: Vec<String>,
    /// Minutes left to watch, when the length is known.
    pub remaining_minutes: Option<u32>,
    /// A friendly word when there is no pick, or when the pick had to repeat (one candidate).
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {

    use super::*;
    use anime_tracking::contracts::{AttendeeDto, WatchSessionId};

    #[test]
    fn a_recent_session_reads_back_what_it_writes() {
        let anime = WatchSpaceAnimeId(uuid::Uuid::from_u128(7));
        let recent = RecentSessionDto {
            watch_space_anime_id: anime,
            title: "Frieren".into(),
            cover_image_url: None,
            session: WatchSessionDto {
                id: WatchSessionId(uuid::Uuid::from_u128(8)),
                watch_space_anime_id: anime,
                session_date_utc: time::OffsetDateTime::UNIX_EPOCH,
                start_episode: 1,
                end_episode: 2,
                notes: None,
                created_by_user_id: UserId(uuid::Uuid::from_u128(9)),
                created_by_display_name: "Mika".into(),
                created_at_utc: time::OffsetDateTime::UNIX_EPOCH,
                attendees: vec![AttendeeDto {
                    user_id: UserId(uuid::Uuid::from_u128(9)),
                    display_name: "Mika".into(),
                }],
            },
        };
        let json = serde_json::to_string(&recent).unwrap();
        assert_eq!(
            serde_json::from_str::<RecentSessionDto>(&json).unwrap(),
            recent
        );
    }
}
