//! What an import brings, free of I/O: which titles of a list the options keep, in what
//! shape they reach the space (scores and notes only when chosen), and the preview of what
//! that would do in the space: new or tracked titles, conflicts with the member's own
//! entries, and the overlap with every other member.

use std::collections::{HashMap, HashSet};

use identity::contracts::UserId;

use crate::contracts::{
    AniListMediaId, ImportOptions, ImportOverlapDto, ImportPreviewDto, MediaListStatus, ScoreRaw,
    SpaceLists, StatusCountDto, UnmatchedTitleDto,
};

/// One title of a list as read (from AniList, or a MyAnimeList file matched to AniList).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadTitle {
    pub media: AniListMediaId,
    pub status: MediaListStatus,
    pub progress: i32,
    /// 0 is no score.
    pub score_raw: ScoreRaw,
    pub notes: Option<String>,
}

/// The titles the options bring, each once (the first occurrence wins), in list order.
pub fn selected<'a>(titles: &'a [ReadTitle], options: &ImportOptions) -> Vec<&'a ReadTitle> {
    let mut seen = HashSet::new();
    titles
        .iter()
        .filter(|title| options.statuses.is_empty() || options.statuses.contains(&title.status))
        .filter(|title| seen.insert(title.media))
        .collect()
}

/// The score a title brings: none unless scores are chosen and the list has one.
pub fn brought_score(title: &ReadTitle, options: &ImportOptions) -> Option<ScoreRaw> {
    (options.scores && title.score_raw != ScoreRaw::NONE).then_some(title.score_raw)
}

/// The notes a title brings: only with its score, when notes are chosen.
pub fn brought_notes(title: &ReadTitle, options: &ImportOptions) -> Option<String> {
    brought_score(title, options).and(options.notes.then(|| title.notes.clone()).flatten())
}

/// What importing `titles` (already selected) into the space would do for `importer`.
pub fn preview(
    source_label: String,
    titles: &[&ReadTitle],
    unmatched: Vec<UnmatchedTitleDto>,
    space: &SpaceLists,
    importer: UserId,
    options: &ImportOptions,
) -> ImportPreviewDto {
    let tracked: HashMap<AniListMediaId, _> = space
        .titles
        .iter()
        .map(|title| (title.media, title))
        .collect();
    let mut by_status: Vec<StatusCountDto> = Vec::new();
    let (mut new_to_space, mut already_in_space, mut conflicts) = (0, 0, 0);
    for title in titles {
        match by_status
            .iter_mut()
            .find(|count| count.status == title.status)
        {
            Some(count) => count.count += 1,
            None => by_status.push(StatusCountDto {
                status: title.status,
                count: 1,
            }),
        }
        let Some(in_space) = tracked.get(&title.media) else {
            new_to_space += 1;
            continue;
        };
        already_in_space += 1;
        let mine = in_space.entries.iter().find(|entry| entry.user == importer);
        if mine.is_some_and(|entry| {
            !same_status(entry.status, title.status)
                || entry.progress != title.progress
                || brought_score(title, options).is_some_and(|score| {
                    entry.score_raw.is_some_and(|own| !same_rating(own, score))
                })
        }) {
            conflicts += 1;
        }
    }
    by_status.sort_by_key(|count| {
        MediaListStatus::ALL
            .iter()
            .position(|status| *status == count.status)
    });
    let listed: HashMap<AniListMediaId, MediaListStatus> = titles
        .iter()
        .map(|title| (title.media, title.status))
        .collect();
    let overlap = space
        .members
        .iter()
        .filter(|(member, _)| *member != importer)
        .map(|(member, name)| {
            let theirs: HashMap<AniListMediaId, MediaListStatus> = space
                .titles
                .iter()
                .filter_map(|title| {
                    title
                        .entries
                        .iter()
                        .find(|entry| entry.user == *member)
                        .map(|entry| (title.media, entry.status))
                })
                .collect();
            let both = |on_list: MediaListStatus, theirs_is: MediaListStatus| {
                count(listed.iter().filter(|(media, status)| {
                    **status == on_list && theirs.get(media) == Some(&theirs_is)
                }))
            };
            ImportOverlapDto {
                member_id: *member,
                display_name: name.clone(),
                both_finished: both(MediaListStatus::Completed, MediaListStatus::Completed),
                only_you: count(listed.keys().filter(|media| !theirs.contains_key(media))),
                only_them: count(theirs.keys().filter(|media| !listed.contains_key(media))),
                both_planning: both(MediaListStatus::Planning, MediaListStatus::Planning),
            }
        })
        .collect();
    ImportPreviewDto {
        source_label,
        total: count(titles.iter()),
        by_status,
        new_to_space,
        already_in_space,
        conflicts,
        unmatched,
        overlap,
    }
}

/// Whether a member's entry (in the space's terms, read back as AniList's) says the same as
/// the list: the space has no "rewatching", it keeps a repeating title as watching, which
/// reads back as CURRENT.
fn same_status(own: MediaListStatus, listed: MediaListStatus) -> bool {
    let watching = |status| match status {
        MediaListStatus::Repeating => MediaListStatus::Current,
        other => other,
    };
    watching(own) == watching(listed)
}

/// Whether two scores are the same rating in the space, which keeps half points (AnimeTracking
/// rounds a 0–100 score to the nearest half point, at least 0.5): a list's 64 is the space's
/// 6.5, read back as 65, and is no conflict.
fn same_rating(own: ScoreRaw, listed: ScoreRaw) -> bool {
    let half_points = |score: ScoreRaw| match score.get() {
        0 => 0,
        raw => (raw.saturating_add(2) / 5).clamp(1, 20),
    };
    half_points(own) == half_points(listed)
}

