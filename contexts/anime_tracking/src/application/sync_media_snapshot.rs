use anilist_sync::contracts::MediaDto;
use sea_orm::TransactionTrait;

use super::{AnimeTracking, Error};
use crate::contracts::AnimeTrackingError;
use crate::domain::anime::MediaSnapshot;
use crate::infrastructure::anime_repo;

impl AnimeTracking {
    /// Applies AniList's latest metadata to every space tracking that anime (titles, episode
    /// count, cover, format, season). No actor: called by the app after it refreshed the
    /// media; bumps neither version nor `updated_at`, but publishes `TrackingChanged` for
    /// the spaces tracking it. Stored progress stays, even beyond a lowered episode count:
    /// the anime then `needs_attention`.
    ///
    /// # Errors
    /// `Internal`.
    #[tracing::instrument(skip_all, fields(anilist_media_id = %media.anilist_media_id))]
    pub async fn sync_media_snapshot(&self, media: &MediaDto) -> Result<(), AnimeTrackingError> {
        let spaces = self
            .sync_media_snapshot_inner(media)
            .await
            .map_err(Error::into_public)?;
        tracing::info!(spaces, "media snapshot synced");
        Ok(())
    }

    pub(super) async fn sync_media_snapshot_inner(&self, media: &MediaDto) -> Result<usize, Error> {
        let transaction = self.db.begin().await?;
        let spaces = anime_repo::refresh_media(&transaction, &MediaSnapshot::from(media)).await?;
        let updated = spaces.len();
        self.publish_changes(&transaction, spaces).await?;
        transaction.commit().await?;
        Ok(updated)
    }
}
