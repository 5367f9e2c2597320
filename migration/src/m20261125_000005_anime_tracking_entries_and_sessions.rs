//! anime_tracking: anime tracked in spaces, participant entries, watch sessions and attendance.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000005_anime_tracking_entries_and_sessions",
    up: r#"
CREATE SCHEMA anime_tracking;

CREATE TABLE anime_tracking.watch_space_anime (
    id                          uuid PRIMARY KEY,
    watch_space_id              uuid NOT NULL REFERENCES watch_spaces.watch_spaces (id) ON DELETE CASCADE,
    anilist_media_id            integer NOT NULL,
    preferred_title             varchar(1000) NOT NULL,
    preferred_title_english     varchar(1000) NULL,
    episode_count_snapshot      integer NULL,
    cover_image_url_snapshot    text NULL,
    format                      varchar(16) NULL,
    season                      varchar(16) NULL,
    season_year                 integer NULL,
    shared_status               varchar(16) NOT NULL,
    shared_episodes_watched     integer NOT NULL DEFAULT 0,
    mood                        text NULL,
    vibe                        text NULL,
    pitch                       text NULL,
    added_by_user_id            uuid NOT NULL REFERENCES identity.users (id),
    added_at_utc                timestamptz NOT NULL,
    updated_at_utc              timestamptz NOT NULL,
    -- Who made the latest change, for "X changed this in the meantime".
    updated_by_user_id          uuid NOT NULL,
    -- Optimistic concurrency: every change sets version = version + 1.
    version                     integer NOT NULL DEFAULT 1,
    CONSTRAINT watch_space_anime_media_id_positive CHECK (anilist_media_id > 0),
    CONSTRAINT watch_space_anime_title_not_blank CHECK (btrim(preferred_title) <> ''),
    -- No check against shared progress: AniList may lower the count below stored progress.
    CONSTRAINT watch_space_anime_episode_count_positive CHECK (episode_count_snapshot IS NULL OR episode_count_snapshot > 0),
    CONSTRAINT watch_space_anime_format_known CHECK (format IS NULL OR format IN ('TV', 'TV_SHORT', 'MOVIE', 'SPECIAL', 'OVA', 'ONA', 'MUSIC')),
    CONSTRAINT watch_space_anime_season_known CHECK (season IS NULL OR season IN ('WINTER', 'SPRING', 'SUMMER', 'FALL')),
    CONSTRAINT watch_space_anime_status_known CHECK (shared_status IN ('backlog', 'watching', 'finished', 'paused', 'dropped')),
    CONSTRAINT watch_space_anime_progress_in_range CHECK (shared_episodes_watched BETWEEN 0 AND 10000),
    CONSTRAINT watch_space_anime_mood_short CHECK (char_length(mood) <= 80),
    CONSTRAINT watch_space_anime_vibe_short CHECK (char_length(vibe) <= 80),
    CONSTRAINT watch_space_anime_pitch_short CHECK (char_length(pitch) <= 500),
    CONSTRAINT watch_space_anime_updated_after_added CHECK (updated_at_utc >= added_at_utc),
    CONSTRAINT watch_space_anime_version_positive CHECK (version >= 1)
);
CREATE UNIQUE INDEX watch_space_anime_space_media_key
    ON anime_tracking.watch_space_anime (watch_space_id, anilist_media_id);
CREATE INDEX watch_space_anime_space_status_idx
    ON anime_tracking.watch_space_anime (watch_space_id, shared_status);
CREATE INDEX watch_space_anime_media_idx ON anime_tracking.watch_space_anime (anilist_media_id);

CREATE TABLE anime_tracking.participant_entries (
    id                      uuid PRIMARY KEY,
    watch_space_anime_id    uuid NOT NULL REFERENCES anime_tracking.watch_space_anime (id) ON DELETE CASCADE,
    user_id                 uuid NOT NULL REFERENCES identity.users (id),
    individual_status       varchar(16) NOT NULL,
    episodes_watched        integer NOT NULL DEFAULT 0,
    rating_score            numeric(3,1) NULL,
    rating_notes            text NULL,
    last_updated_at_utc     timestamptz NOT NULL,
    -- Who made the latest change: a session recorded by someone else moves your progress.
    updated_by_user_id      uuid NOT NULL,
    version                 integer NOT NULL DEFAULT 1,
    CONSTRAINT participant_entries_status_known CHECK (individual_status IN ('backlog', 'watching', 'finished', 'paused', 'dropped')),
    CONSTRAINT participant_entries_progress_in_range CHECK (episodes_watched BETWEEN 0 AND 10000),
    CONSTRAINT participant_entries_rating_half_steps CHECK (rating_score BETWEEN 0.5 AND 10.0 AND rating_score * 2 = trunc(rating_score * 2)),
    CONSTRAINT participant_entries_rating_notes_short CHECK (char_length(rating_notes) <= 2000),
    CONSTRAINT participant_entries_version_positive CHECK (version >= 1)
);
CREATE UNIQUE INDEX participant_entries_anime_user_key
    ON anime_tracking.participant_entries (watch_space_anime_id, user_id);
CREATE INDEX participant_entries_user_idx ON anime_tracking.participant_entries (user_id);

CREATE TABLE anime_tracking.watch_sessions (
    id                      uuid PRIMARY KEY,
    watch_space_anime_id    uuid NOT NULL REFERENCES anime_tracking.watch_space_anime (id) ON DELETE CASCADE,
    session_date_utc        timestamptz NOT NULL,
    start_episode           integer NOT NULL,
    end_episode             integer NOT NULL,
    notes                   text NULL,
    created_by_user_id      uuid NOT NULL REFERENCES identity.users (id),
    created_at_utc          timestamptz NOT NULL,
    CONSTRAINT watch_sessions_start_positive CHECK (start_episode >= 1),
    CONSTRAINT watch_sessions_end_not_before_start CHECK (end_episode >= start_episode),
    CONSTRAINT watch_sessions_end_in_range CHECK (end_episode <= 10000),
    CONSTRAINT watch_sessions_notes_short CHECK (char_length(notes) <= 2000)
);
CREATE INDEX watch_sessions_anime_date_idx
    ON anime_tracking.watch_sessions (watch_space_anime_id, session_date_utc DESC);

CREATE TABLE anime_tracking.watch_session_attendees (
    session_id  uuid NOT NULL REFERENCES anime_tracking.watch_sessions (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES identity.users (id),
    PRIMARY KEY (session_id, user_id)
);
"#,
    down: r#"
DROP SCHEMA anime_tracking CASCADE;
"#,
};
