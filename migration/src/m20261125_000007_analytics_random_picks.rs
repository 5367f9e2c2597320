//! analytics: the schema Analytics owns, and each space's latest random pick (so the next
//! pick is never the same show twice in a row).

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000007_analytics_random_picks",
    up: r#"
CREATE SCHEMA analytics;

CREATE TABLE analytics.random_picks (
    watch_space_id                  uuid PRIMARY KEY
        CONSTRAINT random_picks_space_fkey REFERENCES watch_spaces.watch_spaces (id) ON DELETE CASCADE,
    -- Removing the show forgets the pick: there is nothing left to avoid repeating.
    last_pick_watch_space_anime_id  uuid NOT NULL
        CONSTRAINT random_picks_last_pick_fkey REFERENCES anime_tracking.watch_space_anime (id) ON DELETE CASCADE,
    picked_at_utc                   timestamptz NOT NULL
);
-- For the cascade when a show is removed.
CREATE INDEX random_picks_last_pick_idx ON analytics.random_picks (last_pick_watch_space_anime_id);
"#,
    down: r#"
DROP SCHEMA analytics CASCADE;
"#,
};
