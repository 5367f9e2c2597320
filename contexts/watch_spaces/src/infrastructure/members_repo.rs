//! Membership lookups that need no aggregate: another context asking for a role, or the
//! member list needed before a space is locked.

use identity::contracts::UserId;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::entities::watch_space_members;
use crate::application::Error;
use crate::contracts::{Role, WatchSpaceId};
use crate::domain::space::Member;

/// `user`'s role in the space, or `None` when they are not a member (or there is no space).
pub async fn role_of(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    user: UserId,
) -> Result<Option<Role>, Error> {
    let role: Option<String> = watch_space_members::Entity::find()
        .select_only()
        .column(watch_space_members::Column::Role)
        .filter(watch_space_members::Column::WatchSpaceId.eq(space.0))
        .filter(watch_space_members::Column::UserId.eq(user.0))
        .into_tuple()
        .one(db)
        .await?;
    role.map(|raw| {
        Role::parse(&raw).ok_or_else(|| {
            anyhow::anyhow!("watch_space_members row of space {space} has an unknown role {raw:?}")
                .into()
        })
    })
    .transpose()
}

/// The space's members in joining order, in one query (none when there is no such space).
pub async fn members_of(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
) -> Result<Vec<Member>, Error> {
    watch_space_members::Entity::find()
        .filter(watch_space_members::Column::WatchSpaceId.eq(space.0))
        .order_by_asc(watch_space_members::Column::JoinedAtUtc)
        .order_by_asc(watch_space_members::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Member::try_from)
        .collect::<Result<Vec<_>, _>>()
        .map_err(Into::into)
}

/// The ids of the space's members, in one query.
pub async fn user_ids_of(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
) -> Result<Vec<UserId>, Error> {
    let ids: Vec<Uuid> = watch_space_members::Entity::find()
        .select_only()
        .column(watch_space_members::Column::UserId)
        .filter(watch_space_members::Column::WatchSpaceId.eq(space.0))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().map(UserId).collect())
}
