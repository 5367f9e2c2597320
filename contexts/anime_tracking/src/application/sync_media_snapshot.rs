use anilist_sync::contracts::MediaDto;
use sea_orm::TransactionTrait;

use super::{AnimeTracking, Error};
use crate::contracts::AnimeTrackingError;
use crate::domain::anime::MediaSnapshot;
use crate::infrastructure::{anime_repo, revisions_repo};

impl AnimeTracking {
    /// Applies AniList's latest metadata to every space tracking that anime (titles, episode
    /// count, cover, format, season). No actor: called by the app after it refreshed the
    /// media; bumps neither version nor `updated_at`, but does bump the revision of every
    /// space tracking it (in the same transaction), which is how readers that keep derived
    /// views learn that AniList's metadata changed. Stored progress stays, even beyond a
    /// lowered episode count: the anime then `needs_attention`.
    ///
    /// # Errors
    /// `Internal`.
    #[tracing::instrument(skip_all, fields(anilist_media_id = %media.anilist_media_id))]
    pub async fn sync_media_snapshot(&self, media: &MediaDto) -> Result<(), AnimeTrackingError> {
        let updated = self
            .sync_media_snapshot_inner(media)
            .await
            .map_err(Error::into_public)?;
        tracing::info!(updated, "media snapshot synced");
        Ok(())
    }

    async fn sync_media_snapshot_inner(&self, media: &MediaDto) -> Result<u64, Error> {
        let transaction = self.db.begin().await?;
        let updated = anime_repo::refresh_media(&transaction, &MediaSnapshot::from(media)).await?;
        revisions_repo::bump_tracking(&transaction, media.anilist_media_id).await?;
        transaction.commit().await?;
        Ok(updated)
    }
}
