//! Links to accounts at other services (`identity.external_account_links`).

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::entities::external_account_links::{ActiveModel, Column, Entity, Model};
use crate::application::Error;
use crate::contracts::{ExternalProvider, UserId};
use crate::domain::external_link::ExternalLink;

/// The user's link at `provider`; `lock` takes the row for update.
pub async fn find(
    db: &impl ConnectionTrait,
    user: UserId,
    provider: ExternalProvider,
    lock: bool,
) -> Result<Option<ExternalLink>, Error> {
    let mut query = Entity::find()
        .filter(Column::UserId.eq(user.0))
        .filter(Column::ProviderName.eq(provider.as_str()));
    if lock {
        query = query.lock_exclusive();
    }
    query.one(db).await?.map(into_link).transpose()
}

/// Who holds the account `provider_user_id` at `provider`, if anyone.
pub async fn owner_of(
    db: &impl ConnectionTrait,
    provider: ExternalProvider,
    provider_user_id: &str,
) -> Result<Option<UserId>, Error> {
    let row = Entity::find()
        .filter(Column::ProviderName.eq(provider.as_str()))
        .filter(Column::ProviderUserId.eq(provider_user_id))
        .one(db)
        .await?;
    Ok(row.map(|row| UserId(row.user_id)))
}

/// Inserts the link, or replaces every column of the one with its id.
pub async fn save(
    db: &impl ConnectionTrait,
    link: &ExternalLink,
    is_new: bool,
) -> Result<(), Error> {
    let row = ActiveModel {
        id: Set(link.id),
        user_id: Set(link.user_id.0),
        provider_name: Set(link.provider.as_str().to_owned()),
        provider_user_id: Set(link.provider_user_id.clone()),
        provider_user_name: Set(link.provider_user_name.clone()),
        provider_avatar_url: Set(link.avatar_url.clone()),
        access_token_encrypted: Set(link.sealed_access_token.clone()),
        refresh_token_encrypted: Set(None),
        token_expires_at_utc: Set(link.token_expires_at),
        linked_at_utc: Set(link.linked_at),
    };
    if is_new {
        Entity::insert(row).exec(db).await?;
    } else {
        Entity::update(row).exec(db).await?;
    }
    Ok(())
}

/// Deletes the user's link at `provider`; whether there was one.
pub async fn delete(
    db: &impl ConnectionTrait,
    user: UserId,
    provider: ExternalProvider,
) -> Result<bool, Error> {
    let deleted = Entity::delete_many()
        .filter(Column::UserId.eq(user.0))
        .filter(Column::ProviderName.eq(provider.as_str()))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected > 0)
}

/// Up to `limit` links whose token was not sealed under the key `sealing_key_id`, oldest
/// first, locked (skipping rows another pass holds).
pub async fn sealed_under_other_keys(
    db: &impl ConnectionTrait,
    sealing_key_id: &str,
    limit: u64,
) -> Result<Vec<ExternalLink>, Error> {
    // `_` is a LIKE wildcard (key ids may contain it); `\` is PostgreSQL's default escape.
    let sealed_under_it = format!("v1.{}.%", sealing_key_id.replace('_', "\\_"));
    Entity::find()
        .filter(Column::AccessTokenEncrypted.not_like(sealed_under_it))
        .order_by_asc(Column::LinkedAtUtc)
        .limit(limit)
        .lock_with_behavior(
            sea_orm::sea_query::LockType::Update,
            sea_orm::sea_query::LockBehavior::SkipLocked,
        )
        .all(db)
        .await?
        .into_iter()
        .map(into_link)
        .collect()
}

/// Replaces the sealed token of the link `id`.
pub async fn reseal(db: &impl ConnectionTrait, id: Uuid, sealed: String) -> Result<(), Error> {
    Entity::update_many()
        .col_expr(
            Column::AccessTokenEncrypted,
            sea_orm::sea_query::Expr::value(sealed),
        )
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

fn into_link(row: Model) -> Result<ExternalLink, Error> {
    let provider = ExternalProvider::parse(&row.provider_name).ok_or_else(|| {
        Error::CorruptRow(format!(
            "external_account_links {}: unknown provider {:?}",
            row.id, row.provider_name
        ))
    })?;
    Ok(ExternalLink {
        id: row.id,
        user_id: UserId(row.user_id),
        provider,
        provider_user_id: row.provider_user_id,
        provider_user_name: row.provider_user_name,
        avatar_url: row.provider_avatar_url,
        sealed_access_token: row.access_token_encrypted,
        token_expires_at: row.token_expires_at_utc,
        linked_at: row.linked_at_utc,
    })
}
