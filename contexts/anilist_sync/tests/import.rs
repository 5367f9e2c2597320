//! Importing members' lists into a space, through the facade and into real spaces
//! (AnimeTracking as the server wires it), against the fake AniList: what a 1,000-entry list
//! costs in AniList calls, custom-list duplicates, every score format, the status mapping,
//! unknown and private users, re-imports, the merge rules, two members in one space, a job
//! interrupted part-way and resumed, and MyAnimeList files that must be refused.

use std::io::Write as _;

use anilist_sync::contracts::{
    AniListError, AppliedCounts, ImportJobDto, ImportOptions, ImportSource, ImportState, ListTitle,
    MediaListStatus, SpaceLists, StatusCountDto,
};
use anilist_sync::ImportTarget;
use anime_tracking::contracts::{RatingScore, WatchStatus};
use fake_anilist::{
    EntryEdit, FakeListEntry, FakeUser, Fault, GeneratedList, GeneratedListSpec,
    FIRST_GENERATED_MEDIA_ID,
};
use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use crate::support::{anilist_user, World, BLOOM_INTO_YOU, FRIEREN, JUJUTSU_KAISEN, ONE_PIECE};

fn generated(world: &World, name: &str) -> GeneratedList {
    world
        .fake
        .insert_generated_user(&GeneratedListSpec {
            name: name.to_owned(),
            ..GeneratedListSpec::default()
        })
        .unwrap()
}

fn listed(media_id: i32, status: &str, progress: i64, score: i64) -> FakeListEntry {
    FakeListEntry {
        media_id: i64::from(media_id),
        status: status.to_owned(),
        progress,
        score,
        ..FakeListEntry::default()
    }
}

fn fake_user(name: &str, entries: Vec<FakeListEntry>) -> FakeUser {
    FakeUser {
        name: name.to_owned(),
        entries,
        ..FakeUser::default()
    }
}

fn all() -> ImportOptions {
    ImportOptions::default()
}

fn rating(score: f64) -> Option<RatingScore> {
    Some(RatingScore::new(score).unwrap())
}

/// The list's titles per status, in AniList's order, as a preview counts them.
fn by_status(list: &GeneratedList) -> Vec<StatusCountDto> {
    MediaListStatus::ALL
        .iter()
        .copied()
        .map(|status| StatusCountDto {
            status,
            count: u32::try_from(
                list.user
                    .entries
                    .iter()
                    .filter(|entry| entry.status == status.as_str())
                    .count(),
            )
            .unwrap(),
        })
        .collect()
}

fn counts(job: &ImportJobDto) -> (ImportState, u32, u32, u32, u32, u32) {
    (
        job.state,
        job.total,
        job.processed,
        job.added,
        job.changed,
        job.unchanged,
    )
}

async fn jobs_in_database(world: &World) -> i64 {
    world
        .db
        .scalar::<i64>("SELECT count(*) FROM anilist_sync.import_jobs")
        .await
}

#[tokio::test]
async fn a_thousand_entry_anilist_list_costs_at_most_three_calls_and_brings_each_title_once() {
    let world = World::for_imports().await;
    let (space, members) = world.space(&["Mika"]).await;
    let list = generated(&world, "MikaBulk");

    let preview = world
        .preview(members[0], space, &anilist_user("MikaBulk"), None, &all())
        .await
        .unwrap();

    let calls = world.fake.operation_count("MediaListCollection");
    assert!(calls <= 3, "{calls} calls");
    assert_eq!(world.fake.request_count(), calls, "no call per title");
    assert_eq!(preview.source_label, "AniList: MikaBulk");
    assert_eq!(
        preview.total, 1_000,
        "titles in custom lists (and hidden from status lists) count once"
    );
    assert_eq!(preview.by_status, by_status(&list));
    assert_eq!(
        (
            preview.new_to_space,
            preview.already_in_space,
            preview.conflicts
        ),
        (1_000, 0, 0)
    );
    assert!(preview.unmatched.is_empty() && preview.overlap.is_empty());
    assert_eq!(
        world.titles(members[0], space).await,
        0,
        "a preview writes nothing"
    );

    world.fake.reset();
    let job = world
        .import(members[0], space, &anilist_user("MikaBulk"), None, all())
        .await
        .unwrap();

    assert_eq!(
        counts(&job),
        (ImportState::Done, 1_000, 1_000, 1_000, 1_000, 0)
    );
    assert!(
        world.fake.request_count() <= 3,
        "{:?}",
        world.fake.operation_counts()
    );
    assert_eq!(world.titles(members[0], space).await, 1_000);
    let entries = world.own_entries(members[0], space).await;
    let first = &entries[0];
    assert_eq!(i64::from(first.media), FIRST_GENERATED_MEDIA_ID);
    // The first generated entry is CURRENT at episode 0, in both custom lists, with notes,
    // which are left out unless chosen.
    assert_eq!(
        (first.status, first.episodes, first.notes.as_deref()),
        (WatchStatus::Watching, 0, None)
    );
}

