//! Pushing members' list changes to AniList through the outbox: queueing (inside the write's
//! transaction, so a change that does not commit leaves no job and no job exists without its
//! change), delivery (one member's title at a time, its pending changes coalesced into one
//! `SaveMediaListEntry` with absolute values, so a repeat after a crash is harmless), the
//! worker every server instance runs (it carries imports too), and what members see and do
//! per title (status, retry, exclude) and in their history.

use std::future::Future;
use std::time::Duration;

use identity::contracts::{ExternalProvider, IdentityError, UserId};
use kernel::paging::{
    instant_part, into_page, parse_instant_part, PageCursor, PageLimit, UNKNOWN_CURSOR,
};
use rand::Rng as _;
use sea_orm::{DatabaseTransaction, DbErr, TransactionTrait};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::import_list::ImportTarget;
use super::link_account::{identity_failure, relink_in_days};
use super::{AniListSync, Error};
use crate::contracts::{
    AniListError, AniListMediaId, EntrySyncDto, EntrySyncState, ListEntryChange,
    SyncHistoryPageDto, SyncOutcome,
};
use crate::domain::sync_job::{AfterFailure, AttemptFailure, Delivery};
use crate::infrastructure::anilist_api::FetchError;
use crate::infrastructure::anilist_client::ListEntryValues;
use crate::infrastructure::sync_log_repo::{self, Attempt};
use crate::infrastructure::{oauth_states_repo, sync_accounts_repo, sync_jobs_repo};

/// How often an idle worker looks for due changes (a queued change also wakes it).
const POLL: Duration = Duration::from_secs(1);
/// How many titles one look takes on.
const TITLES_PER_ROUND: u64 = 16;
/// The operation every delivery runs (and the sync log names).
const SAVE_OPERATION: &str = "SaveMediaListEntry";
/// How often the worker prunes old history.
const PRUNE_EVERY: Duration = Duration::from_secs(60 * 60);
const KEEP_SYNC_LOG: time::Duration = time::Duration::days(90);
const KEEP_FINISHED_JOBS: time::Duration = time::Duration::days(30);

/// What one call of [`AniListSync::deliver_due_changes`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Titles sent to AniList (successfully or not).
    pub attempted: usize,
    pub delivered: usize,
    /// The shared budget had no spare slot: nothing more is sent before this wait.
    pub throttled_for: Option<Duration>,
}

/// How delivering one title went.
enum TitleOutcome {
    /// Another worker has it, or nothing of it is due any more.
    Skipped,
    Attempted {
        delivered: bool,
    },
    Throttled(Duration),
}

impl AniListSync {
    /// Queues the changes of linked members for AniList, in the transaction of the write that
    /// made them: only the fields each member's switches push, nothing for unlinked members
    /// or excluded titles. Costs one statement, never an AniList call.
    ///
    /// # Errors
    /// The database error, which fails the write (so change and job commit together).
    pub async fn queue_list_changes(
        &self,
        transaction: &DatabaseTransaction,
        changes: &[ListEntryChange],
    ) -> Result<(), DbErr> {
        let queued = sync_jobs_repo::queue(transaction, changes, self.inner.clock.now())
            .await
            .map_err(Error::into_db)?;
        if queued > 0 {
            // The worker looks once the write has committed (or at its next poll).
            self.inner.wake_worker.notify_one();
        }
        Ok(())
    }

    /// Delivers every due change, title by title, until none is due or the shared AniList
    /// budget has no spare slot. Safe to run in several instances at once: a title is
    /// delivered by one of them at a time.
    ///
    /// # Errors
    /// `Internal` when the database fails.
    pub async fn deliver_due_changes(&self) -> Result<DeliveryReport, AniListError> {
        self.deliver_inner().await.map_err(Error::into_public)
    }

