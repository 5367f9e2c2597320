use anilist_sync::contracts::{AniListMediaId, MediaDto, MediaFormat, MediaSeason};
use identity::contracts::UserId;
use time::OffsetDateTime;
use uuid::Uuid;
use watch_spaces::contracts::{Role, WatchSpaceId};

use super::session::{Attendees, EpisodeRange, WatchSession};
use crate::contracts::{
    EpisodeError, EpisodeNumber, EpisodesWatched, ImportMerge, Mood, Notes, Pitch, RatingScore,
    Vibe, WatchSessionId, WatchSpaceAnimeId, WatchStatus,
};

/// Why a progress or an episode number does not fit this show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EpisodeBoundError {
    #[error(transparent)]
    Invalid(#[from] EpisodeError),
    #[error("This show has {}, so progress can be at most {count}.", episodes(*count))]
    ProgressBeyondCount { count: i32 },
    #[error("This show has {}, so there is no episode {episode}.", episodes(*count))]
    EpisodeBeyondCount { count: i32, episode: i32 },
}

fn episodes(count: i32) -> String {
    if count == 1 {
        "1 episode".to_owned()
    } else {
        format!("{count} episodes")
    }
}

/// Only an owner of the space or the member who added the anime may remove it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("only an owner or the member who added the anime may remove it")]
pub struct NotAllowedToRemove;

/// What AniList said about the anime, as last taken over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaSnapshot {
    pub anilist_media_id: AniListMediaId,
    pub preferred_title: String,
    pub preferred_title_english: Option<String>,
    /// `None` while AniList does not know; never zero or negative.
    pub episode_count: Option<i32>,
    pub cover_image_url: Option<String>,
    pub format: Option<MediaFormat>,
    pub season: Option<MediaSeason>,
    pub season_year: Option<i32>,
}

impl From<&MediaDto> for MediaSnapshot {
    fn from(media: &MediaDto) -> Self {
        Self {
            anilist_media_id: media.anilist_media_id,
            preferred_title: media.title_romaji.clone(),
            preferred_title_english: media.title_english.clone(),
            episode_count: media.episodes.filter(|count| *count > 0),
            cover_image_url: media
                .cover_image_large
                .clone()
                .or_else(|| media.cover_image_medium.clone()),
            format: media.format,
            season: media.season,
            season_year: media.season_year,
        }
    }
}

/// One member's own tracking of the anime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantEntry {
    pub id: Uuid,
    pub user_id: UserId,
    pub status: WatchStatus,
    pub episodes_watched: EpisodesWatched,
    pub rating: Option<RatingScore>,
    pub rating_notes: Option<Notes>,
    pub last_updated_at: OffsetDateTime,
    pub updated_by: UserId,
    /// The stored version; 0 while the entry is not stored yet.
    pub version: i32,
}

impl ParticipantEntry {
    /// Records who changed the entry last, and when.
    fn touch(&mut self, actor: UserId, now: OffsetDateTime) {
        self.last_updated_at = now;
        self.updated_by = actor;
    }

    /// A member who has not started: backlog, nothing watched, no rating, not stored.
    fn not_started(user_id: UserId, actor: UserId, now: OffsetDateTime) -> Self {
        Self {
            id: Uuid::new_v4(),
            user_id,
            status: WatchStatus::Backlog,
            episodes_watched: EpisodesWatched::ZERO,
            rating: None,
            rating_notes: None,
            last_updated_at: now,
            updated_by: actor,
            version: 0,
        }
    }
}

/// What an import brings for one member's own entry of one anime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEntry {
    pub status: WatchStatus,
    /// As the list says; beyond a known episode count it stops at the count.
    pub episodes_watched: EpisodesWatched,
    /// `None`: the list has no score, or the member does not bring scores.
    pub rating: Option<RatingScore>,
    /// `None`: no notes, or the member does not bring notes.
    pub notes: Option<Notes>,
}

/// The shared fields an edit changes: `None` leaves a field, `Some(None)` clears a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedEdit {
    pub status: Option<WatchStatus>,
    pub episodes_watched: Option<EpisodesWatched>,
    pub mood: Option<Option<Mood>>,
    pub vibe: Option<Option<Vibe>>,
    pub pitch: Option<Option<Pitch>>,
}

