use watch_spaces::contracts::{InvitationId, InvitationStatus, WatchSpacesError};

use crate::support::World;

#[tokio::test]
async fn an_owner_revokes_an_invitation_and_its_link_stops_working() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let mika = world.user("mika").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, &mika.email).await;

    world
        .spaces
        .revoke_invitation(ann.id, space, invitation.id)
        .await
        .unwrap();

    assert!(world
        .spaces
        .get_space(ann.id, space)
        .await
        .unwrap()
        .invitations
        .is_empty());
    assert_eq!(
        world
            .spaces
            .preview_invitation(&invitation.token)
            .await
            .unwrap()
            .status,
        InvitationStatus::Revoked
    );
    assert_eq!(
        world
            .spaces
            .accept_invitation(mika.id, &invitation.token)
            .await,
        Err(WatchSpacesError::InvitationRevoked)
    );
}

#[tokio::test]
async fn revoking_twice_is_harmless() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, "mika@example.org").await;
    world
        .spaces
        .revoke_invitation(ann.id, space, invitation.id)
        .await
        .unwrap();

    assert_eq!(
        world
            .spaces
            .revoke_invitation(ann.id, space, invitation.id)
            .await,
        Ok(())
    );
}

#[tokio::test]
async fn after_revoking_the_same_email_can_be_invited_again() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let invitation = world.invite(&ann, space, "mika@example.org").await;
    world
        .spaces
        .revoke_invitation(ann.id, space, invitation.id)
        .await
        .unwrap();

    let again = world.invite(&ann, space, "mika@example.org").await;

    assert_ne!(again.token, invitation.token);
}

#[tokio::test]
async fn a_member_cannot_revoke_and_a_stranger_is_told_the_space_does_not_exist() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;
    let eve = world.user("eve").await;
    let invitation = world.invite(&ann, space, "mika@example.org").await;

    assert_eq!(
        world
            .spaces
            .revoke_invitation(kai.id, space, invitation.id)
            .await,
        Err(WatchSpacesError::NotOwner)
    );
    assert_eq!(
        world
            .spaces
            .revoke_invitation(eve.id, space, invitation.id)
            .await,
        Err(WatchSpacesError::SpaceNotFound)
    );
}

#[tokio::test]
async fn revoking_an_unknown_invitation_or_one_of_another_space_is_not_found() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Cozy Club").await.id;
    let other = world.space(&ann, "Other Club").await.id;
    let elsewhere = world.invite(&ann, other, "mika@example.org").await;

    assert_eq!(
        world
            .spaces
            .revoke_invitation(ann.id, space, InvitationId::new())
            .await,
        Err(WatchSpacesError::InvitationNotFound)
    );
    assert_eq!(
        world
            .spaces
            .revoke_invitation(ann.id, space, elsewhere.id)
            .await,
        Err(WatchSpacesError::InvitationNotFound)
    );
}

#[tokio::test]
async fn an_accepted_invitation_cannot_be_revoked() {
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

    assert_eq!(
        world
            .spaces
            .revoke_invitation(ann.id, space, invitation.id)
            .await,
        Err(WatchSpacesError::InvitationAlreadyUsed)
    );
}
