//! Loads and saves `WatchSpace` aggregates: a row of `watch_spaces.watch_spaces` with its
//! `watch_space_members` and `invitations` rows. Saving writes only what changed.

use anyhow::anyhow;
use identity::contracts::{Email, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement, Value,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::{invitations, watch_space_members, watch_spaces};
use crate::application::Error;
use crate::contracts::{
    InvitationId, InvitationStatus, Role, SpaceName, WatchSpaceId, WatchSpaceSummaryDto,
};
use crate::domain::invitation::{Invitation, InvitationTokenHash};
use crate::domain::space::{Member, WatchSpace};

/// The space with its members and invitations, or `None` when there is no such space.
pub async fn find(
    db: &impl ConnectionTrait,
    id: WatchSpaceId,
) -> Result<Option<WatchSpace>, Error> {
    load(db, id, false).await
}

/// Like `find`, but locks the space row (`FOR UPDATE`) until the transaction ends, so
/// changes to one space are made one after the other.
pub async fn lock(
    db: &impl ConnectionTrait,
    id: WatchSpaceId,
) -> Result<Option<WatchSpace>, Error> {
    load(db, id, true).await
}

async fn load(
    db: &impl ConnectionTrait,
    id: WatchSpaceId,
    for_update: bool,
) -> Result<Option<WatchSpace>, Error> {
    let mut query = watch_spaces::Entity::find_by_id(id.0);
    if for_update {
        query = query.lock_exclusive();
    }
    let Some(row) = query.one(db).await? else {
        return Ok(None);
    };
    let members = super::members_repo::members_of(db, id).await?;
    let invitations = invitations::Entity::find()
        .filter(invitations::Column::WatchSpaceId.eq(id.0))
        .order_by_asc(invitations::Column::CreatedAtUtc)
        .order_by_asc(invitations::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Invitation::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    let name = parse_name(&row)?;
    Ok(Some(WatchSpace::restore(
        WatchSpaceId(row.id),
        name,
        UserId(row.created_by_user_id),
        row.created_at_utc,
        row.updated_at_utc,
        members,
        invitations,
    )))
}

/// Stores a space created a moment ago, with its first members and invitations.
pub async fn insert(db: &impl ConnectionTrait, space: &WatchSpace) -> Result<(), Error> {
    watch_spaces::Entity::insert(active_space(space))
        .exec(db)
        .await?;
    for member in space.members() {
        insert_member(db, space.id, member).await?;
    }
    for invitation in space.invitations() {
        insert_invitation(db, space.id, invitation).await?;
    }
    Ok(())
}

/// Writes the difference between `before` (as loaded) and `after` (as changed by the domain).
/// Returns whether it wrote any membership: someone joined or left, or a role changed.
pub async fn save(
    db: &impl ConnectionTrait,
    before: &WatchSpace,
    after: &WatchSpace,
) -> Result<bool, Error> {
    if before.name != after.name || before.updated_at != after.updated_at {
        watch_spaces::Entity::update(active_space(after))
            .exec(db)
            .await?;
    }

    let mut members_changed = false;
    for member in before.members() {
        if after.member(member.user_id).is_none() {
            watch_space_members::Entity::delete_by_id(member.id)
                .exec(db)
                .await?;
            members_changed = true;
        }
    }
    for member in after.members() {
        match before.member(member.user_id) {
            None => {
                insert_member(db, after.id, member).await?;
                members_changed = true;
            }
            Some(old) if old.role != member.role => {
                watch_space_members::Entity::update_many()
                    .col_expr(
                        watch_space_members::Column::Role,
                        Expr::value(member.role.as_str()),
                    )
                    .filter(watch_space_members::Column::Id.eq(member.id))
                    .exec(db)
                    .await?;
                members_changed = true;
            }
            Some(_) => {}
        }
    }

    // Updates before inserts: an expired invitation must stop being pending before its
    // replacement for the same email is inserted (one pending invitation per email).
    let mut new_invitations = Vec::new();
    for invitation in after.invitations() {
        match before.invitation(invitation.id) {
            None => new_invitations.push(invitation),
            Some(old) if old != invitation => {
                invitations::Entity::update_many()
                    .col_expr(
                        invitations::Column::Status,
                        Expr::value(invitation.status.as_str()),
                    )
                    .col_expr(
                        invitations::Column::AcceptedAtUtc,
                        Expr::value(invitation.accepted_at),
                    )
                    .filter(invitations::Column::Id.eq(invitation.id.0))
                    .exec(db)
                    .await?;
            }
            Some(_) => {}
        }
    }
    for invitation in new_invitations {
        insert_invitation(db, after.id, invitation).await?;
    }
    Ok(members_changed)
}

/// Where a page of a member's spaces starts: after the space with this name key, creation
/// time and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceKey {
    /// The name, ASCII-lowercased.
    pub name: String,
    pub created_at: OffsetDateTime,
    pub id: Uuid,
}

/// Up to `limit` of the spaces `user` belongs to (after `after`), by name (ASCII letters
/// folded), then creation and id, with the user's role and each space's member count: one
/// query.
pub async fn summaries_for_member(
    db: &impl ConnectionTrait,
    user: UserId,
    limit: u64,
    after: Option<SpaceKey>,
) -> Result<Vec<WatchSpaceSummaryDto>, Error> {
    let name_key = kernel::db::name_sort_key("s.name");
    let mut values = vec![
        Value::from(user.0),
        Value::from(i64::try_from(limit).unwrap_or(i64::MAX)),
    ];
    let after_clause = match after {
        None => String::new(),
        Some(key) => {
            values.extend([
                Value::from(key.name),
                Value::from(key.created_at),
                Value::from(key.id),
            ]);
            format!("AND ({name_key}, s.created_at_utc, s.id) > ($3, $4, $5)")
        }
    };
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!(
                "SELECT s.id, s.name, s.created_at_utc, m.role, \
                        (SELECT count(*) FROM watch_spaces.watch_space_members c \
                          WHERE c.watch_space_id = s.id) \
                   FROM watch_spaces.watch_space_members m \
                   JOIN watch_spaces.watch_spaces s ON s.id = m.watch_space_id \
                  WHERE m.user_id = $1 {after_clause} \
                  ORDER BY {name_key}, s.created_at_utc, s.id \
                  LIMIT $2"
            ),
            values,
        ))
        .await?;
    rows.iter()
        .map(|row| {
            let id: Uuid = row.try_get_by_index(0)?;
            let raw_name: String = row.try_get_by_index(1)?;
            let name = SpaceName::parse(&raw_name)
                .map_err(|error| anyhow!("watch_spaces row {id} has an invalid name: {error}"))?;
            let raw_role: String = row.try_get_by_index(3)?;
            let role = Role::parse(&raw_role)
                .ok_or_else(|| anyhow!("a membership of {id} has an unknown role {raw_role:?}"))?;
            let count: i64 = row.try_get_by_index(4)?;
            Ok(WatchSpaceSummaryDto {
                id: WatchSpaceId(id),
                name: name.into(),
                role,
                member_count: u64::try_from(count).unwrap_or(1),
                created_at_utc: row.try_get_by_index(2)?,
            })
        })
        .collect()
}

