use time::Duration;
use watch_spaces::contracts::{InvitationStatus, WatchSpacesError};

use crate::support::{World, START};

#[tokio::test]
async fn anyone_with_the_link_sees_the_space_and_who_invited_whom() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, "mika@example.org").await;

    let preview = world
        .spaces
        .preview_invitation(&invitation.token)
        .await
        .unwrap();

    assert_eq!(preview.space_name, "Cozy Club");
    assert_eq!(preview.invited_by_display_name, ann.display_name);
    assert_eq!(preview.invited_email, "mika@example.org");
    assert_eq!(preview.status, InvitationStatus::Pending);
    assert_eq!(preview.expires_at_utc, START + Duration::days(7));
}

#[tokio::test]
async fn an_unknown_or_malformed_token_is_not_found() {
    let world = World::new().await;

    for token in [
        "",
        "short",
        "not a token at all, with spaces",
        &"A".repeat(43),
    ] {
        assert_eq!(
            world.spaces.preview_invitation(token).await,
            Err(WatchSpacesError::InvitationNotFound),
            "{token}"
        );
    }
}

#[tokio::test]
async fn a_preview_after_the_expiry_time_says_expired() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, "mika@example.org").await;
    world.advance(Duration::days(7));

    let preview = world
        .spaces
        .preview_invitation(&invitation.token)
        .await
        .unwrap();

    assert_eq!(preview.status, InvitationStatus::Expired);
}

#[tokio::test]
async fn a_preview_shows_a_used_invitation_as_accepted() {
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

    let preview = world
        .spaces
        .preview_invitation(&invitation.token)
        .await
        .unwrap();

    assert_eq!(preview.status, InvitationStatus::Accepted);
}
