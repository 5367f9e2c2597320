use watch_spaces::contracts::Role;

use crate::support::{World, START};

#[tokio::test]
async fn my_spaces_lists_every_space_i_belong_to_with_my_role_and_member_counts() {
    let world = World::new().await;
    let (ann, kai, cozy) = world.ann_and_kai().await;
    let mika = world.user("mika").await;
    world.join(&ann, cozy, &mika).await;
    let kais_own = world.space(&kai, "anime night").await.id;
    world.space(&mika, "Mika alone").await;

    let kais = world.spaces.list_my_spaces(kai.id).await.unwrap();

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
    let anns = world.spaces.list_my_spaces(ann.id).await.unwrap();
    assert_eq!(anns.len(), 1);
    assert_eq!(anns[0].role, Role::Owner);
}

#[tokio::test]
async fn a_user_without_spaces_gets_an_empty_list() {
    let world = World::new().await;
    let ann = world.user("ann").await;

    assert!(world
        .spaces
        .list_my_spaces(ann.id)
        .await
        .unwrap()
        .is_empty());
}
