//! anilist_sync: the AniList media cache.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000004_anilist_sync_media_cache",
    up: r#"
CREATE SCHEMA anilist_sync;

-- AniList's metadata as BloomWatch last fetched it. AniList owns it; rows are replaced
-- wholesale on every refresh and read when AniList cannot answer.
CREATE TABLE anilist_sync.media_cache (
    anilist_media_id            int PRIMARY KEY,
    id_mal                      int NULL,
    title_romaji                varchar(500) NOT NULL,
    title_english               varchar(500) NULL,
    title_native                varchar(500) NULL,
    description                 text NULL,
    episodes                    int NULL,
    duration_minutes            int NULL,
    format                      varchar(16) NULL,
    status                      varchar(24) NULL,
    season                      varchar(8) NULL,
    season_year                 int NULL,
    genres_jsonb                jsonb NULL,
    cover_image_large           text NULL,
    cover_image_medium          text NULL,
    cover_color                 varchar(7) NULL,
    average_score               int NULL,
    popularity                  int NULL,
    is_adult                    boolean NOT NULL DEFAULT false,
    next_airing_episode         int NULL,
    next_airing_at_utc          timestamptz NULL,
    updated_from_source_at_utc  timestamptz NOT NULL,
    cached_at_utc               timestamptz NOT NULL,
    CONSTRAINT media_cache_id_positive CHECK (anilist_media_id > 0),
    CONSTRAINT media_cache_id_mal_positive CHECK (id_mal IS NULL OR id_mal > 0),
    CONSTRAINT media_cache_title_romaji_not_blank CHECK (title_romaji = btrim(title_romaji) AND title_romaji <> ''),
    CONSTRAINT media_cache_title_english_not_blank CHECK (title_english IS NULL OR (title_english = btrim(title_english) AND title_english <> '')),
    CONSTRAINT media_cache_title_native_not_blank CHECK (title_native IS NULL OR (title_native = btrim(title_native) AND title_native <> '')),
    CONSTRAINT media_cache_description_not_blank CHECK (description IS NULL OR btrim(description) <> ''),
    CONSTRAINT media_cache_episodes_positive CHECK (episodes IS NULL OR episodes > 0),
    CONSTRAINT media_cache_duration_positive CHECK (duration_minutes IS NULL OR duration_minutes > 0),
    CONSTRAINT media_cache_format_known CHECK (format IS NULL OR format IN ('TV', 'TV_SHORT', 'MOVIE', 'SPECIAL', 'OVA', 'ONA', 'MUSIC')),
    CONSTRAINT media_cache_status_known CHECK (status IS NULL OR status IN ('FINISHED', 'RELEASING', 'NOT_YET_RELEASED', 'CANCELLED', 'HIATUS')),
    CONSTRAINT media_cache_season_known CHECK (season IS NULL OR season IN ('WINTER', 'SPRING', 'SUMMER', 'FALL')),
    CONSTRAINT media_cache_season_year_positive CHECK (season_year IS NULL OR season_year > 0),
    CONSTRAINT media_cache_genres_array CHECK (genres_jsonb IS NULL OR jsonb_typeof(genres_jsonb) = 'array'),
    CONSTRAINT media_cache_cover_color_hex CHECK (cover_color IS NULL OR cover_color ~ '^#[0-9a-fA-F]{6}$'),
    CONSTRAINT media_cache_average_score_range CHECK (average_score IS NULL OR average_score BETWEEN 0 AND 100),
    CONSTRAINT media_cache_popularity_not_negative CHECK (popularity IS NULL OR popularity >= 0),
    CONSTRAINT media_cache_next_airing_episode_positive CHECK (next_airing_episode IS NULL OR next_airing_episode > 0),
    CONSTRAINT media_cache_next_airing_complete CHECK ((next_airing_episode IS NULL) = (next_airing_at_utc IS NULL))
);
-- Refreshing the stalest rows first, and pruning.
CREATE INDEX media_cache_cached_at_utc_idx ON anilist_sync.media_cache (cached_at_utc);
"#,
    down: r#"
DROP SCHEMA anilist_sync CASCADE;
"#,
};
