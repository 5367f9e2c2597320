use anime_tracking::contracts::{
    AnimeTrackingError, RecordWatchSession, UpdateParticipantProgress, UpdateWatchSession,
    UpdateWatchSpaceAnime, WatchSessionId, WatchStatus,
};
use kernel::paging::PageLimit;
use time::Duration;

use crate::support::{
    entry_of, field_error, progress_of, session, World, BLOOM, ONE_PIECE, START, YOUR_NAME,
};

#[tokio::test]
async fn a_session_attended_by_everyone_by_default_moves_everyones_progress() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world.advance(Duration::hours(2));

    let recorded = world
        .tracking
        .record_session(
            trio.kai.id,
            trio.space,
            bloom.id,
            RecordWatchSession {
                notes: Some("  Movie night  ".into()),
                ..session((1, 4), None)
            },
        )
        .await
        .unwrap();

    assert_eq!((recorded.start_episode, recorded.end_episode), (1, 4));
    assert_eq!(recorded.notes.as_deref(), Some("Movie night"));
    assert_eq!(recorded.session_date_utc, START);
    assert_eq!(recorded.created_at_utc, START + Duration::hours(2));
    assert_eq!(recorded.created_by_user_id, trio.kai.id);
    assert_eq!(recorded.created_by_display_name, "Kai");
    let attendees: Vec<&str> = recorded
        .attendees
        .iter()
        .map(|attendee| attendee.display_name.as_str())
        .collect();
    assert_eq!(attendees, ["Ann", "Kai"]);

    let anime = world.get(&trio.ann, trio.space, bloom.id).await;
    assert_eq!(
        (
            anime.shared_status,
            anime.shared_episodes_watched,
            anime.version
        ),
        (WatchStatus::Watching, 4, 2)
    );
    assert_eq!(anime.updated_at_utc, START + Duration::hours(2));
    assert_eq!(progress_of(&anime, &trio.ann), (WatchStatus::Watching, 4));
    assert_eq!(progress_of(&anime, &trio.kai), (WatchStatus::Watching, 4));
    assert_eq!(entry_of(&anime, &trio.ann).version, 1);
}

#[tokio::test]
async fn only_the_named_attendees_progress_moves() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;

    let recorded = world
        .record(
            &trio.ann,
            trio.space,
            bloom.id,
            (1, 2),
            Some(vec![trio.kai.id]),
        )
        .await;

    assert_eq!(recorded.attendees.len(), 1);
    let anime = world.get(&trio.ann, trio.space, bloom.id).await;
    assert_eq!(anime.shared_episodes_watched, 2);
    assert_eq!(progress_of(&anime, &trio.kai), (WatchStatus::Watching, 2));
    assert_eq!(progress_of(&anime, &trio.ann), (WatchStatus::Backlog, 0));
    assert_eq!(entry_of(&anime, &trio.ann).version, 0);
}

#[tokio::test]
async fn sessions_never_move_progress_backwards() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world
        .record(&trio.ann, trio.space, bloom.id, (1, 8), None)
        .await;
    let kai_ahead = world
        .tracking
        .update_participant_progress(
            trio.kai.id,
            trio.space,
            bloom.id,
            UpdateParticipantProgress {
                version: 1,
                individual_status: None,
                episodes_watched: Some(10),
            },
        )
        .await
        .unwrap();
    let kai_version = entry_of(&kai_ahead, &trio.kai).version;

    world
        .record(&trio.ann, trio.space, bloom.id, (2, 9), None)
        .await;

    let anime = world.get(&trio.ann, trio.space, bloom.id).await;
    assert_eq!(anime.shared_episodes_watched, 9);
    assert_eq!(progress_of(&anime, &trio.ann).1, 9);
    assert_eq!(progress_of(&anime, &trio.kai).1, 10);
    assert_eq!(
        entry_of(&anime, &trio.kai).version,
        kai_version,
        "kai's entry untouched"
    );

    world
        .record(&trio.ann, trio.space, bloom.id, (1, 3), None)
        .await;
    let rewatched = world.get(&trio.ann, trio.space, bloom.id).await;
    assert_eq!(rewatched.shared_episodes_watched, 9);
    assert_eq!(
        rewatched.version, anime.version,
        "a rewatch changes nothing shared"
    );
}

