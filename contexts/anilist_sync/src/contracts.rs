//! What other crates may know about AniListSync: AniList media ids, the media enums, the
//! search query parser, the media DTOs, a member's AniList link and sync status, the list
//! changes other contexts hand over for syncing, and the public error. Wasm-safe: the UI
//! shows the same DTOs and validates queries with the same parser the server uses.

use identity::contracts::UserId;
use kernel::paging::PageCursor;
use kernel::{ErrorKind, FieldErrors, PublicError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;
use watch_spaces::contracts::WatchSpaceId;

/// A point in the history of the media cache's metadata (genres and episode lengths), as
/// `AniListSync::metadata_generation` reads it: later changes carry higher generations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MetadataGeneration(i64);

impl MetadataGeneration {
    /// A generation as stored by a reader that kept it; generations are never negative.
    pub fn new(raw: i64) -> Option<Self> {
        (raw >= 0).then_some(Self(raw))
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// An AniList media id (`Media.id`): a positive integer that AniList assigns.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct AniListMediaId(i32);

impl AniListMediaId {
    /// Parses an id from a number.
    ///
    /// # Errors
    /// `InvalidMediaId` unless `raw` is between 1 and `i32::MAX`.
    pub fn new(raw: i64) -> Result<Self, InvalidMediaId> {
        i32::try_from(raw)
            .ok()
            .filter(|id| *id > 0)
            .map(Self)
            .ok_or(InvalidMediaId)
    }

    /// Parses an id from text (a path segment, a form field).
    ///
    /// # Errors
    /// `InvalidMediaId` unless `raw` is a positive integer that fits in 32 bits.
    pub fn parse(raw: &str) -> Result<Self, InvalidMediaId> {
        raw.trim()
            .parse::<i64>()
            .map_err(|_| InvalidMediaId)
            .and_then(Self::new)
    }

    /// The id as AniList and the database spell it.
    pub fn get(self) -> i32 {
        self.0
    }
}

impl TryFrom<i64> for AniListMediaId {
    type Error = InvalidMediaId;
    fn try_from(raw: i64) -> Result<Self, Self::Error> {
        Self::new(raw)
    }
}

impl From<AniListMediaId> for i64 {
    fn from(id: AniListMediaId) -> Self {
        i64::from(id.0)
    }
}

impl std::fmt::Display for AniListMediaId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// An AniList media id was not a positive 32-bit integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("An AniList id is a positive whole number, like 21 or 154587.")]
pub struct InvalidMediaId;

/// Declares a closed AniList enum whose serialized and stored spelling is AniList's own
/// (`"TV_SHORT"`), with `as_str`/`parse` and a human label for the UI.
macro_rules! anilist_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$variant_meta:meta])* $variant:ident = $spelling:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$variant_meta])* #[serde(rename = $spelling)] $variant,)+
        }

        impl $name {
            /// Every value, in AniList's documentation order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// AniList's spelling, which is also how we store and serialize it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $spelling,)+
                }
            }

            /// The value AniList spells `raw`, if it is one we know.
            pub fn parse(raw: &str) -> Option<Self> {
                match raw {
                    $($spelling => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// How the UI names it.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

anilist_enum! {
    /// AniList's `MediaFormat`, anime formats only.
    MediaFormat {
        Tv = "TV", "TV";
        TvShort = "TV_SHORT", "TV short";
        Movie = "MOVIE", "Movie";
        Special = "SPECIAL", "Special";
        Ova = "OVA", "OVA";
        Ona = "ONA", "ONA";
        Music = "MUSIC", "Music video";
    }
}

anilist_enum! {
    /// AniList's `MediaSeason`: the quarter of the year in which a show began airing.
    MediaSeason {
        Winter = "WINTER", "Winter";
        Spring = "SPRING", "Spring";
        Summer = "SUMMER", "Summer";
        Fall = "FALL", "Fall";
    }
}

anilist_enum! {
    /// AniList's `MediaStatus`: where the show's release stands.
    MediaStatus {
        Finished = "FINISHED", "Finished airing";
        Releasing = "RELEASING", "Airing";
        NotYetReleased = "NOT_YET_RELEASED", "Not yet aired";
        Cancelled = "CANCELLED", "Cancelled";
        Hiatus = "HIATUS", "On hiatus";
    }
}

anilist_enum! {
    /// AniList's `MediaListStatus`: where a title stands on a member's own AniList list.
    MediaListStatus {
        Current = "CURRENT", "Watching";
        Planning = "PLANNING", "Planning";
        Completed = "COMPLETED", "Completed";
        Dropped = "DROPPED", "Dropped";
        Paused = "PAUSED", "Paused";
        Repeating = "REPEATING", "Rewatching";
    }
}

anilist_enum! {
    /// AniList's `ScoreFormat`: how a member's AniList list shows scores. BloomWatch always
    /// writes AniList's 0–100 `scoreRaw`, which AniList converts (and may round).
    ScoreFormat {
        Point100 = "POINT_100", "0 to 100";
        Point10Decimal = "POINT_10_DECIMAL", "0 to 10 with decimals";
        Point10 = "POINT_10", "0 to 10";
        Point5 = "POINT_5", "5 stars";
        Point3 = "POINT_3", "3 smileys";
    }
}

/// Why a search query was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SearchQueryError {
    /// Fewer than [`SearchQuery::MIN_CHARACTERS`] characters after trimming.
    #[error("Type at least {min} characters to search.", min = SearchQuery::MIN_CHARACTERS)]
    TooShort,
    /// More than [`SearchQuery::MAX_CHARACTERS`] characters.
    #[error("Searches can be at most {max} characters.", max = SearchQuery::MAX_CHARACTERS)]
    TooLong,
    /// Control characters other than whitespace (which is collapsed).
    #[error("Searches cannot contain control characters.")]
    ControlCharacters,
}

/// A title search: trimmed, inner whitespace (tabs and line breaks too) collapsed to one space, 2 to 100 characters. Two queries that
/// differ only in case or spacing are the same search (one cache entry, one AniList call).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SearchQuery(String);

impl SearchQuery {
    /// The fewest characters worth sending to AniList.
    pub const MIN_CHARACTERS: usize = 2;
    /// The most characters a query may have.
    pub const MAX_CHARACTERS: usize = 100;

    /// Parses what a user typed.
    ///
    /// # Errors
    /// See [`SearchQueryError`].
    pub fn parse(raw: &str) -> Result<Self, SearchQueryError> {
        if raw.chars().any(|c| c.is_control() && !c.is_whitespace()) {
            return Err(SearchQueryError::ControlCharacters);
        }
        let query = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let length = query.chars().count();
        if length < Self::MIN_CHARACTERS {
            return Err(SearchQueryError::TooShort);
        }
        if length > Self::MAX_CHARACTERS {
            return Err(SearchQueryError::TooLong);
        }
        Ok(Self(query))
    }

    /// The query as typed (normalised spacing, original case): what AniList receives.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key under which equal searches share a cache entry and an AniList call.
    pub fn cache_key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl TryFrom<String> for SearchQuery {
    type Error = SearchQueryError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<SearchQuery> for String {
    fn from(query: SearchQuery) -> Self {
        query.0
    }
}

/// The next episode of an airing show.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NextAiringEpisodeDto {
    /// The episode's number.
    pub episode: i32,
    /// When it airs.
    #[serde(with = "time::serde::rfc3339")]
    pub airing_at_utc: OffsetDateTime,
}

/// One anime as AniList describes it (through our cache). Every field AniList may leave out
/// is optional here too; the description is plain text (AniList's HTML removed).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaDto {
    /// AniList's id.
    pub anilist_media_id: AniListMediaId,
    /// MyAnimeList's id, when AniList knows it.
    pub id_mal: Option<i32>,
    /// The romanised title; AniList always has one.
    pub title_romaji: String,
    /// The official English title, when there is one.
    pub title_english: Option<String>,
    /// The title in its original script.
    pub title_native: Option<String>,
    /// Total episodes; `None` while unknown (typically an airing show).
    pub episodes: Option<i32>,
    /// Minutes per episode, when known.
    pub duration_minutes: Option<i32>,
    pub format: Option<MediaFormat>,
    pub status: Option<MediaStatus>,
    pub season: Option<MediaSeason>,
    pub season_year: Option<i32>,
    /// The large cover image's URL (AniList's `extraLarge`, else `large`).
    pub cover_image_large: Option<String>,
    /// The medium cover image's URL, for lists.
    pub cover_image_medium: Option<String>,
    /// The cover's average colour as `#rrggbb`, for placeholders while it loads.
    pub cover_color: Option<String>,
    pub genres: Vec<String>,
    /// AniList's weighted average score, 0 to 100.
    pub average_score: Option<i32>,
    /// How many AniList users have it on a list.
    pub popularity: Option<i32>,
    /// The synopsis as plain text with paragraph breaks (`\n\n`); never HTML.
    pub description: Option<String>,
    /// AniList marks it 18+.
    pub is_adult: bool,
    pub next_airing_episode: Option<NextAiringEpisodeDto>,
    /// When AniList last changed this media's metadata.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_from_source_at_utc: OffsetDateTime,
    /// When BloomWatch last fetched it from AniList.
    #[serde(with = "time::serde::rfc3339")]
    pub cached_at_utc: OffsetDateTime,
}

impl MediaDto {
    /// The title to show first: the English one when there is one, else the romaji one.
    pub fn display_title(&self) -> &str {
        self.title_english.as_deref().unwrap_or(&self.title_romaji)
    }
}

/// Where search results came from.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum SearchSource {
    /// AniList answered (now, or within the last few minutes: repeated searches are cached).
    #[serde(rename = "anilist")]
    AniList,
    /// AniList could not answer; these are matching titles from BloomWatch's own cache.
    Cache {
        /// Why AniList could not answer, in words for the user.
        reason: String,
        /// When it is worth trying AniList again, if AniList said.
        retry_after_seconds: Option<u64>,
    },
}

/// `GET /api/anilist/search?query=`: the matching anime, best match first.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaSearchResultsDto {
    /// The query as searched (normalised spacing).
    pub query: String,
    /// The matches; adult titles only for users who opted in.
    pub results: Vec<MediaDto>,
    /// AniList, or the cache when AniList is unavailable.
    pub source: SearchSource,
}

