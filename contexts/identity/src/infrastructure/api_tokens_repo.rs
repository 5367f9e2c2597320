//! API bearer tokens (`identity.api_tokens`), stored only as hashes.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement,
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

/// The user whose live (unrevoked, unexpired) token has this hash, with preferences, in one
/// statement: every API request pays it, so its SQL is fixed text (nothing to build) and its
/// row is read by position.
pub async fn find_live_owner(
    db: &impl ConnectionTrait,
    hash: &[u8],
    now: OffsetDateTime,
) -> Result<Option<User>, Error> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT u.id, u.email, u.password_hash, u.display_name, u.created_at_utc, \
                    u.updated_at_utc, u.is_active, p.user_id, p.theme, p.show_adult_content, \
                    p.updated_at_utc \
               FROM identity.api_tokens t \
               JOIN identity.users u ON u.id = t.user_id \
               LEFT JOIN identity.user_preferences p ON p.user_id = u.id \
              WHERE t.token_hash = $1 AND t.revoked_at_utc IS NULL AND t.expires_at_utc > $2",
            [hash.to_vec().into(), now.into()],
        ))
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let user = users::Model {
        id: row.try_get_by_index(0)?,
        email: row.try_get_by_index(1)?,
        password_hash: row.try_get_by_index(2)?,
        display_name: row.try_get_by_index(3)?,
        created_at_utc: row.try_get_by_index(4)?,
        updated_at_utc: row.try_get_by_index(5)?,
        is_active: row.try_get_by_index(6)?,
    };
    let preferences = match row.try_get_by_index::<Option<Uuid>>(7)? {
        Some(user_id) => Some(user_preferences::Model {
            user_id,
            theme: row.try_get_by_index(8)?,
            show_adult_content: row.try_get_by_index(9)?,
            updated_at_utc: row.try_get_by_index(10)?,
        }),
        None => None,
    };
    users_repo::into_user((user, preferences)).map(Some)
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
