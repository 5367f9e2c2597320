//! The random pick: one show from the shared backlog that no current member dropped, matching
//! the filters, chosen uniformly, never the space's previous pick while there is another.

use anime_tracking::contracts::WatchSpaceAnimeId;
use kernel::FieldErrors;
use rand::seq::SliceRandom;
use rand::Rng;

use crate::contracts::RandomPickQuery;

/// The longest genre or mood filter, as long as the longest mood a show can have.
pub const MAX_FILTER_CHARACTERS: usize = 80;
/// The largest episode or minute budget a filter accepts.
pub const MAX_BUDGET: u32 = 10_000;

/// Filter text: trimmed, 1 to [`MAX_FILTER_CHARACTERS`] characters, compared ignoring case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterText {
    shown: String,
    folded: String,
}

impl FilterText {
    fn parse(raw: &str, what: &str) -> Result<Self, String> {
        let shown = raw.trim();
        if shown.is_empty() {
            return Err(format!("Type a {what}, or leave this filter out."));
        }
        if shown.chars().count() > MAX_FILTER_CHARACTERS {
            return Err(format!(
                "A {what} is at most {MAX_FILTER_CHARACTERS} characters."
            ));
        }
        Ok(Self {
            shown: shown.to_owned(),
            folded: shown.to_lowercase(),
        })
    }

    fn equals(&self, text: &str) -> bool {
        text.to_lowercase() == self.folded
    }

    fn is_in(&self, text: &str) -> bool {
        text.to_lowercase().contains(&self.folded)
    }
}

/// A checked random-pick query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PickFilters {
    genre: Option<FilterText>,
    max_episodes: Option<u32>,
    max_minutes: Option<u32>,
    mood: Option<FilterText>,
}

impl PickFilters {
    /// Checks every filter, collecting a message per invalid field (camelCase names).
    ///
    /// # Errors
    /// The messages of the invalid fields.
    pub fn parse(query: &RandomPickQuery) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut text = |field: &str, what: &str, raw: Option<&str>| {
            raw.and_then(|raw| errors.collect(field, FilterText::parse(raw, what)))
        };
        let genre = text("genre", "genre", query.genre.as_deref());
        let mood = text("mood", "mood", query.mood.as_deref());
        let budget = |errors: &mut FieldErrors, field: &str, unit: &str, raw: Option<u32>| {
            raw.and_then(|value| {
                let valid = (1..=MAX_BUDGET).contains(&value);
                if !valid {
                    errors.add(field, format!("Choose from 1 to {MAX_BUDGET} {unit}."));
                }
                valid.then_some(value)
            })
        };
        let max_episodes = budget(&mut errors, "maxEpisodes", "episodes", query.max_episodes);
        let max_minutes = budget(&mut errors, "maxMinutes", "minutes", query.max_minutes);
        if errors.is_empty() {
            Ok(Self {
                genre,
                max_episodes,
                max_minutes,
                mood,
            })
        } else {
            Err(errors)
        }
    }

    fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    fn admit(&self, show: &Show<'_>) -> bool {
        let genre = self.genre.as_ref().is_none_or(|wanted| {
            show.genres
                .is_some_and(|genres| genres.iter().any(|genre| wanted.equals(genre)))
        });
        let episodes = self.max_episodes.is_none_or(|max| {
            show.remaining_episodes
                .is_some_and(|remaining| remaining <= max)
        });
        let minutes = self.max_minutes.is_none_or(|max| {
            show.remaining_minutes()
                .is_some_and(|remaining| remaining <= u64::from(max))
        });
        let mood = self
            .mood
            .as_ref()
            .is_none_or(|wanted| show.mood.is_some_and(|mood| wanted.is_in(mood)));
        genre && episodes && minutes && mood
    }

    /// The filters in words, e.g. `genre “Romance”, at most 3 episodes left`.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(genre) = &self.genre {
            parts.push(format!("genre “{}”", genre.shown));
        }
        if let Some(max) = self.max_episodes {
            parts.push(format!("at most {}", plural(max, "episode")));
        }
        if let Some(max) = self.max_minutes {
            parts.push(format!("at most {}", plural(max, "minute")));
        }
        if let Some(mood) = &self.mood {
            parts.push(format!("mood “{}”", mood.shown));
        }
        parts.join(", ")
    }
}

/// `1 episode left`, `3 episodes left`.
fn plural(count: u32, unit: &str) -> String {
    if count == 1 {
        format!("1 {unit} left")
    } else {
        format!("{count} {unit}s left")
    }
}