/// On whose behalf AniList is asked: a member's calls count against their own share of the
/// server's AniList budget; BloomWatch's own (refreshing what it has cached) do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskedBy {
    Member(UserId),
    BloomWatch,
}

/// Everything AniListSync can refuse or fail at, in words a user understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all_fields = "camelCase")]
pub enum AniListError {
    /// The query or id is invalid; the messages say which and why (400).
    #[error("{0}")]
    Validation(FieldErrors),
    /// AniList has no anime with that id (404).
    #[error("AniList has no anime with that id.")]
    MediaNotFound,
    /// AniList is rate limiting us; nothing cached could answer instead (429, Retry-After).
    #[error("AniList is busy right now. Please try again in {retry_after_seconds} seconds.")]
    RateLimited {
        /// When AniList will take calls again.
        retry_after_seconds: u64,
    },
    /// This member asked for more AniList calls than their share of the server's budget;
    /// nothing cached could answer instead (429, Retry-After).
    #[error("You have asked AniList for a lot in a short time. Please wait {retry_after_seconds} seconds and try again.")]
    TooManyRequests {
        /// When this member's next AniList call is allowed.
        retry_after_seconds: u64,
    },
    /// AniList is down, slow or answered something we could not read, and nothing cached
    /// could answer instead (503).
    #[error("AniList is unavailable right now, and we have no saved copy of that. Please try again later.")]
    Unavailable,
    /// This server has no AniList client (`ANILIST_CLIENT_ID`), so accounts cannot be linked
    /// (503).
    #[error("This BloomWatch server has no AniList client configured, so AniList accounts cannot be linked here. Everything else works as usual.")]
    NotConfigured,
    /// The member has no AniList link (404).
    #[error("You have not linked an AniList account.")]
    NotLinked,
    /// The link's `state` is unknown, expired, used already or someone else's (400).
    #[error("That AniList sign-in has expired or was already used. Please start linking again from your settings.")]
    LinkStateInvalid,
    /// The member said no on AniList, or AniList refused the code (400).
    #[error("AniList did not grant BloomWatch access, so nothing was linked.")]
    LinkDenied,
    /// That AniList account is linked to another BloomWatch account (409).
    #[error("That AniList account is already linked to another BloomWatch account. Unlink it there first, or sign in to AniList as someone else.")]
    AccountTaken,
    /// AniList refused the stored token or it expired: sync is paused, nothing is lost (410).
    #[error("Your AniList link has expired. Please link it again; nothing was lost.")]
    LinkExpired,
    /// There is nothing to retry for that title (409).
    #[error("There is no failed sync to retry for that title.")]
    NothingToRetry,
    /// AniList has no list for that user name, or it is private (404).
    #[error("AniList has no public anime list for {user_name:?}. Check the spelling, or ask them to make their list public (or link your own AniList to import yours).")]
    ListNotFound { user_name: String },
    /// The space is unknown, or the member is not in it (404).
    #[error("We could not find that space.")]
    SpaceNotFound,
    /// No such import of this member's in this space (404).
    #[error("We could not find that import.")]
    ImportNotFound,
    /// The uploaded file is not a MyAnimeList export BloomWatch can read (400).
    #[error("{0}")]
    UnreadableFile(String),
    /// PostgreSQL cannot be reached right now; nothing was changed (503, Retry-After).
    #[error("{}", kernel::DATABASE_UNAVAILABLE)]
    DatabaseUnavailable,
    /// Something failed on our side; the details are in the server's logs (500).
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AniListError {
    /// A validation error on a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::single(field, message))
    }
}

