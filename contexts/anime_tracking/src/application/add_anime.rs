use anilist_sync::contracts::AskedBy;
use identity::contracts::UserId;
use kernel::db::violated_constraint;
use sea_orm::{DbErr, TransactionTrait};
use watch_spaces::contracts::WatchSpaceId;

use super::{AnimeTracking, Error};
use crate::contracts::{
    AddAnime, AnimeTrackingError, WatchSpaceAnimeDto, WatchStatus, MAX_ANIME_PER_SPACE,
};
use crate::domain::anime::{MediaSnapshot, WatchSpaceAnime};
use crate::infrastructure::anime_repo::{self, ANIME_CAP};

impl AnimeTracking {
    /// Starts tracking an AniList anime in the space, with a snapshot of AniList's metadata
    /// (titles, episode count, cover, format, season). Any member may add.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member;
    /// `AlreadyTracked` when the space tracks that anime already; `AniList` when AniList
    /// cannot provide it; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, anilist_media_id = %command.anilist_media_id))]
    pub async fn add_anime(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        command: AddAnime,
    ) -> Result<WatchSpaceAnimeDto, AnimeTrackingError> {
        self.add_anime_inner(actor, space, command)
            .await
            .map_err(Error::into_public)
    }

    async fn add_anime_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        command: AddAnime,
    ) -> Result<WatchSpaceAnimeDto, Error> {
        let members = self.members(actor, space).await?;
        self.refuse_tracked(space, &command).await?;
        if anime_repo::count_in_space(&self.db, space).await? >= MAX_ANIME_PER_SPACE {
            return Err(AnimeTrackingError::SpaceAnimeLimit {
                limit: MAX_ANIME_PER_SPACE,
            }
            .into());
        }
        let media = self
            .catalog
            .media(AskedBy::Member(actor), command.anilist_media_id)
            .await
            .map_err(AnimeTrackingError::AniList)?;
        let anime = WatchSpaceAnime::add(
            space,
            MediaSnapshot::from(&media),
            command.shared_status.unwrap_or(WatchStatus::Backlog),
            actor,
            self.clock.now(),
        );
        let transaction = self.db.begin().await?;
        let inserted = match anime_repo::insert(&transaction, &anime).await {
            Ok(()) => self.publish_changes(&transaction, vec![space]).await,
            Err(error) => Err(error),
        };
        if let Err(error) = inserted {
            transaction.rollback().await?;
            return Err(match error {
                Error::Db(ref db) if is_duplicate(db) => {
                    match self.refuse_tracked(space, &command).await {
                        Ok(()) => error,
                        Err(tracked) => tracked,
                    }
                }
                Error::Db(ref db) if violated_constraint(db) == Some(ANIME_CAP) => {
                    AnimeTrackingError::SpaceAnimeLimit {
                        limit: MAX_ANIME_PER_SPACE,
                    }
                    .into()
                }
                other => other,
            });
        }
        transaction.commit().await?;
        tracing::info!(anime_id = %anime.id, "anime added");
        metrics::counter!("bloomwatch_anime_added_total").increment(1);
        self.anime_dto(&members, &anime).await
    }

    /// `AlreadyTracked` when the space tracks the anime already.
    async fn refuse_tracked(&self, space: WatchSpaceId, command: &AddAnime) -> Result<(), Error> {
        match anime_repo::find_by_media(&self.db, space, command.anilist_media_id).await? {
            Some(existing) => Err(AnimeTrackingError::AlreadyTracked {
                title: existing
                    .media
                    .preferred_title_english
                    .unwrap_or(existing.media.preferred_title),
                existing_id: existing.id,
            }
            .into()),
            None => Ok(()),
        }
    }
}

/// Someone added the same anime to the space a moment before us.
fn is_duplicate(error: &DbErr) -> bool {
    violated_constraint(error) == Some("watch_space_anime_space_media_key")
}