/// An anime tracked in one space, with every member's entry: the unit that keeps progress
/// within the episode count and applies what a watch session does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchSpaceAnime {
    pub id: WatchSpaceAnimeId,
    pub watch_space_id: WatchSpaceId,
    pub media: MediaSnapshot,
    pub shared_status: WatchStatus,
    pub shared_episodes_watched: EpisodesWatched,
    pub mood: Option<Mood>,
    pub vibe: Option<Vibe>,
    pub pitch: Option<Pitch>,
    pub added_by: UserId,
    pub added_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub updated_by: UserId,
    /// The stored version of the shared state.
    pub version: i32,
    entries: Vec<ParticipantEntry>,
}

impl WatchSpaceAnime {
    /// `actor` starts tracking the anime in the space.
    pub fn add(
        watch_space_id: WatchSpaceId,
        media: MediaSnapshot,
        status: WatchStatus,
        actor: UserId,
        now: OffsetDateTime,
    ) -> Self {
        Self {
            id: WatchSpaceAnimeId::new(),
            watch_space_id,
            media,
            shared_status: status,
            shared_episodes_watched: EpisodesWatched::ZERO,
            mood: None,
            vibe: None,
            pitch: None,
            added_by: actor,
            added_at: now,
            updated_at: now,
            updated_by: actor,
            version: 1,
            entries: Vec::new(),
        }
    }

    /// The anime as stored; `shared` is everything but the entries.
    pub fn restore(shared: Self, entries: Vec<ParticipantEntry>) -> Self {
        Self { entries, ..shared }
    }

    pub fn entries(&self) -> &[ParticipantEntry] {
        &self.entries
    }

    pub fn entry(&self, user: UserId) -> Option<&ParticipantEntry> {
        self.entries.iter().find(|entry| entry.user_id == user)
    }

    /// The version of `user`'s entry, 0 when they have none yet.
    pub fn entry_version(&self, user: UserId) -> i32 {
        self.entry(user).map_or(0, |entry| entry.version)
    }

    /// Someone's progress is beyond the episode count AniList reports now.
    pub fn needs_attention(&self) -> bool {
        self.media.episode_count.is_some_and(|count| {
            self.shared_episodes_watched.get() > count
                || self
                    .entries
                    .iter()
                    .any(|entry| entry.episodes_watched.get() > count)
        })
    }

    /// Parses a progress for this show: 0 to the episode count when it is known.
    pub fn progress(&self, raw: i32) -> Result<EpisodesWatched, EpisodeBoundError> {
        let progress = EpisodesWatched::new(raw)?;
        match self.media.episode_count {
            Some(count) if raw > count => Err(EpisodeBoundError::ProgressBeyondCount { count }),
            _ => Ok(progress),
        }
    }

    /// Parses an episode number of this show: 1 to the episode count when it is known.
    pub fn episode(&self, raw: i32) -> Result<EpisodeNumber, EpisodeBoundError> {
        let episode = EpisodeNumber::new(raw)?;
        match self.media.episode_count {
            Some(count) if raw > count => Err(EpisodeBoundError::EpisodeBeyondCount {
                count,
                episode: raw,
            }),
            _ => Ok(episode),
        }
    }

    /// Whether `actor`, whose role in the space is `role`, may remove the anime.
    pub fn ensure_removable_by(&self, actor: UserId, role: Role) -> Result<(), NotAllowedToRemove> {
        if role == Role::Owner || self.added_by == actor {
            Ok(())
        } else {
            Err(NotAllowedToRemove)
        }
    }

    /// Applies an edit of the shared state (progress parsed with [`Self::progress`]; it may go
    /// down: someone corrects a typo). Changes nothing when the edit changes nothing.
    pub fn edit_shared(&mut self, edit: SharedEdit, actor: UserId, now: OffsetDateTime) {
        let before = self.clone();
        if let Some(status) = edit.status {
            self.shared_status = status;
        }
        if let Some(episodes) = edit.episodes_watched {
            self.shared_episodes_watched = episodes;
        }
        if let Some(mood) = edit.mood {
            self.mood = mood;
        }
        if let Some(vibe) = edit.vibe {
            self.vibe = vibe;
        }
        if let Some(pitch) = edit.pitch {
            self.pitch = pitch;
        }
        if *self != before {
            self.touch(actor, now);
        }
    }

    /// Sets `user`'s own status and progress (parsed with [`Self::progress`]; it may go
    /// down), creating their entry on their first change.
    pub fn update_progress(
        &mut self,
        user: UserId,
        status: Option<WatchStatus>,
        episodes_watched: Option<EpisodesWatched>,
        now: OffsetDateTime,
    ) {
        let entry = self.entry_mut(user, user, now);
        if let Some(status) = status {
            entry.status = status;
        }
        if let Some(episodes) = episodes_watched {
            entry.episodes_watched = episodes;
        }
        entry.touch(user, now);
    }

