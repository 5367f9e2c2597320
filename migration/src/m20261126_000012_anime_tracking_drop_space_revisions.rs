//! anime_tracking: the per-space change counter goes. AnimeTracking now publishes
//! `TrackingChanged` inside every write's transaction, and Analytics keeps its own
//! generations from that (m20261126_000013).

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261126_000012_anime_tracking_drop_space_revisions",
    up: r#"
DROP TABLE anime_tracking.space_revisions;
"#,
    down: r#"
CREATE TABLE anime_tracking.space_revisions (
    watch_space_id  uuid PRIMARY KEY
        CONSTRAINT space_revisions_space_fkey REFERENCES watch_spaces.watch_spaces (id) ON DELETE CASCADE,
    revision        bigint NOT NULL
        CONSTRAINT space_revisions_revision_positive CHECK (revision >= 1)
);
"#,
};