impl PublicError for AniListError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Validation(_) => ErrorKind::Validation,
            Self::MediaNotFound => ErrorKind::NotFound,
            Self::RateLimited { .. } | Self::TooManyRequests { .. } => ErrorKind::TooManyRequests,
            Self::Unavailable | Self::NotConfigured => ErrorKind::Unavailable,
            Self::NotLinked
            | Self::ListNotFound { .. }
            | Self::SpaceNotFound
            | Self::ImportNotFound => ErrorKind::NotFound,
            Self::UnreadableFile(_) => ErrorKind::Validation,
            Self::LinkStateInvalid | Self::LinkDenied => ErrorKind::Validation,
            Self::AccountTaken | Self::NothingToRetry => ErrorKind::Conflict,
            Self::LinkExpired => ErrorKind::Gone,
            Self::DatabaseUnavailable => ErrorKind::Unavailable,
            Self::Internal => ErrorKind::Internal,
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            Self::Validation(errors) => Some(errors),
            _ => None,
        }
    }

    fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            Self::RateLimited {
                retry_after_seconds,
            }
            | Self::TooManyRequests {
                retry_after_seconds,
            } => Some(*retry_after_seconds),
            Self::DatabaseUnavailable => Some(kernel::DATABASE_RETRY_AFTER_SECONDS),
            _ => None,
        }
    }
}

