//! What other crates may know about AnimeTracking: ids, statuses, the value parsers (ratings,
//! episodes, short texts), commands, DTOs and the public error. Wasm-safe: the UI validates
//! with the same parsers the server uses.

use anilist_sync::contracts::{
    AniListError, AniListMediaId, ListEntryChange, MediaDto, MediaFormat, MediaListStatus,
    MediaSeason, ScoreRaw,
};
use identity::contracts::UserId;
use kernel::paging::{PageCursor, PageLimit};
use kernel::{ErrorKind, FieldErrors, PublicError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use watch_spaces::contracts::{WatchSpaceId, WatchSpacesError};

kernel::uuid_id! {
    /// An anime tracked in one watch space (`anime_tracking.watch_space_anime.id`).
    WatchSpaceAnimeId
}

kernel::uuid_id! {
    /// A recorded watch session.
    WatchSessionId
}

/// Where a show stands, for the space as a whole (shared status) or for one member
/// (individual status).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WatchStatus {
    /// Not started: planned for later.
    Backlog,
    Watching,
    Finished,
    Paused,
    Dropped,
}

impl WatchStatus {
    /// Every status, in the order the UI lists them.
    pub const ALL: [Self; 5] = [
        Self::Backlog,
        Self::Watching,
        Self::Finished,
        Self::Paused,
        Self::Dropped,
    ];

    /// The stored and serialized spelling, e.g. `"backlog"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Backlog => "backlog",
            Self::Watching => "watching",
            Self::Finished => "finished",
            Self::Paused => "paused",
            Self::Dropped => "dropped",
        }
    }

    /// The status on a member's own AniList list that says the same.
    pub fn to_anilist(self) -> MediaListStatus {
        match self {
            Self::Backlog => MediaListStatus::Planning,
            Self::Watching => MediaListStatus::Current,
            Self::Finished => MediaListStatus::Completed,
            Self::Paused => MediaListStatus::Paused,
            Self::Dropped => MediaListStatus::Dropped,
        }
    }

    /// The status that says what a status on a member's AniList list says (rewatching is
    /// watching).
    pub fn from_anilist(status: MediaListStatus) -> Self {
        match status {
            MediaListStatus::Planning => Self::Backlog,
            MediaListStatus::Current | MediaListStatus::Repeating => Self::Watching,
            MediaListStatus::Completed => Self::Finished,
            MediaListStatus::Paused => Self::Paused,
            MediaListStatus::Dropped => Self::Dropped,
        }
    }

    /// The status spelled `raw`, if it is one.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == raw)
    }

    /// How the UI names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Backlog => "Backlog",
            Self::Watching => "Watching",
            Self::Finished => "Finished",
            Self::Paused => "Paused",
            Self::Dropped => "Dropped",
        }
    }
}

impl std::fmt::Display for WatchStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a rating was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RatingScoreError {
    #[error("Ratings go from 0.5 to 10.")]
    OutOfRange,
    #[error("Ratings go in steps of 0.5, like 7 or 7.5.")]
    NotAHalfStep,
    #[error("A rating is a number from 0.5 to 10, like 8.5.")]
    NotANumber,
}

/// A member's rating: 0.5 to 10.0 in steps of 0.5. Held as half points (1..=20), so it is
/// exact; serialized as a JSON number (`8.5`), stored as `numeric(3,1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct RatingScore(u8);

impl RatingScore {
    /// Parses a number.
    ///
    /// # Errors
    /// `OutOfRange` outside 0.5..=10, `NotAHalfStep` between steps (and for NaN).
    pub fn new(value: f64) -> Result<Self, RatingScoreError> {
        if !value.is_finite() {
            return Err(RatingScoreError::NotANumber);
        }
        if !(0.5..=10.0).contains(&value) {
            return Err(RatingScoreError::OutOfRange);
        }
        let halves = value * 2.0;
        if (halves - halves.round()).abs() > 1e-9 {
            return Err(RatingScoreError::NotAHalfStep);
        }
        // In range 1..=20 after the checks above.
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(Self(halves.round() as u8))
    }

