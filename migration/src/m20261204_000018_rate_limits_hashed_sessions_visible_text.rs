//! Rate limits kept in PostgreSQL, so every instance counts the same (identity: registrations
//! per client address; anilist_sync: members' AniList calls); browser sessions keyed by the
//! SHA-256 of their id, with the time they began (for their absolute lifetime); invitations
//! found by the SHA-256 of their token, the token itself no longer kept; and user text
//! that refuses the characters `kernel::text::is_hidden` names: control characters and
//! invisible formatting (bidi overrides, zero-width spaces). The text constraints are NOT VALID: they hold for
//! every write from now on and leave rows written before them as they are.

use crate::sql_migration::SqlMigration;

/// `kernel::text`'s invisible formatting characters, inside a PostgreSQL bracket expression.
macro_rules! invisible_formatting {
    () => {
        r"\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB"
    };
}

/// What a one-line name may not hold (`kernel::text::is_hidden`), as a regex literal.
macro_rules! hidden {
    () => {
        concat!("'[[:cntrl:]", invisible_formatting!(), "]'")
    };
}

/// What prose may not hold (`kernel::text::is_hidden_in_prose`): tabs and line breaks pass.
macro_rules! hidden_in_prose {
    () => {
        concat!(
            r"'[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F",
            invisible_formatting!(),
            "]'"
        )
    };
}

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261204_000018_rate_limits_hashed_sessions_visible_text",
    up: concat!(
        r#"
-- GCRA state (kernel::rate_limit): the moment the subject's next request is on schedule.
-- The subject is a SHA-256 (of a client address) or a user id: no addresses are kept.
CREATE TABLE identity.rate_limits (
    bucket                  text NOT NULL
        CONSTRAINT rate_limits_bucket_known CHECK (bucket IN ('registrations')),
    subject                 bytea NOT NULL
        CONSTRAINT rate_limits_subject_short CHECK (octet_length(subject) BETWEEN 1 AND 64),
    theoretical_arrival_utc timestamptz NOT NULL,
    PRIMARY KEY (bucket, subject)
);
CREATE TABLE anilist_sync.rate_limits (
    bucket                  text NOT NULL
        CONSTRAINT rate_limits_bucket_known CHECK (bucket IN ('member_calls')),
    subject                 bytea NOT NULL
        CONSTRAINT rate_limits_subject_short CHECK (octet_length(subject) BETWEEN 1 AND 64),
    theoretical_arrival_utc timestamptz NOT NULL,
    PRIMARY KEY (bucket, subject)
);

-- Sessions are found by the hex SHA-256 of the id in the cookie; the sessions open now
-- carry on, hashed in place, and count as begun now.
UPDATE identity.sessions SET id = encode(sha256(convert_to(id, 'UTF8')), 'hex');
ALTER TABLE identity.sessions
    ADD CONSTRAINT sessions_id_is_sha256_hex CHECK (id ~ '^[0-9a-f]{64}$'),
    ADD COLUMN created_at_utc timestamptz NOT NULL DEFAULT now();

-- Invitations keep the SHA-256 of their token; the links sent so far go on working.
ALTER TABLE watch_spaces.invitations ADD COLUMN token_hash bytea;
UPDATE watch_spaces.invitations SET token_hash = sha256(convert_to(token, 'UTF8'));
ALTER TABLE watch_spaces.invitations
    ALTER COLUMN token_hash SET NOT NULL,
    ADD CONSTRAINT invitations_token_hash_is_sha256 CHECK (octet_length(token_hash) = 32),
    DROP COLUMN token;
CREATE UNIQUE INDEX invitations_token_hash_key ON watch_spaces.invitations (token_hash);

-- One-line names: no control characters at all.
ALTER TABLE identity.users ADD CONSTRAINT users_display_name_visible CHECK (
    display_name !~ "#,
        hidden!(),
        r#"
) NOT VALID;
ALTER TABLE watch_spaces.watch_spaces ADD CONSTRAINT watch_spaces_name_visible CHECK (
    name !~ "#,
        hidden!(),
        r#"
) NOT VALID;
-- Prose: tabs and line breaks allowed.
ALTER TABLE anime_tracking.watch_space_anime ADD CONSTRAINT watch_space_anime_texts_visible CHECK (
    concat(mood, vibe, pitch) !~ "#,
        hidden_in_prose!(),
        r#"
) NOT VALID;
ALTER TABLE anime_tracking.participant_entries ADD CONSTRAINT participant_entries_rating_notes_visible CHECK (
    rating_notes !~ "#,
        hidden_in_prose!(),
        r#"
) NOT VALID;
ALTER TABLE anime_tracking.watch_sessions ADD CONSTRAINT watch_sessions_notes_visible CHECK (
    notes !~ "#,
        hidden_in_prose!(),
        r#"
) NOT VALID;
"#
    ),
    down: r#"
ALTER TABLE anime_tracking.watch_sessions DROP CONSTRAINT watch_sessions_notes_visible;
ALTER TABLE anime_tracking.participant_entries DROP CONSTRAINT participant_entries_rating_notes_visible;
ALTER TABLE anime_tracking.watch_space_anime DROP CONSTRAINT watch_space_anime_texts_visible;
ALTER TABLE watch_spaces.watch_spaces DROP CONSTRAINT watch_spaces_name_visible;
ALTER TABLE identity.users DROP CONSTRAINT users_display_name_visible;
-- A hash cannot be turned back into a token: the links sent stop working (each row gets a
-- token that no link carries).
ALTER TABLE watch_spaces.invitations ADD COLUMN token varchar(128);
UPDATE watch_spaces.invitations SET token = encode(token_hash, 'hex');
ALTER TABLE watch_spaces.invitations
    ALTER COLUMN token SET NOT NULL,
    ADD CONSTRAINT invitations_token_long_enough CHECK (char_length(token) >= 22),
    DROP COLUMN token_hash;
CREATE UNIQUE INDEX invitations_token_key ON watch_spaces.invitations (token);
-- A hash cannot be turned back into the id a cookie carries: everyone signs in again.
DELETE FROM identity.sessions;
ALTER TABLE identity.sessions DROP CONSTRAINT sessions_id_is_sha256_hex, DROP COLUMN created_at_utc;
DROP TABLE anilist_sync.rate_limits;
DROP TABLE identity.rate_limits;
"#,
};
