use kernel::PublicError;
use watch_spaces::contracts::{ChangeMemberRole, Role, WatchSpacesError};

use crate::support::World;

#[tokio::test]
async fn a_member_leaves_a_space() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;

    world.spaces.leave_space(kai.id, space).await.unwrap();

    assert!(world.my_spaces(kai.id).await.unwrap().is_empty());
    assert_eq!(
        world
            .spaces
            .get_space(ann.id, space)
            .await
            .unwrap()
            .members
            .len(),
        1
    );
    assert_eq!(
        world.spaces.leave_space(kai.id, space).await,
        Err(WatchSpacesError::SpaceNotFound)
    );
}

#[tokio::test]
async fn the_last_owner_cannot_leave_while_members_remain() {
    let world = World::new().await;
    let (ann, _, space) = world.ann_and_kai().await;

    let error = world.spaces.leave_space(ann.id, space).await.unwrap_err();

    assert_eq!(error, WatchSpacesError::LastOwner);
    assert_eq!(
        world.spaces.member_role(ann.id, space).await,
        Ok(Role::Owner)
    );
}

#[tokio::test]
async fn the_only_member_cannot_leave_because_a_space_keeps_an_owner() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    let space = world.space(&ann, "Solo").await.id;

    let error = world.spaces.leave_space(ann.id, space).await.unwrap_err();

    assert_eq!(error, WatchSpacesError::LastMember);
    assert_eq!(error.kind().status(), 409);
    assert!(error.to_string().contains("a space needs an owner"));
    assert_eq!(
        world.spaces.member_role(ann.id, space).await,
        Ok(Role::Owner)
    );
}

#[tokio::test]
async fn an_owner_leaves_after_promoting_someone() {
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

    world.spaces.leave_space(ann.id, space).await.unwrap();

    let remaining = world.spaces.get_space(kai.id, space).await.unwrap();
    assert_eq!(remaining.members.len(), 1);
    assert_eq!(remaining.my_role, Role::Owner);
    assert_eq!(remaining.created_by_user_id, ann.id);
}

#[tokio::test]
async fn a_stranger_cannot_leave() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    let eve = world.user("eve").await;

    assert_eq!(
        world.spaces.leave_space(eve.id, space).await,
        Err(WatchSpacesError::SpaceNotFound)
    );
}
