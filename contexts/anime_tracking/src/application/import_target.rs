//! The spaces as AniListSync's imports reach them: AnimeTracking is the `ImportTarget` that
//! AniListSync's preview, start and worker are handed (by the server, and by AniListSync's
//! tests), so every path brings titles into a space through this one adapter.

use anilist_sync::contracts::{
    AniListError, AppliedCounts, ListTitle, MemberListEntry, SpaceLists, SpaceTitle,
};
use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::AnimeTracking;
use crate::contracts::{
    AnimeSort, AnimeTrackingError, ImportEntry, ImportMerge, RatingScore, WatchStatus,
};

#[async_trait::async_trait]
impl anilist_sync::ImportTarget for AnimeTracking {
    async fn space_lists(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<SpaceLists, AniListError> {
        let members = self
            .members(actor, space)
            .await
            .map_err(|error| import_failure("reading the space's members", error.into_public()))?;
        let anime = self
            .all_anime_of(&members, space, AnimeSort::default())
            .await
            .map_err(|error| import_failure("reading the space's titles", error.into_public()))?;
        let titles = anime
            .into_iter()
            .map(|anime| SpaceTitle {
                media: anime.anilist_media_id,
                entries: anime
                    .participants
                    .into_iter()
                    // Members who never touched the title have no entry of their own.
                    .filter(|entry| entry.current_member && entry.version > 0)
                    .map(|entry| MemberListEntry {
                        user: entry.user_id,
                        display_name: entry.display_name,
                        status: entry.individual_status.to_anilist(),
                        progress: entry.episodes_watched,
                        score_raw: entry.rating_score.map(RatingScore::to_score_raw),
                        notes: entry.rating_notes,
                    })
                    .collect(),
            })
            .collect();
        Ok(SpaceLists {
            members: members
                .into_iter()
                .map(|member| (member.user_id, member.display_name))
                .collect(),
            titles,
        })
    }

    async fn apply(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        titles: Vec<ListTitle>,
        overwrite: bool,
    ) -> Result<AppliedCounts, AniListError> {
        let entries = titles
            .into_iter()
            .map(|title| ImportEntry {
                status: WatchStatus::from_anilist(title.status),
                episodes_watched: title.progress,
                rating: title.score_raw.and_then(RatingScore::from_score_raw),
                notes: title.notes,
                media: title.media,
            })
            .collect();
        let merge = if overwrite {
            ImportMerge::Overwrite
        } else {
            ImportMerge::Forward
        };
        let applied = self
            .import_entries(actor, space, entries, merge)
            .await
            .map_err(|error| import_failure("bringing titles into the space", error))?;
        Ok(AppliedCounts {
            added: applied.added,
            changed: applied.changed,
            unchanged: applied.unchanged,
        })
    }
}

/// Non-members stay `SpaceNotFound`; anything else was logged where it happened and is an
/// internal failure to the import (which tries the chunk again).
fn import_failure(what: &str, error: AnimeTrackingError) -> AniListError {
    match error {
        AnimeTrackingError::SpaceNotFound => AniListError::SpaceNotFound,
        other => {
            tracing::error!(error = %other, "{what} for an import failed");
            AniListError::Internal
        }
    }
}
