//! API bearer tokens (`identity.api_tokens`), stored only as hashes.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::api_tokens;
use crate::application::Error;
use crate::contracts::UserId;

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
pub async fn find_live_owner(
    db: &impl ConnectionTrait,
    hash: &[u8],
    now: OffsetDateTime,
) -> Result<Option<UserId>, Error> {
    let token = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(hash.to_vec()))
        .filter(api_tokens::Column::RevokedAtUtc.is_null())
        .filter(api_tokens::Column::ExpiresAtUtc.gt(now))
        .one(db)
        .await?;
    Ok(token.map(|token| UserId(token.user_id)))
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
