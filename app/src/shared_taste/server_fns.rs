//! Analytics as the signed-in member: thin adapters over the Analytics facade. The pages'
//! charts are built here, on the server, so charming stays out of the WASM bundle.

use analytics::contracts::{
    CompatibilityDto, DashboardDto, MemberRefDto, RatingGapDto, RatingGapsDto, SharedStatsDto,
};
use anime_tracking::contracts::WatchSpaceAnimeId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use watch_spaces::contracts::WatchSpaceId;

use crate::charts::ChartOption;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::services::for_signed_in_user;

/// The dashboard with its charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    pub dashboard: DashboardDto,
    /// Each member's rating of `chart_titles`, side by side.
    pub ratings_chart: ChartOption,
    pub sessions_chart: ChartOption,
}

/// The analytics page: every table, with its charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyticsView {
    pub compatibility: CompatibilityDto,
    pub rating_gaps: RatingGapsDto,
    pub stats: SharedStatsDto,
    pub genre_chart: ChartOption,
    pub sessions_chart: ChartOption,
}

#[server(endpoint = "get_dashboard")]
pub async fn get_dashboard(space_id: WatchSpaceId) -> Result<DashboardView, AppError> {
    use crate::charts::options;

    for_signed_in_user(|services, user| async move {
        let dashboard = services.analytics.dashboard(user.id, space_id).await?;
        Ok(DashboardView {
            ratings_chart: options::ratings_side_by_side(
                &chart_titles(&dashboard),
                &members(&dashboard.compatibility),
            ),
            sessions_chart: options::sessions_per_month(&dashboard.stats.sessions_per_month),
            dashboard,
        })
    })
    .await
}

#[server(endpoint = "get_space_analytics")]
pub async fn get_space_analytics(space_id: WatchSpaceId) -> Result<AnalyticsView, AppError> {
    use crate::charts::options;

    for_signed_in_user(|services, user| async move {
        let analytics = services
            .analytics
            .space_analytics(user.id, space_id)
            .await?;
        Ok(AnalyticsView {
            genre_chart: options::genre_mix(&analytics.stats.genre_mix),
            sessions_chart: options::sessions_per_month(&analytics.stats.sessions_per_month),
            compatibility: analytics.compatibility,
            rating_gaps: analytics.rating_gaps,
            stats: analytics.stats,
        })
    })
    .await
}

/// A random pick as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RandomPickView {
    /// `None` when nothing in the backlog fits.
    pub pick: Option<PickedAnime>,
    /// "Picked from 3 shows · about 45 min · Drama, Romance".
    pub details: String,
    /// Why nothing fits, or a note about the pick.
    pub message: Option<String>,
}

/// The picked show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickedAnime {
    pub id: WatchSpaceAnimeId,
    pub title: String,
    pub cover_image_url: Option<String>,
}

/// A random show from the backlog for tonight. Blank filters mean "any".
#[server(endpoint = "pick_for_us")]
pub async fn pick_for_us(
    space_id: WatchSpaceId,
    genre: String,
    max_minutes: String,
    mood: String,
) -> Result<RandomPickView, AppError> {
    use analytics::contracts::RandomPickQuery;

    let max_minutes = match max_minutes.trim() {
        "" => None,
        minutes => Some(minutes.parse::<u32>().map_err(|_| {
            AppError::new(
                kernel::ErrorKind::Validation,
                "Choose how much time you have from the list.",
            )
        })?),
    };
    let query = RandomPickQuery {
        genre: non_blank(genre),
        max_episodes: None,
        max_minutes,
        mood: non_blank(mood),
    };
    for_signed_in_user(|services, user| async move {
        let result = services
            .analytics
            .random_pick(user.id, space_id, query)
            .await?;
        Ok(RandomPickView {
            details: pick_details(&result),
            pick: result.pick.map(|anime| PickedAnime {
                id: anime.id,
                title: anime.display_title().to_owned(),
                cover_image_url: anime.cover_image_url_snapshot,
            }),
            message: result.message,
        })
    })
    .await
}

/// How many shows the pick came from, how long it takes, and its genres.
#[cfg(feature = "ssr")]
fn pick_details(result: &analytics::contracts::RandomPickDto) -> String {
    [
        Some(match result.candidates {
            1 => "The only match".to_owned(),
            count => format!("Picked from {count} shows"),
        }),
        result.remaining_minutes.map(|minutes| match minutes {
            0..=89 => format!("about {minutes} min"),
            _ => format!("about {:.1} h", f64::from(minutes) / 60.0),
        }),
        (!result.genres.is_empty()).then(|| result.genres.join(", ")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

#[cfg(feature = "ssr")]
fn non_blank(value: String) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// The titles in the dashboard's ratings chart: where the members differ most, then where
/// they meet, each once.
pub fn chart_titles(dashboard: &DashboardDto) -> Vec<RatingGapDto> {
    let mut titles: Vec<RatingGapDto> = Vec::new();
    for title in dashboard
        .rating_gap_highlights
        .iter()
        .chain(&dashboard.most_aligned)
    {
        if !titles
            .iter()
            .any(|seen| seen.watch_space_anime_id == title.watch_space_anime_id)
        {
            titles.push(title.clone());
        }
    }
    titles
}

/// The space's current members, in the pairs' order (every member is in a pair once the
/// space has two).
pub fn members(compatibility: &CompatibilityDto) -> Vec<MemberRefDto> {
    let mut members: Vec<MemberRefDto> = Vec::new();
    for member in compatibility
        .pairs
        .iter()
        .flat_map(|pair| [&pair.member_a, &pair.member_b])
    {
        if !members.iter().any(|seen| seen.user_id == member.user_id) {
            members.push(member.clone());
        }
    }
    members
}
