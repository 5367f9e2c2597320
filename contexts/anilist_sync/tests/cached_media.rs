use crate::support::{id_of, World, BLOOM_INTO_YOU, FRIEREN, JUJUTSU_KAISEN};

#[tokio::test]
async fn cached_media_come_in_the_order_asked_without_calling_anilist() {
    let world = World::new().await;
    world.warm(&[FRIEREN, BLOOM_INTO_YOU]).await;
    world.advance(time::Duration::days(365));

    let media = world
        .anilist
        .cached_media(&[
            id_of(BLOOM_INTO_YOU),
            id_of(JUJUTSU_KAISEN),
            id_of(FRIEREN),
            id_of(BLOOM_INTO_YOU),
        ])
        .await
        .unwrap();

    let ids: Vec<i32> = media.iter().map(|m| m.anilist_media_id.get()).collect();
    assert_eq!(
        ids,
        [BLOOM_INTO_YOU, FRIEREN],
        "uncached left out, each once"
    );
    assert_eq!(world.calls().await, 2, "only the two warming lookups");
    assert!(world.anilist.cached_media(&[]).await.unwrap().is_empty());
}
