//! What the contexts' repositories share about PostgreSQL errors (feature `db`).

use sea_orm::{DbErr, RuntimeErr};

/// The name of the constraint (or unique index) a database error reports, if any: how a
/// context tells which of its rules PostgreSQL enforced when two requests raced.
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