#[tokio::test]
async fn paused_becomes_watching_and_reaching_the_last_episode_finishes() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world
        .tracking
        .update_anime(
            trio.ann.id,
            trio.space,
            bloom.id,
            UpdateWatchSpaceAnime {
                version: 1,
                shared_status: Some(WatchStatus::Paused),
                shared_episodes_watched: None,
                mood: None,
                vibe: None,
                pitch: None,
            },
        )
        .await
        .unwrap();

    world
        .record(&trio.ann, trio.space, bloom.id, (1, 5), None)
        .await;
    let watching = world.get(&trio.ann, trio.space, bloom.id).await;
    assert_eq!(watching.shared_status, WatchStatus::Watching);

    world
        .record(
            &trio.ann,
            trio.space,
            bloom.id,
            (6, 13),
            Some(vec![trio.ann.id]),
        )
        .await;
    let finished = world.get(&trio.ann, trio.space, bloom.id).await;
    assert_eq!(
        (finished.shared_status, finished.shared_episodes_watched),
        (WatchStatus::Finished, 13)
    );
    assert_eq!(
        progress_of(&finished, &trio.ann),
        (WatchStatus::Finished, 13)
    );
    assert_eq!(
        progress_of(&finished, &trio.kai),
        (WatchStatus::Watching, 5)
    );
}

#[tokio::test]
async fn a_one_episode_film_is_finished_in_one_session() {
    let world = World::new().await;
    let trio = world.trio().await;
    let film = world.add(&trio.ann, trio.space, YOUR_NAME).await;

    world
        .record(&trio.ann, trio.space, film.id, (1, 1), None)
        .await;

    let anime = world.get(&trio.kai, trio.space, film.id).await;
    assert_eq!(anime.shared_status, WatchStatus::Finished);
    assert_eq!(progress_of(&anime, &trio.kai), (WatchStatus::Finished, 1));
}

#[tokio::test]
async fn episodes_must_exist_and_be_in_order() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    let record = |start, end| {
        world.tracking.record_session(
            trio.ann.id,
            trio.space,
            bloom.id,
            session((start, end), None),
        )
    };

    assert_eq!(
        field_error(record(0, 2).await.unwrap_err(), "startEpisode"),
        "Episode numbers start at 1."
    );
    assert_eq!(
        field_error(record(5, 3).await.unwrap_err(), "endEpisode"),
        "The last episode cannot come before the first one (episode 5)."
    );
    let beyond = record(14, 15).await.unwrap_err();
    let AnimeTrackingError::Validation(fields) = beyond else {
        panic!("expected validation")
    };
    assert_eq!(
        fields.for_field("startEpisode"),
        Some("This show has 13 episodes, so there is no episode 14.")
    );
    assert_eq!(
        fields.for_field("endEpisode"),
        Some("This show has 13 episodes, so there is no episode 15.")
    );
    assert_eq!(world.rows().await, 1, "only the anime row");
}

#[tokio::test]
async fn a_show_with_an_unknown_count_takes_any_episode_up_to_the_maximum() {
    let world = World::new().await;
    let trio = world.trio().await;
    let one_piece = world.add(&trio.ann, trio.space, ONE_PIECE).await;

    world
        .record(&trio.ann, trio.space, one_piece.id, (1000, 1010), None)
        .await;

    let anime = world.get(&trio.ann, trio.space, one_piece.id).await;
    assert_eq!(
        (anime.shared_status, anime.shared_episodes_watched),
        (WatchStatus::Watching, 1010)
    );
}

#[tokio::test]
async fn attendees_must_be_members_listed_once_and_at_least_one() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    let record = |attendees| {
        world.tracking.record_session(
            trio.ann.id,
            trio.space,
            bloom.id,
            RecordWatchSession {
                notes: Some("x".repeat(2001)),
                ..session((1, 2), Some(attendees))
            },
        )
    };

    let stranger = record(vec![trio.ann.id, trio.eve.id]).await.unwrap_err();
    assert_eq!(
        field_error(stranger.clone(), "attendeeUserIds"),
        "Only members of this space can attend its watch sessions."
    );
    assert_eq!(
        field_error(stranger, "notes"),
        "This can be at most 2000 characters."
    );
    assert_eq!(
        field_error(
            record(vec![trio.kai.id, trio.kai.id]).await.unwrap_err(),
            "attendeeUserIds"
        ),
        "Each person can be listed only once."
    );
    assert_eq!(
        field_error(record(vec![]).await.unwrap_err(), "attendeeUserIds"),
        "Pick at least one person who watched."
    );
    assert_eq!(world.rows().await, 1, "only the anime row");
}