#[tokio::test]
async fn a_thousand_entry_mal_file_costs_at_most_twenty_calls_and_lists_what_anilist_lacks() {
    let world = World::for_imports().await;
    let (space, members) = world.space(&["Ren"]).await;
    let list = generated(&world, "RenBulk");
    let file = list.mal_xml.as_bytes();

    let preview = world
        .preview(
            members[0],
            space,
            &ImportSource::MyAnimeList,
            Some(file),
            &all(),
        )
        .await
        .unwrap();

    assert_eq!(world.fake.operation_count("idMal_in"), 20);
    assert_eq!(world.fake.request_count(), 20);
    assert_eq!(preview.source_label, "MyAnimeList: RenBulk");
    assert_eq!(preview.total, 980);
    let unmatched: Vec<i64> = preview
        .unmatched
        .iter()
        .map(|title| i64::from(title.mal_id))
        .collect();
    assert_eq!(unmatched, list.unknown_mal_ids, "listed, not dropped");
    assert_eq!(
        preview.unmatched[0].title.as_deref(),
        Some("Only on MyAnimeList 690001")
    );

    // MAL's own .xml.gz reads the same.
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(file).unwrap();
    let gzipped = world
        .preview(
            members[0],
            space,
            &ImportSource::MyAnimeList,
            Some(&gzip.finish().unwrap()),
            &all(),
        )
        .await
        .unwrap();
    assert_eq!(gzipped, preview);

    world.fake.reset();
    let job = world
        .import(
            members[0],
            space,
            &ImportSource::MyAnimeList,
            Some(file),
            all(),
        )
        .await
        .unwrap();

    assert!(world.fake.operation_count("idMal_in") <= 20);
    assert_eq!(
        world.fake.request_count(),
        world.fake.operation_count("idMal_in")
    );
    assert_eq!(counts(&job), (ImportState::Done, 980, 980, 980, 980, 0));
    assert_eq!(job.unmatched, preview.unmatched);
    assert_eq!(world.titles(members[0], space).await, 980);
}

/// A score as AniList reads it back on the 0–100 scale, and the rating it becomes.
type RawToRating = (i64, Option<f64>);

#[tokio::test]
async fn scores_convert_from_every_anilist_score_format() {
    let world = World::for_imports().await;
    // What AniList's `score(format: POINT_100)` reads back for a score given in each format,
    // and the half-point rating that becomes in the space; 0 is unscored.
    let cases: [(&str, [RawToRating; 3]); 5] = [
        ("POINT_100", [(85, Some(8.5)), (64, Some(6.5)), (0, None)]),
        (
            "POINT_10_DECIMAL",
            [(75, Some(7.5)), (100, Some(10.0)), (0, None)],
        ),
        ("POINT_10", [(80, Some(8.0)), (10, Some(1.0)), (0, None)]),
        (
            "POINT_5",
            [(20, Some(2.0)), (60, Some(6.0)), (100, Some(10.0))],
        ),
        (
            "POINT_3",
            [(33, Some(3.5)), (66, Some(6.5)), (99, Some(10.0))],
        ),
    ];
    let media = [FRIEREN, BLOOM_INTO_YOU, JUJUTSU_KAISEN];
    for (format, scores) in cases {
        let name = format!("Fmt{}", format.replace('_', ""));
        let entries = media
            .iter()
            .zip(scores)
            .map(|(media, (raw, _))| listed(*media, "COMPLETED", 1, raw))
            .collect();
        world
            .fake
            .insert_user(FakeUser {
                score_format: format.to_owned(),
                ..fake_user(&name, entries)
            })
            .unwrap();
        let (space, members) = world.space(&[&name]).await;

        world
            .import(members[0], space, &anilist_user(&name), None, all())
            .await
            .unwrap();

        let entries = world.own_entries(members[0], space).await;
        for (media, (raw, expected)) in media.iter().zip(scores) {
            let entry = entries.iter().find(|entry| entry.media == *media).unwrap();
            assert_eq!(entry.rating, expected.and_then(rating), "{format}: {raw}");
        }
        let again = world
            .preview(members[0], space, &anilist_user(&name), None, &all())
            .await
            .unwrap();
        assert_eq!(
            again.conflicts, 0,
            "{format}: a score rounded to half points is the list's score"
        );
    }
}

