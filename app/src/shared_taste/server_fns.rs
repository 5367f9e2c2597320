//! Analytics as the signed-in member: thin adapters over the Analytics facade.

use analytics::contracts::CompatibilityDto;
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::services::for_signed_in_user;

/// Every pair of members' compatibility, and the space's.
#[server(endpoint = "get_compatibility")]
pub async fn get_compatibility(space_id: WatchSpaceId) -> Result<CompatibilityDto, AppError> {
    for_signed_in_user(|services, user| async move {
        Ok(services.analytics.compatibility(user.id, space_id).await?)
    })
    .await
}
