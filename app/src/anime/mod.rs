//! Anime in a space: the anime list (`/spaces/:id/anime`, tabs and sort in the query),
//! adding an anime (a dialog with a debounced search, and `/spaces/:id/add?q=` for browsers
//! without JavaScript) and one anime's page (`/spaces/:id/anime/:animeId`) with the shared
//! state, everyone's own progress and rating, and the watch sessions.
//! Server functions in `server_fns.rs` call the AnimeTracking and AniListSync facades.

mod add_anime_dialog;
mod add_anime_page;
mod anime_card;
mod anime_detail_page;
mod anime_list_page;
mod edit_error;
mod fields;
mod member_column;
mod record_session_form;
mod search_results;
mod server_fns;
mod session_timeline;
mod shared_state_form;

pub use add_anime_dialog::AddAnimeButton;
pub use add_anime_page::AddAnimePage;
pub use anime_card::AnimeCard;
pub use anime_detail_page::AnimeDetailPage;
pub use anime_list_page::AnimeListPage;
pub use session_timeline::episode_range;

use anime_tracking::contracts::{ParticipantEntryDto, WatchSpaceAnimeId, WatchStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};
use watch_spaces::contracts::WatchSpaceId;

/// The anime list's tabs, each a group of shared statuses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AnimeTab {
    #[default]
    Watching,
    Backlog,
    Finished,
    PausedAndDropped,
}

impl AnimeTab {
    pub const ALL: [Self; 4] = [
        Self::Watching,
        Self::Backlog,
        Self::Finished,
        Self::PausedAndDropped,
    ];

    /// The spelling in `?tab=`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Watching => "watching",
            Self::Backlog => "backlog",
            Self::Finished => "finished",
            Self::PausedAndDropped => "paused",
        }
    }

    /// The tab spelled `raw`; the first tab for anything else.
    pub fn parse(raw: Option<&str>) -> Self {
        Self::ALL
            .into_iter()
            .find(|tab| Some(tab.as_str()) == raw)
            .unwrap_or_default()
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Watching => "Watching",
            Self::Backlog => "Backlog",
            Self::Finished => "Finished",
            Self::PausedAndDropped => "Paused & dropped",
        }
    }

    /// The shared statuses on this tab (the server filters by them).
    pub fn statuses(self) -> &'static [WatchStatus] {
        match self {
            Self::Watching => &[WatchStatus::Watching],
            Self::Backlog => &[WatchStatus::Backlog],
            Self::Finished => &[WatchStatus::Finished],
            Self::PausedAndDropped => &[WatchStatus::Paused, WatchStatus::Dropped],
        }
    }

    /// What an empty tab says: (heading, what to do next).
    pub fn empty_state(self) -> (&'static str, &'static str) {
        match self {
            Self::Watching => (
                "Nothing on the go right now",
                "Pick something from your backlog, or add a new show to start together 🍿",
            ),
            Self::Backlog => (
                "Your backlog is empty",
                "Add something you both want to watch 🌸",
            ),
            Self::Finished => (
                "No finished shows yet",
                "When you reach the last episode together, it will wait for you here 🎉",
            ),
            Self::PausedAndDropped => (
                "Nothing paused or dropped",
                "Every show you started is still going. Nice work 💪",
            ),
        }
    }
}

/// `/spaces/:id/anime?tab=…`: the list on one tab.
pub fn anime_list_path(space_id: WatchSpaceId, tab: AnimeTab) -> String {
    format!("/spaces/{space_id}/anime?tab={}", tab.as_str())
}

/// `/spaces/:id/anime/:animeId`.
pub fn anime_path(space_id: WatchSpaceId, anime_id: WatchSpaceAnimeId) -> String {
    format!("/spaces/{space_id}/anime/{anime_id}")
}

/// The space id in the route (`:id`), when it is a uuid.
pub fn use_space_id() -> Memo<Option<WatchSpaceId>> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|raw| uuid::Uuid::parse_str(&raw).ok())
            .map(WatchSpaceId)
    })
}

/// The current members' entries, in joining order: their index is their colour slot.
fn current_members(participants: &[ParticipantEntryDto]) -> Vec<ParticipantEntryDto> {
    participants
        .iter()
        .filter(|participant| participant.current_member)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_round_trip_through_the_query_and_default_to_watching() {
        for tab in AnimeTab::ALL {
            assert_eq!(AnimeTab::parse(Some(tab.as_str())), tab);
        }
        assert_eq!(AnimeTab::parse(Some("nonsense")), AnimeTab::Watching);
        assert_eq!(AnimeTab::parse(None), AnimeTab::Watching);
    }
}
