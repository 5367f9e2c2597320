//! A space tracks at most `MAX_ANIME_PER_SPACE` anime and an anime keeps at most
//! `MAX_SESSIONS_PER_ANIME` sessions: the use cases refuse the next one by name, and the
//! database refuses it to a writer that skips them.

use anime_tracking::contracts::{AnimeTrackingError, MAX_ANIME_PER_SPACE, MAX_SESSIONS_PER_ANIME};
use testkit::refused_by;

use crate::support::{session, World, BLOOM, ONE_PIECE};

#[tokio::test]
async fn a_full_space_refuses_the_next_anime_in_the_use_case_and_the_database() {
    let world = World::new().await;
    let trio = world.trio().await;
    let space = trio.space;
    let ann = trio.ann.id;
    world.add(&trio.ann, space, BLOOM).await;
    let fill = |from: usize, to: usize| {
        format!(
            "INSERT INTO anime_tracking.watch_space_anime
                 (id, watch_space_id, anilist_media_id, preferred_title, shared_status,
                  shared_episodes_watched, added_by_user_id, added_at_utc, updated_at_utc,
                  updated_by_user_id, version)
             SELECT gen_random_uuid(), '{space}', 5000000 + n, 'Filler ' || n, 'backlog', 0,
                    '{ann}', now(), now(), '{ann}', 1
               FROM generate_series({from}, {to}) AS n"
        )
    };
    world
        .db
        .execute(&fill(2, MAX_ANIME_PER_SPACE))
        .await
        .unwrap();

    let refused = world
        .tracking
        .add_anime(
            trio.kai.id,
            space,
            anime_tracking::contracts::AddAnime {
                anilist_media_id: crate::support::media_id(ONE_PIECE),
                shared_status: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        refused,
        AnimeTrackingError::SpaceAnimeLimit {
            limit: MAX_ANIME_PER_SPACE
        }
    );
    assert!(refused.to_string().contains("at most 2000 anime"));
    refused_by(
        world.db.execute(&fill(9_000_000, 9_000_000)).await,
        "watch_space_anime_cap",
    );
}

#[tokio::test]
async fn an_anime_with_every_session_it_keeps_refuses_the_next() {
    let world = World::new().await;
    let trio = world.trio().await;
    let anime = world.add(&trio.ann, trio.space, BLOOM).await.id;
    let ann = trio.ann.id;
    let fill = |from: usize, to: usize| {
        format!(
            "INSERT INTO anime_tracking.watch_sessions
                 (id, watch_space_anime_id, session_date_utc, start_episode, end_episode, notes,
                  created_by_user_id, created_at_utc)
             SELECT gen_random_uuid(), '{anime}', now(), 1, 1, NULL, '{ann}', now()
               FROM generate_series({from}, {to})"
        )
    };
    world
        .db
        .execute(&fill(1, MAX_SESSIONS_PER_ANIME))
        .await
        .unwrap();

    let refused = world
        .tracking
        .record_session(ann, trio.space, anime, session((1, 2), None))
        .await
        .unwrap_err();
    assert_eq!(
        refused,
        AnimeTrackingError::SessionLimit {
            limit: MAX_SESSIONS_PER_ANIME
        }
    );
    refused_by(world.db.execute(&fill(1, 1)).await, "watch_sessions_cap");
}