#[tokio::test]
async fn sessions_are_listed_newest_first_with_their_attendees() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    let first = world
        .tracking
        .record_session(
            trio.ann.id,
            trio.space,
            bloom.id,
            RecordWatchSession {
                session_date_utc: START - Duration::days(2),
                ..session((1, 2), None)
            },
        )
        .await
        .unwrap();
    let latest = world
        .record(
            &trio.kai,
            trio.space,
            bloom.id,
            (3, 4),
            Some(vec![trio.kai.id]),
        )
        .await;
    world.advance(Duration::minutes(1));
    let same_day_later = world
        .record(&trio.ann, trio.space, bloom.id, (5, 5), None)
        .await;

    let listed = world
        .tracking
        .list_sessions(
            trio.kai.id,
            trio.space,
            bloom.id,
            PageLimit::default(),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        listed.items,
        [same_day_later.clone(), latest.clone(), first.clone()]
    );
    assert_eq!(listed.next_cursor, None);

    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = world
            .tracking
            .list_sessions(
                trio.kai.id,
                trio.space,
                bloom.id,
                PageLimit::new(2).unwrap(),
                after,
            )
            .await
            .unwrap();
        paged.extend(page.items);
        match page.next_cursor {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    assert_eq!(paged, listed.items, "two pages of two hold the same three");

    let details = world
        .tracking
        .get_anime(trio.ann.id, trio.space, bloom.id)
        .await
        .unwrap();
    assert_eq!(details.sessions, listed.items);
}

#[tokio::test]
async fn only_the_creator_changes_a_sessions_notes() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    let recorded = world
        .record(&trio.kai, trio.space, bloom.id, (1, 2), None)
        .await;
    let notes = |raw: Option<&str>| UpdateWatchSession {
        notes: raw.map(Into::into),
    };

    let updated = world
        .tracking
        .update_session(
            trio.kai.id,
            trio.space,
            bloom.id,
            recorded.id,
            notes(Some("We cried")),
        )
        .await
        .unwrap();
    assert_eq!(updated.notes.as_deref(), Some("We cried"));
    assert_eq!(updated.attendees, recorded.attendees);

    let by_owner = world
        .tracking
        .update_session(trio.ann.id, trio.space, bloom.id, recorded.id, notes(None))
        .await
        .unwrap_err();
    assert_eq!(by_owner, AnimeTrackingError::NotSessionCreator);

    let too_long = world
        .tracking
        .update_session(
            trio.kai.id,
            trio.space,
            bloom.id,
            recorded.id,
            notes(Some(&"x".repeat(2001))),
        )
        .await
        .unwrap_err();
    field_error(too_long, "notes");

    let cleared = world
        .tracking
        .update_session(trio.kai.id, trio.space, bloom.id, recorded.id, notes(None))
        .await
        .unwrap();
    assert_eq!(cleared.notes, None);

    let missing = world
        .tracking
        .update_session(
            trio.kai.id,
            trio.space,
            bloom.id,
            WatchSessionId::new(),
            notes(None),
        )
        .await
        .unwrap_err();
    assert_eq!(missing, AnimeTrackingError::SessionNotFound);
}

#[tokio::test]
async fn only_the_creator_deletes_a_session_and_progress_stays() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    let recorded = world
        .record(&trio.kai, trio.space, bloom.id, (1, 6), None)
        .await;

    let by_owner = world
        .tracking
        .delete_session(trio.ann.id, trio.space, bloom.id, recorded.id)
        .await
        .unwrap_err();
    assert_eq!(by_owner, AnimeTrackingError::NotSessionCreator);

    world
        .tracking
        .delete_session(trio.kai.id, trio.space, bloom.id, recorded.id)
        .await
        .unwrap();

    let details = world
        .tracking
        .get_anime(trio.ann.id, trio.space, bloom.id)
        .await
        .unwrap();
    assert!(details.sessions.is_empty());
    assert_eq!(details.anime.shared_episodes_watched, 6);
    assert_eq!(progress_of(&details.anime, &trio.ann).1, 6);
    assert_eq!(
        world
            .db
            .scalar::<i64>("SELECT count(*) FROM anime_tracking.watch_session_attendees")
            .await,
        0
    );
    assert_eq!(
        world
            .tracking
            .delete_session(trio.kai.id, trio.space, bloom.id, recorded.id)
            .await
            .unwrap_err(),
        AnimeTrackingError::SessionNotFound
    );
}
