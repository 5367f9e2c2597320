use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::{AnimeTracking, Error};
use crate::contracts::{AnimeTrackingError, WatchSpaceAnimeId};
use sea_orm::TransactionTrait;

use crate::infrastructure::anime_repo::{self, Lock};

impl AnimeTracking {
    /// Stops tracking the anime in the space, with every entry and session. Owners and the
    /// member who added it only.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member;
    /// `AnimeNotFound`; `NotAllowedToRemove`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, anime_id = %anime))]
    pub async fn remove_anime(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
    ) -> Result<(), AnimeTrackingError> {
        self.remove_anime_inner(actor, space, anime)
            .await
            .map_err(Error::into_public)
    }

    async fn remove_anime_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        id: WatchSpaceAnimeId,
    ) -> Result<(), Error> {
        let role = self.role(actor, space).await?;
        let anime = self.anime(&self.db, space, id, Lock::None).await?;
        anime
            .ensure_removable_by(actor, role)
            .map_err(|_| AnimeTrackingError::NotAllowedToRemove)?;
        let transaction = self.db.begin().await?;
        if !anime_repo::delete(&transaction, space, id).await? {
            return Err(AnimeTrackingError::AnimeNotFound.into());
        }
        self.publish_changes(&transaction, vec![space]).await?;
        transaction.commit().await?;
        tracing::info!("anime removed");
        Ok(())
    }
}
