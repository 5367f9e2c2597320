//! Every fault the fake AniList can inject: search falls back to the cache (marked as such),
//! nothing panics, and only passing failures are retried.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anilist_sync::contracts::{AniListError, AskedBy, SearchSource};
use fake_anilist::Fault;

use crate::support::{from_cache, id_of, ids, World, BLOOM_INTO_YOU, FRIEREN, JUJUTSU_KAISEN};

/// Frieren is cached, then AniList answers every request with `fault` and someone searches
/// for Frieren: the cached copy answers. Returns the world and the wait AniList asked for.
async fn search_during(fault: Fault) -> (World, Option<u64>) {
    let world = World::new().await;
    world.warm(&[FRIEREN]).await;
    world.fake.set_fault(Some(fault));

    let found = world
        .anilist
        .search(AskedBy::BloomWatch, "frieren", false)
        .await
        .unwrap();

    assert_eq!(ids(&found), [FRIEREN]);
    assert_eq!(found.query, "frieren");
    let retry_after = from_cache(&found);
    (world, retry_after)
}

#[tokio::test]
async fn server_errors_are_retried_twice_then_the_cache_answers() {
    let (world, retry_after) = search_during(Fault::ServerError).await;

    assert_eq!(retry_after, None);
    assert_eq!(world.calls().await, 1 + 3);
    assert_eq!(world.fake.request_count(), 1 + 3);
}

#[tokio::test]
async fn timeouts_are_retried_twice_then_the_cache_answers() {
    let started = Instant::now();
    let (world, retry_after) = search_during(Fault::Timeout).await;

    assert_eq!(retry_after, None);
    assert_eq!(world.calls().await, 1 + 3);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn malformed_json_is_not_retried_and_the_cache_answers() {
    let (world, retry_after) = search_during(Fault::MalformedJson).await;

    assert_eq!(retry_after, None);
    assert_eq!(world.calls().await, 1 + 1);
}

#[tokio::test]
async fn graphql_errors_in_a_200_are_not_retried_and_the_cache_answers() {
    let (world, retry_after) = search_during(Fault::GraphQlErrors).await;

    assert_eq!(retry_after, None);
    assert_eq!(world.calls().await, 1 + 1);
}

#[tokio::test]
async fn a_disabled_api_is_not_retried_and_the_cache_answers() {
    let (world, retry_after) = search_during(Fault::Disabled).await;

    assert_eq!(retry_after, None);
    assert_eq!(world.calls().await, 1 + 1);
}

#[tokio::test]
async fn an_answer_in_the_wrong_shape_is_not_retried_and_the_cache_answers() {
    let (world, retry_after) = search_during(Fault::WrongShape).await;

    assert_eq!(retry_after, None);
    assert_eq!(world.calls().await, 1 + 1);
    assert_eq!(world.cached_rows().await, 1, "nothing odd was cached");
}

#[tokio::test]
async fn rate_limiting_is_honoured_with_no_further_calls_until_the_reset() {
    let (world, retry_after) = search_during(Fault::RateLimited {
        retry_after_seconds: 60,
    })
    .await;
    assert_eq!(retry_after, Some(60));
    assert_eq!(world.fake.request_count(), 1 + 1);
    world.fake.set_fault(None);

    let later = world
        .anilist
        .search(AskedBy::BloomWatch, "bloom", false)
        .await
        .unwrap();
    let wait = from_cache(&later).unwrap();
    assert!((58..=60).contains(&wait), "{wait}");
    let error = world
        .anilist
        .media(AskedBy::BloomWatch, id_of(JUJUTSU_KAISEN))
        .await
        .unwrap_err();
    let AniListError::RateLimited {
        retry_after_seconds,
    } = error
    else {
        panic!("expected rate limited, got {error:?}")
    };
    assert!((58..=60).contains(&retry_after_seconds));

    assert_eq!(world.calls().await, 1 + 1);
    assert_eq!(world.fake.request_count(), 1 + 1);
}

#[tokio::test]
async fn with_anilist_down_and_nothing_cached_the_answer_is_empty_and_says_why() {
    let world = World::new().await;
    world.fake.set_fault(Some(Fault::Disabled));

    let found = world
        .anilist
        .search(AskedBy::BloomWatch, "frieren", false)
        .await
        .unwrap();

    assert!(found.results.is_empty());
    assert_eq!(from_cache(&found), None);
}

#[tokio::test]
async fn the_cache_fallback_matches_english_and_native_titles_and_ignores_wildcards() {
    let world = World::new().await;
    world.warm(&[FRIEREN, BLOOM_INTO_YOU]).await;
    world.fake.set_fault(Some(Fault::MalformedJson));

    let english = world
        .anilist
        .search(AskedBy::BloomWatch, "bloom into", false)
        .await
        .unwrap();
    let native = world
        .anilist
        .search(AskedBy::BloomWatch, "フリーレン", false)
        .await
        .unwrap();
    let wildcard = world
        .anilist
        .search(AskedBy::BloomWatch, "%%", false)
        .await
        .unwrap();

    assert_eq!(ids(&english), [BLOOM_INTO_YOU]);
    assert_eq!(ids(&native), [FRIEREN]);
    assert!(wildcard.results.is_empty());
}

/// 200 different searches at once against an AniList that allows 30 a minute: the limiter
/// lets only a few through (the rest answer from the cache at once), and AniList never has
/// to refuse one.
#[tokio::test]
async fn a_burst_of_searches_never_exceeds_anilists_rate_limit() {
    let world = World::new().await;
    world.fake.set_rate_limit(30);
    let anilist = Arc::new(world.anilist.clone());
    let started = Instant::now();

    let searches: Vec<_> = (0..200)
        .map(|i| {
            let anilist = Arc::clone(&anilist);
            tokio::spawn(async move {
                anilist
                    .search(AskedBy::BloomWatch, &format!("query {i}"), false)
                    .await
            })
        })
        .collect();
    let mut answered_by_anilist = 0;
    for search in searches {
        let found = search.await.unwrap().unwrap();
        match found.source {
            SearchSource::AniList => answered_by_anilist += 1,
            SearchSource::Cache {
                retry_after_seconds,
                ..
            } => assert!(retry_after_seconds.is_some()),
        }
    }

    assert!(started.elapsed() < Duration::from_secs(5));
    let sent = world.calls().await;
    assert!(sent <= 30, "{sent} calls");
    assert!(sent >= 3, "{sent} calls");
    assert_eq!(world.fake.request_count() as u64, sent);
    // The fake's window started with `set_rate_limit`: at most 30 requests in it means no
    // 429, and every request sent was answered by AniList.
    assert_eq!(answered_by_anilist, sent);
}
