//! Shared stats: what a space watched together and how its shows are going. Episodes count
//! once per show however many sessions covered them; months and ISO weeks are UTC; hours use
//! AniList's episode length where it is known.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anime_tracking::contracts::WatchSpaceAnimeId;
use time::{Date, Duration, Month, OffsetDateTime, UtcOffset};

use super::{as_f64, count, round_to_hundredth, round_to_tenth};

/// How many months `sessions_per_month` covers, the current one included.
pub const MONTHS: usize = 12;

/// What the stats need of a watch session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub show: WatchSpaceAnimeId,
    pub date: OffsetDateTime,
    /// The first and last episode watched, `first <= last`.
    pub episodes: (i32, i32),
}

/// How many distinct episodes some inclusive `(first, last)` ranges cover.
pub fn episodes_covered(ranges: impl IntoIterator<Item = (i32, i32)>) -> u32 {
    let mut ranges: Vec<(i64, i64)> = ranges
        .into_iter()
        .filter(|(first, last)| first <= last)
        .map(|(first, last)| (i64::from(first), i64::from(last)))
        .collect();
    ranges.sort_unstable();
    let mut covered: i64 = 0;
    let mut reached: Option<i64> = None;
    for (first, last) in ranges {
        let start = match reached {
            Some(reached) if first <= reached => reached + 1,
            _ => first,
        };
        if last >= start {
            covered += last - start + 1;
        }
        reached = Some(reached.map_or(last, |reached| reached.max(last)));
    }
    u32::try_from(covered).unwrap_or(u32::MAX)
}

/// Distinct episodes watched together, per show.
pub fn episodes_per_show(sessions: &[Session]) -> BTreeMap<WatchSpaceAnimeId, u32> {
    let mut ranges: BTreeMap<WatchSpaceAnimeId, Vec<(i32, i32)>> = BTreeMap::new();
    for session in sessions {
        ranges
            .entry(session.show)
            .or_default()
            .push(session.episodes);
    }
    ranges
        .into_iter()
        .map(|(show, ranges)| (show, episodes_covered(ranges)))
        .collect()
}

/// Time spent watching together.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoursTogether {
    /// Rounded to tenths.
    pub hours: f64,
    /// Episodes left out because their show's length is unknown.
    pub episodes_without_duration: u32,
}

/// Hours from `(distinct episodes, minutes per episode)` per show.
pub fn hours_together(shows: impl IntoIterator<Item = (u32, Option<u32>)>) -> HoursTogether {
    let mut minutes: u64 = 0;
    let mut episodes_without_duration: u32 = 0;
    for (episodes, per_episode) in shows {
        match per_episode {
            Some(per_episode) => {
                minutes = minutes.saturating_add(u64::from(episodes) * u64::from(per_episode));
            }
            None => episodes_without_duration = episodes_without_duration.saturating_add(episodes),
        }
    }
    // Far below 2^53 minutes for any real space, so the conversion is exact.
    #[expect(clippy::cast_precision_loss)]
    let hours = minutes as f64 / 60.0;
    HoursTogether {
        hours: round_to_tenth(hours),
        episodes_without_duration,
    }
}

/// One calendar month's sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlySessions {
    pub year: i32,
    pub month: Month,
    pub sessions: u32,
    /// Distinct episodes (per show) those sessions covered.
    pub episodes: u32,
}

impl MonthlySessions {
    /// `YYYY-MM`.
    pub fn label(&self) -> String {
        format!("{:04}-{:02}", self.year, u8::from(self.month))
    }
}

/// The last [`MONTHS`] calendar months (UTC) ending with `now`'s, oldest first, months
/// without sessions included.
pub fn sessions_per_month(sessions: &[Session], now: OffsetDateTime) -> Vec<MonthlySessions> {
    let now = now.to_offset(UtcOffset::UTC);
    let mut months: Vec<(i32, Month)> = Vec::with_capacity(MONTHS);
    let (mut year, mut month) = (now.year(), now.month());
    for _ in 0..MONTHS {
        months.push((year, month));
        if month == Month::January {
            year -= 1;
        }
        month = month.previous();
    }
    months.reverse();

    let mut in_month: HashMap<(i32, Month), Vec<Session>> = HashMap::new();
    for session in sessions {
        let date = session.date.to_offset(UtcOffset::UTC);
        in_month
            .entry((date.year(), date.month()))
            .or_default()
            .push(*session);
    }
    months
        .into_iter()
        .map(|(year, month)| {
            let sessions = in_month.remove(&(year, month)).unwrap_or_default();
            MonthlySessions {
                year,
                month,
                sessions: count(sessions.len()),
                episodes: episodes_per_show(&sessions)
                    .values()
                    .fold(0u32, |total, episodes| total.saturating_add(*episodes)),
            }
        })
        .collect()
}

