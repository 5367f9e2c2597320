//! Bringing a member's own list into a space: new titles are added with the member's status,
//! the member's entries merge forward (or are overwritten when asked), nobody else's entry is
//! touched, the same list twice changes nothing, non-members are refused, and nothing is
//! published for AniList sync.

use anime_tracking::contracts::{
    AnimeTrackingError, ImportApplied, ImportEntry, ImportMerge, RatingScore, WatchStatus,
};

use crate::support::{entry_of, media, World, BLOOM, FRIEREN, ONE_PIECE};

fn entry(id: i64, status: WatchStatus, episodes: i32, rating: Option<f64>) -> ImportEntry {
    ImportEntry {
        media: media(
            id,
            &format!("Show {id}"),
            None,
            if id == ONE_PIECE { None } else { Some(13) },
        ),
        status,
        episodes_watched: episodes,
        rating: rating.map(|score| RatingScore::new(score).unwrap()),
        notes: rating.map(|_| "from my list".to_owned()),
    }
}

#[tokio::test]
async fn a_list_adds_new_titles_and_merges_the_members_own_entries_forward() {
    let world = World::new().await;
    let trio = world.trio().await;
    let (ann, kai, space) = (&trio.ann, &trio.kai, trio.space);
    let bloom = world.add(kai, space, BLOOM).await;
    world.entry_changes.take();

    let applied = world
        .tracking
        .import_entries(
            ann.id,
            space,
            vec![
                entry(BLOOM, WatchStatus::Finished, 13, Some(9.5)),
                entry(ONE_PIECE, WatchStatus::Watching, 1100, None),
            ],
            ImportMerge::Forward,
        )
        .await
        .unwrap();

    assert_eq!(
        applied,
        ImportApplied {
            added: 1,
            changed: 2,
            unchanged: 0
        }
    );
    let anime = world.list(ann, space).await;
    assert_eq!(anime.len(), 2);
    let one_piece = anime
        .iter()
        .find(|anime| anime.anilist_media_id.get() == ONE_PIECE as i32)
        .unwrap();
    assert_eq!(
        one_piece.shared_status,
        WatchStatus::Watching,
        "a new title takes the importer's status"
    );
    let annes = entry_of(one_piece, ann);
    assert_eq!(
        (annes.individual_status, annes.episodes_watched),
        (WatchStatus::Watching, 1100)
    );
    let bloom_now = world.get(ann, space, bloom.id).await;
    let annes = entry_of(&bloom_now, ann);
    assert_eq!(annes.rating_score, RatingScore::new(9.5).ok());
    assert_eq!(annes.rating_notes.as_deref(), Some("from my list"));
    assert_eq!(
        bloom_now.shared_status, bloom.shared_status,
        "a tracked title keeps its shared state"
    );
    assert_eq!(
        entry_of(&bloom_now, kai).version,
        0,
        "Kai's entry is untouched"
    );
    assert!(
        world.entry_changes.take().is_empty(),
        "imports are not pushed back to AniList"
    );

    // The same list again: nothing changes. A list that is further on moves on; one that is
    // behind does not go back.
    let again = world
        .tracking
        .import_entries(
            ann.id,
            space,
            vec![
                entry(BLOOM, WatchStatus::Finished, 13, Some(9.5)),
                entry(ONE_PIECE, WatchStatus::Watching, 1100, None),
            ],
            ImportMerge::Forward,
        )
        .await
        .unwrap();
    assert_eq!(
        again,
        ImportApplied {
            added: 0,
            changed: 0,
            unchanged: 2
        }
    );
    let further = world
        .tracking
        .import_entries(
            ann.id,
            space,
            vec![
                entry(ONE_PIECE, WatchStatus::Watching, 1120, None),
                entry(BLOOM, WatchStatus::Watching, 2, Some(4.0)),
            ],
            ImportMerge::Forward,
        )
        .await
        .unwrap();
    assert_eq!(
        further,
        ImportApplied {
            added: 0,
            changed: 1,
            unchanged: 1
        }
    );
    let bloom_now = world.get(ann, space, bloom.id).await;
    let annes = entry_of(&bloom_now, ann);
    assert_eq!(
        (annes.individual_status, annes.episodes_watched),
        (WatchStatus::Finished, 13)
    );
    assert_eq!(annes.rating_score, RatingScore::new(9.5).ok());
}

#[tokio::test]
async fn an_overwriting_import_replaces_the_members_values_and_caps_progress_at_the_count() {
    let world = World::new().await;
    let trio = world.trio().await;
    let (ann, space) = (&trio.ann, trio.space);
    world
        .tracking
        .import_entries(
            ann.id,
            space,
            vec![entry(FRIEREN, WatchStatus::Finished, 13, Some(10.0))],
            ImportMerge::Forward,
        )
        .await
        .unwrap();

    world
        .tracking
        .import_entries(
            ann.id,
            space,
            vec![entry(FRIEREN, WatchStatus::Dropped, 40, None)],
            ImportMerge::Overwrite,
        )
        .await
        .unwrap();

    let anime = world.list(ann, space).await;
    let annes = entry_of(&anime[0], ann);
    assert_eq!(
        (annes.individual_status, annes.episodes_watched),
        (WatchStatus::Dropped, 13)
    );
    assert_eq!(
        (annes.rating_score, annes.rating_notes.clone()),
        (None, None)
    );
}

#[tokio::test]
async fn strangers_odd_chunks_and_repeated_titles_are_refused_and_write_nothing() {
    let world = World::new().await;
    let trio = world.trio().await;
    let (ann, eve, space) = (&trio.ann, &trio.eve, trio.space);

    let stranger = world
        .tracking
        .import_entries(
            eve.id,
            space,
            vec![entry(BLOOM, WatchStatus::Finished, 13, None)],
            ImportMerge::Forward,
        )
        .await;
    assert_eq!(stranger, Err(AnimeTrackingError::SpaceNotFound));
    let twice = world
        .tracking
        .import_entries(
            ann.id,
            space,
            vec![
                entry(BLOOM, WatchStatus::Finished, 13, None),
                entry(BLOOM, WatchStatus::Watching, 2, None),
            ],
            ImportMerge::Forward,
        )
        .await;
    assert!(matches!(twice, Err(AnimeTrackingError::Validation(_))));
    let too_many = (1..=101)
        .map(|id| entry(i64::from(id) + 500_000, WatchStatus::Backlog, 0, None))
        .collect();
    let chunk = world
        .tracking
        .import_entries(ann.id, space, too_many, ImportMerge::Forward)
        .await;
    assert!(matches!(chunk, Err(AnimeTrackingError::Validation(_))));
    assert!(world.list(ann, space).await.is_empty());
}
