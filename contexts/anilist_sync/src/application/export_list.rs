//! A member's own entries in a space, taken out as a MyAnimeList export: the file AniList's
//! and MyAnimeList's importers read.

use std::collections::HashMap;

use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::{AniListSync, Error, ImportTarget};
use crate::contracts::{AniListError, AniListMediaId, MediaFormat, MemberListEntry};
use crate::domain::mal_xml::{self, MalExportEntry, MalStatus};
use crate::infrastructure::media_cache_repo;

impl AniListSync {
    /// `actor`'s own entries in the space as MAL XML (by title); titles MyAnimeList has no
    /// id for are named in a comment at the top. Importing the file back into a space gives
    /// the same statuses, progress, scores and notes.
    ///
    /// # Errors
    /// `SpaceNotFound` for non-members; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn export_mal_list(
        &self,
        target: &dyn ImportTarget,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<String, AniListError> {
        async {
            let lists = target.space_lists(actor, space).await?;
            let mine: Vec<(AniListMediaId, MemberListEntry)> = lists
                .titles
                .into_iter()
                .filter_map(|title| {
                    let media = title.media;
                    title
                        .entries
                        .into_iter()
                        .find(|entry| entry.user == actor)
                        .map(|entry| (media, entry))
                })
                .collect();
            let ids: Vec<AniListMediaId> = mine.iter().map(|(media, _)| *media).collect();
            let media: HashMap<AniListMediaId, _> =
                media_cache_repo::find_many(&self.inner.db, &ids)
                    .await?
                    .into_iter()
                    .map(|media| (media.anilist_media_id, media))
                    .collect();
            let mut entries = Vec::with_capacity(mine.len());
            let mut skipped = Vec::new();
            for (id, entry) in mine {
                let Some(media) = media.get(&id) else {
                    skipped.push(format!("AniList {id}"));
                    continue;
                };
                let (status, rewatching) = MalStatus::from_anilist(entry.status);
                entries.push(MalExportEntry {
                    mal_id: media.id_mal.unwrap_or(0),
                    title: media.title_romaji.clone(),
                    series_type: media.format.map(series_type),
                    episodes: media.episodes,
                    watched_episodes: entry.progress,
                    score: entry.score_raw.map_or(0, mal_xml::points),
                    status,
                    rewatching,
                    comments: entry.notes,
                });
            }
            entries.sort_by_cached_key(|entry| entry.title.to_lowercase());
            let user_name = lists
                .members
                .iter()
                .find(|(user, _)| *user == actor)
                .map_or("BloomWatch", |(_, name)| name.as_str());
            Ok(mal_xml::write(user_name, &entries, &skipped))
        }
        .await
        .map_err(Error::into_public)
    }
}

/// MAL's `series_type` for AniList's format.
fn series_type(format: MediaFormat) -> &'static str {
    match format {
        MediaFormat::Tv | MediaFormat::TvShort => "TV",
        MediaFormat::Movie => "Movie",
        MediaFormat::Special => "Special",
        MediaFormat::Ova => "OVA",
        MediaFormat::Ona => "ONA",
        MediaFormat::Music => "Music",
    }
}