    /// Parses what a user typed (`"8.5"`, `"8,5"`, `" 9 "`).
    ///
    /// # Errors
    /// As [`RatingScore::new`], or `NotANumber`.
    pub fn parse(raw: &str) -> Result<Self, RatingScoreError> {
        raw.trim()
            .replace(',', ".")
            .parse::<f64>()
            .map_err(|_| RatingScoreError::NotANumber)
            .and_then(Self::new)
    }

    /// The rating from half points (1..=20).
    ///
    /// # Errors
    /// `OutOfRange` outside 1..=20.
    pub fn from_halves(halves: u8) -> Result<Self, RatingScoreError> {
        if (1..=20).contains(&halves) {
            Ok(Self(halves))
        } else {
            Err(RatingScoreError::OutOfRange)
        }
    }

    /// The rating in half points, 1..=20.
    pub fn halves(self) -> u8 {
        self.0
    }

    /// The rating as a number, 0.5..=10.0.
    pub fn value(self) -> f64 {
        f64::from(self.0) / 2.0
    }

    /// On AniList's 0–100 scale: 0.5 is 5, 10 is 100.
    pub fn to_score_raw(self) -> ScoreRaw {
        ScoreRaw::new(i64::from(self.0) * 5).unwrap_or(ScoreRaw::NONE)
    }

    /// From AniList's 0–100 scale to the nearest half point (any score above 0 is at least
    /// 0.5); `None` for 0, AniList's "no score".
    pub fn from_score_raw(score: ScoreRaw) -> Option<Self> {
        match score.get() {
            0 => None,
            raw => Self::from_halves(((raw.saturating_add(2)) / 5).clamp(1, 20)).ok(),
        }
    }
}

impl TryFrom<f64> for RatingScore {
    type Error = RatingScoreError;
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<RatingScore> for f64 {
    fn from(score: RatingScore) -> Self {
        score.value()
    }
}

impl std::fmt::Display for RatingScore {
    /// `8` or `8.5`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 % 2 == 1 {
            write!(f, "{}.5", self.0 / 2)
        } else {
            write!(f, "{}", self.0 / 2)
        }
    }
}

#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for RatingScore {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Number)
            .minimum(Some(0.5))
            .maximum(Some(10.0))
            .multiple_of(Some(0.5))
            .description(Some("A rating from 0.5 to 10 in steps of 0.5."))
            .into()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for RatingScore {}

/// Why an episode number or count was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EpisodeError {
    #[error("Episodes watched cannot be negative.")]
    Negative,
    #[error("Episode numbers start at 1.")]
    BelowFirst,
    #[error("That is more episodes than any show has.")]
    TooLarge,
}

/// The most episodes we accept for any show (the longest-running anime have a few thousand).
pub const MAX_EPISODES: i32 = 10_000;

