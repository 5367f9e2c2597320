use kernel::PublicError;
use time::Duration;
use watch_spaces::contracts::{InvitationStatus, InviteMember, WatchSpaceId, WatchSpacesError};
use watch_spaces::WatchSpacesSettings;

use crate::support::{World, START};

fn invite(email: &str) -> InviteMember {
    InviteMember {
        email: email.into(),
    }
}

#[tokio::test]
async fn an_owner_invites_by_email_and_gets_a_link_to_share() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;

    let invitation = world
        .spaces
        .invite_member(ann.id, space, invite("  Mika@Example.ORG "))
        .await
        .unwrap();

    assert_eq!(invitation.invited_email, "mika@example.org");
    assert_eq!(invitation.status, InvitationStatus::Pending);
    assert_eq!(invitation.token.len(), 43);
    assert!(invitation
        .token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(
        invitation.url,
        format!("http://127.0.0.1:3000/invite/{}", invitation.token)
    );
    assert_eq!(invitation.created_at_utc, START);
    assert_eq!(invitation.expires_at_utc, START + Duration::days(7));
    let listed = world
        .spaces
        .get_space(ann.id, space)
        .await
        .unwrap()
        .invitations;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, invitation.id);
}

#[tokio::test]
async fn the_time_to_live_and_the_link_come_from_the_settings() {
    let world = World::with_settings(WatchSpacesSettings {
        invitation_ttl: Duration::hours(48),
        public_base_url: "https://bloomwatch.example/".into(),
    })
    .await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;

    let invitation = world.invite(&ann, space, "mika@example.org").await;

    assert_eq!(invitation.expires_at_utc, START + Duration::hours(48));
    assert_eq!(
        invitation.url,
        format!("https://bloomwatch.example/invite/{}", invitation.token)
    );
}

#[tokio::test]
async fn inviting_a_malformed_email_is_a_validation_error_on_email() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;

    let error = world
        .spaces
        .invite_member(ann.id, space, invite("mika at example"))
        .await
        .unwrap_err();

    assert_eq!(error.kind().status(), 400);
    let WatchSpacesError::Validation(fields) = error else {
        panic!("expected validation")
    };
    assert!(fields.for_field("email").is_some());
}

#[tokio::test]
async fn a_member_cannot_invite() {
    let world = World::new().await;
    let (_, kai, space) = world.ann_and_kai().await;

    let error = world
        .spaces
        .invite_member(kai.id, space, invite("mika@example.org"))
        .await
        .unwrap_err();

    assert_eq!(error, WatchSpacesError::NotOwner);
    assert_eq!(error.kind().status(), 403);
}

#[tokio::test]
async fn a_stranger_cannot_invite_nor_learn_that_the_space_exists() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    let eve = world.user("eve").await;

    let to_existing = world
        .spaces
        .invite_member(eve.id, space, invite("mika@example.org"))
        .await;
    let to_unknown = world
        .spaces
        .invite_member(eve.id, WatchSpaceId::new(), invite("mika@example.org"))
        .await;

    assert_eq!(to_existing, Err(WatchSpacesError::SpaceNotFound));
    assert_eq!(to_unknown, Err(WatchSpacesError::SpaceNotFound));
}

#[tokio::test]
async fn inviting_an_existing_member_is_a_conflict() {
    let world = World::new().await;
    let (ann, _, space) = world.ann_and_kai().await;

    let kai = world
        .spaces
        .invite_member(ann.id, space, invite("KAI@example.org"))
        .await;
    let herself = world
        .spaces
        .invite_member(ann.id, space, invite("ann@example.org"))
        .await;

    assert_eq!(kai, Err(WatchSpacesError::AlreadyMember));
    assert_eq!(herself, Err(WatchSpacesError::AlreadyMember));
    assert_eq!(WatchSpacesError::AlreadyMember.kind().status(), 409);
}

#[tokio::test]
async fn inviting_an_email_twice_is_a_conflict() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    world.invite(&ann, space, "mika@example.org").await;

    let again = world
        .spaces
        .invite_member(ann.id, space, invite("Mika@example.org"))
        .await;

    assert_eq!(again, Err(WatchSpacesError::InvitationAlreadyPending));
}

#[tokio::test]
async fn the_same_email_may_be_invited_to_different_spaces() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let first = world.space(&ann, "Cozy Club").await.id;
    let second = world.space(&ann, "Late Night Club").await.id;

    world.invite(&ann, first, "mika@example.org").await;
    world.invite(&ann, second, "mika@example.org").await;
}

#[tokio::test]
async fn an_invitation_past_its_time_is_marked_expired_and_replaced() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let old = world.invite(&ann, space, "mika@example.org").await;
    world.advance(Duration::days(8));

    let new = world.invite(&ann, space, "mika@example.org").await;

    let old_status = world
        .db
        .scalar::<String>(&format!(
            "SELECT status::text FROM watch_spaces.invitations WHERE id = '{}'",
            old.id
        ))
        .await;
    assert_eq!(old_status, "expired");
    assert_eq!(
        world
            .spaces
            .preview_invitation(&new.token)
            .await
            .unwrap()
            .status,
        InvitationStatus::Pending
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_invitations_for_one_email_leave_exactly_one_pending() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;

    let owner = ann.id;
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let spaces = world.spaces.clone();
        attempts.spawn(async move {
            spaces
                .invite_member(owner, space, invite("mika@example.org"))
                .await
        });
    }
    let results = attempts.join_all().await;

    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .all(|e| *e == WatchSpacesError::InvitationAlreadyPending));
    assert_eq!(
        world
            .spaces
            .get_space(ann.id, space)
            .await
            .unwrap()
            .invitations
            .len(),
        1
    );
}

#[tokio::test]
async fn a_space_holds_twenty_people_counting_open_invitations() {
    let world = World::new().await;
    let (ann, _kai, space) = world.ann_and_kai().await;
    for n in 3..=20 {
        world
            .invite(&ann, space, &format!("guest{n}@example.org"))
            .await;
    }

    let full = world
        .spaces
        .invite_member(ann.id, space, invite("one.more@example.org"))
        .await
        .unwrap_err();

    assert_eq!(full, WatchSpacesError::SpaceFull { limit: 20 });
    assert_eq!(full.kind(), kernel::ErrorKind::Conflict);
    assert!(full.to_string().contains("Revoke an invitation"));
    // An invitation that runs out of time frees its place.
    world.advance(Duration::days(30));
    world
        .spaces
        .invite_member(ann.id, space, invite("one.more@example.org"))
        .await
        .unwrap();
}
