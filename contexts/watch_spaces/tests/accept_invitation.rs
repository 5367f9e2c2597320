use kernel::PublicError;
use time::Duration;
use watch_spaces::contracts::{Role, WatchSpacesError};

use crate::support::{World, START};

#[tokio::test]
async fn accepting_an_invitation_joins_the_space_as_a_member() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let kai = world.user("kai").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, "kai@example.org").await;
    world.advance(Duration::hours(1));

    let joined = world
        .spaces
        .accept_invitation(kai.id, &invitation.token)
        .await
        .unwrap();

    assert_eq!(joined.id, space);
    assert_eq!(joined.my_role, Role::Member);
    let kai_member = joined.members.iter().find(|m| m.user_id == kai.id).unwrap();
    assert_eq!(kai_member.role, Role::Member);
    assert_eq!(kai_member.joined_at_utc, START + Duration::hours(1));
    assert_eq!(
        world.spaces.member_role(kai.id, space).await,
        Ok(Role::Member)
    );
    assert!(world
        .spaces
        .get_space(ann.id, space)
        .await
        .unwrap()
        .invitations
        .is_empty());
    let stored = world
        .db.scalar::<String>(&format!(
            "SELECT status || ' ' || (accepted_at_utc IS NOT NULL)::text FROM watch_spaces.invitations WHERE id = '{}'",
            invitation.id
        ))
        .await;
    assert_eq!(stored, "accepted true");
}

#[tokio::test]
async fn the_invited_email_matches_whatever_its_case() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let kai = world.user("kai").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, "KAI@Example.org").await;

    assert!(world
        .spaces
        .accept_invitation(kai.id, &invitation.token)
        .await
        .is_ok());
}

#[tokio::test]
async fn accepting_an_invitation_a_second_time_is_harmless() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let kai = world.user("kai").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, &kai.email).await;
    let first = world
        .spaces
        .accept_invitation(kai.id, &invitation.token)
        .await
        .unwrap();

    let second = world
        .spaces
        .accept_invitation(kai.id, &invitation.token)
        .await
        .unwrap();

    assert_eq!(second, first);
    assert_eq!(second.members.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_simultaneous_acceptances_by_the_same_user_join_once() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let kai = world.user("kai").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, &kai.email).await;

    let (first, second) = tokio::join!(
        world.spaces.accept_invitation(kai.id, &invitation.token),
        world.spaces.accept_invitation(kai.id, &invitation.token),
    );

    assert!(first.is_ok() && second.is_ok(), "{first:?} {second:?}");
    assert_eq!(
        world
            .spaces
            .get_space(ann.id, space)
            .await
            .unwrap()
            .members
            .len(),
        2
    );
}

#[tokio::test]
async fn accepting_someone_elses_invitation_says_which_email_it_was_for() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let eve = world.user("eve").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, "kai@example.org").await;

    let error = world
        .spaces
        .accept_invitation(eve.id, &invitation.token)
        .await
        .unwrap_err();

    assert_eq!(
        error,
        WatchSpacesError::InvitationForAnotherEmail {
            invited_email: "kai@example.org".into()
        }
    );
    assert_eq!(error.kind().status(), 403);
    assert_eq!(
        error.to_string(),
        "This invitation was sent to kai@example.org. Log in with that email to accept it."
    );
    assert_eq!(
        world.spaces.member_role(eve.id, space).await,
        Err(WatchSpacesError::SpaceNotFound)
    );
}

#[tokio::test]
async fn accepting_an_expired_invitation_is_gone_and_records_the_expiry() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let kai = world.user("kai").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, &kai.email).await;
    world.advance(Duration::days(7));

    let error = world
        .spaces
        .accept_invitation(kai.id, &invitation.token)
        .await
        .unwrap_err();

    assert_eq!(error, WatchSpacesError::InvitationExpired);
    assert_eq!(error.kind().status(), 410);
    let status = world
        .db
        .scalar::<String>(&format!(
            "SELECT status FROM watch_spaces.invitations WHERE id = '{}'",
            invitation.id
        ))
        .await;
    assert_eq!(status, "expired");
    assert_eq!(
        world.spaces.member_role(kai.id, space).await,
        Err(WatchSpacesError::SpaceNotFound)
    );
}

#[tokio::test]
async fn accepting_a_revoked_invitation_is_gone() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let kai = world.user("kai").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, &kai.email).await;
    world
        .spaces
        .revoke_invitation(ann.id, space, invitation.id)
        .await
        .unwrap();

    let error = world
        .spaces
        .accept_invitation(kai.id, &invitation.token)
        .await
        .unwrap_err();

    assert_eq!(error, WatchSpacesError::InvitationRevoked);
    assert_eq!(error.kind().status(), 410);
}

#[tokio::test]
async fn a_removed_member_cannot_rejoin_with_the_old_link() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let kai = world.user("kai").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, &kai.email).await;
    world
        .spaces
        .accept_invitation(kai.id, &invitation.token)
        .await
        .unwrap();
    world
        .spaces
        .remove_member(ann.id, space, kai.id)
        .await
        .unwrap();

    let error = world
        .spaces
        .accept_invitation(kai.id, &invitation.token)
        .await
        .unwrap_err();

    assert_eq!(error, WatchSpacesError::InvitationAlreadyUsed);
    assert_eq!(error.kind().status(), 410);
}

#[tokio::test]
async fn accepting_an_unknown_token_is_not_found() {
    let world = World::new().await;
    let kai = world.user("kai").await;

    for token in ["nope", &"x".repeat(43)] {
        assert_eq!(
            world.spaces.accept_invitation(kai.id, token).await,
            Err(WatchSpacesError::InvitationNotFound)
        );
    }
}
