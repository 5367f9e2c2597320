use kernel::paging::{PageCursor, PageLimit};
use watch_spaces::contracts::{Role, WatchSpaceSummaryDto, WatchSpacesError};

use crate::support::{World, START};

#[tokio::test]
async fn my_spaces_lists_every_space_i_belong_to_with_my_role_and_member_counts() {
    let world = World::new().await;
    let (ann, kai, cozy) = world.ann_and_kai().await;
    let mika = world.user("mika").await;
    world.join(&ann, cozy, &mika).await;
    let kais_own = world.space(&kai, "anime night").await.id;
    world.space(&mika, "Mika alone").await;

    let kais = world.my_spaces(kai.id).await.unwrap();

    let summary: Vec<_> = kais
        .iter()
        .map(|s| (s.id, s.name.as_str(), s.role, s.member_count))
        .collect();
    assert_eq!(
        summary,
        [
            (kais_own, "anime night", Role::Owner, 1),
            (cozy, "Cozy Club", Role::Member, 3)
        ],
        "sorted by name, case-insensitively"
    );
    assert!(kais.iter().all(|s| s.created_at_utc == START));
    let anns = world.my_spaces(ann.id).await.unwrap();
    assert_eq!(anns.len(), 1);
    assert_eq!(anns[0].role, Role::Owner);
}

#[tokio::test]
async fn a_user_without_spaces_gets_an_empty_list() {
    let world = World::new().await;
    let ann = world.user("ann").await;

    assert!(world.my_spaces(ann.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn my_spaces_come_in_pages_by_name_and_a_foreign_cursor_is_refused() {
    let world = World::new().await;
    let ann = world.user("ann").await;
    for name in ["delta", "Bravo", "alpha", "Echo", "charlie"] {
        world.space(&ann, name).await;
    }

    let first = world
        .spaces
        .list_my_spaces(ann.id, PageLimit::new(2).unwrap(), None)
        .await
        .unwrap();
    let names = |spaces: &[WatchSpaceSummaryDto]| -> Vec<String> {
        spaces.iter().map(|space| space.name.clone()).collect()
    };
    assert_eq!(names(&first.items), ["alpha", "Bravo"]);
    let all = world.my_spaces(ann.id).await.unwrap();
    assert_eq!(names(&all), ["alpha", "Bravo", "charlie", "delta", "Echo"]);

    for cursor in [
        PageCursor::from_parts(&["sessions", "1", "2", "3"]),
        PageCursor::from_client("not base64 at all!".into()),
    ] {
        let refusal = world
            .spaces
            .list_my_spaces(ann.id, PageLimit::default(), Some(cursor))
            .await
            .unwrap_err();
        let WatchSpacesError::Validation(errors) = refusal else {
            panic!("expected a validation error, got {refusal:?}");
        };
        assert!(errors.for_field("cursor").is_some());
    }
}
