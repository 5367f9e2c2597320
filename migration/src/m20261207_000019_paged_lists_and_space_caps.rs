//! Paged lists and the caps that keep a space small: indexes in the keyset order of the paged
//! lists, and triggers that hold a space to 20 members, 2,000 anime and 1,000 sessions per
//! anime (the limits `watch_spaces::domain::space::MAX_MEMBERS`,
//! `anime_tracking::contracts::MAX_ANIME_PER_SPACE` and `MAX_SESSIONS_PER_ANIME` state), so a
//! writer that skips the domain still cannot pass them. Each trigger takes a transaction-scoped
//! advisory lock on the parent before counting, which makes the count exact under concurrent
//! inserts; it raises a check violation named after itself, which the contexts read.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261207_000019_paged_lists_and_space_caps",
    up: r#"
CREATE INDEX watch_space_anime_space_updated_idx
    ON anime_tracking.watch_space_anime (watch_space_id, updated_at_utc DESC, id DESC);
CREATE INDEX watch_space_anime_space_added_idx
    ON anime_tracking.watch_space_anime (watch_space_id, added_at_utc DESC, id DESC);
CREATE INDEX sync_log_user_created_id ON anilist_sync.sync_log (user_id, created_at_utc DESC, id DESC);
DROP INDEX anilist_sync.sync_log_user_created;

CREATE FUNCTION watch_spaces.hold_member_cap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('watch_space_members:' || NEW.watch_space_id::text, 0));
    IF (SELECT count(*) FROM watch_spaces.watch_space_members
         WHERE watch_space_id = NEW.watch_space_id) >= 20 THEN
        RAISE EXCEPTION 'watch_space_members_cap: a watch space holds at most 20 members'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'watch_space_members_cap';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER watch_space_members_cap BEFORE INSERT ON watch_spaces.watch_space_members
    FOR EACH ROW EXECUTE FUNCTION watch_spaces.hold_member_cap();

CREATE FUNCTION anime_tracking.hold_anime_cap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('watch_space_anime:' || NEW.watch_space_id::text, 0));
    IF (SELECT count(*) FROM anime_tracking.watch_space_anime
         WHERE watch_space_id = NEW.watch_space_id) >= 2000 THEN
        RAISE EXCEPTION 'watch_space_anime_cap: a watch space tracks at most 2000 anime'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'watch_space_anime_cap';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER watch_space_anime_cap BEFORE INSERT ON anime_tracking.watch_space_anime
    FOR EACH ROW EXECUTE FUNCTION anime_tracking.hold_anime_cap();

CREATE FUNCTION anime_tracking.hold_session_cap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('watch_sessions:' || NEW.watch_space_anime_id::text, 0));
    IF (SELECT count(*) FROM anime_tracking.watch_sessions
         WHERE watch_space_anime_id = NEW.watch_space_anime_id) >= 1000 THEN
        RAISE EXCEPTION 'watch_sessions_cap: an anime keeps at most 1000 watch sessions'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'watch_sessions_cap';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER watch_sessions_cap BEFORE INSERT ON anime_tracking.watch_sessions
    FOR EACH ROW EXECUTE FUNCTION anime_tracking.hold_session_cap();
"#,
    down: r#"
DROP TRIGGER watch_sessions_cap ON anime_tracking.watch_sessions;
DROP FUNCTION anime_tracking.hold_session_cap();
DROP TRIGGER watch_space_anime_cap ON anime_tracking.watch_space_anime;
DROP FUNCTION anime_tracking.hold_anime_cap();
DROP TRIGGER watch_space_members_cap ON watch_spaces.watch_space_members;
DROP FUNCTION watch_spaces.hold_member_cap();
CREATE INDEX sync_log_user_created ON anilist_sync.sync_log (user_id, created_at_utc DESC);
DROP INDEX anilist_sync.sync_log_user_created_id;
DROP INDEX anime_tracking.watch_space_anime_space_added_idx;
DROP INDEX anime_tracking.watch_space_anime_space_updated_idx;
"#,
};