    async fn deliver_inner(&self) -> Result<DeliveryReport, Error> {
        let mut report = DeliveryReport::default();
        loop {
            let now = self.inner.clock.now();
            let titles = sync_jobs_repo::due_titles(&self.inner.db, now, TITLES_PER_ROUND).await?;
            let mut progressed = false;
            for (user, media) in &titles {
                match self.deliver_title(*user, *media).await? {
                    TitleOutcome::Skipped => {}
                    TitleOutcome::Attempted { delivered } => {
                        progressed = true;
                        report.attempted += 1;
                        report.delivered += usize::from(delivered);
                    }
                    TitleOutcome::Throttled(wait) => {
                        report.throttled_for = Some(wait);
                        return Ok(report);
                    }
                }
            }
            if !progressed || titles.len() < usize::try_from(TITLES_PER_ROUND).unwrap_or(usize::MAX)
            {
                return Ok(report);
            }
        }
    }

    /// Sends one member's title: its pending changes, coalesced, in one attempt, settled in
    /// the same transaction as the attempt's log row. The transaction holds the title's lock
    /// while AniList answers, so a crash or shutdown mid-delivery rolls back and leaves the
    /// jobs pending for the next worker.
    async fn deliver_title(
        &self,
        user: UserId,
        media: AniListMediaId,
    ) -> Result<TitleOutcome, Error> {
        let transaction = self.inner.db.begin().await?;
        if !sync_jobs_repo::try_lock_title(&transaction, user, media).await? {
            return Ok(TitleOutcome::Skipped);
        }
        let jobs = sync_jobs_repo::pending_of_title(&transaction, user, media).await?;
        let now = self.inner.clock.now();
        let Some(delivery) =
            Delivery::coalesce(&jobs).filter(|_| jobs.iter().any(|job| job.next_attempt_at <= now))
        else {
            return Ok(TitleOutcome::Skipped);
        };
        let token = match self
            .inner
            .identity
            .external_access_token(user, ExternalProvider::AniList)
            .await
        {
            Ok(token) => token,
            Err(IdentityError::ExternalLinkExpired { .. }) => {
                let reason =
                    "Your AniList link has expired or can no longer be read on this server.";
                self.pause_for_relink(&transaction, user, &delivery, media, reason)
                    .await?;
                transaction.commit().await?;
                return Ok(TitleOutcome::Attempted { delivered: false });
            }
            Err(IdentityError::ExternalAccountNotLinked { .. }) => {
                // Unlinking cancels the jobs in its own transaction; this is a leftover.
                sync_jobs_repo::cancel_pending(
                    &transaction,
                    user,
                    Some(media),
                    "You unlinked AniList.",
                    now,
                )
                .await?;
                transaction.commit().await?;
                return Ok(TitleOutcome::Skipped);
            }
            Err(other) => return Err(identity_failure(other)),
        };
        let values = ListEntryValues {
            media_id: i64::from(media.get()),
            status: delivery.status.map(|status| status.as_str()),
            progress: delivery.progress,
            score_raw: delivery.score_raw.map(|score| score.get()),
        };
        let attempt = |outcome, reason: Option<String>, response| Attempt {
            user,
            watch_space_anime_id: delivery.watch_space_anime_id,
            media: Some(media),
            operation: SAVE_OPERATION,
            outcome,
            reason,
            request: Some(json!({ "variables": values })),
            response,
        };
        let failure = match self.inner.client.save_list_entry(&token, &values).await {
            Ok(saved) => {
                sync_jobs_repo::settle_delivered(&transaction, &delivery, now).await?;
                sync_accounts_repo::record_synced(&transaction, user, now).await?;
                let response = json!({
                    "mediaId": saved.media_id,
                    "status": saved.status.map(|status| status.as_str()),
                    "progress": saved.progress,
                    "score": saved.score,
                });
                sync_log_repo::insert(
                    &transaction,
                    &attempt(SyncOutcome::Succeeded, None, Some(response)),
                    now,
                )
                .await?;
                transaction.commit().await?;
                metrics::counter!("bloomwatch_anilist_sync_total", "outcome" => "succeeded")
                    .increment(1);
                tracing::info!(user_id = %user, media_id = %media, sent = %delivery.summary(), "AniList list updated");
                return Ok(TitleOutcome::Attempted { delivered: true });
            }
            Err(FetchError::Throttled { retry_after }) => {
                // Nothing was sent: the jobs stay as they are (the transaction rolls back).
                return Ok(TitleOutcome::Throttled(retry_after));
            }
            Err(failure) => failure,
        };
        let jitter = rand::thread_rng().gen_range(0.8..1.2);
        let decision = attempt_failure(&failure).decide(delivery.attempts, now, jitter);
        let outcome = match decision {
            AfterFailure::RetryAt { .. } => "will_retry",
            AfterFailure::GiveUp { .. } => "failed",
            AfterFailure::PauseForRelink => "link_expired",
        };
        match decision {
            AfterFailure::RetryAt {
                at,
                attempts,
                reason,
            } => {
                sync_jobs_repo::settle_failed(
                    &transaction,
                    &delivery,
                    Some(at),
                    attempts,
                    &reason,
                    now,
                )
                .await?;
                sync_log_repo::insert(
                    &transaction,
                    &attempt(SyncOutcome::WillRetry, Some(reason), None),
                    now,
                )
                .await?;
                tracing::info!(user_id = %user, media_id = %media, %failure, %at, "AniList update will be retried");
            }
            AfterFailure::GiveUp { reason } => {
                sync_jobs_repo::settle_failed(
                    &transaction,
                    &delivery,
                    None,
                    delivery.attempts,
                    &reason,
                    now,
                )
                .await?;
                sync_log_repo::insert(
                    &transaction,
                    &attempt(SyncOutcome::Failed, Some(reason), None),
                    now,
                )
                .await?;
                tracing::warn!(user_id = %user, media_id = %media, %failure, "AniList update given up");
            }
            AfterFailure::PauseForRelink => {
                let reason = "AniList no longer accepts your token.";
                self.pause_for_relink(&transaction, user, &delivery, media, reason)
                    .await?;
            }
        }
        transaction.commit().await?;
        metrics::counter!("bloomwatch_anilist_sync_total", "outcome" => outcome).increment(1);
        Ok(TitleOutcome::Attempted { delivered: false })
    }

