use watch_spaces::contracts::{Role, WatchSpaceId, WatchSpacesError};

use crate::support::World;

#[tokio::test]
async fn member_role_tells_owners_from_members_and_hides_spaces_from_strangers() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;
    let eve = world.user("eve").await;

    assert_eq!(
        world.spaces.member_role(ann.id, space).await,
        Ok(Role::Owner)
    );
    assert_eq!(
        world.spaces.member_role(kai.id, space).await,
        Ok(Role::Member)
    );
    assert_eq!(
        world.spaces.member_role(eve.id, space).await,
        Err(WatchSpacesError::SpaceNotFound)
    );
    assert_eq!(
        world.spaces.member_role(ann.id, WatchSpaceId::new()).await,
        Err(WatchSpacesError::SpaceNotFound)
    );
}
