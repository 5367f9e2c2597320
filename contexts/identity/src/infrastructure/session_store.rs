//! The browser-session store for tower-sessions/axum-login, in `identity.sessions`, so a
//! restart logs nobody out and several server instances share sessions. Rows are keyed by
//! the SHA-256 of the id the cookie carries (a leaked table opens no session), and a session
//! ends a fixed time after it began however active it stays.

use async_trait::async_trait;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use super::entities::sessions;

/// tower-sessions' `SessionStore` over our own pool.
#[derive(Debug, Clone)]
pub struct PgSessionStore {
    db: DatabaseConnection,
    /// How long a session lasts from its start, however active.
    absolute_lifetime: Duration,
}

impl PgSessionStore {
    pub fn new(db: DatabaseConnection, absolute_lifetime: Duration) -> Self {
        Self {
            db,
            absolute_lifetime,
        }
    }

    /// Sessions that began before this have ended.
    fn started_no_earlier_than(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() - self.absolute_lifetime
    }
}

/// The row key of a session id: the hex SHA-256 of its cookie form.
fn key(id: &Id) -> String {
    format!("{:x}", Sha256::digest(id.to_string().as_bytes()))
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn active(record: &Record) -> Result<sessions::ActiveModel, session_store::Error> {
    Ok(sessions::ActiveModel {
        id: Set(key(&record.id)),
        data: Set(serde_json::to_value(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?),
        expires_at_utc: Set(record.expiry_date),
        // Set on insert only (an update leaves it alone): see `save`.
        created_at_utc: Set(OffsetDateTime::now_utc()),
    })
}

#[async_trait]
impl SessionStore for PgSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are 128 random bits; on the astronomically unlikely collision, draw again.
        loop {
            let inserted = sessions::Entity::insert(active(record)?)
                .on_conflict(
                    OnConflict::column(sessions::Column::Id)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&self.db)
                .await
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        sessions::Entity::insert(active(record)?)
            .on_conflict(
                OnConflict::column(sessions::Column::Id)
                    .update_columns([sessions::Column::Data, sessions::Column::ExpiresAtUtc])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row = sessions::Entity::find_by_id(key(id))
            .filter(sessions::Column::ExpiresAtUtc.gt(OffsetDateTime::now_utc()))
            .filter(sessions::Column::CreatedAtUtc.gt(self.started_no_earlier_than()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        row.map(|row| {
            Ok(Record {
                id: *id,
                data: serde_json::from_value(row.data)
                    .map_err(|e| session_store::Error::Decode(e.to_string()))?,
                expiry_date: row.expires_at_utc,
            })
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sessions::Entity::delete_by_id(key(id))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for PgSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        sessions::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(sessions::Column::ExpiresAtUtc.lte(OffsetDateTime::now_utc()))
                    .add(sessions::Column::CreatedAtUtc.lte(self.started_no_earlier_than())),
            )
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