fn active_space(space: &WatchSpace) -> watch_spaces::ActiveModel {
    watch_spaces::ActiveModel {
        id: Set(space.id.0),
        name: Set(space.name.as_str().to_owned()),
        created_by_user_id: Set(space.created_by.0),
        created_at_utc: Set(space.created_at),
        updated_at_utc: Set(space.updated_at),
    }
}

async fn insert_member(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    member: &Member,
) -> Result<(), Error> {
    let row = watch_space_members::ActiveModel {
        id: Set(member.id),
        watch_space_id: Set(space.0),
        user_id: Set(member.user_id.0),
        role: Set(member.role.as_str().to_owned()),
        joined_at_utc: Set(member.joined_at),
    };
    watch_space_members::Entity::insert(row).exec(db).await?;
    Ok(())
}

async fn insert_invitation(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    invitation: &Invitation,
) -> Result<(), Error> {
    let row = invitations::ActiveModel {
        id: Set(invitation.id.0),
        watch_space_id: Set(space.0),
        invited_by_user_id: Set(invitation.invited_by.0),
        invited_email: Set(invitation.invited_email.as_str().to_owned()),
        token_hash: Set(invitation.token_hash.as_bytes().to_vec()),
        status: Set(invitation.status.as_str().to_owned()),
        expires_at_utc: Set(invitation.expires_at),
        created_at_utc: Set(invitation.created_at),
        accepted_at_utc: Set(invitation.accepted_at),
    };
    invitations::Entity::insert(row).exec(db).await?;
    Ok(())
}

pub(super) fn parse_name(row: &watch_spaces::Model) -> Result<SpaceName, anyhow::Error> {
    SpaceName::parse(&row.name)
        .map_err(|error| anyhow!("watch_spaces row {} has an invalid name: {error}", row.id))
}

fn parse_role(row: &watch_space_members::Model) -> Result<Role, anyhow::Error> {
    Role::parse(&row.role).ok_or_else(|| {
        anyhow!(
            "watch_space_members row {} has an unknown role {:?}",
            row.id,
            row.role
        )
    })
}

impl TryFrom<watch_space_members::Model> for Member {
    type Error = anyhow::Error;

    fn try_from(row: watch_space_members::Model) -> Result<Self, Self::Error> {
        Ok(Self {
            role: parse_role(&row)?,
            id: row.id,
            user_id: UserId(row.user_id),
            joined_at: row.joined_at_utc,
        })
    }
}

impl TryFrom<invitations::Model> for Invitation {
    type Error = anyhow::Error;

    fn try_from(row: invitations::Model) -> Result<Self, Self::Error> {
        let invited_email = Email::parse(&row.invited_email)
            .map_err(|error| anyhow!("invitations row {} has an invalid email: {error}", row.id))?;
        let token_hash = InvitationTokenHash::from_stored(&row.token_hash)
            .ok_or_else(|| anyhow!("invitations row {} has a malformed token hash", row.id))?;
        let status = InvitationStatus::parse(&row.status).ok_or_else(|| {
            anyhow!(
                "invitations row {} has an unknown status {:?}",
                row.id,
                row.status
            )
        })?;
        Ok(Self {
            id: InvitationId(row.id),
            invited_by: UserId(row.invited_by_user_id),
            invited_email,
            token_hash,
            status,
            expires_at: row.expires_at_utc,
            created_at: row.created_at_utc,
            accepted_at: row.accepted_at_utc,
        })
    }
}
