//! AnimeTracking's persistence: sea-orm entities for the `anime_tracking` schema and the
//! repositories that load and save the `WatchSpaceAnime` aggregate and watch sessions.
//! Private to this crate; repositories take `&impl ConnectionTrait`, so the application layer
//! owns transactions.

pub mod anime_repo;
mod entities;
pub mod sessions_repo;

use sea_orm::{DbErr, RuntimeErr};

/// The name of the constraint a database error reports, if any.
pub fn violated_constraint(error: &DbErr) -> Option<&str> {
    let (DbErr::Exec(RuntimeErr::SqlxError(error))
    | DbErr::Query(RuntimeErr::SqlxError(error))
    | DbErr::Conn(RuntimeErr::SqlxError(error))) = error
    else {
        return None;
    };
    match error.as_ref() {
        sea_orm::sqlx::Error::Database(database) => database.constraint(),
        _ => None,
    }
}
