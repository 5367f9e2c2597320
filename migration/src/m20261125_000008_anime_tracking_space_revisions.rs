//! anime_tracking: a change counter per space, bumped in the same transaction as every
//! AnimeTracking write, so readers (Analytics' dashboard snapshots) can tell cheaply whether
//! anything they derived from a space is still current.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000008_anime_tracking_space_revisions",
    up: r#"
-- No row yet means revision 0: nothing was written since the counter was introduced.
CREATE TABLE anime_tracking.space_revisions (
    watch_space_id  uuid PRIMARY KEY
        CONSTRAINT space_revisions_space_fkey REFERENCES watch_spaces.watch_spaces (id) ON DELETE CASCADE,
    revision        bigint NOT NULL
        CONSTRAINT space_revisions_revision_positive CHECK (revision >= 1)
);
"#,
    down: r#"
DROP TABLE anime_tracking.space_revisions;
"#,
};