/// A score on AniList's 0–100 scale (`scoreRaw`); 0 means "no score".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct ScoreRaw(u8);

impl ScoreRaw {
    /// No score (what AniList shows as unscored).
    pub const NONE: Self = Self(0);

    /// `raw` if it lies in 0–100.
    pub fn new(raw: i64) -> Option<Self> {
        u8::try_from(raw).ok().filter(|raw| *raw <= 100).map(Self)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for ScoreRaw {
    type Error = String;
    fn try_from(raw: i64) -> Result<Self, Self::Error> {
        Self::new(raw).ok_or_else(|| format!("a score is 0 to 100, not {raw}"))
    }
}

impl From<ScoreRaw> for i64 {
    fn from(score: ScoreRaw) -> Self {
        i64::from(score.0)
    }
}

/// What one write changed on one member's own entry, in AniList's terms: only the fields the
/// write changed are set, so a sync never overwrites on AniList what the member did not touch
/// in BloomWatch. Handed to `AniListSync::queue_list_changes` inside the write's transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntryChange {
    pub user: UserId,
    pub media: AniListMediaId,
    /// The space's anime the change was made in (for the sync log).
    pub watch_space_anime_id: Option<Uuid>,
    pub status: Option<MediaListStatus>,
    /// Episodes watched; never negative.
    pub progress: Option<i32>,
    pub score_raw: Option<ScoreRaw>,
}

/// Which of a member's changes go to their AniList list. Notes never do.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncSwitchesDto {
    pub push_progress: bool,
    pub push_status: bool,
    pub push_score: bool,
}

