//! Linking AniList and following its sync: thin adapters over the AniListSync facade, each
//! acting for the signed-in member on their own link only.

use anilist_sync::contracts::{AniListAccountDto, AuthorizeUrlDto, EntrySyncDto, SyncAttemptDto};
use anime_tracking::contracts::WatchSpaceAnimeId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use watch_spaces::contracts::WatchSpaceId;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::services::for_signed_in_user;

/// Everything the linked-accounts page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedAccountsView {
    pub account: AniListAccountDto,
    /// The last 50 attempts to update their AniList list, newest first.
    pub history: Vec<SyncAttemptDto>,
}

/// The member's AniList link and sync history.
#[server(endpoint = "get_linked_accounts")]
pub async fn get_linked_accounts() -> Result<LinkedAccountsView, AppError> {
    for_signed_in_user(|services, user| async move {
        Ok(LinkedAccountsView {
            account: services.anilist.account(user.id).await?,
            history: services
                .anilist
                .sync_history(user.id, kernel::paging::PageLimit::default(), None)
                .await?
                .items,
        })
    })
    .await
}

/// Starts linking: where AniList's approval page is (a browser without JavaScript is sent
/// there at once).
#[server(endpoint = "start_anilist_link")]
pub async fn start_anilist_link() -> Result<AuthorizeUrlDto, AppError> {
    for_signed_in_user(|services, user| async move {
        let authorize = services.anilist.start_link(user.id).await?;
        crate::navigation::redirect_plain_form(&authorize.authorize_url);
        Ok(authorize)
    })
    .await
}

/// Changes what is pushed. Each switch is a checkbox following a hidden `false` of the same
/// name (`push_progress[]`), so an unticked box still says "no": on when any is `true`.
#[server(endpoint = "update_anilist_switches")]
pub async fn update_anilist_switches(
    push_progress: Vec<bool>,
    push_status: Vec<bool>,
    push_score: Vec<bool>,
) -> Result<AniListAccountDto, AppError> {
    for_signed_in_user(|services, user| async move {
        let update = anilist_sync::contracts::UpdateSyncSwitches {
            push_progress: Some(push_progress.contains(&true)),
            push_status: Some(push_status.contains(&true)),
            push_score: Some(push_score.contains(&true)),
        };
        let account = services.anilist.update_switches(user.id, update).await?;
        crate::navigation::redirect_plain_form(super::LINKED_ACCOUNTS_PATH);
        Ok(account)
    })
    .await
}

/// Unlinks AniList: the link and its token are deleted, waiting changes cancelled.
#[server(endpoint = "unlink_anilist")]
pub async fn unlink_anilist() -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        services.anilist.unlink(user.id).await?;
        crate::navigation::redirect_plain_form(&format!(
            "{}?anilist=unlinked",
            super::LINKED_ACCOUNTS_PATH
        ));
        Ok(())
    })
    .await
}

/// Sends the member's failed change of the anime to AniList again.
#[server(endpoint = "retry_anilist_sync")]
pub async fn retry_anilist_sync(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
) -> Result<EntrySyncDto, AppError> {
    for_signed_in_user(|services, user| async move {
        let sync = services
            .retry_entry_sync(user.id, space_id, anime_id)
            .await?;
        crate::navigation::redirect_plain_form(&crate::anime::anime_path(space_id, anime_id));
        Ok(sync)
    })
    .await
}

/// Keeps the anime off the member's AniList list, or lets it back on.
#[server(endpoint = "set_anilist_sync_excluded")]
pub async fn set_anilist_sync_excluded(
    space_id: WatchSpaceId,
    anime_id: WatchSpaceAnimeId,
    excluded: bool,
) -> Result<EntrySyncDto, AppError> {
    for_signed_in_user(|services, user| async move {
        let sync = services
            .set_entry_sync_excluded(user.id, space_id, anime_id, excluded)
            .await?;
        crate::navigation::redirect_plain_form(&crate::anime::anime_path(space_id, anime_id));
        Ok(sync)
    })
    .await
}
