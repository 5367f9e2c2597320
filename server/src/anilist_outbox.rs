//! AnimeTracking publishes what writes change on members' own entries; this adapter hands
//! those changes, in AniList's terms, to AniListSync's outbox inside the same transaction, so
//! a linked member's change and its sync job commit together (or not at all).

use anilist_sync::contracts::ListEntryChange;
use anilist_sync::AniListSync;
use anime_tracking::contracts::ParticipantEntriesChanged;
use kernel::EventSink;
use sea_orm::{DatabaseTransaction, DbErr};

pub struct AniListOutbox(pub AniListSync);

#[async_trait::async_trait]
impl EventSink<ParticipantEntriesChanged> for AniListOutbox {
    async fn publish(
        &self,
        transaction: &DatabaseTransaction,
        event: &ParticipantEntriesChanged,
    ) -> Result<(), DbErr> {
        let changes: Vec<ListEntryChange> = event
            .changes
            .iter()
            .map(|change| change.to_anilist())
            .collect();
        self.0.queue_list_changes(transaction, &changes).await
    }
}
