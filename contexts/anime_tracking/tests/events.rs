use anime_tracking::contracts::{
    ParticipantEntriesChanged, ParticipantEntryChange, RateAnime, RatingScore, TrackingChanged,
    UpdateParticipantProgress, UpdateWatchSession, UpdateWatchSpaceAnime, WatchStatus,
};
use watch_spaces::contracts::WatchSpaceId;

use crate::support::{media, World, BLOOM, FRIEREN, ONE_PIECE};

/// Checks that exactly one `TrackingChanged` for `space` was published since the last check.
fn published_once(world: &World, space: WatchSpaceId, what: &str) {
    assert_eq!(
        world.changes.take(),
        [TrackingChanged {
            spaces: vec![space]
        }],
        "{what} must publish TrackingChanged once"
    );
}

/// Every write publishes once, in its own transaction (a write that changes nothing, like a
/// second identical clear, publishes nothing).
#[tokio::test]
async fn every_write_publishes_that_the_space_changed() {
    let world = World::new().await;
    let trio = world.trio().await;
    let (ann, kai, space) = (&trio.ann, &trio.kai, trio.space);
    assert_eq!(world.changes.take(), [], "no write yet");

    let bloom = world.add(ann, space, BLOOM).await;
    published_once(&world, space, "add_anime");
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
    published_once(&world, space, "update_anime");
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
    published_once(&world, space, "update_participant_progress");
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
    published_once(&world, space, "rate_anime");
    world
        .tracking
        .clear_rating(ann.id, space, bloom.id)
        .await
        .unwrap();
    published_once(&world, space, "clear_rating");
    world
        .tracking
        .clear_rating(ann.id, space, bloom.id)
        .await
        .unwrap();
    assert_eq!(
        world.changes.take(),
        [],
        "clearing a rating that is not there writes nothing"
    );
    let session = world.record(ann, space, bloom.id, (3, 4), None).await;
    published_once(&world, space, "record_session");
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
    published_once(&world, space, "update_session");
    world
        .tracking
        .delete_session(ann.id, space, bloom.id, session.id)
        .await
        .unwrap();
    published_once(&world, space, "delete_session");
    world
        .tracking
        .sync_media_snapshot(&media(BLOOM, "Yagate Kimi ni Naru (TV)", None, Some(13)))
        .await
        .unwrap();
    published_once(&world, space, "sync_media_snapshot");
    world
        .tracking
        .remove_anime(ann.id, space, bloom.id)
        .await
        .unwrap();
    published_once(&world, space, "remove_anime");
}

#[tokio::test]
async fn a_media_sync_names_every_space_tracking_that_media_and_only_those() {
    let world = World::new().await;
    let trio = world.trio().await;
    let kais = world.space_of(&trio.kai, "Kai's").await;
    let bystander = world.space_of(&trio.kai, "Elsewhere").await;
    world.add(&trio.ann, trio.space, BLOOM).await;
    world.add(&trio.kai, kais, BLOOM).await;
    world.add(&trio.kai, bystander, FRIEREN).await;
    world.changes.take();

    world
        .tracking
        .sync_media_snapshot(&media(BLOOM, "Yagate Kimi ni Naru", None, Some(13)))
        .await
        .unwrap();

    let mut tracking_bloom = vec![trio.space, kais];
    tracking_bloom.sort_unstable();
    assert_eq!(
        world.changes.take(),
        [TrackingChanged {
            spaces: tracking_bloom
        }],
        "one event, the spaces in id order"
    );

    world
        .tracking
        .sync_media_snapshot(&media(ONE_PIECE, "One Piece", None, None))
        .await
        .unwrap();
    assert_eq!(world.changes.take(), [], "nobody tracks One Piece");
}

#[tokio::test]
async fn refused_writes_publish_nothing() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world.changes.take();

    let stranger = world
        .tracking
        .rate_anime(
            trio.eve.id,
            trio.space,
            bloom.id,
            RateAnime {
                version: 0,
                rating_score: 7.0,
                rating_notes: None,
            },
        )
        .await;
    let stale = world
        .tracking
        .update_anime(
            trio.ann.id,
            trio.space,
            bloom.id,
            UpdateWatchSpaceAnime {
                version: bloom.version + 5,
                shared_status: Some(WatchStatus::Paused),
                shared_episodes_watched: None,
                mood: None,
                vibe: None,
                pitch: None,
            },
        )
        .await;

    assert!(stranger.is_err() && stale.is_err());
    assert_eq!(world.changes.take(), []);
}

/// Members' own changes are published with exactly the fields a write changed: AniList sync
/// pushes those and nothing else (a first rating must not push a status nobody chose).
#[tokio::test]
async fn writes_to_members_own_entries_publish_only_what_they_changed() {
    let world = World::new().await;
    let trio = world.trio().await;
    let (ann, kai, space) = (&trio.ann, &trio.kai, trio.space);
    let bloom = world.add(ann, space, BLOOM).await;
    let change = |user: &crate::support::User| ParticipantEntryChange {
        user: user.id,
        watch_space_anime_id: bloom.id,
        anilist_media_id: bloom.anilist_media_id,
        status: None,
        episodes_watched: None,
        rating: None,
    };
    let published = |what: &str, expected: Vec<ParticipantEntryChange>| {
        let events = world.entry_changes.take();
        let changes: Vec<ParticipantEntryChange> = events
            .into_iter()
            .flat_map(|event: ParticipantEntriesChanged| event.changes)
            .collect();
        assert_eq!(changes, expected, "{what}");
    };

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
    published("shared edits are nobody's own entry", vec![]);

    world
        .tracking
        .rate_anime(
            kai.id,
            space,
            bloom.id,
            RateAnime {
                version: 0,
                rating_score: 8.5,
                rating_notes: Some("so tender".to_owned()),
            },
        )
        .await
        .unwrap();
    published(
        "a first rating",
        vec![ParticipantEntryChange {
            rating: Some(Some(RatingScore::new(8.5).unwrap())),
            ..change(kai)
        }],
    );

    world
        .tracking
        .update_participant_progress(
            kai.id,
            space,
            bloom.id,
            UpdateParticipantProgress {
                version: 1,
                individual_status: Some(WatchStatus::Watching),
                episodes_watched: Some(3),
            },
        )
        .await
        .unwrap();
    published(
        "progress and status",
        vec![ParticipantEntryChange {
            status: Some(WatchStatus::Watching),
            episodes_watched: Some(3),
            ..change(kai)
        }],
    );

    world.record(ann, space, bloom.id, (4, 5), None).await;
    let session = world.entry_changes.take();
    let mut changed: Vec<_> = session
        .into_iter()
        .flat_map(|event| event.changes)
        .collect();
    changed.sort_by_key(|change| change.user);
    let mut expected = vec![
        ParticipantEntryChange {
            status: Some(WatchStatus::Watching),
            episodes_watched: Some(5),
            ..change(ann)
        },
        ParticipantEntryChange {
            episodes_watched: Some(5),
            ..change(kai)
        },
    ];
    expected.sort_by_key(|change| change.user);
    assert_eq!(
        changed, expected,
        "a session moves every attendee's progress"
    );

    world
        .tracking
        .clear_rating(kai.id, space, bloom.id)
        .await
        .unwrap();
    published(
        "a cleared rating",
        vec![ParticipantEntryChange {
            rating: Some(None),
            ..change(kai)
        }],
    );
}
