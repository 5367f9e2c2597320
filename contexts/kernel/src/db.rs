//! What the contexts' repositories share about PostgreSQL: reading its errors, and the sort
//! key of paged lists ordered by name (feature `db`).

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

/// Whether PostgreSQL could not be reached at all (down, restarting, shutting down, no
/// connection free in time), rather than refusing a statement. Such failures pass: the
/// contexts answer them as "unavailable, try again" (503), not as a bug of ours (500).
pub fn is_unreachable(error: &DbErr) -> bool {
    let (DbErr::Exec(RuntimeErr::SqlxError(error))
    | DbErr::Query(RuntimeErr::SqlxError(error))
    | DbErr::Conn(RuntimeErr::SqlxError(error))) = error
    else {
        return matches!(error, DbErr::ConnectionAcquire(_) | DbErr::Conn(_));
    };
    match error.as_ref() {
        sea_orm::sqlx::Error::Io(_)
        | sea_orm::sqlx::Error::Tls(_)
        | sea_orm::sqlx::Error::PoolTimedOut
        | sea_orm::sqlx::Error::PoolClosed
        | sea_orm::sqlx::Error::WorkerCrashed => true,
        // Class 08 (connection exception) and 57P01-57P03 (shutting down, cannot connect now).
        sea_orm::sqlx::Error::Database(database) => database
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P0")),
        _ => false,
    }
}

/// The SQL sort key of a text column ordered "by name": ASCII letters lowercased and compared
/// byte by byte. That is exactly what `str::to_ascii_lowercase` and `str`'s `Ord` give, whatever
/// the database's locale, so a page's cursor (made in Rust) and the next page's query agree.
pub fn name_sort_key(column_sql: &str) -> String {
    format!(
        "translate({column_sql}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE \"C\""
    )
}
