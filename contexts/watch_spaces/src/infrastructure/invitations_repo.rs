//! Finds invitations by their token (through its stored hash), before anyone knows which
//! space they belong to.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::entities::{invitations, watch_spaces};
use super::spaces_repo::parse_name;
use crate::application::Error;
use crate::contracts::{SpaceName, WatchSpaceId};
use crate::domain::invitation::{Invitation, InvitationToken};

/// The space the invitation with `token` belongs to.
pub async fn space_of(
    db: &impl ConnectionTrait,
    token: &InvitationToken,
) -> Result<Option<WatchSpaceId>, Error> {
    let space: Option<Uuid> = invitations::Entity::find()
        .select_only()
        .column(invitations::Column::WatchSpaceId)
        .filter(invitations::Column::TokenHash.eq(token.hash().as_bytes().to_vec()))
        .into_tuple()
        .one(db)
        .await?;
    Ok(space.map(WatchSpaceId))
}

/// The invitation with `token` and the name of its space, in one query.
pub async fn find_with_space_name(
    db: &impl ConnectionTrait,
    token: &InvitationToken,
) -> Result<Option<(Invitation, SpaceName)>, Error> {
    let row = invitations::Entity::find()
        .filter(invitations::Column::TokenHash.eq(token.hash().as_bytes().to_vec()))
        .find_also_related(watch_spaces::Entity)
        .one(db)
        .await?;
    let Some((invitation, space)) = row else {
        return Ok(None);
    };
    let space =
        space.ok_or_else(|| anyhow::anyhow!("invitation {} has no space row", invitation.id))?;
    Ok(Some((
        Invitation::try_from(invitation)?,
        parse_name(&space)?,
    )))
}