/// What the pick needs to know about one tracked show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Show<'a> {
    pub id: WatchSpaceAnimeId,
    /// The shared status is backlog.
    pub in_backlog: bool,
    /// A current member set their own status to dropped.
    pub dropped_by_a_member: bool,
    /// AniList's genres; `None` while unknown.
    pub genres: Option<&'a [String]>,
    /// Episodes left for the space; `None` while the episode count is unknown.
    pub remaining_episodes: Option<u32>,
    /// Minutes per episode; `None` while unknown.
    pub minutes_per_episode: Option<u32>,
    pub mood: Option<&'a str>,
}

impl Show<'_> {
    /// Minutes left to watch, when both the episodes left and their length are known.
    pub fn remaining_minutes(&self) -> Option<u64> {
        Some(u64::from(self.remaining_episodes?) * u64::from(self.minutes_per_episode?))
    }
}

/// Episodes left to watch: the count minus the shared progress (never below 0); `None`
/// while AniList does not know the count.
pub fn remaining_episodes(episode_count: Option<i32>, watched: i32) -> Option<u32> {
    let left = episode_count?.saturating_sub(watched).max(0);
    u32::try_from(left).ok()
}

/// The shows a pick may choose from, or why there are none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Candidates {
    /// In the order given, never empty.
    Found(Vec<WatchSpaceAnimeId>),
    /// No show has the shared status backlog.
    EmptyBacklog,
    /// No backlog show matches the filters.
    NothingMatches,
    /// Every matching backlog show was dropped by a current member.
    AllDropped,
}

impl Candidates {
    /// Why there is no pick, in words for the members; `None` when there are candidates.
    pub fn message(&self, filters: &PickFilters) -> Option<String> {
        match self {
            Self::Found(_) => None,
            Self::EmptyBacklog => Some(
                "Your backlog is empty. Add a show to it, then ask for a pick again.".to_owned(),
            ),
            Self::NothingMatches => Some(format!(
                "No backlog show matches {}. Try loosening the filters.",
                filters.describe()
            )),
            Self::AllDropped if filters.is_empty() => Some(
                "Everything left in the backlog was dropped by someone in the space.".to_owned(),
            ),
            Self::AllDropped => Some(format!(
                "Every backlog show matching {} was dropped by someone in the space.",
                filters.describe()
            )),
        }
    }
}

/// The backlog shows that match the filters and that no current member dropped.
pub fn candidates(shows: &[Show<'_>], filters: &PickFilters) -> Candidates {
    let backlog: Vec<&Show<'_>> = shows.iter().filter(|show| show.in_backlog).collect();
    if backlog.is_empty() {
        return Candidates::EmptyBacklog;
    }
    let matching: Vec<&Show<'_>> = backlog
        .into_iter()
        .filter(|show| filters.admit(show))
        .collect();
    if matching.is_empty() {
        return Candidates::NothingMatches;
    }
    let kept: Vec<WatchSpaceAnimeId> = matching
        .into_iter()
        .filter(|show| !show.dropped_by_a_member)
        .map(|show| show.id)
        .collect();
    if kept.is_empty() {
        Candidates::AllDropped
    } else {
        Candidates::Found(kept)
    }
}

/// A chosen show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub pick: WatchSpaceAnimeId,
    /// It is the previous pick again: it was the only candidate.
    pub repeated: bool,
}

/// One candidate, uniformly among those other than `previous`; `previous` itself only when it
/// is the only candidate. `None` without candidates.
pub fn choose<R: Rng + ?Sized>(
    candidates: &[WatchSpaceAnimeId],
    previous: Option<WatchSpaceAnimeId>,
    rng: &mut R,
) -> Option<Choice> {
    let others: Vec<WatchSpaceAnimeId> = candidates
        .iter()
        .copied()
        .filter(|candidate| Some(*candidate) != previous)
        .collect();
    match others.choose(rng) {
        Some(pick) => Some(Choice {
            pick: *pick,
            repeated: false,
        }),
        None => candidates.first().map(|pick| Choice {
            pick: *pick,
            repeated: true,
        }),
    }
}

/// Said when the previous pick had to be picked again.
pub fn repeat_message(title: &str) -> String {
    format!("“{title}” is the only show that matches, so it is picked again.")
}

#[cfg(test)]
mod tests {

    use super::*;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn id(n: u128) -> WatchSpaceAnimeId {
        WatchSpaceAnimeId(uuid::Uuid::from_u128(n))
    }

