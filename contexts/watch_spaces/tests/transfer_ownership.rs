use watch_spaces::contracts::{Role, WatchSpacesError};

use crate::support::World;

#[tokio::test]
async fn transferring_ownership_swaps_the_roles() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;

    let seen_by_ann = world
        .spaces
        .transfer_ownership(ann.id, space, kai.id)
        .await
        .unwrap();

    assert_eq!(seen_by_ann.my_role, Role::Member);
    let roles: Vec<_> = seen_by_ann
        .members
        .iter()
        .map(|m| (m.user_id, m.role))
        .collect();
    assert_eq!(
        roles,
        [(kai.id, Role::Owner), (ann.id, Role::Member)],
        "owners first"
    );
    assert_eq!(
        world.spaces.member_role(kai.id, space).await,
        Ok(Role::Owner)
    );
}

#[tokio::test]
async fn the_new_owner_can_then_leave_the_old_one_in_charge_again() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;
    world
        .spaces
        .transfer_ownership(ann.id, space, kai.id)
        .await
        .unwrap();

    world
        .spaces
        .transfer_ownership(kai.id, space, ann.id)
        .await
        .unwrap();

    assert_eq!(
        world.spaces.member_role(ann.id, space).await,
        Ok(Role::Owner)
    );
    assert_eq!(
        world.spaces.member_role(kai.id, space).await,
        Ok(Role::Member)
    );
}

#[tokio::test]
async fn transferring_to_someone_who_is_not_a_member_is_not_found() {
    let world = World::new().await;
    let (ann, _, space) = world.ann_and_kai().await;
    let eve = world.user("eve").await;

    assert_eq!(
        world.spaces.transfer_ownership(ann.id, space, eve.id).await,
        Err(WatchSpacesError::MemberNotFound)
    );
    assert_eq!(
        world.spaces.member_role(ann.id, space).await,
        Ok(Role::Owner)
    );
}

#[tokio::test]
async fn a_member_cannot_take_ownership() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;

    assert_eq!(
        world.spaces.transfer_ownership(kai.id, space, kai.id).await,
        Err(WatchSpacesError::NotOwner)
    );
    assert_eq!(
        world.spaces.transfer_ownership(kai.id, space, ann.id).await,
        Err(WatchSpacesError::NotOwner)
    );
}

#[tokio::test]
async fn transferring_to_oneself_changes_nothing() {
    let world = World::new().await;
    let (ann, _, space) = world.ann_and_kai().await;

    let seen_by_ann = world
        .spaces
        .transfer_ownership(ann.id, space, ann.id)
        .await
        .unwrap();

    assert_eq!(seen_by_ann.my_role, Role::Owner);
}
