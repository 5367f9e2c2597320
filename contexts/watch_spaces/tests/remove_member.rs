use kernel::PublicError;
use watch_spaces::contracts::{ChangeMemberRole, Role, WatchSpacesError};

use crate::support::World;

#[tokio::test]
async fn an_owner_removes_a_member() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;

    world
        .spaces
        .remove_member(ann.id, space, kai.id)
        .await
        .unwrap();

    let members = world.spaces.get_space(ann.id, space).await.unwrap().members;
    assert_eq!(
        members.iter().map(|m| m.user_id).collect::<Vec<_>>(),
        [ann.id]
    );
    assert_eq!(
        world.spaces.get_space(kai.id, space).await,
        Err(WatchSpacesError::SpaceNotFound)
    );
    assert!(world.my_spaces(kai.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_owner_may_remove_another_owner() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;
    world
        .spaces
        .change_member_role(
            ann.id,
            space,
            kai.id,
            ChangeMemberRole { role: Role::Owner },
        )
        .await
        .unwrap();

    world
        .spaces
        .remove_member(kai.id, space, ann.id)
        .await
        .unwrap();

    assert_eq!(
        world.spaces.member_role(kai.id, space).await,
        Ok(Role::Owner)
    );
    assert_eq!(
        world.spaces.member_role(ann.id, space).await,
        Err(WatchSpacesError::SpaceNotFound)
    );
}

#[tokio::test]
async fn removing_yourself_is_refused_in_favour_of_leaving() {
    let world = World::new().await;
    let (ann, _, space) = world.ann_and_kai().await;

    let error = world
        .spaces
        .remove_member(ann.id, space, ann.id)
        .await
        .unwrap_err();

    assert_eq!(error, WatchSpacesError::CannotRemoveYourself);
    assert_eq!(error.kind().status(), 409);
}

#[tokio::test]
async fn a_member_cannot_remove_anyone() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;

    assert_eq!(
        world.spaces.remove_member(kai.id, space, ann.id).await,
        Err(WatchSpacesError::NotOwner)
    );
    assert_eq!(
        world.spaces.member_role(ann.id, space).await,
        Ok(Role::Owner)
    );
}

#[tokio::test]
async fn removing_someone_who_is_not_a_member_is_not_found() {
    let world = World::new().await;
    let (ann, _, space) = world.ann_and_kai().await;
    let eve = world.user("eve").await;

    let error = world
        .spaces
        .remove_member(ann.id, space, eve.id)
        .await
        .unwrap_err();

    assert_eq!(error, WatchSpacesError::MemberNotFound);
    assert_eq!(error.kind().status(), 404);
}

#[tokio::test]
async fn a_stranger_cannot_remove_anyone() {
    let world = World::new().await;
    let (_, kai, space) = world.ann_and_kai().await;
    let eve = world.user("eve").await;

    assert_eq!(
        world.spaces.remove_member(eve.id, space, kai.id).await,
        Err(WatchSpacesError::SpaceNotFound)
    );
}
