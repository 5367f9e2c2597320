//! The failed-login log (`identity.login_failures`) that throttling reads.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::login_failures;
use crate::application::Error;

/// Whose failures to count.
pub enum Subject<'a> {
    Account(&'a str),
    Address(&'a str),
}

pub async fn record(
    db: &impl ConnectionTrait,
    email: &str,
    client_address: &str,
    now: OffsetDateTime,
) -> Result<(), Error> {
    let row = login_failures::ActiveModel {
        id: Set(Uuid::new_v4()),
        email: Set(email.to_owned()),
        client_address: Set(client_address.to_owned()),
        failed_at_utc: Set(now),
    };
    login_failures::Entity::insert(row).exec(db).await?;
    Ok(())
}

/// The `nth` most recent failure (1-based) after `since`, if there are that many.
pub async fn nth_most_recent(
    db: &impl ConnectionTrait,
    subject: Subject<'_>,
    nth: u32,
    since: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, Error> {
    let filter = match subject {
        Subject::Account(email) => login_failures::Column::Email.eq(email),
        Subject::Address(address) => login_failures::Column::ClientAddress.eq(address),
    };
    let failure = login_failures::Entity::find()
        .filter(filter)
        .filter(login_failures::Column::FailedAtUtc.gt(since))
        .order_by_desc(login_failures::Column::FailedAtUtc)
        .offset(u64::from(nth.saturating_sub(1)))
        .one(db)
        .await?;
    Ok(failure.map(|failure| failure.failed_at_utc))
}

/// A successful login forgives the account's earlier failures.
pub async fn forget_account(db: &impl ConnectionTrait, email: &str) -> Result<(), Error> {
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::Email.eq(email))
        .exec(db)
        .await?;
    Ok(())
}
