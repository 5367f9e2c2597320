//! Two writers at once: optimistic versions refuse the loser of a shared edit, and sessions
//! on one anime are recorded one after the other, so nobody's update is lost.

use anime_tracking::contracts::{
    AnimeTrackingError, UpdateParticipantProgress, UpdateWatchSpaceAnime,
};

use crate::support::{progress_of, session, World, BLOOM};

#[tokio::test]
async fn of_two_concurrent_shared_edits_on_one_version_exactly_one_wins() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    let edit = |mood: &str| UpdateWatchSpaceAnime {
        version: 1,
        shared_status: None,
        shared_episodes_watched: None,
        mood: Some(Some(mood.into())),
        vibe: None,
        pitch: None,
    };

    let (ann, kai) = tokio::join!(
        world
            .tracking
            .update_anime(trio.ann.id, trio.space, bloom.id, edit("ann's")),
        world
            .tracking
            .update_anime(trio.kai.id, trio.space, bloom.id, edit("kai's")),
    );

    let now = world.get(&trio.ann, trio.space, bloom.id).await;
    assert_eq!(now.version, 2);
    match (ann, kai) {
        (Ok(_), Err(error)) => {
            assert_eq!(
                error,
                AnimeTrackingError::StaleEdit {
                    changed_by: "Ann".into()
                }
            );
            assert_eq!(now.mood.as_deref(), Some("ann's"));
        }
        (Err(error), Ok(_)) => {
            assert_eq!(
                error,
                AnimeTrackingError::StaleEdit {
                    changed_by: "Kai".into()
                }
            );
            assert_eq!(now.mood.as_deref(), Some("kai's"));
        }
        other => panic!("expected exactly one winner, got {other:?}"),
    }
}

#[tokio::test]
async fn two_concurrent_sessions_are_both_recorded_and_progress_is_the_furthest() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;

    let (first, second) = tokio::join!(
        world
            .tracking
            .record_session(trio.ann.id, trio.space, bloom.id, session((1, 7), None)),
        world
            .tracking
            .record_session(trio.kai.id, trio.space, bloom.id, session((1, 5), None)),
    );
    first.unwrap();
    second.unwrap();

    let details = world
        .tracking
        .get_anime(trio.ann.id, trio.space, bloom.id)
        .await
        .unwrap();
    assert_eq!(details.sessions.len(), 2);
    assert_eq!(details.anime.shared_episodes_watched, 7);
    assert_eq!(progress_of(&details.anime, &trio.ann).1, 7);
    assert_eq!(progress_of(&details.anime, &trio.kai).1, 7);
}

#[tokio::test]
async fn two_tabs_creating_the_same_entry_at_once_leave_one_winner() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    let first_edit = |episodes| UpdateParticipantProgress {
        version: 0,
        individual_status: None,
        episodes_watched: Some(episodes),
    };

    let (one, two) = tokio::join!(
        world.tracking.update_participant_progress(
            trio.kai.id,
            trio.space,
            bloom.id,
            first_edit(3)
        ),
        world.tracking.update_participant_progress(
            trio.kai.id,
            trio.space,
            bloom.id,
            first_edit(4)
        ),
    );

    let outcomes = [one.is_ok(), two.is_ok()];
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "{outcomes:?}");
    let loser = if outcomes[0] { two } else { one };
    assert_eq!(
        loser.unwrap_err(),
        AnimeTrackingError::StaleEdit {
            changed_by: "you".into()
        }
    );
    assert_eq!(
        world
            .db
            .scalar::<i64>("SELECT count(*) FROM anime_tracking.participant_entries")
            .await,
        1
    );
}

/// Kai edits his own progress while Ann records a session he attended: either his edit lands
/// first and the session moves on from it, or the session lands first and his edit (based on
/// what he saw) is refused. Never is one silently overwritten.
#[tokio::test]
async fn a_session_and_an_own_progress_edit_at_once_lose_nothing() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;

    let (recorded, edited) = tokio::join!(
        world
            .tracking
            .record_session(trio.ann.id, trio.space, bloom.id, session((1, 5), None)),
        world.tracking.update_participant_progress(
            trio.kai.id,
            trio.space,
            bloom.id,
            UpdateParticipantProgress {
                version: 0,
                individual_status: None,
                episodes_watched: Some(9),
            },
        ),
    );
    recorded.unwrap();

    let anime = world.get(&trio.kai, trio.space, bloom.id).await;
    match edited {
        Ok(_) => assert_eq!(
            progress_of(&anime, &trio.kai).1,
            9,
            "the session kept kai's 9"
        ),
        Err(error) => {
            assert_eq!(
                error,
                AnimeTrackingError::StaleEdit {
                    changed_by: "Ann".into()
                }
            );
            assert_eq!(progress_of(&anime, &trio.kai).1, 5);
        }
    }
}