/// Declares an episode newtype holding `$min..=MAX_EPISODES`, serialized as a JSON integer.
macro_rules! episode_newtype {
    ($(#[$meta:meta])* $name:ident, min = $min:literal, below_min = $below:ident) => {
        $(#[$meta])*
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "i32", into = "i32")]
        pub struct $name(i32);

        impl $name {
            #[doc = concat!("# Errors\n`", stringify!($below), "` below ", stringify!($min), ", `TooLarge` above [`MAX_EPISODES`].")]
            pub fn new(value: i32) -> Result<Self, EpisodeError> {
                if value < $min {
                    Err(EpisodeError::$below)
                } else if value > MAX_EPISODES {
                    Err(EpisodeError::TooLarge)
                } else {
                    Ok(Self(value))
                }
            }

            pub fn get(self) -> i32 {
                self.0
            }
        }

        impl TryFrom<i32> for $name {
            type Error = EpisodeError;
            fn try_from(value: i32) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl From<$name> for i32 {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

episode_newtype! {
    /// How many episodes someone has watched: 0 to [`MAX_EPISODES`]. Whether it fits the
    /// show's episode count is the aggregate's rule, since the count may be unknown.
    EpisodesWatched, min = 0, below_min = Negative
}

impl EpisodesWatched {
    pub const ZERO: Self = Self(0);
}

episode_newtype! {
    /// One episode's number: 1 to [`MAX_EPISODES`].
    EpisodeNumber, min = 1, below_min = BelowFirst
}

/// Why a short text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("This can be at most {max} characters.")]
    TooLong { max: usize },
    #[error("This cannot contain control characters or invisible formatting characters (such as text-direction overrides).")]
    HiddenCharacters,
}

/// A free text of at most `MAX` characters (mood, vibe, pitch, notes): trimmed; blank means
/// "no text". Line breaks and tabs are allowed; other control characters and invisible
/// formatting characters are not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BoundedText<const MAX: usize>(String);

impl<const MAX: usize> BoundedText<MAX> {
    /// The most characters allowed.
    pub const MAX_CHARACTERS: usize = MAX;

    /// Parses what a user typed; `Ok(None)` when it is blank.
    ///
    /// # Errors
    /// `TooLong` above `MAX` characters, `HiddenCharacters` for NUL, bell, bidi overrides
    /// and the like.
    pub fn parse(raw: &str) -> Result<Option<Self>, NoteError> {
        let text = raw.trim();
        if text.chars().any(kernel::text::is_hidden_in_prose) {
            return Err(NoteError::HiddenCharacters);
        }
        if text.chars().count() > MAX {
            return Err(NoteError::TooLong { max: MAX });
        }
        Ok((!text.is_empty()).then(|| Self(text.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The space's mood for a show ("cozy", "cry together").
pub type Mood = BoundedText<80>;
/// The vibe, as free as the mood.
pub type Vibe = BoundedText<80>;
/// Why someone should watch it: a short pitch.
pub type Pitch = BoundedText<500>;
/// A member's notes on their rating, or a session's notes.
pub type Notes = BoundedText<2000>;

/// How many anime one space tracks; the database holds spaces to it too.
pub const MAX_ANIME_PER_SPACE: usize = 2_000;
/// How many watch sessions one anime keeps; the database holds anime to it too.
pub const MAX_SESSIONS_PER_ANIME: usize = 1_000;

/// How the anime list is ordered.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AnimeSort {
    /// Most recently changed first (the default).
    #[default]
    RecentlyUpdated,
    /// By displayed title, A to Z.
    Title,
    /// Most recently added first.
    AddedDate,
}

impl AnimeSort {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RecentlyUpdated => "recentlyUpdated",
            Self::Title => "title",
            Self::AddedDate => "addedDate",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::RecentlyUpdated, Self::Title, Self::AddedDate]
            .into_iter()
            .find(|sort| sort.as_str() == raw)
    }
}

/// `GET /api/watch-spaces/{id}/anime`: which entries, in which order, and which page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnimeListQuery {
    /// Only entries whose shared status is one of these; all entries when empty.
    #[serde(default)]
    pub statuses: Vec<WatchStatus>,
    #[serde(default)]
    pub sort: AnimeSort,
    #[serde(default)]
    pub limit: PageLimit,
    /// The `nextCursor` of the page before; the first page when absent.
    #[serde(default)]
    pub after: Option<PageCursor>,
}

/// One page of the anime list, with the space's count of anime in each shared status.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnimePageDto {
    pub items: Vec<WatchSpaceAnimeDto>,
    /// Where the next page starts (send it back as `cursor`); null on the last page.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub next_cursor: Option<PageCursor>,
    /// The whole space's anime by shared status, whatever the filter.
    pub totals: StatusTotalsDto,
}

/// One page of an anime's watch sessions, newest first.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchSessionPageDto {
    pub items: Vec<WatchSessionDto>,
    /// Where the next page starts (send it back as `cursor`); null on the last page.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub next_cursor: Option<PageCursor>,
}

/// How many of the space's anime are in each shared status.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusTotalsDto {
    pub backlog: u32,
    pub watching: u32,
    pub finished: u32,
    pub paused: u32,
    pub dropped: u32,
}

impl StatusTotalsDto {
    pub fn of(&self, status: WatchStatus) -> u32 {
        match status {
            WatchStatus::Backlog => self.backlog,
            WatchStatus::Watching => self.watching,
            WatchStatus::Finished => self.finished,
            WatchStatus::Paused => self.paused,
            WatchStatus::Dropped => self.dropped,
        }
    }

    pub fn of_mut(&mut self, status: WatchStatus) -> &mut u32 {
        match status {
            WatchStatus::Backlog => &mut self.backlog,
            WatchStatus::Watching => &mut self.watching,
            WatchStatus::Finished => &mut self.finished,
            WatchStatus::Paused => &mut self.paused,
            WatchStatus::Dropped => &mut self.dropped,
        }
    }
}

/// `POST /api/watch-spaces/{id}/anime`: track an AniList anime in the space.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddAnime {
    pub anilist_media_id: AniListMediaId,
    /// The shared status to start with; `backlog` when absent.
    #[serde(default)]
    pub shared_status: Option<WatchStatus>,
}

