//! AniList's GraphQL API as data: the queries and the mutation we send, the wire shapes of
//! the answers (private serde types), how an answer is classified (HTTP status, GraphQL
//! `errors`, shape), and the mapping into our DTOs. Pure: no I/O, so every odd answer is
//! unit-tested.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::contracts::{
    AniListMediaId, MediaDto, MediaFormat, MediaListStatus, MediaSeason, MediaStatus,
    NextAiringEpisodeDto, ScoreFormat, ScoreRaw,
};
use crate::domain::description;

/// The fields we read of every `Media`, shared by both queries.
macro_rules! media_fields {
    () => {
        "id idMal
      title { romaji english native }
      episodes duration format status season seasonYear
      coverImage { extraLarge large medium color }
      genres averageScore meanScore popularity isAdult
      description(asHtml: false)
      updatedAt
      nextAiringEpisode { episode airingAt }"
    };
}

/// Title search, best match first (AniList's documented search shape).
pub const SEARCH_QUERY: &str = concat!(
    "query ($search: String, $page: Int = 1, $perPage: Int = 20) {
  Page(page: $page, perPage: $perPage) {
    pageInfo { hasNextPage currentPage perPage }
    media(search: $search, type: ANIME, sort: SEARCH_MATCH) {
      ",
    media_fields!(),
    "
    }
  }
}"
);

/// One anime by id; AniList answers 404 for unknown ids and for manga ids.
pub const MEDIA_QUERY: &str = concat!(
    "query ($id: Int) {
  Media(id: $id, type: ANIME) {
      ",
    media_fields!(),
    "
  }
}"
);

/// One chunk (up to 500 entries) of a member's anime list: every status list and every custom
/// list (an entry hidden from status lists shows only in its custom lists, and an entry in a
/// custom list shows twice), each entry with its media, so an import needs no call per title.
pub const LIST_COLLECTION_QUERY: &str = concat!(
    "query ($userId: Int, $userName: String, $chunk: Int) {
  MediaListCollection(userId: $userId, userName: $userName, type: ANIME, chunk: $chunk, perChunk: 500, forceSingleCompletedList: true) {
    hasNextChunk
    user { id name mediaListOptions { scoreFormat } }
    lists {
      name isCustomList status
      entries {
        id mediaId status progress repeat notes private score(format: POINT_100) updatedAt
        media {
      ",
    media_fields!(),
    "
        }
      }
    }
  }
}"
);

/// The anime AniList knows under these MyAnimeList ids (at most [`MAL_IDS_PER_PAGE`] a page).
pub const MAL_IDS_QUERY: &str = concat!(
    "query ($ids: [Int], $page: Int) {
  Page(page: $page, perPage: 50) {
    pageInfo { hasNextPage }
    media(idMal_in: $ids, type: ANIME) {
      ",
    media_fields!(),
    "
    }
  }
}"
);

/// MyAnimeList ids per `MAL_IDS_QUERY` call (AniList's page size limit).
pub const MAL_IDS_PER_PAGE: usize = 50;

/// The signed-in member, from their token (the only query that works out the user).
pub const VIEWER_QUERY: &str = "query {
  Viewer { id name avatar { large medium } mediaListOptions { scoreFormat } }
}";

/// Sets the viewer's list entry for one anime to absolute values (so sending it twice is
/// harmless). Absent variables are left as they are on AniList.
pub const SAVE_LIST_ENTRY_MUTATION: &str =
    "mutation ($mediaId: Int, $status: MediaListStatus, $progress: Int, $scoreRaw: Int) {
  SaveMediaListEntry(mediaId: $mediaId, status: $status, progress: $progress, scoreRaw: $scoreRaw) {
    id mediaId status progress score(format: POINT_100)
  }
}";

/// How many results one search asks for.
pub const SEARCH_PAGE_SIZE: u32 = 20;

/// How long AniList's lockout lasts when it does not say (its documented one minute).
const DEFAULT_LOCKOUT: Duration = Duration::from_secs(60);

