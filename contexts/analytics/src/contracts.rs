//! What other crates may know about Analytics: the DTOs it answers with and its public
//! error. Wasm-safe.

use anime_tracking::contracts::{RatingScore, WatchSpaceAnimeId};
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
    /// No such space, or the asking user is not a member of it (404).
    #[error("We could not find that space. It may not exist, or you may not be a member of it.")]
    SpaceNotFound,
    /// Something failed on the server; the details are in the server's logs (500).
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl PublicError for AnalyticsError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::SpaceNotFound => ErrorKind::NotFound,
            Self::Internal => ErrorKind::Internal,
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        None
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