    fn backlog(n: u128) -> Show<'static> {
        Show {
            id: id(n),
            in_backlog: true,
            dropped_by_a_member: false,
            genres: None,
            remaining_episodes: None,
            minutes_per_episode: None,
            mood: None,
        }
    }

    fn query(
        genre: Option<&str>,
        max_episodes: Option<u32>,
        max_minutes: Option<u32>,
        mood: Option<&str>,
    ) -> RandomPickQuery {
        RandomPickQuery {
            genre: genre.map(Into::into),
            max_episodes,
            max_minutes,
            mood: mood.map(Into::into),
        }
    }

    fn filters(query: &RandomPickQuery) -> PickFilters {
        PickFilters::parse(query).unwrap()
    }

    #[test]
    fn filters_are_trimmed_and_bounded_with_a_message_per_field() {
        let parsed = filters(&query(Some("  Romance "), Some(1), Some(10_000), None));
        assert_eq!(
            parsed.describe(),
            "genre “Romance”, at most 1 episode left, at most 10000 minutes left"
        );
        let errors = PickFilters::parse(&query(
            Some("   "),
            Some(0),
            Some(10_001),
            Some(&"m".repeat(81)),
        ))
        .unwrap_err();
        assert_eq!(
            errors.for_field("genre"),
            Some("Type a genre, or leave this filter out.")
        );
        assert_eq!(
            errors.for_field("maxEpisodes"),
            Some("Choose from 1 to 10000 episodes.")
        );
        assert_eq!(
            errors.for_field("maxMinutes"),
            Some("Choose from 1 to 10000 minutes.")
        );
        assert_eq!(
            errors.for_field("mood"),
            Some("A mood is at most 80 characters.")
        );
        assert!(PickFilters::parse(&query(Some(&"é".repeat(80)), None, None, None)).is_ok());
    }

    #[test]
    fn filters_match_genre_and_mood_ignoring_case_and_skip_unknowns() {
        let genres = ["Drama".to_owned(), "Slice of Life".to_owned()];
        let known = Show {
            genres: Some(&genres),
            remaining_episodes: Some(4),
            minutes_per_episode: Some(24),
            mood: Some("Cozy & warm"),
            ..backlog(1)
        };
        let unknown = backlog(2);
        let shows = [known, unknown];
        let pick = |q: RandomPickQuery| candidates(&shows, &filters(&q));
        assert_eq!(
            pick(query(None, None, None, None)),
            Candidates::Found(vec![id(1), id(2)])
        );
        assert_eq!(
            pick(query(Some("slice of life"), None, None, None)),
            Candidates::Found(vec![id(1)])
        );
        assert_eq!(
            pick(query(Some("slice"), None, None, None)),
            Candidates::NothingMatches
        );
        assert_eq!(
            pick(query(None, Some(4), None, None)),
            Candidates::Found(vec![id(1)])
        );
        assert_eq!(
            pick(query(None, Some(3), None, None)),
            Candidates::NothingMatches
        );
        assert_eq!(
            pick(query(None, None, Some(96), None)),
            Candidates::Found(vec![id(1)])
        );
        assert_eq!(
            pick(query(None, None, Some(95), None)),
            Candidates::NothingMatches
        );
        assert_eq!(
            pick(query(None, None, None, Some("COZY"))),
            Candidates::Found(vec![id(1)])
        );
        assert_eq!(
            pick(query(None, None, None, Some("sad"))),
            Candidates::NothingMatches
        );
    }

    #[test]
    fn no_pick_says_why() {
        let none = PickFilters::default();
        let not_backlog = Show {
            in_backlog: false,
            ..backlog(1)
        };
        let dropped = Show {
            dropped_by_a_member: true,
            mood: Some("cozy"),
            ..backlog(2)
        };
        assert_eq!(candidates(&[], &none), Candidates::EmptyBacklog);
        assert_eq!(candidates(&[not_backlog], &none), Candidates::EmptyBacklog);
        assert_eq!(
            candidates(&[not_backlog, dropped], &none),
            Candidates::AllDropped
        );
        let cozy = filters(&query(None, None, None, Some("cozy")));
        let sad = filters(&query(None, Some(3), None, Some("sad")));
        assert_eq!(candidates(&[dropped], &cozy), Candidates::AllDropped);
        assert_eq!(candidates(&[dropped], &sad), Candidates::NothingMatches);
        assert_eq!(
            Candidates::EmptyBacklog.message(&none).unwrap(),
            "Your backlog is empty. Add a show to it, then ask for a pick again."
        );
        assert_eq!(
            Candidates::NothingMatches.message(&sad).unwrap(),
            "No backlog show matches at most 3 episodes left, mood “sad”. Try loosening the filters."
        );
        assert_eq!(
            Candidates::AllDropped.message(&none).unwrap(),
            "Everything left in the backlog was dropped by someone in the space."
        );
        assert_eq!(
            Candidates::AllDropped.message(&cozy).unwrap(),
            "Every backlog show matching mood “cozy” was dropped by someone in the space."
        );
        assert_eq!(Candidates::Found(vec![id(1)]).message(&none), None);
    }

    #[test]
    fn remaining_episodes_never_go_below_zero() {
        assert_eq!(remaining_episodes(Some(12), 5), Some(7));
        assert_eq!(remaining_episodes(Some(12), 14), Some(0));
        assert_eq!(remaining_episodes(None, 0), None);
    }

    #[test]
    fn the_only_candidate_repeats_and_says_so() {
        let mut rng = StdRng::seed_from_u64(7);
        assert_eq!(
            choose(&[id(1)], Some(id(1)), &mut rng),
            Some(Choice {
                pick: id(1),
                repeated: true
            })
        );
        assert_eq!(
            choose(&[id(1)], Some(id(2)), &mut rng),
            Some(Choice {
                pick: id(1),
                repeated: false
            })
        );
        assert_eq!(choose(&[], Some(id(1)), &mut rng), None);
        assert!(repeat_message("Frieren").contains("only show"));
    }

    #[test]
    fn each_of_three_candidates_comes_up_about_a_third_of_the_time() {
        let mut rng = StdRng::seed_from_u64(42);
        let candidates = [id(1), id(2), id(3)];
        let mut seen = [0u32; 3];
        for _ in 0..3_000 {
            let pick = choose(&candidates, None, &mut rng).unwrap().pick;
            let index = candidates.iter().position(|c| *c == pick).unwrap();
            seen[index] += 1;
        }
        assert!(seen.iter().all(|n| (850..=1_150).contains(n)), "{seen:?}");

        let mut seen = [0u32; 3];
        for _ in 0..2_000 {
            let pick = choose(&candidates, Some(id(2)), &mut rng).unwrap().pick;
            seen[candidates.iter().position(|c| *c == pick).unwrap()] += 1;
        }
        assert_eq!(seen[1], 0);
        assert!(seen[0] > 850 && seen[2] > 850, "{seen:?}");
    }

    fn any_show() -> impl Strategy<Value = (bool, bool, Option<u32>, bool)> {
        (
            any::<bool>(),
            any::<bool>(),
            prop::option::of(0u32..30),
            any::<bool>(),
        )
    }

    proptest! {
        #[test]
        fn a_pick_is_always_a_matching_backlog_show_nobody_dropped_and_not_the_previous_one(
            shows in prop::collection::vec(any_show(), 0..12),
            max_episodes in prop::option::of(1u32..30),
            previous in prop::option::of(0usize..12),
            seed in any::<u64>(),
        ) {
            let genres = ["Romance".to_owned()];
            let shows: Vec<Show<'_>> = shows
                .iter()
                .enumerate()
                .map(|(n, (in_backlog, dropped, remaining, romance))| Show {
                    in_backlog: *in_backlog,
                    dropped_by_a_member: *dropped,
                    remaining_episodes: *remaining,
                    genres: romance.then_some(genres.as_slice()),
                    ..backlog(n as u128)
                })
                .collect();
            let filters = filters(&query(None, max_episodes, None, None));
            let previous = previous.map(|n| id(n as u128));
            let mut rng = StdRng::seed_from_u64(seed);
            match candidates(&shows, &filters) {
                Candidates::Found(found) => {
                    prop_assert!(!found.is_empty());
                    let choice = choose(&found, previous, &mut rng).unwrap();
                    let show = shows.iter().find(|show| show.id == choice.pick).unwrap();
                    prop_assert!(show.in_backlog && !show.dropped_by_a_member && filters.admit(show));
                    if found.len() >= 2 {
                        prop_assert!(Some(choice.pick) != previous);
                        prop_assert!(!choice.repeated);
                    }
                    prop_assert_eq!(choice.repeated, Some(choice.pick) == previous);
                }
                reason => {
                    prop_assert!(reason.message(&filters).is_some());
                    prop_assert!(shows.iter().all(|show| !show.in_backlog
                        || show.dropped_by_a_member
                        || !filters.admit(show)));
                }
            }
        }
    }
}
