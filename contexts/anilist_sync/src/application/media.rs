//! `media`: one anime by AniList id, from the cache while it is fresh, else from AniList
//! (saved to the cache); a stale copy still answers when AniList cannot.

use std::sync::Arc;

use super::{AniListSync, Error};
use crate::contracts::{AniListError, AniListMediaId, AskedBy, MediaDto};
use crate::infrastructure::media_cache_repo;

impl AniListSync {
    /// The anime with AniList id `id`. Costs no AniList call while the cached copy is younger
    /// than `media_stale_after`; concurrent lookups of the same id share one call, which
    /// counts against the asking member's share.
    ///
    /// # Errors
    /// `MediaNotFound` when AniList has no anime with that id; `RateLimited` or
    /// `Unavailable` when AniList cannot answer and nothing is cached; `TooManyRequests`
    /// when the member is over their share and nothing is cached; `Internal` when the cache
    /// cannot be read or written.
    #[tracing::instrument(skip_all, fields(media_id = %id))]
    pub async fn media(
        &self,
        asked_by: AskedBy,
        id: AniListMediaId,
    ) -> Result<MediaDto, AniListError> {
        self.find_media(asked_by, id)
            .await
            .map_err(Error::into_public)
    }

    async fn find_media(&self, asked_by: AskedBy, id: AniListMediaId) -> Result<MediaDto, Error> {
        let cached = media_cache_repo::find(&self.inner.db, id).await?;
        let now = self.inner.clock.now();
        if let Some(media) = &cached {
            if now - media.cached_at_utc < self.inner.settings.media_stale_after {
                return Ok(media.clone());
            }
        }
        if let Err(refused) = self.charge(asked_by).await {
            // Over their share, a member still gets the copy we have.
            return cached.ok_or(refused);
        }
        let fetched = self
            .inner
            .lookups
            .run(id, || async {
                let media = self
                    .inner
                    .client
                    .media(id, now)
                    .await
                    .map_err(|failure| Arc::new(failure.into()))?;
                self.remember(std::slice::from_ref(&media))
                    .await
                    .map_err(Arc::new)?;
                Ok(media)
            })
            .await;
        match (fetched, cached) {
            (Ok(media), _) => Ok(media),
            (Err(error), Some(stale)) if error.upstream().is_some() => {
                tracing::warn!(
                    error = %error,
                    cached_at = %stale.cached_at_utc,
                    "AniList could not refresh a media; serving the stale copy"
                );
                Ok(stale)
            }
            (Err(error), _) => Err(Error::Shared(error)),
        }
    }
}
