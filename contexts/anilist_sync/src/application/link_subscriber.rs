//! `AccountLinkSubscriber`: follows Identity's AniList links inside their transactions, so a
//! member's sync account exists exactly while their link does. A link starts it (or, after a
//! re-link, lets it work again with the member's switches kept); an unlink forgets it and
//! cancels the changes still waiting, each logged as cancelled.

use std::sync::Arc;

use identity::contracts::{ExternalAccountChanged, ExternalProvider, UserId};
use kernel::{Clock, EventSink};
use sea_orm::{DatabaseTransaction, DbErr};

use super::Error;
use crate::contracts::SyncOutcome;
use crate::infrastructure::sync_log_repo::{self, Attempt};
use crate::infrastructure::{sync_accounts_repo, sync_jobs_repo};

/// What the sync log calls the changes an unlink (or a link to another account) cancels.
const CANCELLED_OPERATION: &str = "SaveMediaListEntry";

/// The subscriber to wire into Identity (see `kernel::EventSink`).
pub struct AccountLinkSubscriber {
    clock: Arc<dyn Clock>,
}

impl AccountLinkSubscriber {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self { clock }
    }

    async fn follow(
        &self,
        transaction: &DatabaseTransaction,
        event: &ExternalAccountChanged,
    ) -> Result<(), Error> {
        let now = self.clock.now();
        match event {
            ExternalAccountChanged::Linked {
                user,
                provider: ExternalProvider::AniList,
                provider_user_id,
            } => {
                let anilist_user_id: i32 = provider_user_id.parse().map_err(|_| {
                    anyhow::anyhow!(
                        "an AniList user id is a positive integer, not {provider_user_id:?}"
                    )
                })?;
                let before =
                    sync_accounts_repo::link(transaction, *user, anilist_user_id, now).await?;
                if before.is_some_and(|before| before != anilist_user_id) {
                    self.cancel(transaction, *user, "You linked another AniList account.")
                        .await?;
                }
            }
            ExternalAccountChanged::Unlinked {
                user,
                provider: ExternalProvider::AniList,
            } => {
                self.cancel(transaction, *user, "You unlinked AniList.")
                    .await?;
                sync_accounts_repo::unlink(transaction, *user).await?;
            }
        }
        Ok(())
    }

    async fn cancel(
        &self,
        transaction: &DatabaseTransaction,
        user: UserId,
        reason: &str,
    ) -> Result<(), Error> {
        let now = self.clock.now();
        let cancelled =
            sync_jobs_repo::cancel_pending(transaction, user, None, reason, now).await?;
        for (media, watch_space_anime_id) in &cancelled {
            let attempt = Attempt {
                user,
                watch_space_anime_id: *watch_space_anime_id,
                media: Some(*media),
                operation: CANCELLED_OPERATION,
                outcome: SyncOutcome::Cancelled,
                reason: Some(reason.to_owned()),
                request: None,
                response: None,
            };
            sync_log_repo::insert(transaction, &attempt, now).await?;
        }
        if !cancelled.is_empty() {
            tracing::info!(user_id = %user, cancelled = cancelled.len(), reason, "pending AniList changes cancelled");
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl EventSink<ExternalAccountChanged> for AccountLinkSubscriber {
    async fn publish(
        &self,
        transaction: &DatabaseTransaction,
        event: &ExternalAccountChanged,
    ) -> Result<(), DbErr> {
        self.follow(transaction, event)
            .await
            .map_err(Error::into_db)
    }
}
