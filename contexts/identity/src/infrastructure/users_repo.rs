//! Loads and saves `User` aggregates (`identity.users` + `identity.user_preferences`).

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::{user_preferences, users};
use crate::application::Error;
use crate::contracts::{DisplayName, Email, Theme, UserId, UserSummary};
use crate::domain::user::{PasswordHash, User};

pub async fn find_by_id(db: &impl ConnectionTrait, id: UserId) -> Result<Option<User>, Error> {
    let row = users::Entity::find_by_id(id.0)
        .find_also_related(user_preferences::Entity)
        .one(db)
        .await?;
    row.map(into_user).transpose()
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &Email,
) -> Result<Option<User>, Error> {
    let row = users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .find_also_related(user_preferences::Entity)
        .one(db)
        .await?;
    row.map(into_user).transpose()
}

/// Summaries of the given users in one query; unknown ids are left out.
pub async fn find_summaries(
    db: &impl ConnectionTrait,
    ids: &[UserId],
) -> Result<Vec<UserSummary>, Error> {
    let ids: Vec<Uuid> = ids.iter().map(|id| id.0).collect();
    let rows = users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| UserSummary {
            id: UserId(row.id),
            display_name: row.display_name,
            email: row.email,
        })
        .collect())
}

pub async fn insert(db: &impl ConnectionTrait, user: &User) -> Result<(), Error> {
    users::Entity::insert(active_user(user)).exec(db).await?;
    Ok(())
}

pub async fn update(db: &impl ConnectionTrait, user: &User) -> Result<(), Error> {
    users::Entity::update(active_user(user)).exec(db).await?;
    let preferences = user_preferences::ActiveModel {
        user_id: Set(user.id.0),
        theme: Set(user.theme.map(|theme| theme.as_str().to_owned())),
        show_adult_content: Set(user.show_adult_content),
        updated_at_utc: Set(user.updated_at_utc),
    };
    user_preferences::Entity::insert(preferences)
        .on_conflict(
            OnConflict::column(user_preferences::Column::UserId)
                .update_columns([
                    user_preferences::Column::Theme,
                    user_preferences::Column::ShowAdultContent,
                    user_preferences::Column::UpdatedAtUtc,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

fn active_user(user: &User) -> users::ActiveModel {
    users::ActiveModel {
        id: Set(user.id.0),
        email: Set(user.email.as_str().to_owned()),
        password_hash: Set(user.password_hash.as_str().to_owned()),
        display_name: Set(user.display_name.as_str().to_owned()),
        created_at_utc: Set(user.created_at_utc),
        updated_at_utc: Set(user.updated_at_utc),
        is_active: Set(user.is_active),
    }
}

pub(super) fn into_user(
    (row, preferences): (users::Model, Option<user_preferences::Model>),
) -> Result<User, Error> {
    let corrupt =
        |what: &str| Error::CorruptRow(format!("identity.users {}: invalid {what}", row.id));
    let show_adult_content = preferences
        .as_ref()
        .is_some_and(|preferences| preferences.show_adult_content);
    let theme = match preferences.and_then(|preferences| preferences.theme) {
        Some(theme) => Some(Theme::parse(&theme).ok_or_else(|| corrupt("theme"))?),
        None => None,
    };
    Ok(User {
        id: UserId(row.id),
        email: Email::parse(&row.email).map_err(|_| corrupt("email"))?,
        password_hash: PasswordHash::from_phc(row.password_hash.clone())
            .ok_or_else(|| corrupt("password hash"))?,
        display_name: DisplayName::parse(&row.display_name).map_err(|_| corrupt("display name"))?,
        theme,
        show_adult_content,
        created_at_utc: row.created_at_utc,
        updated_at_utc: row.updated_at_utc,
        is_active: row.is_active,
    })
}
