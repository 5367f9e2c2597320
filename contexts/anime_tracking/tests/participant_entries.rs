use anime_tracking::contracts::{
    AnimeTrackingError, RateAnime, RatingScore, UpdateParticipantProgress, WatchStatus,
};
use time::Duration;

use crate::support::{entry_of, field_error, progress_of, World, BLOOM, ONE_PIECE, START};

fn progress(
    version: i32,
    status: Option<WatchStatus>,
    episodes: Option<i32>,
) -> UpdateParticipantProgress {
    UpdateParticipantProgress {
        version,
        individual_status: status,
        episodes_watched: episodes,
    }
}

fn rating(version: i32, score: f64, notes: Option<&str>) -> RateAnime {
    RateAnime {
        version,
        rating_score: score,
        rating_notes: notes.map(Into::into),
    }
}

#[tokio::test]
async fn the_first_progress_edit_creates_the_members_own_entry() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world.advance(Duration::minutes(5));

    let updated = world
        .tracking
        .update_participant_progress(
            trio.kai.id,
            trio.space,
            bloom.id,
            progress(0, Some(WatchStatus::Watching), Some(4)),
        )
        .await
        .unwrap();

    let kai = entry_of(&updated, &trio.kai);
    assert_eq!(
        (kai.individual_status, kai.episodes_watched),
        (WatchStatus::Watching, 4)
    );
    assert_eq!(kai.version, 1);
    assert_eq!(kai.last_updated_at_utc, Some(START + Duration::minutes(5)));
    assert_eq!(progress_of(&updated, &trio.ann), (WatchStatus::Backlog, 0));
    assert_eq!(entry_of(&updated, &trio.ann).version, 0);
    assert_eq!(updated.version, 1, "the shared state did not change");

    let again = world
        .tracking
        .update_participant_progress(
            trio.kai.id,
            trio.space,
            bloom.id,
            progress(1, None, Some(2)),
        )
        .await
        .unwrap();
    assert_eq!(progress_of(&again, &trio.kai), (WatchStatus::Watching, 2));
    assert_eq!(entry_of(&again, &trio.kai).version, 2);
}

#[tokio::test]
async fn own_progress_is_bounded_by_a_known_count_only() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    let one_piece = world.add(&trio.ann, trio.space, ONE_PIECE).await;

    let error = world
        .tracking
        .update_participant_progress(
            trio.kai.id,
            trio.space,
            bloom.id,
            progress(0, None, Some(14)),
        )
        .await
        .unwrap_err();
    assert_eq!(
        field_error(error, "episodesWatched"),
        "This show has 13 episodes, so progress can be at most 13."
    );

    let unbounded = world
        .tracking
        .update_participant_progress(
            trio.kai.id,
            trio.space,
            one_piece.id,
            progress(0, None, Some(1000)),
        )
        .await
        .unwrap();
    assert_eq!(progress_of(&unbounded, &trio.kai).1, 1000);
}

#[tokio::test]
async fn an_outdated_entry_version_is_stale() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world
        .record(&trio.ann, trio.space, bloom.id, (1, 3), None)
        .await;

    let error = world
        .tracking
        .update_participant_progress(
            trio.kai.id,
            trio.space,
            bloom.id,
            progress(0, None, Some(1)),
        )
        .await
        .unwrap_err();

    assert_eq!(
        error,
        AnimeTrackingError::StaleEdit {
            changed_by: "Ann".into()
        }
    );
}

#[tokio::test]
async fn a_version_for_an_entry_never_saved_is_refused() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;

    let error = world
        .tracking
        .update_participant_progress(
            trio.kai.id,
            trio.space,
            bloom.id,
            progress(3, None, Some(1)),
        )
        .await
        .unwrap_err();

    field_error(error, "version");
}

#[tokio::test]
async fn a_member_rates_in_half_steps_with_notes() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;

    let rated = world
        .tracking
        .rate_anime(
            trio.kai.id,
            trio.space,
            bloom.id,
            rating(0, 8.5, Some(" Lovely ")),
        )
        .await
        .unwrap();
    let kai = entry_of(&rated, &trio.kai);
    assert_eq!(kai.rating_score, Some(RatingScore::new(8.5).unwrap()));
    assert_eq!(kai.rating_notes.as_deref(), Some("Lovely"));
    assert_eq!(kai.version, 1);

    let rerated = world
        .tracking
        .rate_anime(trio.kai.id, trio.space, bloom.id, rating(1, 10.0, None))
        .await
        .unwrap();
    let kai = entry_of(&rerated, &trio.kai);
    assert_eq!(kai.rating_score, Some(RatingScore::new(10.0).unwrap()));
    assert_eq!(kai.rating_notes, None);
    assert_eq!(
        world
            .db
            .scalar::<i64>(
                "SELECT (rating_score * 10)::int8 FROM anime_tracking.participant_entries"
            )
            .await,
        100
    );
}

#[tokio::test]
async fn ratings_off_the_half_steps_or_range_and_long_notes_are_refused_together() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;

    for (score, message) in [
        (7.3, "Ratings go in steps of 0.5, like 7 or 7.5."),
        (0.0, "Ratings go from 0.5 to 10."),
        (10.5, "Ratings go from 0.5 to 10."),
    ] {
        let error = world
            .tracking
            .rate_anime(trio.kai.id, trio.space, bloom.id, rating(0, score, None))
            .await
            .unwrap_err();
        assert_eq!(field_error(error, "ratingScore"), message);
    }

    let error = world
        .tracking
        .rate_anime(
            trio.kai.id,
            trio.space,
            bloom.id,
            rating(0, 7.3, Some(&"n".repeat(2001))),
        )
        .await
        .unwrap_err();
    let AnimeTrackingError::Validation(fields) = error else {
        panic!("expected validation")
    };
    assert!(fields.for_field("ratingScore").is_some());
    assert_eq!(
        fields.for_field("ratingNotes"),
        Some("This can be at most 2000 characters.")
    );
    assert_eq!(world.rows().await, 1, "only the anime row");
}

#[tokio::test]
async fn clearing_a_rating_removes_score_and_notes_and_can_be_repeated() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world
        .tracking
        .rate_anime(
            trio.kai.id,
            trio.space,
            bloom.id,
            rating(0, 9.0, Some("Great")),
        )
        .await
        .unwrap();

    let cleared = world
        .tracking
        .clear_rating(trio.kai.id, trio.space, bloom.id)
        .await
        .unwrap();
    let kai = entry_of(&cleared, &trio.kai);
    assert_eq!(
        (kai.rating_score, kai.rating_notes, kai.version),
        (None, None, 2)
    );

    let again = world
        .tracking
        .clear_rating(trio.kai.id, trio.space, bloom.id)
        .await
        .unwrap();
    assert_eq!(entry_of(&again, &trio.kai).version, 2, "nothing to clear");

    let never_rated = world
        .tracking
        .clear_rating(trio.ann.id, trio.space, bloom.id)
        .await
        .unwrap();
    assert_eq!(entry_of(&never_rated, &trio.ann).version, 0);
}