impl Default for SyncSwitchesDto {
    /// Progress and status on, score off: a score is personal, and AniList may round it.
    fn default() -> Self {
        Self {
            push_progress: true,
            push_status: true,
            push_score: false,
        }
    }
}

/// `PATCH /api/me/anilist`: the switches that are present change.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateSyncSwitches {
    #[serde(default)]
    pub push_progress: Option<bool>,
    #[serde(default)]
    pub push_status: Option<bool>,
    #[serde(default)]
    pub push_score: Option<bool>,
}

/// A member's linked AniList account, as they see it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AniListLinkDto {
    /// AniList's user id.
    pub anilist_user_id: i64,
    pub name: Option<String>,
    pub avatar_url: Option<String>,
    /// How their AniList list shows scores, when AniList told us.
    pub score_format: Option<ScoreFormat>,
    #[serde(with = "time::serde::rfc3339")]
    pub linked_at_utc: OffsetDateTime,
    /// AniList tokens last a year and cannot be refreshed.
    #[serde(with = "time::serde::rfc3339::option")]
    pub token_expires_at_utc: Option<OffsetDateTime>,
    /// Days left before the member must link again, from 30 days before the expiry.
    pub relink_in_days: Option<i64>,
    /// Why sync is paused until the member links again (AniList refused the token, or it
    /// expired); `None` while the link works.
    pub expired_reason: Option<String>,
    pub switches: SyncSwitchesDto,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_synced_at_utc: Option<OffsetDateTime>,
    /// Changes waiting to be sent.
    pub pending_changes: i64,
}

/// `GET /api/me/anilist`: whether this server can link AniList at all, and the member's link.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AniListAccountDto {
    /// An AniList client is configured on this server (without one, linking is unavailable).
    pub client_configured: bool,
    pub link: Option<AniListLinkDto>,
}

/// `POST /api/me/anilist/link`: where to send the member to approve BloomWatch on AniList.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizeUrlDto {
    pub authorize_url: String,
}

/// `POST /api/me/anilist/callback` (and the query of its GET twin): what AniList handed back.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CompleteAniListLink {
    pub code: String,
    pub state: String,
}

impl std::fmt::Debug for CompleteAniListLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CompleteAniListLink(<redacted>)")
    }
}

/// How one attempt to update AniList ended.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SyncOutcome {
    /// AniList has the change.
    Succeeded,
    /// A passing failure (AniList down, slow, rate limiting): tried again later.
    WillRetry,
    /// Given up: the reason says why.
    Failed,
    /// AniList refused the token: paused until the member links again.
    LinkExpired,
    /// Not sent: the member unlinked or excluded the title.
    Cancelled,
}

impl SyncOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::WillRetry => "will_retry",
            Self::Failed => "failed",
            Self::LinkExpired => "link_expired",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Succeeded,
            Self::WillRetry,
            Self::Failed,
            Self::LinkExpired,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|outcome| outcome.as_str() == raw)
    }
}

/// One page of the member's sync history, newest first.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncHistoryPageDto {
    pub items: Vec<SyncAttemptDto>,
    /// Where the next page starts (send it back as `cursor`); null on the last page.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub next_cursor: Option<PageCursor>,
}

/// One attempt to update the member's AniList list (their sync history).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncAttemptDto {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub at_utc: OffsetDateTime,
    pub anilist_media_id: Option<AniListMediaId>,
    /// The title, when the media cache knows it.
    pub title: Option<String>,
    /// What was sent, in words ("progress 7, status Watching").
    pub summary: String,
    pub outcome: SyncOutcome,
    pub reason: Option<String>,
}