/// `PATCH /api/watch-spaces/{id}/anime/{animeId}`: the shared state. Only the fields present
/// change; `null` clears a text. `version` is the version the editor saw: when someone else
/// changed the entry since, the edit is refused instead of overwriting theirs.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateWatchSpaceAnime {
    pub version: i32,
    #[serde(default)]
    pub shared_status: Option<WatchStatus>,
    #[serde(default)]
    pub shared_episodes_watched: Option<i32>,
    #[serde(
        default,
        with = "kernel::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub mood: Option<Option<String>>,
    #[serde(
        default,
        with = "kernel::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub vibe: Option<Option<String>>,
    #[serde(
        default,
        with = "kernel::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub pitch: Option<Option<String>>,
}

/// `PATCH .../participant-progress`: the signed-in member's own status and progress.
/// `version` is their entry's version as they saw it (0 before their first edit).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateParticipantProgress {
    pub version: i32,
    #[serde(default)]
    pub individual_status: Option<WatchStatus>,
    #[serde(default)]
    pub episodes_watched: Option<i32>,
}

/// `PATCH .../participant-rating`: the signed-in member's rating and notes.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateAnime {
    pub version: i32,
    /// 0.5 to 10 in steps of 0.5.
    pub rating_score: f64,
    /// Replaces the notes; blank or absent clears them.
    #[serde(default)]
    pub rating_notes: Option<String>,
}

/// `POST .../sessions`: a watch session that happened.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordWatchSession {
    #[serde(with = "time::serde::rfc3339")]
    pub session_date_utc: OffsetDateTime,
    pub start_episode: i32,
    pub end_episode: i32,
    #[serde(default)]
    pub notes: Option<String>,
    /// Who watched; every current member when absent. Must be members of the space.
    #[serde(default)]
    pub attendee_user_ids: Option<Vec<UserId>>,
}

/// `PATCH .../sessions/{sessionId}`: the session's notes (its creator only).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateWatchSession {
    /// Replaces the notes; blank or `null` clears them.
    #[serde(default)]
    pub notes: Option<String>,
}

/// One member's own tracking of one anime.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantEntryDto {
    pub user_id: UserId,
    pub display_name: String,
    /// False for someone who has left the space (their tracking is kept).
    pub current_member: bool,
    pub individual_status: WatchStatus,
    pub episodes_watched: i32,
    pub rating_score: Option<RatingScore>,
    pub rating_notes: Option<String>,
    /// When they last changed it; `None` before their first change.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_updated_at_utc: Option<OffsetDateTime>,
    /// For optimistic concurrency: send it back with the next edit (0 before the first).
    pub version: i32,
}

/// An anime tracked in a space: the AniList snapshot, the shared state and every member's
/// own entry (current members first, in joining order).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchSpaceAnimeDto {
    pub id: WatchSpaceAnimeId,
    pub watch_space_id: WatchSpaceId,
    pub anilist_media_id: AniListMediaId,
    /// AniList's romaji title when added (or last refreshed).
    pub preferred_title: String,
    pub preferred_title_english: Option<String>,
    /// `None` while AniList does not know how many episodes there are.
    pub episode_count_snapshot: Option<i32>,
    pub cover_image_url_snapshot: Option<String>,
    pub format: Option<MediaFormat>,
    pub season: Option<MediaSeason>,
    pub season_year: Option<i32>,
    pub shared_status: WatchStatus,
    pub shared_episodes_watched: i32,
    pub mood: Option<String>,
    pub vibe: Option<String>,
    pub pitch: Option<String>,
    pub added_by_user_id: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub added_at_utc: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at_utc: OffsetDateTime,
    /// For optimistic concurrency: send it back with the next shared edit.
    pub version: i32,
    /// Someone's progress is beyond the episode count AniList now reports.
    pub needs_attention: bool,
    pub participants: Vec<ParticipantEntryDto>,
}

