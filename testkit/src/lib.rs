//! Test support shared by the contexts' and the server's integration tests.
//!
//! `TestDb::new()` gives each test its own PostgreSQL database, cloned from a template that is
//! migrated once per cluster (the crates.io pattern): tests stay independent and need no
//! cleanup, because `cargo xtask test` throws the whole cluster away after the run.
//! `TestClock` is the clock tests move by hand.
//! `RecordedEvents` is an event sink that keeps what a context publishes, for tests that check
//! it and for facades whose events a test does not follow.
//! `people` registers users and sets up spaces; `TestDb::execute` and `TestDb::scalar` run
//! the SQL a test writes by hand, and `refused_by` checks which constraint refused it.
//! `relay::Relay` stands between a server and PostgreSQL, for tests of the database going
//! away and coming back.
//! The cluster comes from `TEST_DATABASE_URL` (a URL to its `postgres` database, with the
//! right to create databases), which `cargo xtask test` sets.

use std::sync::{Mutex, PoisonError};

mod clock;
pub mod people;
pub mod relay;

pub use clock::TestClock;

use anyhow::Context as _;
use kernel::EventSink;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    Statement, TryGetable,
};

/// An advisory-lock key: serialises template creation across test processes.
const TEMPLATE_LOCK_KEY: i64 = 0x0B10_0B5E;

/// A database of one's own for one test.
pub struct TestDb {
    pub connection: DatabaseConnection,
    /// The URL of this test's database, for code that wants to connect by itself.
    pub url: String,
}

impl TestDb {
    /// Creates a fresh, migrated database.
    ///
    /// # Panics
    /// When `TEST_DATABASE_URL` is unset or the cluster is unreachable: tests cannot run then.
    #[expect(clippy::expect_used)]
    pub async fn new() -> Self {
        Self::try_new()
            .await
            .expect("cannot create a test database; run the tests with `cargo xtask test` (it sets TEST_DATABASE_URL)")
    }

    /// Creates a fresh database with no tables at all, for tests of migrating one.
    ///
    /// # Panics
    /// As [`TestDb::new`].
    #[expect(clippy::expect_used)]
    pub async fn empty() -> Self {
        async {
            let admin_url = std::env::var("TEST_DATABASE_URL")
                .context("TEST_DATABASE_URL is not set (postgres://user@host:port/postgres)")?;
            let admin = Database::connect(connect_options(&admin_url, 1)).await?;
            let name = format!("test_{}", uuid::Uuid::new_v4().simple());
            admin
                .execute_unprepared(&format!(r#"CREATE DATABASE "{name}""#))
                .await?;
            admin.close().await?;
            let url = replace_database(&admin_url, &name);
            let connection = Database::connect(connect_options(&url, 5)).await?;
            anyhow::Ok(Self { connection, url })
        }
        .await
        .expect("cannot create a test database; run the tests with `cargo xtask test` (it sets TEST_DATABASE_URL)")
    }

    async fn try_new() -> anyhow::Result<Self> {
        let admin_url = std::env::var("TEST_DATABASE_URL")
            .context("TEST_DATABASE_URL is not set (postgres://user@host:port/postgres)")?;
        // One connection: the advisory lock belongs to a session.
        let admin = Database::connect(connect_options(&admin_url, 1)).await?;
        let template = template_name();
        let name = format!("test_{}", uuid::Uuid::new_v4().simple());

        lock(&admin).await?;
        let created = async {
            if !database_exists(&admin, &template).await? {
                create_template(&admin, &admin_url, &template).await?;
            }
            admin
                .execute_unprepared(&format!(
                    r#"CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY"#
                ))
                .await?;
            anyhow::Ok(())
        }
        .await;
        unlock(&admin).await?;
        created?;
        admin.close().await?;

        let url = replace_database(&admin_url, &name);
        let connection = Database::connect(connect_options(&url, 5)).await?;
        Ok(Self { connection, url })
    }

    /// Runs SQL a test wrote by hand (to break a rule the domain would refuse, or to move
    /// time in a row): the database's own constraints are then all that stands in the way.
    pub async fn execute(&self, sql: &str) -> Result<(), DbErr> {
        self.connection.execute_unprepared(sql).await.map(|_| ())
    }

    /// The first column of the first row `sql` returns.
    ///
    /// # Panics
    /// When the query fails, returns no row, or the column is not a `T`.
    #[expect(clippy::expect_used)]
    pub async fn scalar<T: TryGetable>(&self, sql: &str) -> T {
        let row = self
            .connection
            .query_one_raw(Statement::from_string(
                self.connection.get_database_backend(),
                sql,
            ))
            .await
            .expect("the query failed")
            .expect("the query returned no row");
        row.try_get_by_index::<T>(0)
            .expect("the first column has another type")
    }
}

/// Asserts that the database refused a row, naming `constraint`.
///
/// # Panics
/// When the row was accepted or another constraint refused it.
#[expect(clippy::expect_used)]
pub fn refused_by(result: Result<(), DbErr>, constraint: &str) {
    let error = result.expect_err("the database accepted a row that a constraint should refuse");
    assert!(
        error.to_string().contains(constraint),
        "expected {constraint}, got: {error}"
    );
}

fn connect_options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(0)
        .sqlx_logging(false);
    options
}

/// The template's name carries a fingerprint of the migration list, so a long-lived developer
/// cluster never hands out a template made by older migrations.
fn template_name() -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for migration in Migrator::migrations() {
        migration.name().hash(&mut hasher);
    }
    format!("bloomwatch_template_{:016x}", hasher.finish())
}

