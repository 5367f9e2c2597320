use anilist_sync::contracts::MetadataChanged;

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

/// AniList's answer for a made-up show with these genres.
fn show(genres: &[&str]) -> serde_json::Value {
    serde_json::json!({
        "id": 900_001, "idMal": null,
        "title": {"romaji": "Made Up", "english": null, "native": null},
        "episodes": 12, "duration": 24, "format": "TV", "status": "FINISHED",
        "season": null, "seasonYear": 2024,
        "coverImage": {"extraLarge": null, "large": null, "medium": null, "color": null},
        "genres": genres,
        "averageScore": 70, "meanScore": 70, "popularity": 100,
        "isAdult": false, "description": null, "updatedAt": 1_700_000_000,
        "nextAiringEpisode": null
    })
}

#[tokio::test]
async fn new_or_changed_genres_and_lengths_are_published_and_nothing_else() {
    let world = World::new().await;
    world.fake.insert_media(show(&["Drama"]));

    world.warm(&[900_001]).await;
    let cached = world.metadata_changes.take();
    let generation = world.anilist.metadata_generation().await.unwrap();
    assert_eq!(
        cached,
        [MetadataChanged { generation }],
        "a new show, at the generation its row carries"
    );

    world.advance(time::Duration::days(8));
    world.warm(&[900_001]).await;
    assert_eq!(world.calls().await, 2, "the stale row was refreshed");
    assert_eq!(world.metadata_changes.take(), [], "same genres and length");

    world.fake.insert_media(show(&["Drama", "Romance"]));
    world.advance(time::Duration::days(8));
    world.warm(&[900_001]).await;
    let changed = world.metadata_changes.take();
    assert_eq!(changed.len(), 1, "new genres");
    assert!(changed[0].generation > generation);
    assert!(world
        .anilist
        .metadata_changed_since(&[id_of(900_001)], generation)
        .await
        .unwrap());
}
