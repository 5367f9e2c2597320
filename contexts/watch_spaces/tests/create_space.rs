use kernel::PublicError;
use watch_spaces::contracts::{CreateWatchSpace, Role, WatchSpacesError};

use crate::support::{World, START};

#[tokio::test]
async fn creating_a_space_makes_the_creator_its_only_owner() {
    let world = World::new().await;
    let ann = world.user("ann").await;

    let space = world
        .spaces
        .create_space(
            ann.id,
            CreateWatchSpace {
                name: "  Friday Anime Club ".into(),
            },
        )
        .await
        .unwrap();

    assert_eq!(space.name, "Friday Anime Club");
    assert_eq!(space.created_by_user_id, ann.id);
    assert_eq!(space.created_at_utc, START);
    assert_eq!(space.updated_at_utc, START);
    assert_eq!(space.my_role, Role::Owner);
    assert_eq!(space.members.len(), 1);
    assert_eq!(space.members[0].user_id, ann.id);
    assert_eq!(space.members[0].display_name, "Ann");
    assert_eq!(space.members[0].role, Role::Owner);
    assert_eq!(space.members[0].joined_at_utc, START);
    assert!(space.invitations.is_empty());
    assert_eq!(
        world.spaces.get_space(ann.id, space.id).await.unwrap(),
        space
    );
}

#[tokio::test]
async fn creating_a_space_with_a_blank_name_is_a_validation_error_on_name() {
    let world = World::new().await;
    let ann = world.user("ann").await;

    let error = world
        .spaces
        .create_space(
            ann.id,
            CreateWatchSpace {
                name: " \u{3000} ".into(),
            },
        )
        .await
        .unwrap_err();

    assert_eq!(error.kind().status(), 400);
    let WatchSpacesError::Validation(fields) = error else {
        panic!("expected validation")
    };
    assert_eq!(
        fields.for_field("name"),
        Some("Please give your space a name.")
    );
    assert!(world.my_spaces(ann.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn creating_a_space_with_a_too_long_name_is_a_validation_error_on_name() {
    let world = World::new().await;
    let ann = world.user("ann").await;

    let error = world
        .spaces
        .create_space(
            ann.id,
            CreateWatchSpace {
                name: "a".repeat(61),
            },
        )
        .await
        .unwrap_err();

    let WatchSpacesError::Validation(fields) = error else {
        panic!("expected validation")
    };
    assert_eq!(
        fields.for_field("name"),
        Some("Space names can be at most 60 characters.")
    );
}

#[tokio::test]
async fn a_name_of_sixty_emoji_sequences_is_stored_whole() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    // 60 visible characters of 4 code points each: exactly the column's 240.
    let name = "👩🏽‍🚀".repeat(60);

    let space = world.space(&ann, &name).await;

    assert_eq!(
        world.spaces.get_space(ann.id, space.id).await.unwrap().name,
        name
    );
    let longer = "👩‍👩‍👧‍👦".repeat(35);
    let error = world
        .spaces
        .create_space(ann.id, CreateWatchSpace { name: longer })
        .await;
    assert!(matches!(error, Err(WatchSpacesError::Validation(_))));
}
