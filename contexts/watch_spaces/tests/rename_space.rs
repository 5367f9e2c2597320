use time::Duration;
use watch_spaces::contracts::{RenameWatchSpace, WatchSpaceId, WatchSpacesError};

use crate::support::{World, START};

fn rename(name: &str) -> RenameWatchSpace {
    RenameWatchSpace { name: name.into() }
}

#[tokio::test]
async fn an_owner_renames_a_space() {
    let world = World::new().await;
    let (ann, kai, space) = world.ann_and_kai().await;
    world.advance(Duration::hours(3));

    let renamed = world
        .spaces
        .rename_space(ann.id, space, rename(" Late Night Club "))
        .await
        .unwrap();

    assert_eq!(renamed.name, "Late Night Club");
    assert_eq!(renamed.created_at_utc, START);
    assert_eq!(renamed.updated_at_utc, START + Duration::hours(3));
    assert_eq!(
        world.spaces.get_space(kai.id, space).await.unwrap().name,
        "Late Night Club"
    );
}

#[tokio::test]
async fn a_member_cannot_rename_a_space() {
    let world = World::new().await;
    let (_, kai, space) = world.ann_and_kai().await;

    let error = world
        .spaces
        .rename_space(kai.id, space, rename("Kai's"))
        .await
        .unwrap_err();

    assert_eq!(error, WatchSpacesError::NotOwner);
    assert_eq!(
        world.spaces.get_space(kai.id, space).await.unwrap().name,
        "Cozy Club"
    );
}

#[tokio::test]
async fn a_stranger_renaming_a_space_is_told_it_does_not_exist() {
    let world = World::new().await;
    let (_, _, space) = world.ann_and_kai().await;
    let eve = world.user("eve").await;

    let error = world
        .spaces
        .rename_space(eve.id, space, rename("Eve's"))
        .await
        .unwrap_err();

    assert_eq!(error, WatchSpacesError::SpaceNotFound);
}

#[tokio::test]
async fn renaming_an_unknown_space_is_not_found() {
    let world = World::new().await;
    let ann = world.user("ann").await;

    let error = world
        .spaces
        .rename_space(ann.id, WatchSpaceId::new(), rename("Anything"))
        .await
        .unwrap_err();

    assert_eq!(error, WatchSpacesError::SpaceNotFound);
}

#[tokio::test]
async fn renaming_to_a_name_with_a_line_break_is_a_validation_error_on_name() {
    let world = World::new().await;
    let (ann, _, space) = world.ann_and_kai().await;

    let error = world
        .spaces
        .rename_space(ann.id, space, rename("Cozy\nClub"))
        .await
        .unwrap_err();

    let WatchSpacesError::Validation(fields) = error else {
        panic!("expected validation")
    };
    assert!(fields.for_field("name").is_some());
}
