//! PostgreSQL itself refuses rows that break a rule, whatever code writes them: these tests
//! write raw SQL into our own tables and expect the named constraint to say no.

use sea_orm::{ConnectionTrait, TransactionTrait};
use watch_spaces::contracts::WatchSpaceId;

use testkit::refused_by;

use crate::support::World;

/// The stored form of a token: its SHA-256, as SQL.
const TOKEN_HASH: &str = "sha256('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')";

/// An `INSERT` of one invitation row; each test spoils one value.
struct InvitationRow<'a> {
    email: &'a str,
    token_hash: &'a str,
    status: &'a str,
    expires: &'a str,
    accepted: &'a str,
}

impl Default for InvitationRow<'_> {
    fn default() -> Self {
        Self {
            email: "mika@example.org",
            token_hash: TOKEN_HASH,
            status: "pending",
            expires: "now() + interval '7 days'",
            accepted: "NULL",
        }
    }
}

impl InvitationRow<'_> {
    fn insert_into(&self, space: WatchSpaceId) -> String {
        format!(
            "INSERT INTO watch_spaces.invitations
                 (id, watch_space_id, invited_by_user_id, invited_email, token_hash, status, expires_at_utc, created_at_utc, accepted_at_utc)
             VALUES (gen_random_uuid(), '{space}', gen_random_uuid(), '{}', {}, '{}', {}, now(), {})",
            self.email, self.token_hash, self.status, self.expires, self.accepted
        )
    }
}

fn member_row(space: WatchSpaceId, user: impl std::fmt::Display, role: &str) -> String {
    format!(
        "INSERT INTO watch_spaces.watch_space_members (id, watch_space_id, user_id, role, joined_at_utc)
         VALUES (gen_random_uuid(), '{space}', '{user}', '{role}', now())"
    )
}

#[tokio::test]
async fn a_well_formed_raw_row_is_accepted_so_the_refusals_below_mean_something() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    let eve = world.user("eve").await;

    world
        .db
        .execute(&InvitationRow::default().insert_into(space))
        .await
        .unwrap();
    world
        .db
        .execute(&member_row(space, eve.id, "member"))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_database_refuses_an_unknown_role() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    let eve = world.user("eve").await;

    refused_by(
        world.db.execute(&member_row(space, eve.id, "admin")).await,
        "watch_space_members_role_known",
    );
}

#[tokio::test]
async fn the_database_refuses_a_duplicate_membership() {
    let world = World::new().await;
    let (_, kai, space) = world.ann_and_kai().await;

    refused_by(
        world.db.execute(&member_row(space, kai.id, "member")).await,
        "watch_space_members_space_user_key",
    );
}

#[tokio::test]
async fn the_database_refuses_a_member_without_an_account() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;

    refused_by(
        world
            .db
            .execute(&member_row(space, uuid::Uuid::new_v4(), "member"))
            .await,
        "watch_space_members_user_id_fkey",
    );
}

#[tokio::test]
async fn the_database_refuses_an_unknown_invitation_status() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    let row = InvitationRow {
        status: "opened",
        ..InvitationRow::default()
    };

    refused_by(
        world.db.execute(&row.insert_into(space)).await,
        "invitations_status_known",
    );
}

#[tokio::test]
async fn the_database_refuses_a_token_hash_that_is_not_a_sha256() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    let row = InvitationRow {
        token_hash: "'\\x0102'::bytea",
        ..InvitationRow::default()
    };

    refused_by(
        world.db.execute(&row.insert_into(space)).await,
        "invitations_token_hash_is_sha256",
    );
}

#[tokio::test]
async fn the_database_refuses_a_token_used_twice() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    world
        .db
        .execute(&InvitationRow::default().insert_into(space))
        .await
        .unwrap();
    let row = InvitationRow {
        email: "eve@example.org",
        ..InvitationRow::default()
    };

    refused_by(
        world.db.execute(&row.insert_into(space)).await,
        "invitations_token_hash_key",
    );
}

#[tokio::test]
async fn the_database_refuses_an_invitation_that_expires_before_it_was_created() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    let row = InvitationRow {
        expires: "now() - interval '1 second'",
        ..InvitationRow::default()
    };

    refused_by(
        world.db.execute(&row.insert_into(space)).await,
        "invitations_expire_after_creation",
    );
}

#[tokio::test]
async fn the_database_refuses_an_acceptance_without_its_time_and_a_time_without_acceptance() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    let accepted_without_time = InvitationRow {
        status: "accepted",
        ..InvitationRow::default()
    };
    let time_without_acceptance = InvitationRow {
        accepted: "now()",
        ..InvitationRow::default()
    };

    refused_by(
        world
            .db
            .execute(&accepted_without_time.insert_into(space))
            .await,
        "invitations_accepted_iff_accepted_at",
    );
    refused_by(
        world
            .db
            .execute(&time_without_acceptance.insert_into(space))
            .await,
        "invitations_accepted_iff_accepted_at",
    );
}

