//! Importing a member's list into a space: thin adapters over AniListSync's import use cases,
//! which reach the space through AnimeTracking (their `ImportTarget`). A MyAnimeList file is
//! uploaded to the REST API instead (`POST /api/watch-spaces/{id}/imports[/preview]`), whose
//! routes take uploads; everything else is here.

#[cfg(feature = "ssr")]
use anilist_sync::contracts::ImportSource;
use anilist_sync::contracts::{ImportJobDto, ImportOptions, ImportPreviewDto, MediaListStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use watch_spaces::contracts::WatchSpaceId;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::services::for_signed_in_user;

/// What the import page needs besides the space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPageView {
    /// The member's AniList name while their link works (their own list can be read through
    /// it, private or not); `None` without a working link.
    pub linked_anilist: Option<String>,
    /// Their newest import into this space.
    pub latest: Option<ImportJobDto>,
}

#[server(endpoint = "get_import_page")]
pub async fn get_import_page(space_id: WatchSpaceId) -> Result<ImportPageView, AppError> {
    for_signed_in_user(|services, user| async move {
        let latest = services.anilist.latest_import(user.id, space_id).await?;
        let linked_anilist = services
            .anilist
            .account(user.id)
            .await?
            .link
            .filter(|link| link.expired_reason.is_none())
            .map(|link| link.name.unwrap_or_else(|| "your account".to_owned()));
        Ok(ImportPageView {
            linked_anilist,
            latest,
        })
    })
    .await
}

/// What importing an AniList list would do; nothing is written. `user_name` `None`: the
/// member's own list through their link.
#[server(endpoint = "preview_anilist_import", input = server_fn::codec::Json)]
pub async fn preview_anilist_import(
    space_id: WatchSpaceId,
    user_name: Option<String>,
    options: ImportOptions,
) -> Result<ImportPreviewDto, AppError> {
    for_signed_in_user(|services, user| async move {
        let target = services.spaces_for_import();
        Ok(services
            .anilist
            .preview_import(
                &target,
                user.id,
                space_id,
                &ImportSource::AniList { user_name },
                None,
                &options,
            )
            .await?)
    })
    .await
}

/// Starts importing the AniList list the member previewed, as a background job, and goes
/// back to the import page, which follows it. The options come as the preview's hidden
/// fields: `user_name` empty for the member's own list, each status as `statuses[]`.
#[server(endpoint = "start_anilist_import")]
pub async fn start_anilist_import(
    space_id: WatchSpaceId,
    user_name: String,
    #[server(default)] statuses: Vec<MediaListStatus>,
    scores: bool,
    notes: bool,
    overwrite: bool,
) -> Result<ImportJobDto, AppError> {
    for_signed_in_user(|services, user| async move {
        let target = services.spaces_for_import();
        let user_name = Some(user_name).filter(|name| !name.trim().is_empty());
        let options = ImportOptions {
            statuses,
            scores,
            notes,
            overwrite,
        };
        let job = services
            .anilist
            .start_import(
                &target,
                user.id,
                space_id,
                &ImportSource::AniList { user_name },
                None,
                options,
            )
            .await?;
        crate::navigation::redirect_plain_form(&super::import_path(space_id));
        Ok(job)
    })
    .await
}

/// Where the member's import stands (the progress bar asks every second or two).
#[server(endpoint = "get_import")]
pub async fn get_import(space_id: WatchSpaceId, import_id: Uuid) -> Result<ImportJobDto, AppError> {
    for_signed_in_user(|services, user| async move {
        Ok(services
            .anilist
            .import_job(user.id, space_id, import_id)
            .await?)
    })
    .await
}
