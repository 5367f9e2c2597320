//! What other crates may know about AniListSync: AniList media ids, the media enums, the
//! search query parser, the media DTOs and the public error. Wasm-safe: the UI shows the same
//! DTOs and validates queries with the same parser the server uses.

use kernel::{ErrorKind, FieldErrors, PublicError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

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
    /// AniList is down, slow or answered something we could not read, and nothing cached
    /// could answer instead (503).
    #[error("AniList is unavailable right now, and we have no saved copy of that. Please try again later.")]
    Unavailable,
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
            Self::RateLimited { .. } => ErrorKind::TooManyRequests,
            Self::Unavailable => ErrorKind::Unavailable,
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
            } => Some(*retry_after_seconds),
            _ => None,
        }
    }
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
