//! Someone who is not a member learns nothing about a space's anime: every use case answers
//! `SpaceNotFound`, writes nothing and asks AniList nothing.

use anime_tracking::contracts::{
    AddAnime, AnimeListQuery, AnimeTrackingError, RateAnime, UpdateParticipantProgress,
    UpdateWatchSession, UpdateWatchSpaceAnime,
};
use kernel::paging::PageLimit;
use watch_spaces::contracts::WatchSpaceId;

use crate::support::{media_id, session, World, BLOOM, FRIEREN};

#[tokio::test]
async fn a_stranger_gets_space_not_found_from_every_use_case_with_no_write_and_no_anilist_call() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    let recorded = world
        .record(&trio.ann, trio.space, bloom.id, (1, 2), None)
        .await;
    let rows = world.rows().await;
    let calls = world.catalog.calls();
    let (eve, space, anime) = (trio.eve.id, trio.space, bloom.id);
    let tracking = &world.tracking;

    let refusals = [
        tracking
            .add_anime(
                eve,
                space,
                AddAnime {
                    anilist_media_id: media_id(FRIEREN),
                    shared_status: None,
                },
            )
            .await
            .map(|_| ()),
        tracking
            .list_anime(eve, space, AnimeListQuery::default())
            .await
            .map(|_| ()),
        tracking.get_anime(eve, space, anime).await.map(|_| ()),
        tracking
            .update_anime(
                eve,
                space,
                anime,
                UpdateWatchSpaceAnime {
                    version: 2,
                    shared_status: None,
                    shared_episodes_watched: Some(3),
                    mood: None,
                    vibe: None,
                    pitch: None,
                },
            )
            .await
            .map(|_| ()),
        tracking.remove_anime(eve, space, anime).await,
        tracking
            .update_participant_progress(
                eve,
                space,
                anime,
                UpdateParticipantProgress {
                    version: 0,
                    individual_status: None,
                    episodes_watched: Some(1),
                },
            )
            .await
            .map(|_| ()),
        tracking
            .rate_anime(
                eve,
                space,
                anime,
                RateAnime {
                    version: 0,
                    rating_score: 5.0,
                    rating_notes: None,
                },
            )
            .await
            .map(|_| ()),
        tracking.clear_rating(eve, space, anime).await.map(|_| ()),
        tracking
            .list_sessions(eve, space, anime, PageLimit::default(), None)
            .await
            .map(|_| ()),
        tracking.list_space_sessions(eve, space).await.map(|_| ()),
        tracking
            .record_session(eve, space, anime, session((3, 4), None))
            .await
            .map(|_| ()),
        tracking
            .update_session(
                eve,
                space,
                anime,
                recorded.id,
                UpdateWatchSession { notes: None },
            )
            .await
            .map(|_| ()),
        tracking
            .delete_session(eve, space, anime, recorded.id)
            .await,
    ];

    for (index, refusal) in refusals.into_iter().enumerate() {
        assert_eq!(
            refusal,
            Err(AnimeTrackingError::SpaceNotFound),
            "use case #{index}"
        );
    }
    assert_eq!(world.rows().await, rows);
    assert_eq!(world.catalog.calls(), calls);
    let anime_now = world.get(&trio.ann, trio.space, bloom.id).await;
    assert_eq!(anime_now.shared_episodes_watched, 2);
}

#[tokio::test]
async fn an_unknown_space_is_not_found() {
    let world = World::new().await;
    let trio = world.trio().await;

    let error = world
        .tracking
        .list_anime(trio.ann.id, WatchSpaceId::new(), AnimeListQuery::default())
        .await
        .unwrap_err();

    assert_eq!(error, AnimeTrackingError::SpaceNotFound);
}

#[tokio::test]
async fn an_anime_of_another_space_is_not_found_in_this_one() {
    let world = World::new().await;
    let trio = world.trio().await;
    let other = world
        .spaces
        .create_space(
            trio.eve.id,
            watch_spaces::contracts::CreateWatchSpace {
                name: "Eve's".into(),
            },
        )
        .await
        .unwrap()
        .id;
    let elsewhere = world.add(&trio.eve, other, BLOOM).await;

    let error = world
        .tracking
        .get_anime(trio.ann.id, trio.space, elsewhere.id)
        .await
        .unwrap_err();

    assert_eq!(error, AnimeTrackingError::AnimeNotFound);
}