impl WatchSpaceAnimeDto {
    /// The title to show first: the English one when there is one, else the romaji one.
    pub fn display_title(&self) -> &str {
        self.preferred_title_english
            .as_deref()
            .unwrap_or(&self.preferred_title)
    }
}

/// A whole space taken out (`GET /api/watch-spaces/{id}/export.json`): every anime (by
/// title) with every member's entry side by side, and every watch session, newest first.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpaceExportDto {
    pub watch_space_id: WatchSpaceId,
    pub space_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub exported_at_utc: OffsetDateTime,
    pub anime: Vec<WatchSpaceAnimeDto>,
    pub sessions: Vec<WatchSessionDto>,
}

/// A member who was at a session.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendeeDto {
    pub user_id: UserId,
    pub display_name: String,
}

/// Published (through `kernel::EventSink`, inside the write's transaction) by every
/// AnimeTracking write, and when AniList metadata is synced into the spaces tracking it: what
/// these spaces track, their entries or their sessions changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingChanged {
    /// In id order, without repeats.
    pub spaces: Vec<WatchSpaceId>,
}

/// One title of a member's own list (AniList's, MyAnimeList's) to bring into a space with
/// `AnimeTracking::import_entries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportEntry {
    /// AniList's metadata: the snapshot of a title new to the space.
    pub media: MediaDto,
    pub status: WatchStatus,
    /// Negative counts become 0; beyond the show's count, the count.
    pub episodes_watched: i32,
    /// `None`: no score, or the member does not bring scores.
    pub rating: Option<RatingScore>,
    /// Brought with the rating (`None`: no notes, or the member does not bring them).
    pub notes: Option<String>,
}

/// How an import treats what the member already has in the space.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImportMerge {
    /// Progress never goes down, a status only moves on (not started → watching → finished;
    /// not started → paused or dropped), and only an empty rating (with its notes) is filled.
    #[default]
    Forward,
    /// The list's status, progress, rating and notes replace the member's.
    Overwrite,
}

/// What bringing one chunk of titles into a space did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportApplied {
    /// Titles new to the space.
    pub added: u32,
    /// The member's entries created or changed.
    pub changed: u32,
    /// Titles where the member's entry already said as much.
    pub unchanged: u32,
}

/// Published (through `kernel::EventSink`, inside the write's transaction) by every write
/// that changed members' own status, progress or rating: per member, only what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantEntriesChanged {
    pub changes: Vec<ParticipantEntryChange>,
}

/// What one write changed on one member's entry of one anime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantEntryChange {
    pub user: UserId,
    pub watch_space_anime_id: WatchSpaceAnimeId,
    pub anilist_media_id: AniListMediaId,
    pub status: Option<WatchStatus>,
    pub episodes_watched: Option<i32>,
    /// `Some(None)`: the rating was cleared.
    pub rating: Option<Option<RatingScore>>,
}

impl ParticipantEntryChange {
    /// The same change in AniList's terms (a cleared rating is AniList's "no score").
    pub fn to_anilist(&self) -> ListEntryChange {
        ListEntryChange {
            user: self.user,
            media: self.anilist_media_id,
            watch_space_anime_id: Some(self.watch_space_anime_id.0),
            status: self.status.map(WatchStatus::to_anilist),
            progress: self.episodes_watched,
            score_raw: self
                .rating
                .map(|rating| rating.map_or(ScoreRaw::NONE, RatingScore::to_score_raw)),
        }
    }
}

/// A recorded watch session.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchSessionDto {
    pub id: WatchSessionId,
    pub watch_space_anime_id: WatchSpaceAnimeId,
    #[serde(with = "time::serde::rfc3339")]
    pub session_date_utc: OffsetDateTime,
    pub start_episode: i32,
    pub end_episode: i32,
    pub notes: Option<String>,
    pub created_by_user_id: UserId,
    pub created_by_display_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at_utc: OffsetDateTime,
    pub attendees: Vec<AttendeeDto>,
}

