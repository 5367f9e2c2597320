use anilist_sync::contracts::{AniListError, MediaFormat, MediaSeason};
use anime_tracking::contracts::{AddAnime, AnimeTrackingError, WatchStatus};
use kernel::{ErrorKind, PublicError};

use crate::support::{media_id, World, BLOOM, ONE_PIECE, START, YOUR_NAME};

#[tokio::test]
async fn a_member_adds_an_anime_with_a_snapshot_of_anilist() {
    let world = World::new().await;
    let trio = world.trio().await;

    let anime = world.add(&trio.kai, trio.space, BLOOM).await;

    assert_eq!(anime.watch_space_id, trio.space);
    assert_eq!(anime.anilist_media_id, media_id(BLOOM));
    assert_eq!(anime.preferred_title, "Yagate Kimi ni Naru");
    assert_eq!(
        anime.preferred_title_english.as_deref(),
        Some("Bloom Into You")
    );
    assert_eq!(anime.episode_count_snapshot, Some(13));
    assert_eq!(
        anime.cover_image_url_snapshot.as_deref(),
        Some("https://img.example/97766/large.jpg")
    );
    assert_eq!(anime.format, Some(MediaFormat::Tv));
    assert_eq!(anime.season, Some(MediaSeason::Fall));
    assert_eq!(anime.season_year, Some(2018));
    assert_eq!(anime.shared_status, WatchStatus::Backlog);
    assert_eq!(anime.shared_episodes_watched, 0);
    assert_eq!(anime.added_by_user_id, trio.kai.id);
    assert_eq!((anime.added_at_utc, anime.updated_at_utc), (START, START));
    assert_eq!(anime.version, 1);
    assert!(!anime.needs_attention);
    let names: Vec<_> = anime
        .participants
        .iter()
        .map(|entry| {
            (
                entry.display_name.as_str(),
                entry.version,
                entry.current_member,
            )
        })
        .collect();
    assert_eq!(names, [("Ann", 0, true), ("Kai", 0, true)]);
    assert!(anime
        .participants
        .iter()
        .all(|entry| entry.individual_status == WatchStatus::Backlog
            && entry.episodes_watched == 0
            && entry.last_updated_at_utc.is_none()));
    assert_eq!(world.get(&trio.ann, trio.space, anime.id).await, anime);
}

#[tokio::test]
async fn an_anime_can_start_with_another_status_and_without_an_episode_count() {
    let world = World::new().await;
    let trio = world.trio().await;

    let anime = world
        .tracking
        .add_anime(
            trio.ann.id,
            trio.space,
            AddAnime {
                anilist_media_id: media_id(ONE_PIECE),
                shared_status: Some(WatchStatus::Watching),
            },
        )
        .await
        .unwrap();

    assert_eq!(anime.shared_status, WatchStatus::Watching);
    assert_eq!(anime.episode_count_snapshot, None);
    assert_eq!(anime.preferred_title_english, None);
    assert_eq!(anime.season, None);
}

#[tokio::test]
async fn the_medium_cover_stands_in_for_a_missing_large_one() {
    let world = World::new().await;
    let trio = world.trio().await;

    let anime = world.add(&trio.ann, trio.space, YOUR_NAME).await;

    assert_eq!(
        anime.cover_image_url_snapshot.as_deref(),
        Some("https://img.example/21519/medium.jpg")
    );
    assert_eq!(anime.format, Some(MediaFormat::Movie));
}

#[tokio::test]
async fn adding_an_anime_the_space_tracks_already_is_a_conflict_naming_it() {
    let world = World::new().await;
    let trio = world.trio().await;
    let first = world.add(&trio.ann, trio.space, BLOOM).await;
    let calls = world.catalog.calls();

    let error = world
        .tracking
        .add_anime(
            trio.kai.id,
            trio.space,
            AddAnime {
                anilist_media_id: media_id(BLOOM),
                shared_status: None,
            },
        )
        .await
        .unwrap_err();

    assert_eq!(
        error,
        AnimeTrackingError::AlreadyTracked {
            title: "Bloom Into You".into(),
            existing_id: first.id,
        }
    );
    assert_eq!(error.kind(), ErrorKind::Conflict);
    assert_eq!(
        error.to_string(),
        "“Bloom Into You” is already in this space."
    );
    assert_eq!(
        world.catalog.calls(),
        calls,
        "no AniList call for a duplicate"
    );
}

#[tokio::test]
async fn the_same_anime_can_be_tracked_in_two_spaces() {
    let world = World::new().await;
    let trio = world.trio().await;
    let other = world.space_of(&trio.kai, "Kai's").await;

    let here = world.add(&trio.ann, trio.space, BLOOM).await;
    let there = world.add(&trio.kai, other, BLOOM).await;

    assert_ne!(here.id, there.id);
}

#[tokio::test]
async fn anilist_being_unavailable_is_its_error_and_nothing_is_written() {
    let world = World::new().await;
    let trio = world.trio().await;
    world.catalog.set_unavailable(true);

    let error = world
        .tracking
        .add_anime(
            trio.ann.id,
            trio.space,
            AddAnime {
                anilist_media_id: media_id(BLOOM),
                shared_status: None,
            },
        )
        .await
        .unwrap_err();

    assert_eq!(
        error,
        AnimeTrackingError::AniList(AniListError::Unavailable)
    );
    assert_eq!(error.kind(), ErrorKind::Unavailable);
    assert_eq!(world.rows().await, 0);
}

#[tokio::test]
async fn an_id_anilist_does_not_know_is_not_found() {
    let world = World::new().await;
    let trio = world.trio().await;

    let error = world
        .tracking
        .add_anime(
            trio.ann.id,
            trio.space,
            AddAnime {
                anilist_media_id: media_id(999_999),
                shared_status: None,
            },
        )
        .await
        .unwrap_err();

    assert_eq!(
        error,
        AnimeTrackingError::AniList(AniListError::MediaNotFound)
    );
    assert_eq!(world.rows().await, 0);
}
