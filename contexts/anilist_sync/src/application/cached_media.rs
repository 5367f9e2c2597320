//! `cached_media`: what the cache holds for many ids at once, for lists and analytics; never
//! asks AniList.

use std::collections::HashMap;

use super::AniListSync;
use crate::contracts::{AniListError, AniListMediaId, MediaDto};
use crate::infrastructure::media_cache_repo;

impl AniListSync {
    /// The cached media among `ids`, in the order asked (each once; ids not cached are left
    /// out), in one query and without calling AniList, however old the rows are.
    ///
    /// # Errors
    /// `Internal` when the cache cannot be read.
    #[tracing::instrument(skip_all, fields(ids = ids.len()))]
    pub async fn cached_media(
        &self,
        ids: &[AniListMediaId],
    ) -> Result<Vec<MediaDto>, AniListError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let found = media_cache_repo::find_many(&self.inner.db, ids)
            .await
            .map_err(|error| error.into_public())?;
        let mut by_id: HashMap<AniListMediaId, MediaDto> = found
            .into_iter()
            .map(|media| (media.anilist_media_id, media))
            .collect();
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// A digest of the genres and episode lengths the cache holds for `ids` (hex), in one
    /// query: equal digests mean those are unchanged, so a reader that keeps something it
    /// computed from them (Analytics' genre mix and hours together) can tell whether a
    /// refresh changed them. Only those two fields, so the digest stays cheap.
    ///
    /// # Errors
    /// `Internal` when the cache cannot be read.
    #[tracing::instrument(skip_all, fields(ids = ids.len()))]
    pub async fn genres_and_lengths_digest(
        &self,
        ids: &[AniListMediaId],
    ) -> Result<String, AniListError> {
        if ids.is_empty() {
            return Ok(String::new());
        }
        media_cache_repo::genres_and_lengths_digest(&self.inner.db, ids)
            .await
            .map_err(|error| error.into_public())
    }
}
