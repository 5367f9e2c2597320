//! anilist_sync: the AniList media cache.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000004_anilist_sync_media_cache",
    up: r#"
CREATE SCHEMA anilist_sync;
"#,
    down: r#"
DROP SCHEMA anilist_sync CASCADE;
"#,
};