    /// Sets `user`'s rating and notes, or clears both with `None`.
    pub fn rate(
        &mut self,
        user: UserId,
        rating: Option<(RatingScore, Option<Notes>)>,
        now: OffsetDateTime,
    ) {
        let entry = self.entry_mut(user, user, now);
        let (score, notes) = rating.map_or((None, None), |(score, notes)| (Some(score), notes));
        entry.rating = score;
        entry.rating_notes = notes;
        entry.touch(user, now);
    }

    /// Brings `imported` into `user`'s own entry (created when they have none), as `merge`
    /// says. Returns whether the entry is new or changed; nobody else's entry is touched.
    pub fn import_entry(
        &mut self,
        user: UserId,
        imported: &ImportedEntry,
        merge: ImportMerge,
        now: OffsetDateTime,
    ) -> bool {
        let episodes = match self.media.episode_count {
            Some(count) if imported.episodes_watched.get() > count => {
                EpisodesWatched::new(count).unwrap_or(imported.episodes_watched)
            }
            _ => imported.episodes_watched,
        };
        let entry = self.entry_mut(user, user, now);
        let before = entry.clone();
        match merge {
            ImportMerge::Overwrite => {
                entry.status = imported.status;
                entry.episodes_watched = episodes;
                entry.rating = imported.rating;
                entry.rating_notes = imported.rating.and(imported.notes.clone());
            }
            ImportMerge::Forward => {
                entry.status = forward_status(entry.status, imported.status);
                entry.episodes_watched = entry.episodes_watched.max(episodes);
                if entry.rating.is_none() && imported.rating.is_some() {
                    entry.rating = imported.rating;
                    entry.rating_notes = entry.rating_notes.take().or(imported.notes.clone());
                }
            }
        }
        let changed = entry.version == 0 || *entry != before;
        if changed {
            entry.touch(user, now);
        }
        changed
    }

    /// Records that `attendees` watched `episodes` together. The shared progress and each
    /// attendee's progress move to the session's last episode when that is further (never
    /// backwards); backlog or paused becomes watching, and reaching the known episode count
    /// becomes finished.
    pub fn record_session(
        &mut self,
        episodes: EpisodeRange,
        attendees: Attendees,
        session_date: OffsetDateTime,
        notes: Option<Notes>,
        actor: UserId,
        now: OffsetDateTime,
    ) -> WatchSession {
        let count = self.media.episode_count;
        let (status, progress) = advance(
            self.shared_status,
            self.shared_episodes_watched,
            episodes.end(),
            count,
        );
        if (status, progress) != (self.shared_status, self.shared_episodes_watched) {
            self.shared_status = status;
            self.shared_episodes_watched = progress;
            self.touch(actor, now);
        }
        for &user in attendees.user_ids() {
            let entry = self.entry_mut(user, actor, now);
            let (status, progress) =
                advance(entry.status, entry.episodes_watched, episodes.end(), count);
            if entry.version == 0 || (status, progress) != (entry.status, entry.episodes_watched) {
                entry.status = status;
                entry.episodes_watched = progress;
                entry.touch(actor, now);
            }
        }
        WatchSession {
            id: WatchSessionId::new(),
            anime_id: self.id,
            session_date,
            episodes,
            notes,
            created_by: actor,
            created_at: now,
            attendees: attendees.user_ids().to_vec(),
        }
    }

    fn touch(&mut self, actor: UserId, now: OffsetDateTime) {
        self.updated_at = now.max(self.added_at);
        self.updated_by = actor;
    }

    fn entry_mut(
        &mut self,
        user: UserId,
        actor: UserId,
        now: OffsetDateTime,
    ) -> &mut ParticipantEntry {
        let index = match self.entries.iter().position(|entry| entry.user_id == user) {
            Some(index) => index,
            None => {
                self.entries
                    .push(ParticipantEntry::not_started(user, actor, now));
                self.entries.len() - 1
            }
        };
        &mut self.entries[index]
    }
}

/// Where a status moves when an import brings `imported`: only on, never back.
fn forward_status(current: WatchStatus, imported: WatchStatus) -> WatchStatus {
    match (current, imported) {
        (WatchStatus::Backlog, imported) => imported,
        (WatchStatus::Watching, WatchStatus::Finished) => WatchStatus::Finished,
        (current, _) => current,
    }
}

