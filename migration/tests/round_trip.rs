//! Every migration can be undone and redone: `down` really removes what `up` made.

// Test support code: a failed step should fail the test loudly.
#![allow(clippy::unwrap_used)]

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

async fn schemas(db: &DatabaseConnection) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT nspname FROM pg_namespace WHERE nspname IN ('identity', 'watch_spaces') ORDER BY nspname",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| row.try_get::<String>("", "nspname").unwrap())
        .collect()
}

#[tokio::test]
async fn migrations_roll_all_the_way_down_and_up_again() {
    let db = testkit::TestDb::new().await.connection;
    assert_eq!(schemas(&db).await, ["identity", "watch_spaces"]);
    Migrator::down(&db, None).await.unwrap();
    assert!(schemas(&db).await.is_empty());
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(schemas(&db).await, ["identity", "watch_spaces"]);
}