/// Consecutive ISO weeks (UTC) with at least one session, ending with `now`'s week, or with
/// the week before while `now`'s has none yet (the streak is not lost until the week ends).
pub fn weekly_streak(dates: impl IntoIterator<Item = OffsetDateTime>, now: OffsetDateTime) -> u32 {
    let weeks: BTreeSet<Date> = dates.into_iter().map(week_of).collect();
    let this_week = week_of(now);
    let mut week = if weeks.contains(&this_week) {
        Some(this_week)
    } else {
        this_week
            .checked_sub(Duration::weeks(1))
            .filter(|last_week| weeks.contains(last_week))
    };
    let mut streak = 0u32;
    while let Some(current) = week.filter(|current| weeks.contains(current)) {
        streak += 1;
        week = current.checked_sub(Duration::weeks(1));
    }
    streak
}

/// The Monday (UTC) of the ISO week `at` falls in.
fn week_of(at: OffsetDateTime) -> Date {
    let date = at.to_offset(UtcOffset::UTC).date();
    let since_monday = i64::from(date.weekday().number_days_from_monday());
    date.checked_sub(Duration::days(since_monday))
        .unwrap_or(date)
}

/// Finished shows over the started ones (every status but backlog), rounded to hundredths;
/// `None` before anything was started.
pub fn completion_rate(total: u32, backlog: u32, finished: u32) -> Option<f64> {
    let started = total.saturating_sub(backlog);
    (started > 0).then(|| round_to_hundredth(f64::from(finished.min(started)) / f64::from(started)))
}

/// How many shows carry one genre.
#[derive(Debug, Clone, PartialEq)]
pub struct GenreShare {
    pub genre: String,
    pub shows: u32,
    /// Over the shows with known genres, rounded to hundredths.
    pub share: f64,
}

/// The genre mix of the space's shows.
#[derive(Debug, Clone, PartialEq)]
pub struct GenreMix {
    /// Most common first, ties by name.
    pub shares: Vec<GenreShare>,
    /// Shows whose genres are unknown (no AniList metadata, or AniList lists none).
    pub shows_without_genres: u32,
}

