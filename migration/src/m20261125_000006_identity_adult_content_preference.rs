//! identity: the opt-in to AniList titles marked 18+ (hidden from search by default).

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000006_identity_adult_content_preference",
    up: r#"
ALTER TABLE identity.user_preferences
    ADD COLUMN show_adult_content boolean NOT NULL DEFAULT false;
"#,
    down: r#"
ALTER TABLE identity.user_preferences DROP COLUMN show_adult_content;
"#,
};
