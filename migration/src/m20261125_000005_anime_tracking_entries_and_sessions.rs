//! anime_tracking: anime tracked in spaces, participant entries, watch sessions and attendance.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000005_anime_tracking_entries_and_sessions",
    up: r#"
CREATE SCHEMA anime_tracking;
"#,
    down: r#"
DROP SCHEMA anime_tracking CASCADE;
"#,
};