/// Where one title stands between a member's BloomWatch entry and their AniList list.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "state"
)]
pub enum EntrySyncState {
    /// The member has no AniList link.
    NotLinked,
    /// AniList refused the token or it expired: nothing is lost, sync resumes after linking
    /// again.
    LinkExpired,
    /// The member chose not to sync this title.
    Excluded,
    /// Linked, but nothing was changed here since.
    NotSyncedYet,
    /// A change is on its way.
    Pending,
    Synced {
        #[serde(with = "time::serde::rfc3339")]
        at_utc: OffsetDateTime,
    },
    /// Given up after retries, or refused by AniList; a retry sends it again.
    Failed { reason: String },
}

/// A member's sync status for one title, with their link's expiry warning.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntrySyncDto {
    pub sync: EntrySyncState,
    /// Days left before the member must link again, from 30 days before the expiry.
    pub relink_in_days: Option<i64>,
}

/// Where an import's list comes from.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all_fields = "camelCase")]
pub enum ImportSource {
    /// A list on AniList: anyone's public one by `userName`, or (without it) the member's own
    /// through their link (which reads a private list too).
    #[serde(rename = "anilist")]
    AniList {
        #[serde(default)]
        user_name: Option<String>,
    },
    /// A MyAnimeList export the member uploads (`.xml` or MAL's `.xml.gz`).
    #[serde(rename = "myanimelist")]
    MyAnimeList,
}

/// What to bring and how (`POST .../imports`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportOptions {
    /// Only titles with these list statuses (all when empty), e.g. only `PLANNING` into the
    /// backlog.
    #[serde(default)]
    pub statuses: Vec<MediaListStatus>,
    /// Bring the list's scores (converted to 0.5–10).
    #[serde(default = "yes")]
    pub scores: bool,
    /// Bring the list's notes (with the scores they belong to).
    #[serde(default)]
    pub notes: bool,
    /// Let the list replace the member's own status, progress and rating in the space;
    /// otherwise it only moves progress forward and fills what is empty.
    #[serde(default)]
    pub overwrite: bool,
}

fn yes() -> bool {
    true
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            statuses: Vec::new(),
            scores: true,
            notes: false,
            overwrite: false,
        }
    }
}

/// How many titles of a list have one status.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusCountDto {
    pub status: MediaListStatus,
    pub count: u32,
}

/// A title of a MyAnimeList file that AniList does not know.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnmatchedTitleDto {
    pub mal_id: i32,
    pub title: Option<String>,
}

/// How the member's list overlaps with another member's entries in the space.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportOverlapDto {
    pub member_id: UserId,
    pub display_name: String,
    /// Finished on the list and by them.
    pub both_finished: u32,
    /// On the list, and not among their entries.
    pub only_you: u32,
    /// Among their entries, and not on the list.
    pub only_them: u32,
    /// Planned on the list and in their backlog.
    pub both_planning: u32,
}

/// What an import would do (`POST .../imports/preview`): nothing is written.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreviewDto {
    /// "AniList: mika" or "MyAnimeList: mika".
    pub source_label: String,
    /// Titles on the list that the options bring (each once).
    pub total: u32,
    pub by_status: Vec<StatusCountDto>,
    /// Titles the space does not track yet.
    pub new_to_space: u32,
    /// Titles the space tracks already.
    pub already_in_space: u32,
    /// Titles where the member's own entry in the space says something else.
    pub conflicts: u32,
    /// Titles of a MyAnimeList file without an AniList match (listed, never dropped silently).
    pub unmatched: Vec<UnmatchedTitleDto>,
    /// One per other member of the space.
    pub overlap: Vec<ImportOverlapDto>,
}

/// Where an import job stands.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImportState {
    /// Waiting for a worker.
    Queued,
    /// Reading the list from AniList (or matching MyAnimeList ids).
    Fetching,
    /// Bringing titles into the space, a chunk at a time.
    Applying,
    Done,
    /// Stopped for good; `error` says why.
    Failed,
}

impl ImportState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Fetching => "fetching",
            Self::Applying => "applying",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Queued,
            Self::Fetching,
            Self::Applying,
            Self::Done,
            Self::Failed,
        ]
        .into_iter()
        .find(|state| state.as_str() == raw)
    }

    /// Whether a worker still has something to do.
    pub fn is_running(self) -> bool {
        matches!(self, Self::Queued | Self::Fetching | Self::Applying)
    }
}

