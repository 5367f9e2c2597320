//! BloomWatch's database schema. Each bounded context owns one PostgreSQL schema
//! (`identity`, `watch_spaces`, ...); each migration file creates or changes exactly one
//! schema, named `mYYYYMMDD_HHMMSS_<schema>_<what>.rs`, and has a `down`.
//! Every domain rule that can be stated as a constraint is stated here too, so an invalid row
//! is refused by PostgreSQL even if a bug slipped past the Rust domain types.

pub use sea_orm_migration::prelude::*;

mod sql_migration;

mod m20261125_000001_identity_users;
mod m20261125_000002_identity_sessions_and_tokens;
mod m20261125_000003_watch_spaces_spaces_members_invitations;
mod m20261125_000004_anilist_sync_media_cache;
mod m20261125_000005_anime_tracking_entries_and_sessions;
mod m20261125_000006_identity_adult_content_preference;
mod m20261125_000007_analytics_random_picks;
mod m20261125_000008_anime_tracking_space_revisions;
mod m20261125_000009_analytics_dashboard_snapshots;
mod m20261125_000010_anilist_sync_metadata_generations;
mod m20261125_000011_analytics_dashboard_snapshot_sources;
mod m20261126_000012_anime_tracking_drop_space_revisions;
mod m20261126_000013_analytics_dashboard_generations;
mod m20261202_000014_identity_external_account_profiles;
mod m20261202_000015_anilist_sync_links_and_outbox;
mod m20261202_000016_anilist_sync_imports;
mod m20261203_000017_identity_login_throttle;
mod m20261204_000018_rate_limits_hashed_sessions_visible_text;
mod m20261207_000019_paged_lists_and_space_caps;

pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_identity_users::MIGRATION),
            Box::new(m20261125_000002_identity_sessions_and_tokens::MIGRATION),
            Box::new(m20261125_000003_watch_spaces_spaces_members_invitations::MIGRATION),
            Box::new(m20261125_000004_anilist_sync_media_cache::MIGRATION),
            Box::new(m20261125_000005_anime_tracking_entries_and_sessions::MIGRATION),
            Box::new(m20261125_000006_identity_adult_content_preference::MIGRATION),
            Box::new(m20261125_000007_analytics_random_picks::MIGRATION),
            Box::new(m20261125_000008_anime_tracking_space_revisions::MIGRATION),
            Box::new(m20261125_000009_analytics_dashboard_snapshots::MIGRATION),
            Box::new(m20261125_000010_anilist_sync_metadata_generations::MIGRATION),
            Box::new(m20261125_000011_analytics_dashboard_snapshot_sources::MIGRATION),
            Box::new(m20261126_000012_anime_tracking_drop_space_revisions::MIGRATION),
            Box::new(m20261126_000013_analytics_dashboard_generations::MIGRATION),
            Box::new(m20261202_000014_identity_external_account_profiles::MIGRATION),
            Box::new(m20261202_000015_anilist_sync_links_and_outbox::MIGRATION),
            Box::new(m20261202_000016_anilist_sync_imports::MIGRATION),
            Box::new(m20261203_000017_identity_login_throttle::MIGRATION),
            Box::new(m20261204_000018_rate_limits_hashed_sessions_visible_text::MIGRATION),
            Box::new(m20261207_000019_paged_lists_and_space_caps::MIGRATION),
        ]
    }
}