/// An anime with its session history, newest session first.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchSpaceAnimeDetailsDto {
    #[serde(flatten)]
    pub anime: WatchSpaceAnimeDto,
    pub sessions: Vec<WatchSessionDto>,
    /// AniList's metadata; absent when neither AniList nor the cache could provide it (the
    /// snapshot taken when the anime was added still describes it).
    pub media: Option<MediaDto>,
    /// Whether the asking member may remove the anime (owners, and whoever added it).
    pub can_remove: bool,
}

/// Everything AnimeTracking can refuse, in words a user understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all_fields = "camelCase")]
pub enum AnimeTrackingError {
    /// One or more fields are invalid; the messages say which and why (400).
    #[error("{0}")]
    Validation(FieldErrors),
    /// No such space, or the asking user is not a member of it (404).
    #[error("We could not find that space. It may not exist, or you may not be a member of it.")]
    SpaceNotFound,
    /// No such anime in this space (404).
    #[error("That anime is not tracked in this space (anymore).")]
    AnimeNotFound,
    /// No such session for this anime (404).
    #[error("We could not find that watch session. It may have been deleted.")]
    SessionNotFound,
    /// The space already tracks this AniList anime (409).
    #[error("“{title}” is already in this space.")]
    AlreadyTracked {
        /// The title of the entry that already exists.
        title: String,
        /// Its id, to link to it.
        existing_id: WatchSpaceAnimeId,
    },
    /// The space tracks as many anime as a space holds (409).
    #[error("A space tracks at most {limit} anime. Remove some you are done with first.")]
    SpaceAnimeLimit {
        /// How many anime a space holds.
        limit: usize,
    },
    /// The anime has as many watch sessions as it keeps (409).
    #[error("An anime keeps at most {limit} watch sessions. Delete some old ones first.")]
    SessionLimit {
        /// How many sessions an anime keeps.
        limit: usize,
    },
    /// Someone changed the entry after the editor loaded it (409).
    #[error(
        "{changed_by} changed this in the meantime. Reload to see their change, then try again."
    )]
    StaleEdit {
        /// How the person who made the newer change is shown ("you" in another tab).
        changed_by: String,
    },
    /// Only the space's owners or the member who added it may remove an anime (403).
    #[error("Only the person who added this anime or an owner of the space can remove it.")]
    NotAllowedToRemove,
    /// Only a session's creator may change or delete it (403).
    #[error("Only the person who recorded this session can change or delete it.")]
    NotSessionCreator,
    /// AniList could not provide the anime's details (its own error says why).
    #[error("{0}")]
    AniList(AniListError),
    /// PostgreSQL cannot be reached right now; nothing was changed (503, Retry-After).
    #[error("{}", kernel::DATABASE_UNAVAILABLE)]
    DatabaseUnavailable,
    /// Something failed on the server; the details are in the server's logs (500).
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AnimeTrackingError {
    /// A validation error on a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::single(field, message))
    }
}

impl From<WatchSpacesError> for AnimeTrackingError {
    /// WatchSpaces is asked only "is this user a member": anything but "no" is internal.
    fn from(error: WatchSpacesError) -> Self {
        match error {
            WatchSpacesError::SpaceNotFound => Self::SpaceNotFound,
            _ => Self::Internal,
        }
    }
}