/// Counts each show once per genre it carries; `None` is a show whose genres are unknown.
pub fn genre_mix<'a>(shows: impl IntoIterator<Item = Option<&'a [String]>>) -> GenreMix {
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    let (mut known, mut unknown) = (0usize, 0u32);
    for genres in shows {
        match genres.filter(|genres| !genres.is_empty()) {
            Some(genres) => {
                known += 1;
                let distinct: BTreeSet<&str> = genres.iter().map(String::as_str).collect();
                for genre in distinct {
                    *counts.entry(genre).or_default() += 1;
                }
            }
            None => unknown += 1,
        }
    }
    let mut shares: Vec<GenreShare> = counts
        .into_iter()
        .map(|(genre, shows)| GenreShare {
            genre: genre.to_owned(),
            shows,
            share: round_to_hundredth(f64::from(shows) / as_f64(known)),
        })
        .collect();
    // Already sorted by name, so a stable sort by count keeps name order within ties.
    shares.sort_by_key(|share| std::cmp::Reverse(share.shows));
    GenreMix {
        shares,
        shows_without_genres: unknown,
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    fn show(n: u128) -> WatchSpaceAnimeId {
        WatchSpaceAnimeId(uuid::Uuid::from_u128(n))
    }

    fn session(n: u128, date: OffsetDateTime, episodes: (i32, i32)) -> Session {
        Session {
            show: show(n),
            date,
            episodes,
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-11-25 12:00 UTC);

    #[test]
    fn overlapping_sessions_count_each_episode_once_per_show() {
        assert_eq!(episodes_covered([(1, 4), (3, 6), (6, 6), (9, 10)]), 8);
        assert_eq!(episodes_covered([(5, 5), (1, 3), (4, 4)]), 5);
        assert_eq!(episodes_covered([]), 0);
        let sessions = [
            session(1, NOW, (1, 4)),
            session(1, NOW, (2, 5)),
            session(2, NOW, (1, 4)),
        ];
        let per_show = episodes_per_show(&sessions);
        assert_eq!(per_show[&show(1)], 5);
        assert_eq!(per_show[&show(2)], 4, "other shows' episodes are their own");
    }

    #[test]
    fn hours_use_each_shows_length_and_count_unknown_lengths_apart() {
        let hours = hours_together([(13, Some(24)), (1, Some(107)), (5, None)]);
        // 13 × 24 + 107 = 419 minutes.
        assert_eq!(hours.hours, 7.0);
        assert_eq!(hours.episodes_without_duration, 5);
        assert_eq!(hours_together([(2, Some(25))]).hours, 0.8);
        assert_eq!(hours_together([]).hours, 0.0);
    }

    #[test]
    fn months_are_the_last_twelve_oldest_first_with_empty_ones() {
        let sessions = [
            session(1, datetime!(2026-11-01 00:00 UTC), (1, 2)),
            session(1, datetime!(2026-11-20 21:00 UTC), (2, 3)),
            session(2, datetime!(2026-11-21 21:00 UTC), (1, 1)),
            session(1, datetime!(2025-12-31 23:59 UTC), (1, 1)),
            // Still November in UTC.
            session(1, datetime!(2026-12-01 00:30 +01:00), (7, 7)),
            // Too old, and not yet.
            session(1, datetime!(2025-11-30 12:00 UTC), (1, 1)),
            session(1, datetime!(2026-12-02 12:00 UTC), (1, 1)),
        ];
        let months = sessions_per_month(&sessions, NOW);
        let labels: Vec<String> = months.iter().map(MonthlySessions::label).collect();
        assert_eq!(labels.len(), 12);
        assert_eq!(labels.first().unwrap(), "2025-12");
        assert_eq!(labels.last().unwrap(), "2026-11");
        assert_eq!((months[0].sessions, months[0].episodes), (1, 1));
        assert_eq!((months[11].sessions, months[11].episodes), (4, 5));
        assert!(months[1..11].iter().all(|month| month.sessions == 0));
    }

    #[test]
    fn january_looks_back_into_last_year() {
        let months = sessions_per_month(&[], datetime!(2027-01-03 08:00 UTC));
        assert_eq!(months[0].label(), "2026-02");
        assert_eq!(months[10].label(), "2026-12");
        assert_eq!(months[11].label(), "2027-01");
    }

    #[test]
    fn the_streak_counts_weeks_back_from_this_week_or_last() {
        // NOW is Wednesday 25 November 2026 (ISO week 48).
        let this_week = datetime!(2026-11-23 00:00 UTC);
        let last_week = datetime!(2026-11-22 23:59 UTC);
        let two_weeks_ago = datetime!(2026-11-10 18:00 UTC);
        let four_weeks_ago = datetime!(2026-10-28 18:00 UTC);
        assert_eq!(weekly_streak([this_week, last_week, two_weeks_ago], NOW), 3);
        assert_eq!(
            weekly_streak([last_week, two_weeks_ago, four_weeks_ago], NOW),
            2
        );
        assert_eq!(weekly_streak([this_week, two_weeks_ago], NOW), 1);
        assert_eq!(
            weekly_streak([two_weeks_ago], NOW),
            0,
            "the streak is broken"
        );
        assert_eq!(weekly_streak([], NOW), 0);
        assert_eq!(
            weekly_streak([datetime!(2026-11-23 00:30 +02:00)], NOW),
            1,
            "Sunday 22:30 UTC is last week"
        );
    }

    #[test]
    fn completion_ignores_the_backlog() {
        assert_eq!(completion_rate(10, 4, 2), Some(0.33));
        assert_eq!(completion_rate(3, 0, 3), Some(1.0));
        assert_eq!(completion_rate(4, 4, 0), None);
        assert_eq!(completion_rate(0, 0, 0), None);
    }

    #[test]
    fn genres_count_shows_most_common_first_then_by_name() {
        let romance = vec!["Romance".to_owned(), "Drama".to_owned()];
        let drama = vec!["Drama".to_owned(), "Drama".to_owned()];
        let comedy = vec!["Comedy".to_owned()];
        let none: Vec<String> = Vec::new();
        let mix = genre_mix([
            Some(romance.as_slice()),
            Some(drama.as_slice()),
            Some(comedy.as_slice()),
            None,
            Some(none.as_slice()),
        ]);
        let shares: Vec<(&str, u32, f64)> = mix
            .shares
            .iter()
            .map(|share| (share.genre.as_str(), share.shows, share.share))
            .collect();
        assert_eq!(
            shares,
            [
                ("Drama", 2, 0.67),
                ("Comedy", 1, 0.33),
                ("Romance", 1, 0.33)
            ]
        );
        assert_eq!(mix.shows_without_genres, 2);
        assert!(genre_mix([None]).shares.is_empty());
    }

    fn any_range() -> impl Strategy<Value = (i32, i32)> {
        (1i32..60, 0i32..12).prop_map(|(first, length)| (first, first + length))
    }

    proptest! {
        #[test]
        fn the_union_counts_exactly_the_episodes_some_range_covers(ranges in prop::collection::vec(any_range(), 0..12)) {
            let brute: BTreeSet<i32> = ranges.iter().flat_map(|(first, last)| *first..=*last).collect();
            prop_assert_eq!(episodes_covered(ranges.iter().copied()), count(brute.len()));
            let mut reversed = ranges.clone();
            reversed.reverse();
            prop_assert_eq!(episodes_covered(reversed), episodes_covered(ranges));
        }

        #[test]
        fn months_always_end_with_the_current_one_and_lose_no_recent_session(
            days_ago in prop::collection::vec(0i64..400, 0..30),
            now_offset in 0i64..800,
        ) {
            let now = NOW + Duration::days(now_offset);
            let sessions: Vec<Session> = days_ago
                .iter()
                .map(|days| session(1, now - Duration::days(*days), (1, 1)))
                .collect();
            let months = sessions_per_month(&sessions, now);
            prop_assert_eq!(months.len(), MONTHS);
            let last = months.last().unwrap();
            prop_assert_eq!((last.year, last.month), (now.year(), now.month()));
            let counted: u32 = months.iter().map(|month| month.sessions).sum();
            let recent = sessions.iter().filter(|s| (now - s.date).whole_days() < 300).count();
            prop_assert!(counted >= count(recent));
            prop_assert!(counted <= count(sessions.len()));
            prop_assert!(months.iter().all(|month| month.episodes <= month.sessions));
        }

        #[test]
        fn a_session_this_week_never_shortens_the_streak(days_ago in prop::collection::vec(0i64..120, 0..20)) {
            let dates: Vec<OffsetDateTime> = days_ago.iter().map(|days| NOW - Duration::days(*days)).collect();
            let before = weekly_streak(dates.iter().copied(), NOW);
            let weeks: BTreeSet<Date> = dates.iter().copied().map(week_of).collect();
            prop_assert!(before <= count(weeks.len()));
            let after = weekly_streak(dates.iter().copied().chain([NOW]), NOW);
            prop_assert!(after >= before.max(1));
        }

        #[test]
        fn genre_shares_stay_between_0_and_1_in_order(
            shows in prop::collection::vec(prop::option::of(prop::collection::vec(0usize..5, 0..4)), 0..12),
        ) {
            let names = ["Action", "Comedy", "Drama", "Romance", "Sports"];
            let genres: Vec<Option<Vec<String>>> = shows
                .iter()
                .map(|show| show.as_ref().map(|picks| picks.iter().map(|i| names[*i].to_owned()).collect()))
                .collect();
            let mix = genre_mix(genres.iter().map(Option::as_deref));
            for share in &mix.shares {
                prop_assert!((0.0..=1.0).contains(&share.share));
            }
            for pair in mix.shares.windows(2) {
                prop_assert!(pair[0].shows > pair[1].shows
                    || (pair[0].shows == pair[1].shows && pair[0].genre < pair[1].genre));
            }
            let known = genres.iter().filter(|g| g.as_ref().is_some_and(|g| !g.is_empty())).count();
            prop_assert_eq!(mix.shows_without_genres, count(genres.len() - known));
        }
    }
}