/// Why a call to AniList produced no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// AniList has no anime with that id (HTTP 404, or a GraphQL error with status 404).
    #[error("AniList has no such media")]
    NotFound,
    /// AniList answered 429: nothing may be sent for `retry_after`.
    #[error("AniList rate limited us for {retry_after:?}")]
    RateLimited { retry_after: Duration },
    /// Our own budget has no slot soon enough; nothing was sent.
    #[error("held back by our rate limiter for {retry_after:?}")]
    Throttled { retry_after: Duration },
    /// HTTP 403: AniList's API is switched off (or we are blocked).
    #[error("AniList's API is disabled (HTTP 403)")]
    Disabled,
    /// HTTP 401 (or an "Invalid token" error): AniList no longer accepts the member's token.
    #[error("AniList refused the token")]
    Unauthorized,
    /// AniList refused the request's values (its `validation` messages, safe to show).
    #[error("AniList refused the values: {0}")]
    Invalid(String),
    /// HTTP 5xx.
    #[error("AniList failed with HTTP {status}")]
    Server { status: u16 },
    /// No answer within the request timeout.
    #[error("AniList did not answer in time")]
    Timeout,
    /// Connecting, sending or reading failed.
    #[error("talking to AniList failed: {0}")]
    Transport(String),
    /// The answer carried GraphQL `errors` (or an unexpected 4xx).
    #[error("AniList answered with errors: {0}")]
    GraphQl(String),
    /// The answer was not JSON, not in the shape we asked for, too large, or described a
    /// media we cannot accept (a missing title).
    #[error("AniList's answer was unreadable: {0}")]
    Malformed(String),
}

impl FetchError {
    /// Worth trying again after a short pause: the failure is AniList's and passing.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Server { .. } | Self::Timeout | Self::Transport(_)
        )
    }

    /// How long AniList asked us (or our budget asks us) to wait, when it is rate limiting.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } | Self::Throttled { retry_after } => {
                Some(*retry_after)
            }
            _ => None,
        }
    }
}

/// What came back over HTTP, reduced to what classification needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    /// From `Retry-After`, else `X-RateLimit-Reset`.
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

/// A search answer's media, mapped; `now` stamps `cached_at_utc`.
///
/// # Errors
/// Every way an answer can fail, see [`FetchError`].
pub fn search_results(raw: &RawResponse, now: OffsetDateTime) -> Result<Vec<MediaDto>, FetchError> {
    let data: SearchData = data_of(raw)?;
    data.page
        .media
        .into_iter()
        .map(|media| media.into_dto(now))
        .collect()
}

/// A lookup answer's media, mapped; `now` stamps `cached_at_utc`.
///
/// # Errors
/// Every way an answer can fail, see [`FetchError`]; `NotFound` for `"Media": null`.
pub fn media_result(raw: &RawResponse, now: OffsetDateTime) -> Result<MediaDto, FetchError> {
    let data: MediaData = data_of(raw)?;
    data.media.ok_or(FetchError::NotFound)?.into_dto(now)
}

/// One entry of a member's AniList list, with its media.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    pub media: MediaDto,
    pub status: MediaListStatus,
    pub progress: i32,
    /// On AniList's 0–100 scale (asked for with `score(format: POINT_100)`); 0 is no score.
    pub score_raw: ScoreRaw,
    pub notes: Option<String>,
}

/// One chunk of a member's list: its entries (each media once) and whether more follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListChunk {
    pub entries: Vec<ListEntry>,
    pub has_next_chunk: bool,
    pub score_format: Option<ScoreFormat>,
}

/// A `MediaListCollection` answer, mapped: entries deduplicated by media (an entry in a
/// custom list appears again there), entries AniList describes oddly left out (logged).
///
/// # Errors
/// Every way an answer can fail, see [`FetchError`]; `NotFound` for an unknown or private user.
pub fn list_chunk(raw: &RawResponse, now: OffsetDateTime) -> Result<ListChunk, FetchError> {
    let data: CollectionData = data_of(raw)?;
    let collection = data.collection.ok_or(FetchError::NotFound)?;
    let mut seen = std::collections::HashSet::new();
    let mut entries = Vec::new();
    for entry in collection
        .lists
        .into_iter()
        .flatten()
        .flat_map(|list| list.entries.into_iter().flatten())
    {
        if !seen.insert(entry.media_id) {
            continue;
        }
        match entry.into_entry(now) {
            Ok(entry) => entries.push(entry),
            Err(error) => tracing::warn!(%error, "an AniList list entry was left out"),
        }
    }
    Ok(ListChunk {
        entries,
        has_next_chunk: collection.has_next_chunk.unwrap_or(false),
        score_format: collection
            .user
            .and_then(|user| user.media_list_options)
            .and_then(|options| options.score_format)
            .and_then(|format| ScoreFormat::parse(&format)),
    })
}