async fn create_template(
    admin: &DatabaseConnection,
    admin_url: &str,
    template: &str,
) -> anyhow::Result<()> {
    admin
        .execute_unprepared(&format!(r#"CREATE DATABASE "{template}""#))
        .await?;
    let connection =
        Database::connect(connect_options(&replace_database(admin_url, template), 1)).await?;
    Migrator::up(&connection, None)
        .await
        .context("migrating the template database")?;
    // The template must have no open connections when it is cloned.
    connection.close().await?;
    Ok(())
}

async fn database_exists(admin: &DatabaseConnection, name: &str) -> anyhow::Result<bool> {
    let row = admin
        .query_one_raw(Statement::from_sql_and_values(
            admin.get_database_backend(),
            "SELECT 1 FROM pg_database WHERE datname = $1",
            [name.into()],
        ))
        .await?;
    Ok(row.is_some())
}

async fn lock(admin: &DatabaseConnection) -> anyhow::Result<()> {
    admin
        .execute_unprepared(&format!("SELECT pg_advisory_lock({TEMPLATE_LOCK_KEY})"))
        .await?;
    Ok(())
}

async fn unlock(admin: &DatabaseConnection) -> anyhow::Result<()> {
    admin
        .execute_unprepared(&format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK_KEY})"))
        .await?;
    Ok(())
}

/// `postgres://u@h:p/postgres?x` → `postgres://u@h:p/<name>?x`.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let prefix = base.rsplit_once('/').map_or(base, |(prefix, _)| prefix);
    match query {
        Some(query) => format!("{prefix}/{name}?{query}"),
        None => format!("{prefix}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacing_the_database_keeps_the_rest_of_the_url() {
        assert_eq!(
            replace_database("postgres://u@h:5/postgres", "x"),
            "postgres://u@h:5/x"
        );
        assert_eq!(
            replace_database("postgres://u@h:5/postgres?sslmode=disable", "x"),
            "postgres://u@h:5/x?sslmode=disable"
        );
    }
}

/// An `EventSink` that keeps every event published to it, in order (including those of
/// transactions that later rolled back).
#[derive(Debug)]
pub struct RecordedEvents<E>(Mutex<Vec<E>>);

impl<E> Default for RecordedEvents<E> {
    fn default() -> Self {
        Self(Mutex::new(Vec::new()))
    }
}

impl<E> RecordedEvents<E> {
    /// The events published since the last call.
    pub fn take(&self) -> Vec<E> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[async_trait::async_trait]
impl<E: Clone + Send + Sync> EventSink<E> for RecordedEvents<E> {
    async fn publish(&self, _: &DatabaseTransaction, event: &E) -> Result<(), DbErr> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event.clone());
        Ok(())
    }
}
