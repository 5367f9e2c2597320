//! Every migration can be undone and redone: `down` really removes what `up` made, in every
//! context's schema, and `up` again rebuilds exactly the same tables, columns, constraints
//! and indexes.

// Test support code: a failed step should fail the test loudly.
#![expect(clippy::unwrap_used)]

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// One schema per bounded context.
const SCHEMAS: [&str; 5] = [
    "analytics",
    "anilist_sync",
    "anime_tracking",
    "identity",
    "watch_spaces",
];

/// One line per object the migrations own, sorted: each line's first column names it.
async fn lines(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap();
    rows.iter()
        .map(|row| row.try_get::<String>("", "line").unwrap())
        .collect()
}

async fn schemas(db: &DatabaseConnection) -> Vec<String> {
    lines(
        db,
        "SELECT nspname AS line FROM pg_namespace \
         WHERE nspname IN ('analytics', 'anilist_sync', 'anime_tracking', 'identity', 'watch_spaces') \
         ORDER BY nspname",
    )
    .await
}

/// Tables, columns (with type, nullability and default), constraints and indexes of every
/// context's schema.
async fn catalog(db: &DatabaseConnection) -> Vec<String> {
    let in_schemas = "('analytics', 'anilist_sync', 'anime_tracking', 'identity', 'watch_spaces')";
    let mut all = lines(
        db,
        &format!(
            "SELECT table_schema || '.' || table_name || '.' || column_name || ' ' || data_type \
             || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line \
             FROM information_schema.columns WHERE table_schema IN {in_schemas} ORDER BY line"
        ),
    )
    .await;
    all.extend(
        lines(
            db,
            &format!(
                "SELECT n.nspname || '.' || c.conname || ' ' || pg_get_constraintdef(c.oid) AS line \
                 FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
                 WHERE n.nspname IN {in_schemas} ORDER BY line"
            ),
        )
        .await,
    );
    all.extend(
        lines(
            db,
            &format!(
                "SELECT schemaname || '.' || indexname || ' ' || indexdef AS line \
                 FROM pg_indexes WHERE schemaname IN {in_schemas} ORDER BY line"
            ),
        )
        .await,
    );
    all
}

#[tokio::test]
async fn migrations_roll_all_the_way_down_and_up_again() {
    let db = testkit::TestDb::new().await.connection;
    assert_eq!(schemas(&db).await, SCHEMAS);
    let built = catalog(&db).await;
    assert!(
        SCHEMAS.iter().all(|schema| built
            .iter()
            .any(|line| line.starts_with(&format!("{schema}.")))),
        "every context's schema has tables: {built:#?}"
    );

    Migrator::down(&db, None).await.unwrap();
    assert!(schemas(&db).await.is_empty());
    assert!(catalog(&db).await.is_empty());

    Migrator::up(&db, None).await.unwrap();
    assert_eq!(schemas(&db).await, SCHEMAS);
    assert_eq!(catalog(&db).await, built);
}

#[tokio::test]
async fn each_migration_goes_down_and_up_again_on_its_own() {
    let db = testkit::TestDb::new().await.connection;
    let built = catalog(&db).await;
    let applied = Migrator::get_applied_migrations(&db).await.unwrap().len();
    for _ in 0..applied {
        Migrator::down(&db, Some(1)).await.unwrap();
        let before = catalog(&db).await;
        Migrator::up(&db, Some(1)).await.unwrap();
        Migrator::down(&db, Some(1)).await.unwrap();
        assert_eq!(
            catalog(&db).await,
            before,
            "a migration's down undoes its up"
        );
    }
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(catalog(&db).await, built);
}