    /// Marks the member's link expired (their changes wait, untouched) and logs why.
    async fn pause_for_relink(
        &self,
        transaction: &DatabaseTransaction,
        user: UserId,
        delivery: &Delivery,
        media: AniListMediaId,
        reason: &str,
    ) -> Result<(), Error> {
        let now = self.inner.clock.now();
        sync_accounts_repo::mark_expired(transaction, user, reason, now).await?;
        let attempt = Attempt {
            user,
            watch_space_anime_id: delivery.watch_space_anime_id,
            media: Some(media),
            operation: SAVE_OPERATION,
            outcome: SyncOutcome::LinkExpired,
            reason: Some(reason.to_owned()),
            request: None,
            response: None,
        };
        sync_log_repo::insert(transaction, &attempt, now).await?;
        tracing::warn!(user_id = %user, "AniList sync paused until the member links again");
        Ok(())
    }

    /// AniListSync's background work until `shutdown` resolves: delivers members' changes
    /// (looking every second and whenever a change is queued), carries imports into their
    /// spaces through `imports`, and prunes old history hourly. Work under way when
    /// `shutdown` comes is abandoned: its transaction rolls back (a delivery waits for the
    /// next start; an import's chunk is brought again, which changes nothing twice).
    pub async fn run_worker(&self, imports: &dyn ImportTarget, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut pruned_at: Option<std::time::Instant> = None;
        let mut pause = POLL;
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(pause) => {}
                () = self.inner.wake_worker.notified() => {}
            }
            if pruned_at.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
                if let Err(error) = self.prune_sync_history().await {
                    tracing::warn!(%error, "pruning AniList sync history failed");
                }
                pruned_at = Some(std::time::Instant::now());
            }
            let round = tokio::select! {
                () = &mut shutdown => break,
                round = self.deliver_due_changes() => round,
            };
            pause = match round {
                Ok(report) => report.throttled_for.unwrap_or(POLL).max(POLL),
                Err(error) => {
                    tracing::warn!(%error, "delivering AniList changes failed; trying again soon");
                    POLL * 5
                }
            };
            let imported = tokio::select! {
                () = &mut shutdown => break,
                imported = self.process_next_import(imports) => imported,
            };
            match imported {
                // More may wait: look again at once.
                Ok(true) => pause = std::time::Duration::ZERO,
                Ok(false) => {}
                Err(error) => {
                    tracing::warn!(%error, "carrying an import failed; trying again soon")
                }
            }
        }
        tracing::info!("AniList worker stopped");
    }

    /// Forgets sync history older than 90 days, finished jobs older than 30 (every title's
    /// newest job stays: its chip reads it), expired link states and members' AniList
    /// allowances that have refilled.
    ///
    /// # Errors
    /// `Internal`.
    pub async fn prune_sync_history(&self) -> Result<(), AniListError> {
        async {
            let now = self.inner.clock.now();
            let db = &self.inner.db;
            let log = sync_log_repo::prune(db, now - KEEP_SYNC_LOG).await?;
            let jobs = sync_jobs_repo::prune_finished(db, now - KEEP_FINISHED_JOBS).await?;
            let states = oauth_states_repo::prune(db, now).await?;
            let allowances = super::RATE_LIMITS.prune(db, now).await?;
            if log + jobs + states + allowances > 0 {
                tracing::info!(
                    log,
                    jobs,
                    states,
                    allowances,
                    "old AniList sync history pruned"
                );
            }
            Ok(())
        }
        .await
        .map_err(Error::into_public)
    }

    /// Where `user`'s title stands with AniList, for the chip in their own column.
    ///
    /// # Errors
    /// `Internal`.
    pub async fn entry_sync(
        &self,
        user: UserId,
        media: AniListMediaId,
    ) -> Result<EntrySyncDto, AniListError> {
        async {
            let Some(account) = sync_accounts_repo::find(&self.inner.db, user).await? else {
                return Ok(EntrySyncDto {
                    sync: EntrySyncState::NotLinked,
                    relink_in_days: None,
                });
            };
            let link = self
                .inner
                .identity
                .external_account(user, ExternalProvider::AniList)
                .await
                .map_err(identity_failure)?;
            let now = self.inner.clock.now();
            let expires = link.as_ref().and_then(|link| link.token_expires_at_utc);
            let title = sync_jobs_repo::title_state(&self.inner.db, user, media).await?;
            let sync = if account.expired_reason.is_some() || expires.is_some_and(|at| at <= now) {
                EntrySyncState::LinkExpired
            } else if title.excluded {
                EntrySyncState::Excluded
            } else {
                match (title.newest_state.as_deref(), title.newest_finished_at) {
                    (Some("pending"), _) => EntrySyncState::Pending,
                    (Some("delivered"), Some(at_utc)) => EntrySyncState::Synced { at_utc },
                    (Some("failed"), _) => EntrySyncState::Failed {
                        reason: title
                            .newest_error
                            .unwrap_or_else(|| "AniList refused the change.".to_owned()),
                    },
                    _ => EntrySyncState::NotSyncedYet,
                }
            };
            Ok(EntrySyncDto {
                sync,
                relink_in_days: relink_in_days(expires, now),
            })
        }
        .await
        .map_err(Error::into_public)
    }

    /// Sends `user`'s failed change of the title again, with fresh attempts.
    ///
    /// # Errors
    /// `NotLinked`; `NothingToRetry` when the title's newest change did not fail; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %user, media_id = %media))]
    pub async fn retry_entry_sync(
        &self,
        user: UserId,
        media: AniListMediaId,
    ) -> Result<EntrySyncDto, AniListError> {
        async {
            sync_accounts_repo::find(&self.inner.db, user)
                .await?
                .ok_or(AniListError::NotLinked)?;
            let now = self.inner.clock.now();
            if !sync_jobs_repo::retry_failed(&self.inner.db, user, media, now).await? {
                return Err(AniListError::NothingToRetry.into());
            }
            self.inner.wake_worker.notify_one();
            Ok(())
        }
        .await
        .map_err(Error::into_public)?;
        self.entry_sync(user, media).await
    }

    /// Keeps the title off `user`'s AniList list (cancelling its waiting changes) or lets it
    /// back on (from their next change).
    ///
    /// # Errors
    /// `NotLinked`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %user, media_id = %media, excluded))]
    pub async fn set_entry_excluded(
        &self,
        user: UserId,
        media: AniListMediaId,
        excluded: bool,
    ) -> Result<EntrySyncDto, AniListError> {
        async {
            sync_accounts_repo::find(&self.inner.db, user)
                .await?
                .ok_or(AniListError::NotLinked)?;
            let now = self.inner.clock.now();
            let transaction = self.inner.db.begin().await?;
            sync_accounts_repo::set_excluded(&transaction, user, media, excluded, now).await?;
            if excluded {
                let reason = "You chose not to sync this title.";
                for (media, watch_space_anime_id) in
                    sync_jobs_repo::cancel_pending(&transaction, user, Some(media), reason, now)
                        .await?
                {
                    let attempt = Attempt {
                        user,
                        watch_space_anime_id,
                        media: Some(media),
                        operation: SAVE_OPERATION,
                        outcome: SyncOutcome::Cancelled,
                        reason: Some(reason.to_owned()),
                        request: None,
                        response: None,
                    };
                    sync_log_repo::insert(&transaction, &attempt, now).await?;
                }
            }
            transaction.commit().await?;
            Ok(())
        }
        .await
        .map_err(Error::into_public)?;
        self.entry_sync(user, media).await
    }

    /// One page of `user`'s sync attempts, newest first, after `after` (the newest when
    /// `None`). The history keeps 90 days.
    ///
    /// # Errors
    /// `Validation` for a cursor this list did not give out; `Internal`.
    pub async fn sync_history(
        &self,
        user: UserId,
        limit: PageLimit,
        after: Option<PageCursor>,
    ) -> Result<SyncHistoryPageDto, AniListError> {
        async {
            let after = after.as_ref().map(history_key).transpose()?;
            let attempts =
                sync_log_repo::recent(&self.inner.db, user, limit.probe(), after).await?;
            let (items, next_cursor) = into_page(attempts, limit, |last| {
                PageCursor::from_parts(&[
                    SYNC_HISTORY,
                    &instant_part(last.at_utc),
                    &last.id.to_string(),
                ])
            });
            Ok(SyncHistoryPageDto { items, next_cursor })
        }
        .await
        .map_err(Error::into_public)
    }
}