impl PublicError for AnimeTrackingError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Validation(_) => ErrorKind::Validation,
            Self::SpaceNotFound | Self::AnimeNotFound | Self::SessionNotFound => {
                ErrorKind::NotFound
            }
            Self::AlreadyTracked { .. }
            | Self::StaleEdit { .. }
            | Self::SpaceAnimeLimit { .. }
            | Self::SessionLimit { .. } => ErrorKind::Conflict,
            Self::NotAllowedToRemove | Self::NotSessionCreator => ErrorKind::Forbidden,
            Self::AniList(error) => error.kind(),
            Self::DatabaseUnavailable => ErrorKind::Unavailable,
            Self::Internal => ErrorKind::Internal,
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            Self::Validation(errors) => Some(errors),
            Self::AniList(error) => error.field_errors(),
            _ => None,
        }
    }

    fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            Self::AniList(error) => error.retry_after_seconds(),
            Self::DatabaseUnavailable => Some(kernel::DATABASE_RETRY_AFTER_SECONDS),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_travel_to_anilists_scale_and_back() {
        for halves in 1..=20 {
            let rating = RatingScore::from_halves(halves).unwrap();
            assert_eq!(
                RatingScore::from_score_raw(rating.to_score_raw()),
                Some(rating)
            );
        }
        let from = |raw: i64| {
            RatingScore::from_score_raw(ScoreRaw::new(raw).unwrap()).map(RatingScore::value)
        };
        assert_eq!(from(0), None);
        assert_eq!(from(1), Some(0.5));
        assert_eq!(from(12), Some(1.0));
        assert_eq!(from(13), Some(1.5));
        assert_eq!(from(85), Some(8.5));
        assert_eq!(from(100), Some(10.0));
        // AniList's smileys and stars arrive as 0–100 too (POINT_3 writes 35/60/85).
        assert_eq!(from(35), Some(3.5));
        assert_eq!(from(60), Some(6.0));
    }
    use proptest::prelude::*;

    #[test]
    fn ratings_are_half_steps_from_half_to_ten() {
        assert_eq!(RatingScore::new(8.5).unwrap().halves(), 17);
        assert_eq!(RatingScore::parse(" 7,5 ").unwrap().to_string(), "7.5");
        assert_eq!(RatingScore::parse("10").unwrap().to_string(), "10");
        assert_eq!(RatingScore::new(0.0), Err(RatingScoreError::OutOfRange));
        assert_eq!(RatingScore::new(10.5), Err(RatingScoreError::OutOfRange));
        assert_eq!(RatingScore::new(7.3), Err(RatingScoreError::NotAHalfStep));
        assert_eq!(
            RatingScore::new(f64::NAN),
            Err(RatingScoreError::NotANumber)
        );
        assert_eq!(
            RatingScore::parse("great"),
            Err(RatingScoreError::NotANumber)
        );
        assert!(serde_json::from_str::<RatingScore>("7.25").is_err());
        assert_eq!(
            serde_json::to_string(&RatingScore::new(9.0).unwrap()).unwrap(),
            "9.0"
        );
    }

    proptest! {
        #[test]
        fn every_half_step_round_trips(halves in 1u8..=20) {
            let score = RatingScore::from_halves(halves).unwrap();
            prop_assert_eq!(RatingScore::new(score.value()), Ok(score));
            prop_assert_eq!(RatingScore::parse(&score.to_string()), Ok(score));
        }
    }

    #[test]
    fn episodes_are_bounded() {
        assert!(EpisodesWatched::new(0).is_ok());
        assert_eq!(EpisodesWatched::new(-1), Err(EpisodeError::Negative));
        assert_eq!(EpisodeNumber::new(0), Err(EpisodeError::BelowFirst));
        assert_eq!(
            EpisodeNumber::new(MAX_EPISODES + 1),
            Err(EpisodeError::TooLarge)
        );
    }

    #[test]
    fn texts_are_trimmed_capped_and_blank_means_none() {
        assert_eq!(Mood::parse("  cozy  ").unwrap().unwrap().as_str(), "cozy");
        assert_eq!(Mood::parse("   ").unwrap(), None);
        assert_eq!(
            Mood::parse(&"a".repeat(81)),
            Err(NoteError::TooLong { max: 80 })
        );
        assert!(Notes::parse("line one\nline two").unwrap().is_some());
        assert_eq!(Notes::parse("a\u{0}b"), Err(NoteError::HiddenCharacters));
        assert_eq!(
            Pitch::parse("watch \u{202E}this"),
            Err(NoteError::HiddenCharacters)
        );
    }

    #[test]
    fn shared_edits_tell_absent_from_null() {
        let edit: UpdateWatchSpaceAnime =
            serde_json::from_str(r#"{"version":3,"mood":null}"#).unwrap();
        assert_eq!(edit.mood, Some(None));
        assert_eq!(edit.vibe, None);
        let round_trip: UpdateWatchSpaceAnime =
            serde_json::from_str(&serde_json::to_string(&edit).unwrap()).unwrap();
        assert_eq!(round_trip, edit);
    }
}
