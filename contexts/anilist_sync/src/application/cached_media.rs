//! `cached_media`: what the cache holds for many ids at once, for lists and analytics; never
//! asks AniList.

use std::collections::HashMap;

use super::{AniListSync, Error};
use crate::contracts::{AniListError, AniListMediaId, MediaDto, MetadataGeneration};
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

    /// The cache's current metadata generation: read it before deriving something from the
    /// cached genres or episode lengths, keep it with what was derived, and ask
    /// [`Self::metadata_changed_since`] later whether that still holds. One small query.
    ///
    /// # Errors
    /// `Internal` when the cache cannot be read.
    pub async fn metadata_generation(&self) -> Result<MetadataGeneration, AniListError> {
        let raw = media_cache_repo::metadata_generation(&self.inner.db)
            .await
            .map_err(|error| error.into_public())?;
        MetadataGeneration::new(raw).ok_or_else(|| {
            Error::from(anyhow::anyhow!("negative metadata generation {raw}")).into_public()
        })
    }

    /// Whether any of `ids` was cached for the first time, or had its genres or episode length
    /// changed, after `generation`. One query that reads only the rows changed since.
    ///
    /// # Errors
    /// `Internal` when the cache cannot be read.
    #[tracing::instrument(skip_all, fields(ids = ids.len()))]
    pub async fn metadata_changed_since(
        &self,
        ids: &[AniListMediaId],
        generation: MetadataGeneration,
    ) -> Result<bool, AniListError> {
        if ids.is_empty() {
            return Ok(false);
        }
        media_cache_repo::changed_since(&self.inner.db, ids, generation.get())
            .await
            .map_err(|error| error.into_public())
    }
}
