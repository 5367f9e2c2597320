use std::sync::Arc;

use anilist_sync::contracts::{AniListError, AskedBy, MediaFormat, MediaStatus, SearchSource};
use kernel::PublicError;
use serde_json::json;

use crate::support::{ids, World, FRIEREN, START};

#[tokio::test]
async fn a_member_gets_their_share_of_anilist_calls_and_no_more() {
    let world = World::with_settings(|settings| settings.requests_per_member_per_minute = 3).await;
    let (mika, ren) = (world.member("mika").await, world.member("ren").await);
    for query in ["frieren", "bloom", "jujutsu"] {
        world
            .anilist
            .search(AskedBy::Member(mika), query, false)
            .await
            .unwrap();
    }
    let refused = world
        .anilist
        .search(AskedBy::Member(mika), "one piece", false)
        .await
        .unwrap_err();
    let AniListError::TooManyRequests {
        retry_after_seconds,
    } = refused
    else {
        panic!("expected TooManyRequests, got {refused:?}");
    };
    // One call refills every 20 s.
    assert!(
        (1..=20).contains(&retry_after_seconds),
        "{retry_after_seconds}"
    );
    assert_eq!(refused.kind().status(), 429);
    assert_eq!(refused.retry_after_seconds(), Some(retry_after_seconds));
    assert_eq!(
        world.calls().await,
        3,
        "the refused search never reached AniList"
    );
    // What is answered from memory costs nothing, and Ren has a share of his own.
    world
        .anilist
        .search(AskedBy::Member(mika), "FRIEREN", false)
        .await
        .unwrap();
    world
        .anilist
        .search(AskedBy::Member(ren), "one piece", false)
        .await
        .unwrap();
    world.advance(time::Duration::seconds(21));
    world
        .anilist
        .search(AskedBy::Member(mika), "spy family", false)
        .await
        .unwrap();
    assert_eq!(world.calls().await, 5);
}

#[tokio::test]
async fn searching_returns_mapped_results_and_caches_every_media() {
    let world = World::new().await;

    let found = world
        .anilist
        .search(AskedBy::BloomWatch, "  Frieren ", false)
        .await
        .unwrap();

    assert_eq!(found.query, "Frieren");
    assert_eq!(found.source, SearchSource::AniList);
    assert!(!found.results.is_empty());
    let frieren = &found.results[0];
    assert_eq!(frieren.anilist_media_id.get(), FRIEREN);
    assert_eq!(frieren.title_romaji, "Sousou no Frieren");
    assert_eq!(frieren.format, Some(MediaFormat::Tv));
    assert_eq!(frieren.status, Some(MediaStatus::Finished));
    assert_eq!(frieren.cached_at_utc, START);
    let description = frieren.description.as_deref().unwrap();
    assert!(!description.contains('<'), "{description}");
    assert_eq!(world.calls().await, 1);

    let cached = i64::try_from(found.results.len()).unwrap();
    assert_eq!(world.cached_rows().await, cached);
    assert_eq!(
        world
            .anilist
            .cached_media(&[frieren.anilist_media_id])
            .await
            .unwrap(),
        std::slice::from_ref(frieren)
    );
}

#[tokio::test]
async fn repeating_a_search_costs_no_further_call() {
    let world = World::new().await;

    let first = world
        .anilist
        .search(AskedBy::BloomWatch, "frieren", false)
        .await
        .unwrap();
    let again = world
        .anilist
        .search(AskedBy::BloomWatch, "FRIEREN", false)
        .await
        .unwrap();
    let spaced = world
        .anilist
        .search(AskedBy::BloomWatch, " frieren\t", false)
        .await
        .unwrap();

    assert_eq!(world.calls().await, 1);
    assert_eq!(world.fake.request_count(), 1);
    assert_eq!(ids(&again), ids(&first));
    assert_eq!(spaced.source, SearchSource::AniList);
    assert_eq!(
        again.query, "FRIEREN",
        "each caller sees their own spelling"
    );
}

#[tokio::test]
async fn searches_are_asked_again_once_the_search_cache_expires() {
    let world = World::with_settings(|settings| {
        settings.search_cache_ttl = std::time::Duration::from_millis(50);
    })
    .await;

    world
        .anilist
        .search(AskedBy::BloomWatch, "frieren", false)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(80)).await;
    world
        .anilist
        .search(AskedBy::BloomWatch, "frieren", false)
        .await
        .unwrap();

    assert_eq!(world.calls().await, 2);
}

#[tokio::test]
async fn fifty_concurrent_identical_searches_make_exactly_one_call() {
    let world = World::new().await;
    world
        .fake
        .set_latency(std::time::Duration::from_millis(100));
    let anilist = Arc::new(world.anilist.clone());

    let searches: Vec<_> = (0..50)
        .map(|i| {
            let anilist = Arc::clone(&anilist);
            let query = if i % 2 == 0 { "frieren" } else { "Frieren " };
            tokio::spawn(async move { anilist.search(AskedBy::BloomWatch, query, false).await })
        })
        .collect();
    for search in searches {
        let found = search.await.unwrap().unwrap();
        assert_eq!(found.source, SearchSource::AniList);
        assert_eq!(ids(&found)[0], FRIEREN);
    }

    assert_eq!(world.calls().await, 1);
    assert_eq!(world.fake.request_count(), 1);
}

#[tokio::test]
async fn invalid_queries_are_validation_errors_on_query_and_cost_nothing() {
    let world = World::new().await;

    for query in [" f ", "", &"a".repeat(101), "fri\u{0}eren"] {
        let error = world
            .anilist
            .search(AskedBy::BloomWatch, query, false)
            .await
            .unwrap_err();
        assert_eq!(error.kind().status(), 400, "{query:?}");
        let AniListError::Validation(fields) = error else {
            panic!("expected validation for {query:?}")
        };
        assert!(fields.for_field("query").is_some(), "{query:?}");
    }
    assert_eq!(world.calls().await, 0);
}

#[tokio::test]
async fn adult_titles_are_shown_only_to_those_who_asked_for_them() {
    let world = World::new().await;
    world.fake.insert_media(json!({
        "id": 990_001,
        "title": {"romaji": "Frieren Afterdark", "english": null, "native": null},
        "format": "OVA",
        "status": "FINISHED",
        "isAdult": true,
        "genres": ["Hentai"],
        "popularity": 1
    }));

    let safe = world
        .anilist
        .search(AskedBy::BloomWatch, "frieren", false)
        .await
        .unwrap();
    let all = world
        .anilist
        .search(AskedBy::BloomWatch, "frieren", true)
        .await
        .unwrap();

    assert!(!ids(&safe).contains(&990_001));
    assert!(safe.results.iter().all(|media| !media.is_adult));
    assert!(ids(&all).contains(&990_001));
    assert_eq!(ids(&all).len(), ids(&safe).len() + 1);
    assert_eq!(world.calls().await, 1, "one AniList answer serves both");

    // The cache answers the same way when AniList is down.
    world.fake.set_fault(Some(fake_anilist::Fault::ServerError));
    let safe = world
        .anilist
        .search(AskedBy::BloomWatch, "afterdark", false)
        .await
        .unwrap();
    let all = world
        .anilist
        .search(AskedBy::BloomWatch, "afterdark", true)
        .await
        .unwrap();
    assert!(safe.results.is_empty());
    assert_eq!(ids(&all), [990_001]);
}