/// A page of `MAL_IDS_QUERY`'s answer: the media found and whether more pages follow.
///
/// # Errors
/// Every way an answer can fail, see [`FetchError`].
pub fn mal_ids_page(
    raw: &RawResponse,
    now: OffsetDateTime,
) -> Result<(Vec<MediaDto>, bool), FetchError> {
    let data: MalIdsData = data_of(raw)?;
    let media = data
        .page
        .media
        .into_iter()
        .map(|media| media.into_dto(now))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((
        media,
        data.page.page_info.is_some_and(|info| info.has_next_page),
    ))
}

/// Who the token belongs to, as `Viewer` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub id: i64,
    pub name: Option<String>,
    pub avatar_url: Option<String>,
    pub score_format: Option<ScoreFormat>,
}

/// A `Viewer` answer, mapped.
///
/// # Errors
/// Every way an answer can fail, see [`FetchError`]; `Malformed` for a viewer without a
/// positive id.
pub fn viewer_result(raw: &RawResponse) -> Result<Viewer, FetchError> {
    let data: ViewerData = data_of(raw)?;
    let viewer = data
        .viewer
        .ok_or_else(|| FetchError::Malformed("no viewer in the answer".to_owned()))?;
    if viewer.id <= 0 || viewer.id > i64::from(i32::MAX) {
        return Err(FetchError::Malformed(format!(
            "viewer id {} is not a positive 32-bit integer",
            viewer.id
        )));
    }
    let avatar = viewer.avatar.unwrap_or(AvatarWire {
        large: None,
        medium: None,
    });
    Ok(Viewer {
        id: viewer.id,
        name: text(viewer.name),
        avatar_url: image_url(avatar.large).or_else(|| image_url(avatar.medium)),
        score_format: viewer
            .media_list_options
            .and_then(|options| options.score_format)
            .and_then(|format| ScoreFormat::parse(&format)),
    })
}

/// What AniList's list entry holds after a save.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedListEntry {
    pub media_id: i64,
    pub status: Option<MediaListStatus>,
    pub progress: Option<i64>,
    /// On the 0–100 scale (asked for with `score(format: POINT_100)`).
    pub score: Option<f64>,
}

/// A `SaveMediaListEntry` answer, mapped.
///
/// # Errors
/// Every way an answer can fail, see [`FetchError`].
pub fn saved_list_entry(raw: &RawResponse) -> Result<SavedListEntry, FetchError> {
    let data: SaveData = data_of(raw)?;
    let saved = data
        .saved
        .ok_or_else(|| FetchError::Malformed("no saved entry in the answer".to_owned()))?;
    Ok(SavedListEntry {
        media_id: saved.media_id,
        status: saved.status.as_deref().and_then(MediaListStatus::parse),
        progress: saved.progress,
        score: saved.score,
    })
}

/// The `data` of a successful answer, or why there is none. AniList may answer HTTP 200
/// and still report errors, so `errors` is checked whatever the status.
fn data_of<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, FetchError> {
    match raw.status {
        429 => {
            return Err(FetchError::RateLimited {
                retry_after: raw.retry_after.unwrap_or(DEFAULT_LOCKOUT),
            })
        }
        404 => return Err(FetchError::NotFound),
        403 => return Err(FetchError::Disabled),
        401 => return Err(FetchError::Unauthorized),
        status @ 500..=599 => return Err(FetchError::Server { status }),
        _ => {}
    }
    let envelope: Envelope = serde_json::from_slice(&raw.body)
        .map_err(|error| FetchError::Malformed(format!("HTTP {}: {error}", raw.status)))?;
    if let Some(errors) = envelope.errors.filter(|errors| !errors.is_empty()) {
        if errors.iter().any(|error| error.status == Some(404)) {
            return Err(FetchError::NotFound);
        }
        if errors.iter().any(|error| error.status == Some(429)) {
            return Err(FetchError::RateLimited {
                retry_after: raw.retry_after.unwrap_or(DEFAULT_LOCKOUT),
            });
        }
        if errors.iter().any(|error| {
            error.status == Some(401) || error.message.as_deref() == Some("Invalid token")
        }) {
            return Err(FetchError::Unauthorized);
        }
        if let Some(messages) = validation_messages(&errors) {
            return Err(FetchError::Invalid(messages));
        }
        let messages: Vec<&str> = errors
            .iter()
            .map(|error| error.message.as_deref().unwrap_or("(no message)"))
            .collect();
        return Err(FetchError::GraphQl(format!(
            "HTTP {}: {}",
            raw.status,
            messages.join("; ")
        )));
    }
    if !(200..300).contains(&raw.status) {
        return Err(FetchError::GraphQl(format!(
            "HTTP {} without an error message",
            raw.status
        )));
    }
    let data = envelope
        .data
        .filter(|data| !data.is_null())
        .ok_or_else(|| FetchError::Malformed("no data and no errors".to_owned()))?;
    serde_json::from_value(data).map_err(|error| FetchError::Malformed(error.to_string()))
}

