//! watch_spaces: spaces, their members with roles, and invitations.

use crate::sql_migration::SqlMigration;

pub const MIGRATION: SqlMigration = SqlMigration {
    name: "m20261125_000003_watch_spaces_spaces_members_invitations",
    up: r#"
CREATE SCHEMA watch_spaces;

CREATE TABLE watch_spaces.watch_spaces (
    id                  uuid PRIMARY KEY,
    name                varchar(240) NOT NULL,
    created_by_user_id  uuid NOT NULL,
    created_at_utc      timestamptz NOT NULL,
    updated_at_utc      timestamptz NOT NULL,
    CONSTRAINT watch_spaces_name_not_blank CHECK (name = btrim(name) AND char_length(name) BETWEEN 1 AND 240),
    CONSTRAINT watch_spaces_updated_after_created CHECK (updated_at_utc >= created_at_utc)
);

CREATE TABLE watch_spaces.watch_space_members (
    id              uuid PRIMARY KEY,
    watch_space_id  uuid NOT NULL REFERENCES watch_spaces.watch_spaces (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
    role            varchar(16) NOT NULL,
    joined_at_utc   timestamptz NOT NULL,
    CONSTRAINT watch_space_members_role_known CHECK (role IN ('owner', 'member'))
);
CREATE UNIQUE INDEX watch_space_members_space_user_key
    ON watch_spaces.watch_space_members (watch_space_id, user_id);
CREATE INDEX watch_space_members_user_id_idx ON watch_spaces.watch_space_members (user_id);

-- A space always keeps at least one owner: checked at commit, so a transaction may promote
-- the new owner and demote the old one in either order.
CREATE FUNCTION watch_spaces.ensure_space_keeps_an_owner() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM watch_spaces.watch_spaces s WHERE s.id = OLD.watch_space_id)
       AND NOT EXISTS (
           SELECT 1 FROM watch_spaces.watch_space_members m
           WHERE m.watch_space_id = OLD.watch_space_id AND m.role = 'owner') THEN
        RAISE EXCEPTION 'watch space % would have no owner', OLD.watch_space_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'watch_space_members_space_keeps_an_owner';
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER watch_space_members_space_keeps_an_owner
    AFTER UPDATE OR DELETE ON watch_spaces.watch_space_members
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION watch_spaces.ensure_space_keeps_an_owner();

CREATE TABLE watch_spaces.invitations (
    id                  uuid PRIMARY KEY,
    watch_space_id      uuid NOT NULL REFERENCES watch_spaces.watch_spaces (id) ON DELETE CASCADE,
    invited_by_user_id  uuid NOT NULL,
    invited_email       varchar(254) NOT NULL,
    token               varchar(128) NOT NULL,
    status              varchar(16) NOT NULL,
    expires_at_utc      timestamptz NOT NULL,
    created_at_utc      timestamptz NOT NULL,
    accepted_at_utc     timestamptz NULL,
    CONSTRAINT invitations_status_known CHECK (status IN ('pending', 'accepted', 'revoked', 'expired')),
    CONSTRAINT invitations_expire_after_creation CHECK (expires_at_utc > created_at_utc),
    CONSTRAINT invitations_accepted_iff_accepted_at CHECK ((status = 'accepted') = (accepted_at_utc IS NOT NULL)),
    CONSTRAINT invitations_email_normalised CHECK (invited_email = lower(btrim(invited_email)) AND invited_email LIKE '_%@_%'),
    -- At least 128 bits of randomness: 22 base64url characters.
    CONSTRAINT invitations_token_long_enough CHECK (char_length(token) >= 22)
);
CREATE UNIQUE INDEX invitations_token_key ON watch_spaces.invitations (token);
CREATE INDEX invitations_space_status_idx ON watch_spaces.invitations (watch_space_id, status);
-- One open invitation per person per space.
CREATE UNIQUE INDEX invitations_one_pending_per_email
    ON watch_spaces.invitations (watch_space_id, invited_email) WHERE status = 'pending';
"#,
    down: "DROP SCHEMA watch_spaces CASCADE;",
};
