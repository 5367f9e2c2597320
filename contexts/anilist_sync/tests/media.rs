use std::sync::Arc;

use anilist_sync::contracts::{AniListError, AskedBy, MediaStatus};
use fake_anilist::Fault;
use time::Duration;

use crate::support::{id_of, World, BLOOM_INTO_YOU, JUJUTSU_KAISEN, ONE_PIECE, START};

#[tokio::test]
async fn a_media_is_fetched_once_and_then_served_from_the_cache() {
    let world = World::new().await;

    let first = world
        .anilist
        .media(AskedBy::BloomWatch, id_of(BLOOM_INTO_YOU))
        .await
        .unwrap();
    world.advance(Duration::days(6));
    let again = world
        .anilist
        .media(AskedBy::BloomWatch, id_of(BLOOM_INTO_YOU))
        .await
        .unwrap();

    assert_eq!(first.title_english.as_deref(), Some("Bloom Into You"));
    assert_eq!(first.episodes, Some(13));
    assert_eq!(first.cached_at_utc, START);
    assert_eq!(again, first);
    assert_eq!(world.calls().await, 1);
    assert_eq!(world.cached_rows().await, 1);
}

#[tokio::test]
async fn a_stale_media_is_fetched_again_and_its_row_refreshed() {
    let world = World::new().await;
    world.warm(&[BLOOM_INTO_YOU]).await;
    world.advance(Duration::days(8));

    let refreshed = world
        .anilist
        .media(AskedBy::BloomWatch, id_of(BLOOM_INTO_YOU))
        .await
        .unwrap();

    assert_eq!(world.calls().await, 2);
    assert_eq!(refreshed.cached_at_utc, world.now());
    assert_eq!(
        world
            .db
            .scalar::<i64>(&format!(
                "SELECT extract(epoch FROM cached_at_utc)::bigint FROM anilist_sync.media_cache \
                 WHERE anilist_media_id = {BLOOM_INTO_YOU}"
            ))
            .await,
        world.now().unix_timestamp()
    );
}

#[tokio::test]
async fn a_stale_media_still_answers_when_anilist_is_down() {
    let world = World::new().await;
    world.warm(&[BLOOM_INTO_YOU]).await;
    world.advance(Duration::days(30));
    world.fake.set_fault(Some(Fault::ServerError));

    let stale = world
        .anilist
        .media(AskedBy::BloomWatch, id_of(BLOOM_INTO_YOU))
        .await
        .unwrap();

    assert_eq!(stale.cached_at_utc, START);
    assert_eq!(stale.title_english.as_deref(), Some("Bloom Into You"));
    assert_eq!(
        world.calls().await,
        1 + 3,
        "one fetch, then a try and two retries"
    );
}

#[tokio::test]
async fn an_unknown_id_is_media_not_found() {
    let world = World::new().await;

    let error = world
        .anilist
        .media(AskedBy::BloomWatch, id_of(2_000_000_000))
        .await
        .unwrap_err();

    assert_eq!(error, AniListError::MediaNotFound);
    assert_eq!(world.calls().await, 1, "404 is not retried");
    assert_eq!(world.cached_rows().await, 0);
}

#[tokio::test]
async fn an_uncached_media_is_unavailable_while_anilist_is_down() {
    let world = World::new().await;
    world.fake.set_fault(Some(Fault::Disabled));

    let error = world
        .anilist
        .media(AskedBy::BloomWatch, id_of(JUJUTSU_KAISEN))
        .await
        .unwrap_err();

    assert_eq!(error, AniListError::Unavailable);
    assert_eq!(world.calls().await, 1, "403 is not retried");
}

#[tokio::test]
async fn an_airing_show_keeps_its_unknown_episode_count() {
    let world = World::new().await;

    let one_piece = world
        .anilist
        .media(AskedBy::BloomWatch, id_of(ONE_PIECE))
        .await
        .unwrap();

    assert_eq!(one_piece.episodes, None);
    assert_eq!(one_piece.status, Some(MediaStatus::Releasing));
    assert_eq!(
        world
            .anilist
            .cached_media(&[id_of(ONE_PIECE)])
            .await
            .unwrap(),
        [one_piece]
    );
}

#[tokio::test]
async fn concurrent_lookups_of_one_media_make_one_call() {
    let world = World::new().await;
    world
        .fake
        .set_latency(std::time::Duration::from_millis(100));
    let anilist = Arc::new(world.anilist.clone());

    let lookups: Vec<_> = (0..20)
        .map(|_| {
            let anilist = Arc::clone(&anilist);
            tokio::spawn(async move {
                anilist
                    .media(AskedBy::BloomWatch, id_of(JUJUTSU_KAISEN))
                    .await
            })
        })
        .collect();
    for lookup in lookups {
        assert_eq!(
            lookup.await.unwrap().unwrap().anilist_media_id,
            id_of(JUJUTSU_KAISEN)
        );
    }

    assert_eq!(world.calls().await, 1);
}