/// A status and progress after watching up to `end`.
fn advance(
    status: WatchStatus,
    progress: EpisodesWatched,
    end: EpisodeNumber,
    count: Option<i32>,
) -> (WatchStatus, EpisodesWatched) {
    let progress = match EpisodesWatched::new(end.get()) {
        Ok(reached) if reached > progress => reached,
        _ => progress,
    };
    let status = if count.is_some_and(|count| progress.get() >= count && end.get() >= count) {
        WatchStatus::Finished
    } else if matches!(status, WatchStatus::Backlog | WatchStatus::Paused) {
        WatchStatus::Watching
    } else {
        status
    };
    (status, progress)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contracts::MAX_EPISODES;
    use proptest::prelude::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-25 12:00 UTC);

    fn snapshot(episode_count: Option<i32>) -> MediaSnapshot {
        MediaSnapshot {
            anilist_media_id: AniListMediaId::new(1).unwrap(),
            preferred_title: "Yagate Kimi ni Naru".into(),
            preferred_title_english: Some("Bloom Into You".into()),
            episode_count,
            cover_image_url: None,
            format: None,
            season: None,
            season_year: None,
        }
    }

    fn anime(episode_count: Option<i32>) -> (WatchSpaceAnime, UserId, UserId) {
        let (ann, kai) = (UserId::new(), UserId::new());
        let anime = WatchSpaceAnime::add(
            WatchSpaceId::new(),
            snapshot(episode_count),
            WatchStatus::Backlog,
            ann,
            NOW,
        );
        (anime, ann, kai)
    }

    fn range(start: i32, end: i32) -> EpisodeRange {
        EpisodeRange::new(
            EpisodeNumber::new(start).unwrap(),
            EpisodeNumber::new(end).unwrap(),
        )
        .unwrap()
    }

    fn watch(
        anime: &mut WatchSpaceAnime,
        episodes: (i32, i32),
        attendees: &[UserId],
        actor: UserId,
    ) {
        let attendees = Attendees::choose(attendees, None).unwrap();
        anime.record_session(
            range(episodes.0, episodes.1),
            attendees,
            NOW,
            None,
            actor,
            NOW,
        );
    }

    #[test]
    fn progress_is_bounded_by_a_known_count_only() {
        let (known, _, _) = anime(Some(12));
        assert_eq!(known.progress(12).unwrap().get(), 12);
        assert_eq!(
            known.progress(13),
            Err(EpisodeBoundError::ProgressBeyondCount { count: 12 })
        );
        assert_eq!(
            known.progress(13).unwrap_err().to_string(),
            "This show has 12 episodes, so progress can be at most 12."
        );
        assert_eq!(
            known.episode(13).unwrap_err().to_string(),
            "This show has 12 episodes, so there is no episode 13."
        );
        let (film, _, _) = anime(Some(1));
        assert_eq!(
            film.progress(2).unwrap_err().to_string(),
            "This show has 1 episode, so progress can be at most 1."
        );
        let (unknown, _, _) = anime(None);
        assert!(unknown.progress(5000).is_ok());
        assert_eq!(
            unknown.progress(MAX_EPISODES + 1),
            Err(EpisodeBoundError::Invalid(EpisodeError::TooLarge))
        );
        assert_eq!(
            unknown.episode(0),
            Err(EpisodeBoundError::Invalid(EpisodeError::BelowFirst))
        );
    }

    #[test]
    fn a_session_moves_shared_and_attendee_progress_with_status_side_effects() {
        let (mut anime, ann, kai) = anime(Some(12));
        watch(&mut anime, (1, 4), &[ann], kai);
        assert_eq!(anime.shared_status, WatchStatus::Watching);
        assert_eq!(anime.shared_episodes_watched.get(), 4);
        assert_eq!(anime.updated_by, kai);
        let entry = anime.entry(ann).unwrap();
        assert_eq!(
            (entry.status, entry.episodes_watched.get()),
            (WatchStatus::Watching, 4)
        );
        assert_eq!(entry.updated_by, kai);
        assert!(anime.entry(kai).is_none(), "kai was not there");

        watch(&mut anime, (5, 12), &[ann, kai], kai);
        assert_eq!(anime.shared_status, WatchStatus::Finished);
        assert_eq!(anime.entry(kai).unwrap().status, WatchStatus::Finished);
    }

    #[test]
    fn dropped_stays_dropped_until_the_last_episode() {
        let (mut anime, ann, _) = anime(Some(12));
        anime.edit_shared(
            SharedEdit {
                status: Some(WatchStatus::Dropped),
                ..SharedEdit::default()
            },
            ann,
            NOW,
        );
        watch(&mut anime, (1, 2), &[ann], ann);
        assert_eq!(anime.shared_status, WatchStatus::Dropped);
        watch(&mut anime, (3, 12), &[ann], ann);
        assert_eq!(anime.shared_status, WatchStatus::Finished);
    }

    #[test]
    fn hand_edits_may_lower_progress() {
        let (mut anime, ann, _) = anime(Some(12));
        watch(&mut anime, (1, 8), &[ann], ann);
        anime.update_progress(ann, None, Some(EpisodesWatched::new(3).unwrap()), NOW);
        anime.edit_shared(
            SharedEdit {
                episodes_watched: Some(EpisodesWatched::new(2).unwrap()),
                ..SharedEdit::default()
            },
            ann,
            NOW,
        );
        assert_eq!(anime.entry(ann).unwrap().episodes_watched.get(), 3);
        assert_eq!(anime.shared_episodes_watched.get(), 2);
    }

    fn imported(status: WatchStatus, episodes: i32, rating: Option<f64>) -> ImportedEntry {
        ImportedEntry {
            status,
            episodes_watched: EpisodesWatched::new(episodes).unwrap(),
            rating: rating.map(|score| RatingScore::new(score).unwrap()),
            notes: rating.and_then(|_| Notes::parse("from my list").unwrap()),
        }
    }

    #[test]
    fn an_import_only_moves_forward_and_fills_what_is_empty() {
        let (mut anime, ann, bob) = anime(Some(12));
        let first = imported(WatchStatus::Watching, 5, Some(8.0));
        assert!(anime.import_entry(ann, &first, ImportMerge::Forward, NOW));
        let entry = anime.entry(ann).unwrap().clone();
        assert_eq!(
            (entry.status, entry.episodes_watched.get()),
            (WatchStatus::Watching, 5)
        );
        assert_eq!(entry.rating, RatingScore::new(8.0).ok());
        // The same list again changes nothing, once the entry is stored.
        let mut stored = anime.clone();
        stored.entries[0].version = 1;
        let before = stored.clone();
        assert!(!stored.import_entry(ann, &first, ImportMerge::Forward, NOW));
        assert_eq!(stored, before);
        // Behind, or a different rating: nothing goes back or is replaced.
        let behind = imported(WatchStatus::Backlog, 2, Some(3.0));
        assert!(!stored.import_entry(ann, &behind, ImportMerge::Forward, NOW));
        // Further on the list: progress and status move on (beyond the count stops at it).
        let finished = imported(WatchStatus::Finished, 99, None);
        assert!(stored.import_entry(ann, &finished, ImportMerge::Forward, NOW));
        let entry = stored.entry(ann).unwrap();
        assert_eq!(
            (entry.status, entry.episodes_watched.get()),
            (WatchStatus::Finished, 12)
        );
        assert_eq!(entry.rating, RatingScore::new(8.0).ok());
        assert!(stored.entry(bob).is_none(), "nobody else's entry");
    }

    #[test]
    fn an_overwriting_import_replaces_status_progress_and_rating() {
        let (mut anime, ann, _) = anime(Some(12));
        anime.import_entry(
            ann,
            &imported(WatchStatus::Finished, 12, Some(9.0)),
            ImportMerge::Forward,
            NOW,
        );
        anime.entries[0].version = 1;
        assert!(anime.import_entry(
            ann,
            &imported(WatchStatus::Dropped, 3, None),
            ImportMerge::Overwrite,
            NOW
        ));
        let entry = anime.entry(ann).unwrap();
        assert_eq!(
            (entry.status, entry.episodes_watched.get()),
            (WatchStatus::Dropped, 3)
        );
        assert_eq!((entry.rating, entry.rating_notes.clone()), (None, None));
    }

    #[test]
    fn statuses_move_on_from_not_started_and_from_watching_to_finished_only() {
        use WatchStatus::{Backlog, Dropped, Finished, Paused, Watching};
        assert_eq!(forward_status(Backlog, Dropped), Dropped);
        assert_eq!(forward_status(Watching, Finished), Finished);
        assert_eq!(forward_status(Watching, Backlog), Watching);
        assert_eq!(forward_status(Finished, Watching), Finished);
        assert_eq!(forward_status(Paused, Finished), Paused);
    }

    #[test]
    fn an_edit_that_changes_nothing_leaves_the_anime_untouched() {
        let (mut anime, ann, kai) = anime(Some(12));
        let before = anime.clone();
        anime.edit_shared(
            SharedEdit {
                status: Some(WatchStatus::Backlog),
                mood: Some(None),
                ..SharedEdit::default()
            },
            kai,
            NOW + time::Duration::hours(1),
        );
        assert_eq!(anime, before);
        assert_eq!(anime.updated_by, ann);
    }

    #[test]
    fn needs_attention_when_any_progress_exceeds_a_known_count() {
        let (mut anime, ann, _) = anime(Some(12));
        watch(&mut anime, (1, 10), &[ann], ann);
        assert!(!anime.needs_attention());
        anime.media.episode_count = Some(9);
        assert!(anime.needs_attention());
        anime.media.episode_count = None;
        assert!(!anime.needs_attention());
    }

    #[test]
    fn only_owners_and_the_adder_may_remove() {
        let (anime, ann, kai) = anime(None);
        assert!(anime.ensure_removable_by(ann, Role::Member).is_ok());
        assert!(anime.ensure_removable_by(kai, Role::Owner).is_ok());
        assert_eq!(
            anime.ensure_removable_by(kai, Role::Member),
            Err(NotAllowedToRemove)
        );
    }

    #[test]
    fn the_snapshot_takes_the_large_cover_else_the_medium_one_and_ignores_a_zero_count() {
        let json = serde_json::json!({
            "anilistMediaId": 5, "idMal": null, "titleRomaji": "Romaji", "titleEnglish": null,
            "titleNative": null, "episodes": 0, "durationMinutes": null, "format": "MOVIE",
            "status": null, "season": null, "seasonYear": null, "coverImageLarge": null,
            "coverImageMedium": "m.jpg", "coverColor": null, "genres": [], "averageScore": null,
            "popularity": null, "description": null, "isAdult": false, "nextAiringEpisode": null,
            "updatedFromSourceAtUtc": "2026-11-25T12:00:00Z", "cachedAtUtc": "2026-11-25T12:00:00Z"
        });
        let media: MediaDto = serde_json::from_value(json).unwrap();
        let snapshot = MediaSnapshot::from(&media);
        assert_eq!(snapshot.cover_image_url.as_deref(), Some("m.jpg"));
        assert_eq!(snapshot.episode_count, None);
        assert_eq!(snapshot.format, Some(MediaFormat::Movie));
    }

    proptest! {
        /// Whatever sessions happen, in whatever order, progress ends at the furthest episode
        /// watched and never exceeds a known count.
        #[test]
        fn sessions_leave_progress_at_the_furthest_episode(
            count in proptest::option::of(1i32..=50),
            sessions in proptest::collection::vec((1i32..=50, 0i32..=10), 1..10),
        ) {
            let (mut anime, ann, kai) = anime(count);
            let mut furthest = 0;
            let mut previous = 0;
            for (start, length) in sessions {
                let limit = count.unwrap_or(MAX_EPISODES);
                let start = start.min(limit);
                let end = (start + length).min(limit);
                watch(&mut anime, (start, end), &[ann, kai], kai);
                furthest = furthest.max(end);
                let shared = anime.shared_episodes_watched.get();
                prop_assert!(shared >= previous, "never backwards");
                previous = shared;
            }
            prop_assert_eq!(anime.shared_episodes_watched.get(), furthest);
            prop_assert_eq!(anime.entry(ann).unwrap().episodes_watched.get(), furthest);
            prop_assert!(!anime.needs_attention());
            let finished = count.is_some_and(|count| furthest == count);
            prop_assert_eq!(anime.shared_status == WatchStatus::Finished, finished);
        }

        #[test]
        fn progress_parses_exactly_the_episodes_a_show_has(
            count in proptest::option::of(1i32..=100),
            raw in -5i32..=MAX_EPISODES + 5,
        ) {
            let (anime, _, _) = anime(count);
            let fits = raw >= 0 && raw <= count.unwrap_or(MAX_EPISODES);
            prop_assert_eq!(anime.progress(raw).is_ok(), fits);
            prop_assert_eq!(anime.episode(raw).is_ok(), fits && raw >= 1);
        }
    }
}
