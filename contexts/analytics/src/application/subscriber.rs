//! What Analytics learns from the other contexts' events: each moves one of the generations
//! dashboard snapshots are checked against, in Analytics' own tables and inside the
//! publisher's transaction, so a snapshot never outlives what it was computed from.

use anilist_sync::contracts::MetadataChanged;
use anime_tracking::contracts::TrackingChanged;
use identity::contracts::DisplayNameChanged;
use kernel::EventSink;
use sea_orm::{DatabaseTransaction, DbErr};
use watch_spaces::contracts::MembersChanged;

use crate::infrastructure::generations_repo;

/// Analytics' subscriber to Identity's, WatchSpaces', AnimeTracking's and AniListSync's
/// events; `server/` hands it to each of them.
#[derive(Debug, Default, Clone, Copy)]
pub struct Subscriber;

#[async_trait::async_trait]
impl EventSink<TrackingChanged> for Subscriber {
    async fn publish(
        &self,
        transaction: &DatabaseTransaction,
        event: &TrackingChanged,
    ) -> Result<(), DbErr> {
        generations_repo::bump_spaces(transaction, &event.spaces).await
    }
}

#[async_trait::async_trait]
impl EventSink<MembersChanged> for Subscriber {
    async fn publish(
        &self,
        transaction: &DatabaseTransaction,
        event: &MembersChanged,
    ) -> Result<(), DbErr> {
        generations_repo::bump_spaces(transaction, &[event.space]).await
    }
}

#[async_trait::async_trait]
impl EventSink<DisplayNameChanged> for Subscriber {
    async fn publish(
        &self,
        transaction: &DatabaseTransaction,
        _: &DisplayNameChanged,
    ) -> Result<(), DbErr> {
        // Who shows a user's name is only known by recomputing: every snapshot checks the
        // names it shows once, on its next read.
        generations_repo::bump_names(transaction).await
    }
}

#[async_trait::async_trait]
impl EventSink<MetadataChanged> for Subscriber {
    async fn publish(
        &self,
        transaction: &DatabaseTransaction,
        event: &MetadataChanged,
    ) -> Result<(), DbErr> {
        generations_repo::raise_metadata(transaction, event.generation).await
    }
}
