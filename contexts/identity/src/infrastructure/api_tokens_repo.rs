//! API bearer tokens (`identity.api_tokens`), stored only as hashes.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityName, EntityTrait, QueryFilter,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::{api_tokens, user_preferences, users};
use super::users_repo;
use crate::application::Error;
use crate::contracts::UserId;
use crate::domain::user::User;

pub async fn insert(
    db: &impl ConnectionTrait,
    user: UserId,
    hash: Vec<u8>,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), Error> {
    let row = api_tokens::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user.0),
        token_hash: Set(hash),
        created_at_utc: Set(now),
        expires_at_utc: Set(expires_at),
        revoked_at_utc: Set(None),
    };
    api_tokens::Entity::insert(row).exec(db).await?;
    Ok(())
}

/// The owner of a token that is neither revoked nor expired.
/// The user whose live (unrevoked, unexpired) token has this hash, with preferences, in one
/// statement: every API request pays it.
pub async fn find_live_owner(
    db: &impl ConnectionTrait,
    hash: &[u8],
    now: OffsetDateTime,
) -> Result<Option<User>, Error> {
    let live_token_owner = Query::select()
        .column(api_tokens::Column::UserId)
        .from(api_tokens::Entity.table_ref())
        .and_where(api_tokens::Column::TokenHash.eq(hash.to_vec()))
        .and_where(api_tokens::Column::RevokedAtUtc.is_null())
        .and_where(api_tokens::Column::ExpiresAtUtc.gt(now))
        .to_owned();
    let row = users::Entity::find()
        .filter(users::Column::Id.in_subquery(live_token_owner))
        .find_also_related(user_preferences::Entity)
        .one(db)
        .await?;
    row.map(users_repo::into_user).transpose()
}

pub async fn revoke(
    db: &impl ConnectionTrait,
    hash: &[u8],
    now: OffsetDateTime,
) -> Result<(), Error> {
    api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::RevokedAtUtc, Expr::value(now))
        .filter(api_tokens::Column::TokenHash.eq(hash.to_vec()))
        .filter(api_tokens::Column::RevokedAtUtc.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A password change ends every API session too.
pub async fn revoke_all_of(
    db: &impl ConnectionTrait,
    user: UserId,
    now: OffsetDateTime,
) -> Result<(), Error> {
    api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::RevokedAtUtc, Expr::value(now))
        .filter(api_tokens::Column::UserId.eq(user.0))
        .filter(api_tokens::Column::RevokedAtUtc.is_null())
        .exec(db)
        .await?;
    Ok(())
}