#[tokio::test]
async fn the_database_refuses_an_email_that_is_not_normalised() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    let row = InvitationRow {
        email: "Mika@Example.org",
        ..InvitationRow::default()
    };

    refused_by(
        world.db.execute(&row.insert_into(space)).await,
        "invitations_email_normalised",
    );
}

#[tokio::test]
async fn the_database_refuses_a_second_pending_invitation_for_one_email() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    world
        .db
        .execute(&InvitationRow::default().insert_into(space))
        .await
        .unwrap();
    let second = InvitationRow {
        token_hash: "sha256('BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB')",
        ..InvitationRow::default()
    };

    refused_by(
        world.db.execute(&second.insert_into(space)).await,
        "invitations_one_pending_per_email",
    );
    let revoked = InvitationRow {
        status: "revoked",
        ..second
    };
    world.db.execute(&revoked.insert_into(space)).await.unwrap();
}

#[tokio::test]
async fn the_database_refuses_a_blank_or_untrimmed_space_name() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;

    for name in ["", " Cozy"] {
        refused_by(
            world
                .db
                .execute(&format!(
                    "UPDATE watch_spaces.watch_spaces SET name = '{name}' WHERE id = '{space}'"
                ))
                .await,
            "watch_spaces_name_not_blank",
        );
    }
    refused_by(
        world
            .db.execute(&format!(
                "UPDATE watch_spaces.watch_spaces SET updated_at_utc = created_at_utc - interval '1 second' WHERE id = '{space}'"
            ))
            .await,
        "watch_spaces_updated_after_created",
    );
}

#[tokio::test]
async fn the_database_refuses_to_commit_a_space_without_an_owner() {
    let world = World::new().await;
    let (ann, _, space) = world.ann_and_kai().await;

    refused_by(
        world
            .db
            .execute(&format!(
                "UPDATE watch_spaces.watch_space_members SET role = 'member' WHERE user_id = '{}'",
                ann.id
            ))
            .await,
        "would have no owner",
    );
    refused_by(
        world
            .db
            .execute(&format!(
                "DELETE FROM watch_spaces.watch_space_members WHERE user_id = '{}'",
                ann.id
            ))
            .await,
        "would have no owner",
    );
    let owners = world
        .db.scalar::<String>(&format!(
            "SELECT count(*)::text FROM watch_spaces.watch_space_members WHERE watch_space_id = '{space}' AND role = 'owner'"
        ))
        .await;
    assert_eq!(owners, "1");
}

/// The check runs at commit, so a transaction may demote before it promotes.
#[tokio::test]
async fn the_owner_check_waits_for_the_commit() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;

    let transaction = world.db.connection.begin().await.unwrap();
    for (user, role) in [(ann.id, "member"), (kai.id, "owner")] {
        transaction
            .execute_unprepared(&format!(
                "UPDATE watch_spaces.watch_space_members SET role = '{role}' WHERE user_id = '{user}' AND watch_space_id = '{space}'"
            ))
            .await
            .unwrap();
    }
    transaction.commit().await.unwrap();

    assert_eq!(
        world.spaces.member_role(kai.id, space).await,
        Ok(watch_spaces::contracts::Role::Owner)
    );
}

#[tokio::test]
async fn deleting_a_whole_space_takes_its_members_and_invitations_along() {
    let world = World::new().await;
    let (ann, _, space) = world.ann_and_kai().await;
    world.invite(&ann, space, "mika@example.org").await;

    world
        .db
        .execute(&format!(
            "DELETE FROM watch_spaces.watch_spaces WHERE id = '{space}'"
        ))
        .await
        .unwrap();

    let left = world
        .db.scalar::<String>(&format!(
            "SELECT ((SELECT count(*) FROM watch_spaces.watch_space_members WHERE watch_space_id = '{space}')
                   + (SELECT count(*) FROM watch_spaces.invitations WHERE watch_space_id = '{space}'))::text"
        ))
        .await;
    assert_eq!(left, "0");
}

#[tokio::test]
async fn the_database_holds_a_space_to_twenty_members() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    for n in 3..=20 {
        let user = world.user(&format!("member{n}")).await;
        world
            .db
            .execute(&member_row(space, user.id, "member"))
            .await
            .unwrap();
    }
    let one_too_many = world.user("twentyfirst").await;

    refused_by(
        world
            .db
            .execute(&member_row(space, one_too_many.id, "member"))
            .await,
        "watch_space_members_cap",
    );
}
