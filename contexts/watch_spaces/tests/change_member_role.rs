use kernel::PublicError;
use watch_spaces::contracts::{ChangeMemberRole, Role, WatchSpacesError};

use crate::support::World;

fn to(role: Role) -> ChangeMemberRole {
    ChangeMemberRole { role }
}

#[tokio::test]
async fn an_owner_promotes_a_member_to_owner_and_back() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;

    let promoted = world
        .spaces
        .change_member_role(ann.id, space, kai.id, to(Role::Owner))
        .await
        .unwrap();
    assert_eq!(
        promoted
            .members
            .iter()
            .filter(|m| m.role == Role::Owner)
            .count(),
        2
    );
    assert_eq!(
        world.spaces.member_role(kai.id, space).await,
        Ok(Role::Owner)
    );

    let demoted = world
        .spaces
        .change_member_role(ann.id, space, kai.id, to(Role::Member))
        .await
        .unwrap();
    assert_eq!(demoted.my_role, Role::Owner);
    assert_eq!(
        world.spaces.member_role(kai.id, space).await,
        Ok(Role::Member)
    );
}

#[tokio::test]
async fn the_last_owner_cannot_demote_themselves() {
    let world = World::new().await;
    let (ann, _, space) = world.ann_and_kai().await;

    let error = world
        .spaces
        .change_member_role(ann.id, space, ann.id, to(Role::Member))
        .await
        .unwrap_err();

    assert_eq!(error, WatchSpacesError::LastOwner);
    assert_eq!(error.kind().status(), 409);
    assert_eq!(
        error.to_string(),
        "A space needs at least one owner. Promote someone else first."
    );
    assert_eq!(
        world.spaces.member_role(ann.id, space).await,
        Ok(Role::Owner)
    );
}

#[tokio::test]
async fn an_owner_steps_down_once_another_owner_exists() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;
    world
        .spaces
        .change_member_role(ann.id, space, kai.id, to(Role::Owner))
        .await
        .unwrap();

    let seen_by_ann = world
        .spaces
        .change_member_role(ann.id, space, ann.id, to(Role::Member))
        .await
        .unwrap();

    assert_eq!(seen_by_ann.my_role, Role::Member);
    assert!(seen_by_ann.invitations.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_owners_stepping_down_at_once_leave_one_owner() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;
    world
        .spaces
        .change_member_role(ann.id, space, kai.id, to(Role::Owner))
        .await
        .unwrap();

    let (ann_steps_down, kai_steps_down) = tokio::join!(
        world
            .spaces
            .change_member_role(ann.id, space, ann.id, to(Role::Member)),
        world
            .spaces
            .change_member_role(kai.id, space, kai.id, to(Role::Member)),
    );

    let outcomes = [ann_steps_down.map(|_| ()), kai_steps_down.map(|_| ())];
    assert_eq!(
        outcomes.iter().filter(|o| o.is_ok()).count(),
        1,
        "{outcomes:?}"
    );
    assert!(outcomes.contains(&Err(WatchSpacesError::LastOwner)));
    let owners = world
        .db.scalar::<String>(&format!(
            "SELECT count(*)::text FROM watch_spaces.watch_space_members WHERE watch_space_id = '{space}' AND role = 'owner'"
        ))
        .await;
    assert_eq!(owners, "1");
}

#[tokio::test]
async fn a_member_cannot_change_roles() {
    let world = World::new().await;
    let (_, kai, space) = world.ann_and_kai().await;

    let error = world
        .spaces
        .change_member_role(kai.id, space, kai.id, to(Role::Owner))
        .await
        .unwrap_err();

    assert_eq!(error, WatchSpacesError::NotOwner);
    assert_eq!(
        world.spaces.member_role(kai.id, space).await,
        Ok(Role::Member)
    );
}

#[tokio::test]
async fn changing_the_role_of_someone_who_is_not_a_member_is_not_found() {
    let world = World::new().await;
    let (ann, _, space) = world.ann_and_kai().await;
    let eve = world.user("eve").await;

    assert_eq!(
        world
            .spaces
            .change_member_role(ann.id, space, eve.id, to(Role::Owner))
            .await,
        Err(WatchSpacesError::MemberNotFound)
    );
    assert_eq!(
        world
            .spaces
            .change_member_role(eve.id, space, ann.id, to(Role::Member))
            .await,
        Err(WatchSpacesError::SpaceNotFound)
    );
}