/// The tag of the sync history's cursors.
const SYNC_HISTORY: &str = "syncHistory";

fn history_key(cursor: &PageCursor) -> Result<(OffsetDateTime, Uuid), AniListError> {
    let unknown = || AniListError::field("cursor", UNKNOWN_CURSOR);
    let [at, id] = cursor.fields(SYNC_HISTORY).ok_or_else(unknown)?;
    Ok((
        parse_instant_part(&at).ok_or_else(unknown)?,
        Uuid::parse_str(&id).map_err(|_| unknown())?,
    ))
}

/// What a failed attempt means for the outbox.
fn attempt_failure(failure: &FetchError) -> AttemptFailure {
    match failure {
        FetchError::Unauthorized => AttemptFailure::Unauthorized,
        FetchError::NotFound => AttemptFailure::Refused {
            reason: "AniList has no such anime.".to_owned(),
        },
        FetchError::Invalid(messages) => AttemptFailure::Refused {
            reason: format!("AniList refused the values ({messages})."),
        },
        FetchError::RateLimited { retry_after } | FetchError::Throttled { retry_after } => {
            AttemptFailure::Passing {
                reason: "AniList asked us to slow down.".to_owned(),
                retry_after: Some(*retry_after),
            }
        }
        FetchError::Disabled => AttemptFailure::Passing {
            reason: "AniList's API is switched off for now.".to_owned(),
            retry_after: None,
        },
        FetchError::Timeout => AttemptFailure::Passing {
            reason: "AniList did not answer in time.".to_owned(),
            retry_after: None,
        },
        FetchError::Server { status } => AttemptFailure::Passing {
            reason: format!("AniList failed (HTTP {status})."),
            retry_after: None,
        },
        FetchError::Transport(_) | FetchError::GraphQl(_) | FetchError::Malformed(_) => {
            AttemptFailure::Passing {
                reason: "AniList could not be reached or answered oddly.".to_owned(),
                retry_after: None,
            }
        }
    }
}
