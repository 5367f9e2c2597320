use anime_tracking::contracts::{RecordWatchSession, WatchSessionId};
use time::Duration;
use watch_spaces::contracts::CreateWatchSpace;

use crate::support::{session, World, BLOOM, FRIEREN, START, YOUR_NAME};

#[tokio::test]
async fn every_session_of_the_space_comes_newest_first_with_its_attendees() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    let frieren = world.add(&trio.kai, trio.space, FRIEREN).await;
    let on = |days: i64, episodes: (i32, i32)| RecordWatchSession {
        session_date_utc: START + Duration::days(days),
        ..session(episodes, None)
    };
    let mut recorded: Vec<WatchSessionId> = Vec::new();
    for (anime, when, episodes, attendees) in [
        (bloom.id, 0, (1, 2), None),
        (frieren.id, 2, (1, 1), Some(vec![trio.kai.id])),
        (bloom.id, 1, (3, 4), None),
    ] {
        let command = RecordWatchSession {
            attendee_user_ids: attendees,
            ..on(when, episodes)
        };
        let session = world
            .tracking
            .record_session(trio.ann.id, trio.space, anime, command)
            .await
            .unwrap();
        recorded.push(session.id);
    }
    // Another space's sessions stay out of it.
    let elsewhere = world
        .spaces
        .create_space(
            trio.eve.id,
            CreateWatchSpace {
                name: "Elsewhere".into(),
            },
        )
        .await
        .unwrap()
        .id;
    let your_name = world.add(&trio.eve, elsewhere, YOUR_NAME).await;
    world
        .record(&trio.eve, elsewhere, your_name.id, (1, 1), None)
        .await;

    let sessions = world
        .tracking
        .list_space_sessions(trio.kai.id, trio.space)
        .await
        .unwrap();

    let ids: Vec<WatchSessionId> = sessions.iter().map(|session| session.id).collect();
    assert_eq!(ids, [recorded[1], recorded[2], recorded[0]], "newest first");
    assert_eq!(sessions[0].watch_space_anime_id, frieren.id);
    let names = |index: usize| -> Vec<String> {
        sessions[index]
            .attendees
            .iter()
            .map(|attendee| attendee.display_name.clone())
            .collect()
    };
    assert_eq!(names(0), ["Kai"]);
    assert_eq!(names(1), ["Ann", "Kai"]);
    assert_eq!((sessions[1].start_episode, sessions[1].end_episode), (3, 4));
    assert_eq!(sessions[2].created_by_display_name, "Ann");
}

#[tokio::test]
async fn a_space_without_sessions_has_an_empty_history() {
    let world = World::new().await;
    let trio = world.trio().await;
    world.add(&trio.ann, trio.space, BLOOM).await;

    let sessions = world
        .tracking
        .list_space_sessions(trio.ann.id, trio.space)
        .await
        .unwrap();

    assert!(sessions.is_empty());
}
