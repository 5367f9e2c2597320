//! AnimeTracking asks for an anime's AniList metadata through its `MediaCatalog` port; this
//! adapter answers from AniListSync (its cache first, AniList when missing or stale).

use anilist_sync::contracts::{AniListError, AniListMediaId, AskedBy, MediaDto};
use anilist_sync::AniListSync;
use anime_tracking::MediaCatalog;

pub struct AniListCatalog(pub AniListSync);

#[async_trait::async_trait]
impl MediaCatalog for AniListCatalog {
    async fn media(&self, asked_by: AskedBy, id: AniListMediaId) -> Result<MediaDto, AniListError> {
        self.0.media(asked_by, id).await
    }
}