fn count<T>(items: impl Iterator<Item = T>) -> u32 {
    u32::try_from(items.count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contracts::{MemberListEntry, SpaceTitle};

    fn id(raw: i64) -> AniListMediaId {
        AniListMediaId::new(raw).unwrap()
    }

    fn title(media: i64, status: MediaListStatus, progress: i32, score: i64) -> ReadTitle {
        ReadTitle {
            media: id(media),
            status,
            progress,
            score_raw: ScoreRaw::new(score).unwrap(),
            notes: Some("note".to_owned()),
        }
    }

    fn entry(user: UserId, name: &str, status: MediaListStatus, progress: i32) -> MemberListEntry {
        MemberListEntry {
            user,
            display_name: name.to_owned(),
            status,
            progress,
            score_raw: None,
            notes: None,
        }
    }

    #[test]
    fn options_pick_statuses_each_title_once_and_scores_and_notes_only_when_chosen() {
        let titles = vec![
            title(1, MediaListStatus::Planning, 0, 0),
            title(2, MediaListStatus::Completed, 12, 85),
            title(1, MediaListStatus::Planning, 0, 0),
        ];
        let all = ImportOptions::default();
        assert_eq!(selected(&titles, &all).len(), 2);
        let planned = ImportOptions {
            statuses: vec![MediaListStatus::Planning],
            ..ImportOptions::default()
        };
        assert_eq!(selected(&titles, &planned).len(), 1);
        assert_eq!(brought_score(&titles[1], &all), ScoreRaw::new(85));
        assert_eq!(brought_score(&titles[0], &all), None, "0 is no score");
        assert_eq!(
            brought_notes(&titles[1], &all),
            None,
            "notes are off by default"
        );
        let with_notes = ImportOptions {
            notes: true,
            ..ImportOptions::default()
        };
        assert_eq!(
            brought_notes(&titles[1], &with_notes).as_deref(),
            Some("note")
        );
        let without_scores = ImportOptions {
            scores: false,
            notes: true,
            ..ImportOptions::default()
        };
        assert_eq!(brought_notes(&titles[1], &without_scores), None);
    }

    #[test]
    fn rewatching_and_a_score_rounded_to_half_points_are_no_conflict() {
        let aoi = UserId::new();
        let mut rewatching = entry(aoi, "Aoi", MediaListStatus::Current, 3);
        rewatching.score_raw = ScoreRaw::new(65);
        let space = SpaceLists {
            members: vec![(aoi, "Aoi".to_owned())],
            titles: vec![SpaceTitle {
                media: id(1),
                entries: vec![rewatching],
            }],
        };
        let preview_of = |status, score| {
            let list = [title(1, status, 3, score)];
            let refs: Vec<&ReadTitle> = list.iter().collect();
            preview(
                "AniList: aoi".to_owned(),
                &refs,
                Vec::new(),
                &space,
                aoi,
                &ImportOptions::default(),
            )
            .conflicts
        };
        assert_eq!(preview_of(MediaListStatus::Repeating, 64), 0);
        assert_eq!(preview_of(MediaListStatus::Current, 66), 0);
        assert_eq!(
            preview_of(MediaListStatus::Current, 68),
            1,
            "7.0 is not 6.5"
        );
        assert_eq!(preview_of(MediaListStatus::Paused, 65), 1);
    }

    #[test]
    fn the_preview_counts_new_tracked_conflicting_and_the_overlap_with_each_member() {
        let (ren, mika, aoi) = (UserId::new(), UserId::new(), UserId::new());
        let space = SpaceLists {
            members: vec![
                (mika, "Mika".to_owned()),
                (ren, "Ren".to_owned()),
                (aoi, "Aoi".to_owned()),
            ],
            titles: vec![
                SpaceTitle {
                    media: id(1),
                    entries: vec![
                        entry(mika, "Mika", MediaListStatus::Completed, 12),
                        entry(ren, "Ren", MediaListStatus::Current, 3),
                    ],
                },
                SpaceTitle {
                    media: id(2),
                    entries: vec![entry(mika, "Mika", MediaListStatus::Planning, 0)],
                },
                SpaceTitle {
                    media: id(9),
                    entries: vec![entry(mika, "Mika", MediaListStatus::Dropped, 2)],
                },
            ],
        };
        let list = [
            title(1, MediaListStatus::Completed, 12, 90),
            title(2, MediaListStatus::Planning, 0, 0),
            title(3, MediaListStatus::Completed, 24, 70),
        ];
        let refs: Vec<&ReadTitle> = list.iter().collect();

        let preview = preview(
            "AniList: ren".to_owned(),
            &refs,
            Vec::new(),
            &space,
            ren,
            &ImportOptions::default(),
        );

        assert_eq!(preview.total, 3);
        assert_eq!(
            preview.by_status,
            [
                StatusCountDto {
                    status: MediaListStatus::Planning,
                    count: 1
                },
                StatusCountDto {
                    status: MediaListStatus::Completed,
                    count: 2
                },
            ]
        );
        assert_eq!((preview.new_to_space, preview.already_in_space), (1, 2));
        assert_eq!(
            preview.conflicts, 1,
            "Ren is at ep 3 of title 1, the list says finished"
        );
        let with_mika = &preview.overlap[0];
        assert_eq!(with_mika.display_name, "Mika");
        assert_eq!(
            (
                with_mika.both_finished,
                with_mika.only_you,
                with_mika.only_them,
                with_mika.both_planning
            ),
            (1, 1, 1, 1)
        );
        let with_aoi = &preview.overlap[1];
        assert_eq!((with_aoi.only_you, with_aoi.only_them), (3, 0));
        assert_eq!(preview.overlap.len(), 2, "not with Ren himself");
    }
}
