use anime_tracking::contracts::AnimeTrackingError;

use crate::support::{World, BLOOM, FRIEREN};

#[tokio::test]
async fn the_member_who_added_an_anime_removes_it_with_its_entries_and_sessions() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.kai, trio.space, BLOOM).await;
    world
        .record(&trio.kai, trio.space, bloom.id, (1, 2), None)
        .await;

    world
        .tracking
        .remove_anime(trio.kai.id, trio.space, bloom.id)
        .await
        .unwrap();

    assert!(world.list(&trio.ann, trio.space).await.is_empty());
    assert_eq!(world.rows().await, 0);
    assert_eq!(
        world
            .tracking
            .remove_anime(trio.kai.id, trio.space, bloom.id)
            .await
            .unwrap_err(),
        AnimeTrackingError::AnimeNotFound
    );
}

#[tokio::test]
async fn an_owner_removes_an_anime_someone_else_added() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.kai, trio.space, BLOOM).await;

    world
        .tracking
        .remove_anime(trio.ann.id, trio.space, bloom.id)
        .await
        .unwrap();

    assert!(world.list(&trio.ann, trio.space).await.is_empty());
}

#[tokio::test]
async fn a_member_cannot_remove_an_anime_someone_else_added() {
    let world = World::new().await;
    let trio = world.trio().await;
    let frieren = world.add(&trio.ann, trio.space, FRIEREN).await;

    let error = world
        .tracking
        .remove_anime(trio.kai.id, trio.space, frieren.id)
        .await
        .unwrap_err();

    assert_eq!(error, AnimeTrackingError::NotAllowedToRemove);
    assert_eq!(world.list(&trio.ann, trio.space).await.len(), 1);
}
