use time::Duration;
use watch_spaces::contracts::{InvitationStatus, Role, WatchSpaceId, WatchSpacesError};

use crate::support::World;

#[tokio::test]
async fn members_see_everyones_display_name_but_no_emails_and_no_invitations() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;
    world.invite(&ann, space, "mika@example.org").await;

    let seen_by_kai = world.spaces.get_space(kai.id, space).await.unwrap();

    assert_eq!(seen_by_kai.my_role, Role::Member);
    let members: Vec<_> = seen_by_kai
        .members
        .iter()
        .map(|m| (m.user_id, m.display_name.as_str(), m.role))
        .collect();
    assert_eq!(
        members,
        [(ann.id, "Ann", Role::Owner), (kai.id, "Kai", Role::Member)]
    );
    assert!(seen_by_kai.invitations.is_empty());
    let json = serde_json::to_string(&seen_by_kai).unwrap();
    assert!(!json.contains("@example.org"), "{json}");
}

#[tokio::test]
async fn owners_see_the_open_invitations_newest_first_with_their_links() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let first = world.invite(&ann, space, "mika@example.org").await;
    world.advance(Duration::minutes(5));
    let second = world.invite(&ann, space, "kai@example.org").await;
    let revoked = world.invite(&ann, space, "eve@example.org").await;
    world
        .spaces
        .revoke_invitation(ann.id, space, revoked.id)
        .await
        .unwrap();

    let seen_by_ann = world.spaces.get_space(ann.id, space).await.unwrap();

    let invitations: Vec<_> = seen_by_ann
        .invitations
        .iter()
        .map(|i| (i.id, i.invited_email.as_str()))
        .collect();
    assert_eq!(
        invitations,
        [
            (second.id, "kai@example.org"),
            (first.id, "mika@example.org")
        ]
    );
    assert!(seen_by_ann
        .invitations
        .iter()
        .all(|i| i.status == InvitationStatus::Pending && i.invited_by_user_id == ann.id));
}

#[tokio::test]
async fn invitations_past_their_expiry_time_are_not_listed() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    world.invite(&ann, space, "mika@example.org").await;
    world.advance(Duration::days(7));

    assert!(world
        .spaces
        .get_space(ann.id, space)
        .await
        .unwrap()
        .invitations
        .is_empty());
}

#[tokio::test]
async fn a_stranger_cannot_see_a_space() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    let eve = world.user("eve").await;

    assert_eq!(
        world.spaces.get_space(eve.id, space).await,
        Err(WatchSpacesError::SpaceNotFound)
    );
}

#[tokio::test]
async fn an_unknown_space_is_not_found() {
    let world = World::new().await;
    let ann = world.user("ann").await;

    assert_eq!(
        world.spaces.get_space(ann.id, WatchSpaceId::new()).await,
        Err(WatchSpacesError::SpaceNotFound)
    );
}

#[tokio::test]
async fn a_corrupt_row_is_an_internal_error_not_a_panic() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    // The column allows 240 characters; the domain only 60 visible ones.
    world
        .db
        .execute(&format!(
            "UPDATE watch_spaces.watch_spaces SET name = '{}' WHERE id = '{space}'",
            "a".repeat(61)
        ))
        .await
        .unwrap();

    assert_eq!(
        world.spaces.get_space(ann.id, space).await,
        Err(WatchSpacesError::Internal)
    );
    assert_eq!(
        world.my_spaces(ann.id).await,
        Err(WatchSpacesError::Internal)
    );
}