#[tokio::test]
async fn statuses_map_into_the_space_and_back_so_a_second_look_finds_no_conflict() {
    let world = World::for_imports().await;
    let (space, members) = world.space(&["Aoi"]).await;
    let statuses = [
        (BLOOM_INTO_YOU, "CURRENT", WatchStatus::Watching),
        (FRIEREN, "PLANNING", WatchStatus::Backlog),
        (JUJUTSU_KAISEN, "COMPLETED", WatchStatus::Finished),
        (ONE_PIECE, "DROPPED", WatchStatus::Dropped),
        (145_064, "PAUSED", WatchStatus::Paused),
        // Rewatching is watching in BloomWatch.
        (131_573, "REPEATING", WatchStatus::Watching),
    ];
    let entries = statuses
        .iter()
        .map(|(media, status, _)| listed(*media, status, 0, 70))
        .collect();
    world
        .fake
        .insert_user(fake_user("AoiList", entries))
        .unwrap();

    world
        .import(members[0], space, &anilist_user("AoiList"), None, all())
        .await
        .unwrap();

    let entries = world.own_entries(members[0], space).await;
    for (media, status, expected) in statuses {
        let entry = entries.iter().find(|entry| entry.media == media).unwrap();
        assert_eq!(
            (entry.status, entry.shared_status),
            (expected, expected),
            "{status}"
        );
    }
    let again = world
        .preview(members[0], space, &anilist_user("AoiList"), None, &all())
        .await
        .unwrap();
    assert_eq!(
        (again.new_to_space, again.already_in_space, again.conflicts),
        (0, 6, 0),
        "what the space holds says what the list says"
    );

    // MyAnimeList's statuses in AniList's terms (rewatching a completed title is repeating).
    let file = mal_file(&[
        (37786, "Watching", 0),
        (52991, "Plan to Watch", 0),
        (40748, "Completed", 0),
        (21, "Dropped", 0),
        (51009, "On-Hold", 0),
        (48561, "Completed", 1),
    ]);
    let from_mal = world
        .preview(
            members[0],
            space,
            &ImportSource::MyAnimeList,
            Some(file.as_bytes()),
            &all(),
        )
        .await
        .unwrap();
    let one_each: Vec<StatusCountDto> = MediaListStatus::ALL
        .iter()
        .copied()
        .map(|status| StatusCountDto { status, count: 1 })
        .collect();
    assert_eq!(from_mal.by_status, one_each);
    assert_eq!(
        (from_mal.already_in_space, from_mal.conflicts),
        (6, 0),
        "the same statuses as the AniList list"
    );
}

