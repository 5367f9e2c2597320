//! analytics: each space's last computed dashboard, served again while its fingerprint (the
//! space's AnimeTracking revision, members, cached AniList metadata, the UTC date and the
//! payload's format version) is unchanged.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000009_analytics_dashboard_snapshots",
    up: r#"
CREATE TABLE analytics.dashboard_snapshots (
    watch_space_id   uuid PRIMARY KEY
        CONSTRAINT dashboard_snapshots_space_fkey REFERENCES watch_spaces.watch_spaces (id) ON DELETE CASCADE,
    -- Hex digest of everything the payload was computed from; a payload is only ever served
    -- for the fingerprint it was stored with.
    fingerprint      text NOT NULL,
    payload          jsonb NOT NULL,
    computed_at_utc  timestamptz NOT NULL
);
"#,
    down: r#"
DROP TABLE analytics.dashboard_snapshots;
"#,
};