#[derive(Deserialize)]
struct Envelope {
    data: Option<serde_json::Value>,
    errors: Option<Vec<GraphQlError>>,
}

#[derive(Deserialize)]
struct GraphQlError {
    message: Option<String>,
    status: Option<u16>,
    /// Field name → messages, on a mutation AniList refused.
    validation: Option<std::collections::BTreeMap<String, Vec<String>>>,
}

/// AniList's `validation` messages as one sentence ("scoreRaw: score may not be greater
/// than 100"), when the errors carry any.
fn validation_messages(errors: &[GraphQlError]) -> Option<String> {
    let messages: Vec<String> = errors
        .iter()
        .filter_map(|error| error.validation.as_ref())
        .flat_map(|fields| {
            fields.iter().flat_map(|(field, messages)| {
                messages
                    .iter()
                    .map(move |message| format!("{field}: {message}"))
            })
        })
        .collect();
    (!messages.is_empty()).then(|| messages.join("; "))
}

#[derive(Deserialize)]
struct CollectionData {
    #[serde(
        rename = "MediaListCollection",
        deserialize_with = "Option::deserialize"
    )]
    collection: Option<CollectionWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CollectionWire {
    has_next_chunk: Option<bool>,
    user: Option<ListUserWire>,
    lists: Option<Vec<ListGroupWire>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListUserWire {
    media_list_options: Option<MediaListOptionsWire>,
}

#[derive(Deserialize)]
struct ListGroupWire {
    entries: Option<Vec<ListEntryWire>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListEntryWire {
    media_id: i64,
    status: Option<String>,
    progress: Option<i64>,
    notes: Option<String>,
    score: Option<f64>,
    media: Option<MediaWire>,
}

impl ListEntryWire {
    fn into_entry(self, now: OffsetDateTime) -> Result<ListEntry, FetchError> {
        let media = self
            .media
            .ok_or_else(|| {
                FetchError::Malformed(format!("entry of media {} has no media", self.media_id))
            })?
            .into_dto(now)?;
        let status = self
            .status
            .as_deref()
            .and_then(MediaListStatus::parse)
            .ok_or_else(|| {
                FetchError::Malformed(format!(
                    "entry of media {} has no known status",
                    self.media_id
                ))
            })?;
        // In range after the clamp; AniList may send 85.0 or 85.5 for a POINT_100 score.
        #[expect(clippy::cast_possible_truncation)]
        let score = self
            .score
            .filter(|score| score.is_finite())
            .unwrap_or(0.0)
            .round()
            .clamp(0.0, 100.0) as i64;
        Ok(ListEntry {
            media,
            status,
            progress: self
                .progress
                .and_then(|progress| i32::try_from(progress).ok())
                .filter(|progress| *progress >= 0)
                .unwrap_or(0),
            score_raw: ScoreRaw::new(score).unwrap_or(ScoreRaw::NONE),
            notes: text(self.notes),
        })
    }
}

#[derive(Deserialize)]
struct MalIdsData {
    #[serde(rename = "Page")]
    page: MalIdsPageWire,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MalIdsPageWire {
    page_info: Option<PageInfoWire>,
    media: Vec<MediaWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfoWire {
    has_next_page: bool,
}

#[derive(Deserialize)]
struct ViewerData {
    #[serde(rename = "Viewer", deserialize_with = "Option::deserialize")]
    viewer: Option<ViewerWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ViewerWire {
    id: i64,
    name: Option<String>,
    avatar: Option<AvatarWire>,
    media_list_options: Option<MediaListOptionsWire>,
}

#[derive(Deserialize)]
struct AvatarWire {
    large: Option<String>,
    medium: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MediaListOptionsWire {
    score_format: Option<String>,
}

#[derive(Deserialize)]
struct SaveData {
    #[serde(
        rename = "SaveMediaListEntry",
        deserialize_with = "Option::deserialize"
    )]
    saved: Option<SavedWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedWire {
    media_id: i64,
    status: Option<String>,
    progress: Option<i64>,
    score: Option<f64>,
}

#[derive(Deserialize)]
struct SearchData {
    #[serde(rename = "Page")]
    page: PageWire,
}

#[derive(Deserialize)]
struct PageWire {
    media: Vec<MediaWire>,
}

#[derive(Deserialize)]
struct MediaData {
    // Present but null means "no such media"; absent means a shape we did not ask for.
    #[serde(rename = "Media", deserialize_with = "Option::deserialize")]
    media: Option<MediaWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MediaWire {
    id: i64,
    id_mal: Option<i64>,
    title: Option<TitleWire>,
    episodes: Option<i64>,
    duration: Option<i64>,
    format: Option<String>,
    status: Option<String>,
    season: Option<String>,
    season_year: Option<i64>,
    cover_image: Option<CoverImageWire>,
    genres: Option<Vec<Option<String>>>,
    average_score: Option<i64>,
    popularity: Option<i64>,
    is_adult: Option<bool>,
    description: Option<String>,
    updated_at: Option<i64>,
    next_airing_episode: Option<NextAiringEpisodeWire>,
}

#[derive(Deserialize)]
struct TitleWire {
    romaji: Option<String>,
    english: Option<String>,
    native: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CoverImageWire {
    extra_large: Option<String>,
    large: Option<String>,
    medium: Option<String>,
    color: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NextAiringEpisodeWire {
    episode: Option<i64>,
    airing_at: Option<i64>,
}

impl MediaWire {
    /// Our view of the media: optional values AniList left out or we cannot use become
    /// `None` (logged when they were there but odd); only a missing id or romaji title
    /// makes the whole media unusable.
    fn into_dto(self, now: OffsetDateTime) -> Result<MediaDto, FetchError> {
        let id = AniListMediaId::new(self.id)
            .map_err(|_| FetchError::Malformed(format!("media id {} is not positive", self.id)))?;
        let title = self.title.unwrap_or(TitleWire {
            romaji: None,
            english: None,
            native: None,
        });
        let title_romaji = text(title.romaji)
            .ok_or_else(|| FetchError::Malformed(format!("media {id} has no romaji title")))?;
        let cover = self.cover_image.unwrap_or(CoverImageWire {
            extra_large: None,
            large: None,
            medium: None,
            color: None,
        });
        Ok(MediaDto {
            anilist_media_id: id,
            id_mal: positive(self.id_mal),
            title_romaji,
            title_english: text(title.english),
            title_native: text(title.native),
            episodes: positive(self.episodes),
            duration_minutes: positive(self.duration),
            format: known(id, "format", self.format, MediaFormat::parse),
            status: known(id, "status", self.status, MediaStatus::parse),
            season: known(id, "season", self.season, MediaSeason::parse),
            season_year: positive(self.season_year),
            cover_image_large: image_url(cover.extra_large).or_else(|| image_url(cover.large)),
            cover_image_medium: image_url(cover.medium),
            cover_color: cover.color.filter(|color| is_hex_colour(color)),
            genres: self
                .genres
                .unwrap_or_default()
                .into_iter()
                .filter_map(text)
                .collect(),
            average_score: self
                .average_score
                .and_then(|score| i32::try_from(score).ok())
                .filter(|score| (0..=100).contains(score)),
            popularity: self
                .popularity
                .and_then(|count| i32::try_from(count).ok())
                .filter(|count| *count >= 0),
            description: self
                .description
                .as_deref()
                .and_then(description::plain_text),
            is_adult: self.is_adult.unwrap_or(false),
            next_airing_episode: self.next_airing_episode.and_then(|next| {
                Some(NextAiringEpisodeDto {
                    episode: positive(next.episode)?,
                    airing_at_utc: timestamp(next.airing_at)?,
                })
            }),
            updated_from_source_at_utc: timestamp(self.updated_at).unwrap_or(now),
            cached_at_utc: now,
        })
    }
}

/// Trimmed text, `None` when blank.
fn text(raw: Option<String>) -> Option<String> {
    raw.map(|raw| raw.trim().to_owned())
        .filter(|raw| !raw.is_empty())
}

fn positive(raw: Option<i64>) -> Option<i32> {
    raw.and_then(|value| i32::try_from(value).ok())
        .filter(|value| *value > 0)
}

fn timestamp(unix_seconds: Option<i64>) -> Option<OffsetDateTime> {
    unix_seconds
        .filter(|seconds| *seconds > 0)
        .and_then(|seconds| OffsetDateTime::from_unix_timestamp(seconds).ok())
}

/// Only web addresses: the UI puts these in `src` attributes.
fn image_url(raw: Option<String>) -> Option<String> {
    text(raw).filter(|url| url.starts_with("https://") || url.starts_with("http://"))
}

fn is_hex_colour(raw: &str) -> bool {
    raw.len() == 7 && raw.starts_with('#') && raw.chars().skip(1).all(|c| c.is_ascii_hexdigit())
}

/// AniList's spelling parsed into our enum; a spelling we do not know is logged and dropped.
fn known<T>(
    id: AniListMediaId,
    field: &'static str,
    raw: Option<String>,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    let raw = raw?;
    let parsed = parse(&raw);
    if parsed.is_none() {
        tracing::warn!(media_id = %id, field, value = %raw, "unknown AniList enum value ignored");
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-25 12:00 UTC);

    fn ok(body: &str) -> RawResponse {
        answer(200, body)
    }

    fn answer(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            retry_after: None,
            body: body.as_bytes().to_vec(),
        }
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap()
    }

    #[test]
    fn a_search_answer_maps_every_field() {
        let results = search_results(&ok(&fixture("search_frieren.json")), NOW).unwrap();
        assert_eq!(results.len(), 2);
        let frieren = &results[0];
        assert_eq!(frieren.anilist_media_id.get(), 154_587);
        assert_eq!(frieren.id_mal, Some(52_991));
        assert_eq!(frieren.title_romaji, "Sousou no Frieren");
        assert_eq!(
            frieren.title_english.as_deref(),
            Some("Frieren: Beyond Journey’s End")
        );
        assert_eq!(frieren.title_native.as_deref(), Some("葬送のフリーレン"));
        assert_eq!(frieren.episodes, Some(28));
        assert_eq!(frieren.duration_minutes, Some(24));
        assert_eq!(frieren.format, Some(MediaFormat::Tv));
        assert_eq!(frieren.status, Some(MediaStatus::Finished));
        assert_eq!(frieren.season, Some(MediaSeason::Fall));
        assert_eq!(frieren.season_year, Some(2023));
        assert_eq!(
            frieren.cover_image_large.as_deref(),
            Some("https://s4.anilist.co/file/anilistcdn/media/anime/cover/large/bx154587-xl.jpg")
        );
        assert_eq!(
            frieren.cover_image_medium.as_deref(),
            Some("https://s4.anilist.co/file/anilistcdn/media/anime/cover/medium/bx154587-m.jpg")
        );
        assert_eq!(frieren.cover_color.as_deref(), Some("#d6e4a1"));
        assert_eq!(frieren.genres, ["Adventure", "Drama", "Fantasy"]);
        assert_eq!(frieren.average_score, Some(92));
        assert_eq!(frieren.popularity, Some(412_345));
        assert_eq!(
            frieren.description.as_deref(),
            Some("The adventure is over but life goes on for an elf mage just beginning to learn what living is all about. Elf mage Frieren & her courageous fellow adventurers have defeated the Demon King.\n\n(Source: Crunchyroll)")
        );
        assert!(!frieren.is_adult);
        assert_eq!(frieren.next_airing_episode, None);
        assert_eq!(
            frieren.updated_from_source_at_utc,
            datetime!(2025-01-10 08:00 UTC)
        );
        assert_eq!(frieren.cached_at_utc, NOW);
    }

    #[test]
    fn nulls_and_odd_values_become_none() {
        let results = search_results(&ok(&fixture("search_frieren.json")), NOW).unwrap();
        let odd = &results[1];
        assert_eq!(odd.title_romaji, "Sousou no Frieren: Marumaru no Mahou");
        assert_eq!(odd.title_english, None, "blank English title");
        assert_eq!(odd.title_native, None);
        assert_eq!(odd.episodes, None);
        assert_eq!(odd.format, None, "unknown format spelling");
        assert_eq!(odd.status, Some(MediaStatus::Releasing));
        assert_eq!(odd.cover_image_large, None);
        assert_eq!(odd.cover_image_medium, None);
        assert_eq!(odd.cover_color, None);
        assert!(odd.genres.is_empty());
        assert_eq!(odd.average_score, None);
        assert_eq!(odd.description, None);
        assert!(odd.is_adult, "isAdult kept");
        assert_eq!(odd.updated_from_source_at_utc, NOW, "no updatedAt: now");
        assert_eq!(
            odd.next_airing_episode,
            Some(NextAiringEpisodeDto {
                episode: 5,
                airing_at_utc: datetime!(2026-12-01 15:00 UTC),
            })
        );
    }

    #[test]
    fn a_lookup_answer_maps_one_airing_show() {
        let one_piece = media_result(&ok(&fixture("media_one_piece.json")), NOW).unwrap();
        assert_eq!(one_piece.anilist_media_id.get(), 21);
        assert_eq!(one_piece.title_english.as_deref(), Some("ONE PIECE"));
        assert_eq!(one_piece.episodes, None);
        assert_eq!(one_piece.status, Some(MediaStatus::Releasing));
        assert_eq!(one_piece.season, Some(MediaSeason::Fall));
        assert_eq!(
            one_piece.cover_image_large.as_deref(),
            Some("https://s4.anilist.co/file/anilistcdn/media/anime/cover/large/bx21-large.jpg"),
            "falls back to large when extraLarge is null"
        );
        assert_eq!(
            one_piece.description.as_deref(),
            Some("Gol D. Roger was known as the \"Pirate King.\"\nHis last words — \"My treasure? If you want it, you can have it.\"")
        );
        assert_eq!(
            one_piece.next_airing_episode.map(|next| next.episode),
            Some(1_160)
        );
    }

    #[test]
    fn an_empty_search_is_an_empty_list() {
        let body = r#"{"data":{"Page":{"pageInfo":{"hasNextPage":false},"media":[]}}}"#;
        assert_eq!(search_results(&ok(body), NOW), Ok(Vec::new()));
    }

    #[test]
    fn errors_are_classified() {
        let not_found = r#"{"errors":[{"message":"Not Found.","status":404,"locations":[{"line":2,"column":3}]}],"data":{"Media":null}}"#;
        assert_eq!(
            media_result(&answer(404, not_found), NOW),
            Err(FetchError::NotFound)
        );
        assert_eq!(
            media_result(&ok(not_found), NOW),
            Err(FetchError::NotFound),
            "200 carrying a 404 error"
        );
        assert_eq!(
            media_result(&ok(r#"{"data":{"Media":null}}"#), NOW),
            Err(FetchError::NotFound)
        );

        let too_many = r#"{"data":null,"errors":[{"message":"Too Many Requests.","status":429}]}"#;
        let mut limited = answer(429, too_many);
        limited.retry_after = Some(Duration::from_secs(42));
        assert_eq!(
            search_results(&limited, NOW),
            Err(FetchError::RateLimited {
                retry_after: Duration::from_secs(42)
            })
        );
        assert_eq!(
            search_results(&answer(429, too_many), NOW),
            Err(FetchError::RateLimited {
                retry_after: Duration::from_secs(60)
            }),
            "AniList's one-minute lockout when no header says otherwise"
        );

        let disabled = r#"{"data":null,"errors":[{"message":"The AniList API has been temporarily disabled.","status":403}]}"#;
        assert_eq!(
            search_results(&answer(403, disabled), NOW),
            Err(FetchError::Disabled)
        );
        assert_eq!(
            search_results(&answer(500, "<html>500</html>"), NOW),
            Err(FetchError::Server { status: 500 })
        );
        assert!(matches!(
            search_results(&ok(r#"{"data":null,"errors":[{"message":"Internal Server Error","status":500}]}"#), NOW),
            Err(FetchError::GraphQl(message)) if message.contains("Internal Server Error")
        ));
        assert!(matches!(
            search_results(
                &answer(400, r#"{"errors":[{"message":"Syntax Error"}]}"#),
                NOW
            ),
            Err(FetchError::GraphQl(_))
        ));
        assert_eq!(
            search_results(&answer(401, ""), NOW),
            Err(FetchError::Unauthorized)
        );
        assert_eq!(
            viewer_result(&answer(
                400,
                r#"{"data":null,"errors":[{"message":"Invalid token","status":400}]}"#
            )),
            Err(FetchError::Unauthorized),
            "AniList answers a bad token with 400 \"Invalid token\" at times"
        );
        let refused = r#"{"data":{"SaveMediaListEntry":null},"errors":[{"message":"validation","status":400,"validation":{"scoreRaw":["score may not be greater than 100"]}}]}"#;
        assert_eq!(
            saved_list_entry(&answer(400, refused)),
            Err(FetchError::Invalid(
                "scoreRaw: score may not be greater than 100".to_owned()
            ))
        );
    }

    #[test]
    fn a_viewer_answer_maps_the_account() {
        let viewer = viewer_result(&ok(r#"{"data":{"Viewer":{"id":5120,"name":" mika ","avatar":{"large":"https://s4.anilist.co/a.png","medium":null},"mediaListOptions":{"scoreFormat":"POINT_5"}}}}"#)).unwrap();
        assert_eq!(
            viewer,
            Viewer {
                id: 5120,
                name: Some("mika".to_owned()),
                avatar_url: Some("https://s4.anilist.co/a.png".to_owned()),
                score_format: Some(ScoreFormat::Point5),
            }
        );
        let bare = viewer_result(&ok(r#"{"data":{"Viewer":{"id":1,"name":null,"avatar":null,"mediaListOptions":{"scoreFormat":"POINT_1000"}}}}"#)).unwrap();
        assert_eq!(
            (bare.name, bare.avatar_url, bare.score_format),
            (None, None, None)
        );
        for odd in [
            r#"{"data":{"Viewer":null}}"#,
            r#"{"data":{"Viewer":{"id":0}}}"#,
            r#"{"data":{"Viewer":{"id":99999999999}}}"#,
            r#"{"data":{"Nope":{}}}"#,
        ] {
            assert!(
                matches!(viewer_result(&ok(odd)), Err(FetchError::Malformed(_))),
                "{odd}"
            );
        }
    }

    #[test]
    fn a_save_answer_maps_what_anilist_holds() {
        let saved = saved_list_entry(&ok(r#"{"data":{"SaveMediaListEntry":{"id":9,"mediaId":21,"status":"CURRENT","progress":7,"score":85}}}"#)).unwrap();
        assert_eq!(
            saved,
            SavedListEntry {
                media_id: 21,
                status: Some(MediaListStatus::Current),
                progress: Some(7),
                score: Some(85.0),
            }
        );
    }

    #[test]
    fn unreadable_answers_are_malformed_never_a_panic() {
        for body in [
            r#"{"data":{"Page":{"pageInfo":{"hasNextPage":tru"#,
            r#"{"data":{"Page":{"media":"nope"}}}"#,
            r#"{"data":{"Media":{"id":1}}}"#,
            r#"{"data":null}"#,
            r#"{}"#,
            r#"[1,2]"#,
            "",
            r#"{"data":{"Page":{"media":[{"id":0,"title":{"romaji":"Zero"}}]}}}"#,
            r#"{"data":{"Page":{"media":[{"id":7,"title":{"romaji":"  "}}]}}}"#,
            r#"{"data":{"Page":{"media":[{"id":7,"title":null}]}}}"#,
            r#"{"data":{"Page":{"media":[{"id":99999999999,"title":{"romaji":"Big"}}]}}}"#,
        ] {
            assert!(
                matches!(
                    search_results(&ok(body), NOW),
                    Err(FetchError::Malformed(_))
                ),
                "{body}"
            );
        }
        assert!(matches!(
            media_result(&ok(r#"{"data":{"Page":{"media":[]}}}"#), NOW),
            Err(FetchError::Malformed(_))
        ));
    }

    #[test]
    fn only_passing_failures_are_retried() {
        assert!(FetchError::Server { status: 502 }.is_retryable());
        assert!(FetchError::Timeout.is_retryable());
        assert!(FetchError::Transport("reset".into()).is_retryable());
        for error in [
            FetchError::NotFound,
            FetchError::RateLimited {
                retry_after: Duration::from_secs(1),
            },
            FetchError::Disabled,
            FetchError::Unauthorized,
            FetchError::Invalid("x".into()),
            FetchError::GraphQl("x".into()),
            FetchError::Malformed("x".into()),
        ] {
            assert!(!error.is_retryable(), "{error}");
        }
    }

    #[test]
    fn the_queries_ask_for_anime_only() {
        assert!(SEARCH_QUERY.contains("media(search: $search, type: ANIME, sort: SEARCH_MATCH)"));
        assert!(MEDIA_QUERY.contains("Media(id: $id, type: ANIME)"));
        for query in [SEARCH_QUERY, MEDIA_QUERY] {
            assert!(query.contains("nextAiringEpisode { episode airingAt }"));
        }
    }
}