/// A small MyAnimeList export: (MAL id, status, rewatching).
fn mal_file(entries: &[(i32, &str, u8)]) -> String {
    let anime: String = entries
        .iter()
        .map(|(id, status, rewatching)| {
            format!(
                "<anime><series_animedb_id>{id}</series_animedb_id><my_status>{status}</my_status>\
                 <my_rewatching>{rewatching}</my_rewatching><my_score>7</my_score></anime>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><myanimelist><myinfo><user_name>aoi</user_name>\
         <user_export_type>1</user_export_type></myinfo>{anime}</myanimelist>"
    )
}

#[tokio::test]
async fn a_private_or_unknown_user_name_is_list_not_found_with_a_clear_message() {
    let world = World::for_imports().await;
    let (space, members) = world.space(&["Kai"]).await;
    world
        .fake
        .insert_user(FakeUser {
            private: true,
            ..fake_user("Hidden", vec![listed(FRIEREN, "CURRENT", 3, 0)])
        })
        .unwrap();

    for name in ["Hidden", "Nobody"] {
        let refused = world
            .preview(members[0], space, &anilist_user(name), None, &all())
            .await
            .unwrap_err();
        assert_eq!(
            refused,
            AniListError::ListNotFound {
                user_name: name.to_owned()
            }
        );
        assert_eq!(
            refused.to_string(),
            format!(
                "AniList has no public anime list for \"{name}\". Check the spelling, or ask \
                 them to make their list public (or link your own AniList to import yours)."
            )
        );
    }

    // A job reads AniList itself, and ends with the same message.
    let job = world
        .import(members[0], space, &anilist_user("Nobody"), None, all())
        .await
        .unwrap();
    assert_eq!(job.state, ImportState::Failed);
    assert_eq!(
        job.error.as_deref(),
        Some(
            AniListError::ListNotFound {
                user_name: "Nobody".into()
            }
            .to_string()
            .as_str()
        )
    );
    assert_eq!(world.titles(members[0], space).await, 0);
}

#[tokio::test]
async fn importing_the_same_list_again_changes_nothing_and_new_progress_on_anilist_moves_it_on() {
    let world = World::for_imports().await;
    let (space, members) = world.space(&["Ren"]).await;
    let ren = members[0];
    world
        .fake
        .insert_user(fake_user(
            "RenList",
            vec![
                listed(FRIEREN, "CURRENT", 5, 80),
                listed(BLOOM_INTO_YOU, "COMPLETED", 13, 90),
                listed(ONE_PIECE, "PLANNING", 0, 0),
            ],
        ))
        .unwrap();
    let source = anilist_user("RenList");

    let first = world
        .import(ren, space, &source, None, all())
        .await
        .unwrap();
    let imported = world.own_entries(ren, space).await;
    let again = world
        .import(ren, space, &source, None, all())
        .await
        .unwrap();

    assert_eq!(counts(&first), (ImportState::Done, 3, 3, 3, 3, 0));
    assert_eq!(counts(&again), (ImportState::Done, 3, 3, 0, 0, 3));
    assert_eq!(world.own_entries(ren, space).await, imported);

    world
        .fake
        .edit_entry(
            "RenList",
            EntryEdit {
                media_id: i64::from(FRIEREN),
                progress: Some(9),
                ..EntryEdit::default()
            },
        )
        .unwrap();
    let later = world
        .import(ren, space, &source, None, all())
        .await
        .unwrap();

    assert_eq!(counts(&later), (ImportState::Done, 3, 3, 0, 1, 2));
    let frieren = world
        .own_entries(ren, space)
        .await
        .into_iter()
        .find(|entry| entry.media == FRIEREN)
        .unwrap();
    assert_eq!(
        (frieren.status, frieren.episodes),
        (WatchStatus::Watching, 9)
    );
}

#[tokio::test]
async fn an_import_only_moves_forward_and_fills_what_is_empty_unless_it_may_overwrite() {
    let world = World::for_imports().await;
    let (space, members) = world.space(&["Mika"]).await;
    let mika = members[0];
    world
        .fake
        .insert_user(fake_user(
            "MikaList",
            vec![
                listed(FRIEREN, "CURRENT", 9, 80),
                listed(BLOOM_INTO_YOU, "PLANNING", 0, 0),
            ],
        ))
        .unwrap();
    let source = anilist_user("MikaList");
    world
        .import(mika, space, &source, None, all())
        .await
        .unwrap();
    // On AniList, Mika goes back on Frieren and rescores it, and starts Bloom Into You.
    for edit in [
        EntryEdit {
            media_id: i64::from(FRIEREN),
            progress: Some(3),
            score: Some(40),
            ..EntryEdit::default()
        },
        EntryEdit {
            media_id: i64::from(BLOOM_INTO_YOU),
            status: Some("CURRENT".into()),
            progress: Some(2),
            score: Some(70),
            ..EntryEdit::default()
        },
    ] {
        world.fake.edit_entry("MikaList", edit).unwrap();
    }
    let entry = |entries: &[crate::support::OwnEntry], media| {
        let entry = entries.iter().find(|entry| entry.media == media).unwrap();
        (entry.status, entry.episodes, entry.rating)
    };

    let forward = world
        .import(mika, space, &source, None, all())
        .await
        .unwrap();

    assert_eq!((forward.changed, forward.unchanged), (1, 1));
    let entries = world.own_entries(mika, space).await;
    assert_eq!(
        entry(&entries, FRIEREN),
        (WatchStatus::Watching, 9, rating(8.0)),
        "progress is never lowered, a rating never replaced"
    );
    assert_eq!(
        entry(&entries, BLOOM_INTO_YOU),
        (WatchStatus::Watching, 2, rating(7.0)),
        "the backlog moves on, the empty rating is filled"
    );

    let overwrite = ImportOptions {
        overwrite: true,
        ..all()
    };
    let replaced = world
        .import(mika, space, &source, None, overwrite)
        .await
        .unwrap();

    assert_eq!((replaced.changed, replaced.unchanged), (1, 1));
    let entries = world.own_entries(mika, space).await;
    assert_eq!(
        entry(&entries, FRIEREN),
        (WatchStatus::Watching, 3, rating(4.0))
    );
}

#[tokio::test]
async fn a_second_member_sees_the_exact_overlap_and_imports_without_touching_the_first() {
    let world = World::for_imports().await;
    let (space, members) = world.space(&["Mika", "Ren"]).await;
    let (mika, ren) = (members[0], members[1]);
    world
        .fake
        .insert_user(fake_user(
            "MikaList",
            vec![
                listed(FRIEREN, "COMPLETED", 28, 90),
                listed(BLOOM_INTO_YOU, "COMPLETED", 13, 80),
                listed(JUJUTSU_KAISEN, "PLANNING", 0, 0),
                listed(ONE_PIECE, "CURRENT", 100, 0),
            ],
        ))
        .unwrap();
    world
        .fake
        .insert_user(fake_user(
            "RenList",
            vec![
                listed(FRIEREN, "COMPLETED", 28, 70),
                listed(BLOOM_INTO_YOU, "CURRENT", 4, 0),
                listed(JUJUTSU_KAISEN, "PLANNING", 0, 0),
                listed(145_064, "PLANNING", 0, 0),
                listed(131_573, "COMPLETED", 1, 60),
            ],
        ))
        .unwrap();
    world
        .import(mika, space, &anilist_user("MikaList"), None, all())
        .await
        .unwrap();
    let mikas = world.own_entries(mika, space).await;

    let preview = world
        .preview(ren, space, &anilist_user("RenList"), None, &all())
        .await
        .unwrap();

    assert_eq!(
        (
            preview.total,
            preview.new_to_space,
            preview.already_in_space
        ),
        (5, 2, 3)
    );
    assert_eq!(preview.conflicts, 0, "Ren has no entries of his own yet");
    assert_eq!(preview.overlap.len(), 1);
    let with_mika = &preview.overlap[0];
    assert_eq!(
        (with_mika.member_id, with_mika.display_name.as_str()),
        (mika, "Mika")
    );
    assert_eq!(
        (
            with_mika.both_finished,
            with_mika.only_you,
            with_mika.only_them,
            with_mika.both_planning
        ),
        (1, 2, 1, 1),
        "Frieren finished by both, 145064 and 131573 only Ren's, One Piece only Mika's, \
         Jujutsu Kaisen planned by both"
    );

    let job = world
        .import(ren, space, &anilist_user("RenList"), None, all())
        .await
        .unwrap();

    assert_eq!(
        (job.added, job.changed, job.unchanged),
        (2, 5, 0),
        "two titles new to the space, five entries of Ren's"
    );
    assert_eq!(world.titles(ren, space).await, 6);
    assert_eq!(
        world.own_entries(mika, space).await,
        mikas,
        "Mika's entries are untouched"
    );
    let again = world
        .preview(mika, space, &anilist_user("MikaList"), None, &all())
        .await
        .unwrap();
    assert_eq!(
        (
            again.overlap[0].both_finished,
            again.overlap[0].only_you,
            again.overlap[0].only_them,
            again.overlap[0].both_planning
        ),
        (1, 1, 2, 1),
        "and the other way round, from the space"
    );
}

/// The space, stopping (as a crashed worker would) once it has taken `chunks` chunks.
struct StopsAfter<'a> {
    space: &'a dyn ImportTarget,
    chunks: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl ImportTarget for StopsAfter<'_> {
    async fn space_lists(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<SpaceLists, AniListError> {
        self.space.space_lists(actor, space).await
    }

    async fn apply(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        titles: Vec<ListTitle>,
        overwrite: bool,
    ) -> Result<AppliedCounts, AniListError> {
        let left = self.chunks.load(std::sync::atomic::Ordering::SeqCst);
        if left == 0 {
            return Err(AniListError::Internal);
        }
        self.chunks
            .store(left - 1, std::sync::atomic::Ordering::SeqCst);
        self.space.apply(actor, space, titles, overwrite).await
    }
}

#[tokio::test]
async fn a_job_stopped_part_way_resumes_where_it_stopped_and_ends_as_an_uninterrupted_one() {
    let world = World::for_imports().await;
    let (space, members) = world.space(&["Mika"]).await;
    let (whole, reference) = world.space(&["Ren"]).await;
    generated(&world, "Bulk");
    let source = anilist_user("Bulk");
    let uninterrupted = world
        .import(reference[0], whole, &source, None, all())
        .await
        .unwrap();

    // AniList fails while the list is read: nothing is written, the job waits and retries.
    world.fake.reset();
    world.fake.set_fault(Some(Fault::ServerError));
    let job = world
        .import(members[0], space, &source, None, all())
        .await
        .unwrap();
    assert_eq!(job.state, ImportState::Fetching);
    assert_eq!(
        job.error.as_deref(),
        Some("AniList could not be reached; trying again shortly.")
    );
    assert_eq!(world.titles(members[0], space).await, 0);
    assert_eq!(
        world
            .db
            .scalar::<i64>("SELECT count(*) FROM anilist_sync.import_items")
            .await,
        1_000,
        "only the reference job's titles are kept"
    );

    // AniList is back; the worker takes one chunk of titles and dies.
    world.fake.set_fault(None);
    world.advance(time::Duration::minutes(3));
    let crashing = StopsAfter {
        space: &world.tracking,
        chunks: 1.into(),
    };
    world.work_imports(&crashing).await;
    let stopped = world
        .anilist
        .import_job(members[0], space, job.id)
        .await
        .unwrap();
    assert_eq!(
        (stopped.state, stopped.processed, stopped.added),
        (ImportState::Applying, 50, 50)
    );
    assert_eq!(
        world.titles(members[0], space).await,
        50,
        "whole chunks only"
    );
    world.work_imports(&world.tracking).await;
    assert_eq!(
        world.titles(members[0], space).await,
        50,
        "the lease keeps others off until it runs out"
    );

    world.advance(time::Duration::minutes(3));
    world.work_imports(&world.tracking).await;

    let resumed = world
        .anilist
        .import_job(members[0], space, job.id)
        .await
        .unwrap();
    assert_eq!(counts(&resumed), counts(&uninterrupted));
    let strip = |entries: Vec<crate::support::OwnEntry>| {
        entries
            .into_iter()
            .map(|entry| (entry.media, entry.status, entry.episodes, entry.rating))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip(world.own_entries(members[0], space).await),
        strip(world.own_entries(reference[0], whole).await)
    );
    assert_eq!(
        world.fake.operation_count("MediaListCollection"),
        3,
        "one failed call, then the list once: the titles are kept with the job"
    );
}

#[tokio::test]
async fn matching_mal_ids_resumes_after_anilist_fails_part_way() {
    let world = World::for_imports().await;
    let (space, members) = world.space(&["Kai"]).await;
    let list = generated(&world, "KaiBulk");
    let file = list.mal_xml.as_bytes();
    let job = world
        .anilist
        .start_import(
            &world.tracking,
            members[0],
            space,
            &ImportSource::MyAnimeList,
            Some(file),
            all(),
        )
        .await
        .unwrap();
    // Five batches go through, then AniList answers only errors: the fault is set as soon as
    // the fifth request arrives, while the worker still waits for its answer.
    world.fake.reset();
    let worker = world.work_imports(&world.tracking);
    tokio::pin!(worker);
    loop {
        tokio::select! {
            () = &mut worker => break,
            () = tokio::task::yield_now() => {
                if world.fake.operation_count("idMal_in") >= 5 {
                    world.fake.set_fault(Some(Fault::ServerError));
                }
            }
        }
    }
    world.fake.set_fault(None);
    assert_eq!(
        world
            .db
            .scalar::<i64>(
                "SELECT count(*) FROM anilist_sync.import_items WHERE anilist_media_id IS NOT NULL"
            )
            .await,
        5 * 49,
        "the five batches' matches are kept (every 50th title has no MAL id)"
    );
    let waiting = world
        .anilist
        .import_job(members[0], space, job.id)
        .await
        .unwrap();
    assert_eq!(waiting.state, ImportState::Fetching);
    assert_eq!(world.titles(members[0], space).await, 0);

    world.fake.reset();
    world.advance(time::Duration::minutes(3));
    world.work_imports(&world.tracking).await;

    let done = world
        .anilist
        .import_job(members[0], space, job.id)
        .await
        .unwrap();
    assert_eq!(counts(&done), (ImportState::Done, 980, 980, 980, 980, 0));
    assert_eq!(done.unmatched.len(), 20);
    assert_eq!(
        world.fake.operation_count("idMal_in"),
        15,
        "the matched batches are not asked again"
    );
}

#[tokio::test]
async fn malformed_and_hostile_mal_files_are_refused_with_a_clear_message_and_no_writes() {
    let world = World::for_imports().await;
    let (space, members) = world.space(&["Eve"]).await;
    let good = mal_file(&[(37786, "Watching", 0), (52991, "Completed", 0)]);
    let billion_laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n \
        <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n \
        <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n\
        <myanimelist><anime><series_animedb_id>1</series_animedb_id>\
        <series_title>&lol3;</series_title><my_status>Watching</my_status></anime></myanimelist>";
    let external = "<?xml version=\"1.0\"?>\n<!DOCTYPE myanimelist [<!ENTITY xxe SYSTEM \
        \"file:///etc/passwd\">]>\n<myanimelist><anime><series_animedb_id>1</series_animedb_id>\
        <series_title>&xxe;</series_title><my_status>Watching</my_status></anime></myanimelist>";
    let undeclared = good.replace("<user_name>aoi", "<user_name>&xxe;");
    let mut fifty_megabytes = good.clone().into_bytes();
    fifty_megabytes.resize(50 * 1024 * 1024, b' ');
    // A gzip bomb: 50 MB of XML compressed to a few kilobytes.
    let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    bomb.write_all(good.trim_end_matches("</myanimelist>").as_bytes())
        .unwrap();
    bomb.write_all(&vec![b' '; 50 * 1024 * 1024]).unwrap();
    let bomb = bomb.finish().unwrap();
    assert!(bomb.len() < 1024 * 1024);

    let cases: [(&str, Vec<u8>, &str); 8] = [
        (
            "truncated",
            good.as_bytes()[..good.len() - 20].to_vec(),
            "not a readable MyAnimeList list",
        ),
        (
            "wrong root",
            b"<?xml version=\"1.0\"?><html><body>hi</body></html>".to_vec(),
            "it starts with <html> instead of <myanimelist>",
        ),
        (
            "billion laughs",
            billion_laughs.as_bytes().to_vec(),
            "declares a document type (<!DOCTYPE>)",
        ),
        (
            "external entity",
            external.as_bytes().to_vec(),
            "declares a document type (<!DOCTYPE>)",
        ),
        (
            "undeclared entity",
            undeclared.into_bytes(),
            "the unknown entity \"&xxe;\"",
        ),
        ("50 MB", fifty_megabytes, "larger than 10 MB"),
        ("gzip bomb", bomb, "larger than 40 MB"),
        ("empty", Vec::new(), "not a readable MyAnimeList list"),
    ];
    for (case, file, message) in cases {
        for start in [false, true] {
            let refused = if start {
                world
                    .anilist
                    .start_import(
                        &world.tracking,
                        members[0],
                        space,
                        &ImportSource::MyAnimeList,
                        Some(&file),
                        all(),
                    )
                    .await
                    .map(|_| ())
            } else {
                world
                    .preview(
                        members[0],
                        space,
                        &ImportSource::MyAnimeList,
                        Some(&file),
                        &all(),
                    )
                    .await
                    .map(|_| ())
            };
            match refused {
                Err(AniListError::UnreadableFile(text)) => {
                    assert!(text.contains(message), "{case}: {text}");
                }
                other => panic!("{case}: {other:?}"),
            }
        }
    }
    let none = world
        .preview(members[0], space, &ImportSource::MyAnimeList, None, &all())
        .await;
    assert!(matches!(none, Err(AniListError::UnreadableFile(_))));
    assert_eq!(
        world.fake.request_count(),
        0,
        "nothing was asked of AniList"
    );
    assert_eq!(jobs_in_database(&world).await, 0, "no job was written");
    assert_eq!(world.titles(members[0], space).await, 0);
}
