use anime_tracking::contracts::{
    AnimeTrackingError, RateAnime, UpdateParticipantProgress, UpdateWatchSession,
    UpdateWatchSpaceAnime, WatchStatus,
};

use crate::support::{media, Trio, World, BLOOM, FRIEREN};

async fn revision(world: &World, trio: &Trio) -> i64 {
    world
        .tracking
        .space_revision(trio.ann.id, trio.space)
        .await
        .unwrap()
        .revision
}

/// Checks that the revision moved on by one since the last check.
async fn bumped(world: &World, trio: &Trio, expected: &mut i64, what: &str) {
    *expected += 1;
    assert_eq!(
        revision(world, trio).await,
        *expected,
        "{what} must bump the revision once"
    );
}

/// Every write moves the revision on by exactly one, in the write's own transaction (a
/// refused write, like a second identical clear, moves nothing).
#[tokio::test]
async fn every_write_bumps_the_space_revision() {
    let world = World::new().await;
    let trio = world.trio().await;
    let (ann, kai, space) = (&trio.ann, &trio.kai, trio.space);
    assert_eq!(revision(&world, &trio).await, 0, "no write yet");
    let mut expected = 0;

    let bloom = world.add(ann, space, BLOOM).await;
    bumped(&world, &trio, &mut expected, "add_anime").await;
    world
        .tracking
        .update_anime(
            ann.id,
            space,
            bloom.id,
            UpdateWatchSpaceAnime {
                version: bloom.version,
                shared_status: Some(WatchStatus::Watching),
                shared_episodes_watched: None,
                mood: None,
                vibe: None,
                pitch: None,
            },
        )
        .await
        .unwrap();
    bumped(&world, &trio, &mut expected, "update_anime").await;
    world
        .tracking
        .update_participant_progress(
            kai.id,
            space,
            bloom.id,
            UpdateParticipantProgress {
                version: 0,
                individual_status: Some(WatchStatus::Watching),
                episodes_watched: Some(2),
            },
        )
        .await
        .unwrap();
    bumped(&world, &trio, &mut expected, "update_participant_progress").await;
    world
        .tracking
        .rate_anime(
            ann.id,
            space,
            bloom.id,
            RateAnime {
                version: 0,
                rating_score: 8.5,
                rating_notes: None,
            },
        )
        .await
        .unwrap();
    bumped(&world, &trio, &mut expected, "rate_anime").await;
    world
        .tracking
        .clear_rating(ann.id, space, bloom.id)
        .await
        .unwrap();
    bumped(&world, &trio, &mut expected, "clear_rating").await;
    world
        .tracking
        .clear_rating(ann.id, space, bloom.id)
        .await
        .unwrap();
    assert_eq!(
        revision(&world, &trio).await,
        expected,
        "clearing a rating that is not there writes nothing"
    );
    let session = world.record(ann, space, bloom.id, (3, 4), None).await;
    bumped(&world, &trio, &mut expected, "record_session").await;
    world
        .tracking
        .update_session(
            ann.id,
            space,
            bloom.id,
            session.id,
            UpdateWatchSession {
                notes: Some("so good".into()),
            },
        )
        .await
        .unwrap();
    bumped(&world, &trio, &mut expected, "update_session").await;
    world
        .tracking
        .delete_session(ann.id, space, bloom.id, session.id)
        .await
        .unwrap();
    bumped(&world, &trio, &mut expected, "delete_session").await;
    world
        .tracking
        .sync_media_snapshot(&media(BLOOM, "Yagate Kimi ni Naru (TV)", None, Some(13)))
        .await
        .unwrap();
    bumped(&world, &trio, &mut expected, "sync_media_snapshot").await;
    world
        .tracking
        .remove_anime(ann.id, space, bloom.id)
        .await
        .unwrap();
    bumped(&world, &trio, &mut expected, "remove_anime").await;
}

#[tokio::test]
async fn a_media_sync_bumps_only_the_spaces_tracking_that_media() {
    let world = World::new().await;
    let trio = world.trio().await;
    let other = world.space_of(&trio.kai, "Kai's").await;
    world.add(&trio.ann, trio.space, BLOOM).await;
    world.add(&trio.kai, other, FRIEREN).await;

    world
        .tracking
        .sync_media_snapshot(&media(BLOOM, "Yagate Kimi ni Naru", None, Some(13)))
        .await
        .unwrap();

    assert_eq!(revision(&world, &trio).await, 2);
    let there = world
        .tracking
        .space_revision(trio.kai.id, other)
        .await
        .unwrap();
    assert_eq!(there.revision, 1, "the other space does not track Bloom");
}

#[tokio::test]
async fn the_revision_names_the_current_members() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.kai, trio.space, BLOOM).await;
    world.add(&trio.ann, trio.space, FRIEREN).await;
    world
        .record(&trio.kai, trio.space, bloom.id, (1, 2), None)
        .await;
    world
        .spaces
        .leave_space(trio.kai.id, trio.space)
        .await
        .unwrap();

    let read = world
        .tracking
        .space_revision(trio.ann.id, trio.space)
        .await
        .unwrap();

    assert_eq!(read.revision, 3);
    let members: Vec<_> = read.members.iter().map(|member| member.user_id).collect();
    assert_eq!(members, [trio.ann.id]);
}

#[tokio::test]
async fn non_members_learn_nothing_from_the_revision() {
    let world = World::new().await;
    let trio = world.trio().await;
    world.add(&trio.ann, trio.space, BLOOM).await;

    let refused = world.tracking.space_revision(trio.eve.id, trio.space).await;

    assert_eq!(refused.unwrap_err(), AnimeTrackingError::SpaceNotFound);
}
