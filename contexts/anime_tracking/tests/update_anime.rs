use anime_tracking::contracts::{
    AnimeTrackingError, UpdateWatchSpaceAnime, WatchSpaceAnimeId, WatchStatus,
};
use time::Duration;

use crate::support::{field_error, World, BLOOM, ONE_PIECE, START};

fn edit(version: i32) -> UpdateWatchSpaceAnime {
    UpdateWatchSpaceAnime {
        version,
        shared_status: None,
        shared_episodes_watched: None,
        mood: None,
        vibe: None,
        pitch: None,
    }
}

#[tokio::test]
async fn any_member_edits_the_shared_state() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world.advance(Duration::hours(1));

    let updated = world
        .tracking
        .update_anime(
            trio.kai.id,
            trio.space,
            bloom.id,
            UpdateWatchSpaceAnime {
                shared_status: Some(WatchStatus::Watching),
                shared_episodes_watched: Some(13),
                mood: Some(Some("  cozy  ".into())),
                vibe: Some(Some("gentle".into())),
                pitch: Some(Some("Two girls, one play.".into())),
                ..edit(1)
            },
        )
        .await
        .unwrap();

    assert_eq!(updated.shared_status, WatchStatus::Watching);
    assert_eq!(updated.shared_episodes_watched, 13);
    assert_eq!(updated.mood.as_deref(), Some("cozy"));
    assert_eq!(updated.vibe.as_deref(), Some("gentle"));
    assert_eq!(updated.pitch.as_deref(), Some("Two girls, one play."));
    assert_eq!(updated.version, 2);
    assert_eq!(updated.added_at_utc, START);
    assert_eq!(updated.updated_at_utc, START + Duration::hours(1));
    assert_eq!(world.get(&trio.ann, trio.space, bloom.id).await, updated);
}

#[tokio::test]
async fn absent_fields_stay_and_null_or_blank_clears_a_text() {
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
                mood: Some(Some("cozy".into())),
                vibe: Some(Some("gentle".into())),
                pitch: Some(Some("Watch it".into())),
                ..edit(1)
            },
        )
        .await
        .unwrap();

    let updated = world
        .tracking
        .update_anime(
            trio.ann.id,
            trio.space,
            bloom.id,
            UpdateWatchSpaceAnime {
                mood: Some(None),
                vibe: Some(Some("   ".into())),
                ..edit(2)
            },
        )
        .await
        .unwrap();

    assert_eq!(updated.mood, None);
    assert_eq!(updated.vibe, None);
    assert_eq!(updated.pitch.as_deref(), Some("Watch it"));
}

#[tokio::test]
async fn shared_progress_is_bounded_by_a_known_episode_count_and_may_go_down() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;

    let error = world
        .tracking
        .update_anime(
            trio.ann.id,
            trio.space,
            bloom.id,
            UpdateWatchSpaceAnime {
                shared_episodes_watched: Some(14),
                ..edit(1)
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        field_error(error, "sharedEpisodesWatched"),
        "This show has 13 episodes, so progress can be at most 13."
    );

    let up = |episodes, version| {
        world.tracking.update_anime(
            trio.ann.id,
            trio.space,
            bloom.id,
            UpdateWatchSpaceAnime {
                shared_episodes_watched: Some(episodes),
                ..edit(version)
            },
        )
    };
    assert_eq!(up(12, 1).await.unwrap().shared_episodes_watched, 12);
    assert_eq!(up(2, 2).await.unwrap().shared_episodes_watched, 2);
    let negative = up(-1, 3).await.unwrap_err();
    assert_eq!(
        field_error(negative, "sharedEpisodesWatched"),
        "Episodes watched cannot be negative."
    );
}

#[tokio::test]
async fn shared_progress_of_a_show_without_a_known_count_is_bounded_by_the_maximum() {
    let world = World::new().await;
    let trio = world.trio().await;
    let one_piece = world.add(&trio.ann, trio.space, ONE_PIECE).await;

    let updated = world
        .tracking
        .update_anime(
            trio.ann.id,
            trio.space,
            one_piece.id,
            UpdateWatchSpaceAnime {
                shared_episodes_watched: Some(1100),
                ..edit(1)
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.shared_episodes_watched, 1100);

    let error = world
        .tracking
        .update_anime(
            trio.ann.id,
            trio.space,
            one_piece.id,
            UpdateWatchSpaceAnime {
                shared_episodes_watched: Some(10_001),
                ..edit(2)
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        field_error(error, "sharedEpisodesWatched"),
        "That is more episodes than any show has."
    );
}

#[tokio::test]
async fn every_invalid_field_is_reported_at_once_and_nothing_changes() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;

    let error = world
        .tracking
        .update_anime(
            trio.ann.id,
            trio.space,
            bloom.id,
            UpdateWatchSpaceAnime {
                shared_status: Some(WatchStatus::Finished),
                shared_episodes_watched: Some(20),
                mood: Some(Some("m".repeat(81))),
                vibe: Some(Some("bell\u{7}".into())),
                pitch: Some(Some("p".repeat(501))),
                ..edit(1)
            },
        )
        .await
        .unwrap_err();

    let AnimeTrackingError::Validation(fields) = error else {
        panic!("expected validation")
    };
    let named: Vec<&str> = fields.iter().map(|error| error.field.as_str()).collect();
    assert_eq!(named, ["sharedEpisodesWatched", "mood", "vibe", "pitch"]);
    assert_eq!(
        fields.for_field("pitch"),
        Some("This can be at most 500 characters.")
    );
    assert_eq!(world.get(&trio.ann, trio.space, bloom.id).await, bloom);
}

#[tokio::test]
async fn an_edit_based_on_an_old_version_is_stale_and_names_who_changed_it() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world
        .tracking
        .update_anime(
            trio.kai.id,
            trio.space,
            bloom.id,
            UpdateWatchSpaceAnime {
                mood: Some(Some("cozy".into())),
                ..edit(1)
            },
        )
        .await
        .unwrap();

    let stale = UpdateWatchSpaceAnime {
        mood: Some(Some("sad".into())),
        ..edit(1)
    };
    let error = world
        .tracking
        .update_anime(trio.ann.id, trio.space, bloom.id, stale.clone())
        .await
        .unwrap_err();
    assert_eq!(
        error,
        AnimeTrackingError::StaleEdit {
            changed_by: "Kai".into()
        }
    );
    assert_eq!(
        error.to_string(),
        "Kai changed this in the meantime. Reload to see their change, then try again."
    );

    let own_tab = world
        .tracking
        .update_anime(trio.kai.id, trio.space, bloom.id, stale)
        .await
        .unwrap_err();
    assert_eq!(
        own_tab,
        AnimeTrackingError::StaleEdit {
            changed_by: "you".into()
        }
    );
    let now = world.get(&trio.ann, trio.space, bloom.id).await;
    assert_eq!((now.mood.as_deref(), now.version), (Some("cozy"), 2));
}

#[tokio::test]
async fn editing_an_anime_that_is_not_in_the_space_is_not_found() {
    let world = World::new().await;
    let trio = world.trio().await;

    let error = world
        .tracking
        .update_anime(trio.ann.id, trio.space, WatchSpaceAnimeId::new(), edit(1))
        .await
        .unwrap_err();

    assert_eq!(error, AnimeTrackingError::AnimeNotFound);
}