/// An import job: where it stands and its counts, for the progress bar.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportJobDto {
    pub id: Uuid,
    pub watch_space_id: WatchSpaceId,
    pub source_label: String,
    pub state: ImportState,
    /// Titles to bring (known once the list is read).
    pub total: u32,
    /// Titles brought so far.
    pub processed: u32,
    /// Titles new to the space.
    pub added: u32,
    /// The member's entries created or changed.
    pub changed: u32,
    /// Titles where the member's entry already said as much.
    pub unchanged: u32,
    pub unmatched: Vec<UnmatchedTitleDto>,
    pub error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at_utc: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at_utc: Option<OffsetDateTime>,
}

/// One title of the member's list, as an import hands it to the space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTitle {
    pub media: MediaDto,
    pub status: MediaListStatus,
    pub progress: i32,
    /// `None`: no score, or scores are not brought.
    pub score_raw: Option<ScoreRaw>,
    /// `None`: no notes, or notes are not brought.
    pub notes: Option<String>,
}

/// One member's own entry of a title tracked in the space (for an import's preview, and a
/// member's MyAnimeList export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberListEntry {
    pub user: UserId,
    pub display_name: String,
    pub status: MediaListStatus,
    pub progress: i32,
    pub score_raw: Option<ScoreRaw>,
    pub notes: Option<String>,
}

/// A title the space tracks, with the entries its current members have made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceTitle {
    pub media: AniListMediaId,
    pub entries: Vec<MemberListEntry>,
}

/// The space as an import sees it: its current members and its titles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceLists {
    /// Every current member (id, display name), the importer included.
    pub members: Vec<(UserId, String)>,
    pub titles: Vec<SpaceTitle>,
}

/// What bringing one chunk into the space did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppliedCounts {
    pub added: u32,
    pub changed: u32,
    pub unchanged: u32,
}

/// Published (through `kernel::EventSink`, inside the write's transaction) when cached media
/// were inserted or their genres or episode length changed: those rows now carry
/// `generation`, and every media row changed later carries a higher one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetadataChanged {
    pub generation: MetadataGeneration,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_ids_are_positive_32_bit_integers() {
        assert_eq!(AniListMediaId::parse(" 154587 ").unwrap().get(), 154_587);
        for raw in ["0", "-1", "abc", "", "2147483648", "1.5"] {
            assert_eq!(AniListMediaId::parse(raw), Err(InvalidMediaId), "{raw:?}");
        }
        assert!(serde_json::from_str::<AniListMediaId>("0").is_err());
        assert_eq!(
            serde_json::to_string(&AniListMediaId::new(21).unwrap()).unwrap(),
            "21"
        );
    }

    #[test]
    fn queries_are_trimmed_and_collapsed_and_share_a_case_insensitive_key() {
        let query = SearchQuery::parse("  Bloom   Into\tYou ").unwrap();
        assert_eq!(query.as_str(), "Bloom Into You");
        assert_eq!(
            query.cache_key(),
            SearchQuery::parse("bloom into you").unwrap().cache_key()
        );
    }

    #[test]
    fn queries_are_bounded() {
        assert_eq!(SearchQuery::parse(" a "), Err(SearchQueryError::TooShort));
        assert!(SearchQuery::parse("K-On").is_ok());
        assert!(SearchQuery::parse(&"a".repeat(100)).is_ok());
        assert_eq!(
            SearchQuery::parse(&"a".repeat(101)),
            Err(SearchQueryError::TooLong)
        );
        assert_eq!(
            SearchQuery::parse("a\u{0}b"),
            Err(SearchQueryError::ControlCharacters)
        );
    }

    #[test]
    fn enums_use_anilist_spellings() {
        assert_eq!(MediaFormat::parse("TV_SHORT"), Some(MediaFormat::TvShort));
        assert_eq!(MediaFormat::parse("MANGA"), None);
        assert_eq!(
            serde_json::to_string(&MediaSeason::Fall).unwrap(),
            "\"FALL\""
        );
        for status in MediaStatus::ALL {
            assert_eq!(MediaStatus::parse(status.as_str()), Some(*status));
        }
    }
}
