//! MyAnimeList's XML list format, read and written without I/O. It is the lingua franca of
//! anime list sites: MAL exports it (gzipped, `animelist_<epoch>_<userid>.xml.gz`) and both
//! AniList's and MAL's importers read it, so it is how members bring their list into
//! BloomWatch and take it out again.
//!
//! Uploads are hostile until proven otherwise, so the reader is strict where safety is at
//! stake and lenient everywhere else: sizes are capped before and after gunzip, it streams
//! (no DOM), any `<!DOCTYPE>` is refused so no entity can ever be defined or expanded, and a
//! file that ends before `</myanimelist>` is refused instead of giving a shorter list; but
//! unknown elements are ignored, blank values mean "unset" and MAL's odd spellings (partial
//! dates like `2020-00-00`, scores like `8.0`) are understood.

use std::collections::HashMap;
use std::io::Read;

use flate2::read::GzDecoder;
use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;
use time::{Date, Month};

use crate::contracts::{MediaListStatus, ScoreRaw};

/// The largest upload read, compressed or not.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The largest XML read after gunzip: a gzip bomb stops here.
pub const MAX_XML_BYTES: usize = 40 * 1024 * 1024;
/// The most `<anime>` entries a file may have; AniList itself keeps at most 11,000.
pub const MAX_ENTRIES: usize = 20_000;

/// Every gzip stream starts with these two bytes.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const ROOT: &str = "myanimelist";
/// How much of a refused value or name is repeated back in an error message.
const QUOTED_CHARS: usize = 60;

/// A title's status on MyAnimeList (anime lists only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MalStatus {
    Watching,
    Completed,
    OnHold,
    Dropped,
    PlanToWatch,
}

impl MalStatus {
    /// All statuses, in MAL's order.
    pub const ALL: [Self; 5] = [
        Self::Watching,
        Self::Completed,
        Self::OnHold,
        Self::Dropped,
        Self::PlanToWatch,
    ];

    /// MAL's spelling in `my_status`: `Watching`, `Completed`, `On-Hold`, `Dropped`,
    /// `Plan to Watch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Watching => "Watching",
            Self::Completed => "Completed",
            Self::OnHold => "On-Hold",
            Self::Dropped => "Dropped",
            Self::PlanToWatch => "Plan to Watch",
        }
    }

    /// Reads MAL's spelling, ignoring surrounding whitespace and ASCII case (hand-edited
    /// files write `Plan To Watch`); `None` for anything else, manga statuses included.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        Self::ALL
            .into_iter()
            .find(|status| status.as_str().eq_ignore_ascii_case(value))
    }

    /// The status in AniList's terms (rewatching is AniList's "repeating").
    pub fn to_anilist(self, rewatching: bool) -> MediaListStatus {
        match self {
            Self::Watching | Self::Completed if rewatching => MediaListStatus::Repeating,
            Self::Watching => MediaListStatus::Current,
            Self::Completed => MediaListStatus::Completed,
            Self::OnHold => MediaListStatus::Paused,
            Self::Dropped => MediaListStatus::Dropped,
            Self::PlanToWatch => MediaListStatus::Planning,
        }
    }

    /// AniList's status in MAL's terms, with MAL's rewatching flag.
    pub fn from_anilist(status: MediaListStatus) -> (Self, bool) {
        match status {
            MediaListStatus::Current => (Self::Watching, false),
            MediaListStatus::Repeating => (Self::Watching, true),
            MediaListStatus::Completed => (Self::Completed, false),
            MediaListStatus::Paused => (Self::OnHold, false),
            MediaListStatus::Dropped => (Self::Dropped, false),
            MediaListStatus::Planning => (Self::PlanToWatch, false),
        }
    }
}

/// One title of an imported MAL anime list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalEntry {
    /// `series_animedb_id`, always > 0.
    pub mal_id: i32,
    /// `series_title`, trimmed; `None` when blank.
    pub title: Option<String>,
    /// `series_episodes`; `None` when 0 (MAL's "unknown", e.g. still airing) or absent.
    pub episodes: Option<i32>,
    /// `my_watched_episodes`, >= 0 (0 when absent). Kept as written even when larger than
    /// `episodes`: capping it is the caller's business.
    pub watched_episodes: i32,
    /// `my_score`, 0..=10, 0 = unscored (also when absent).
    pub score: u8,
    pub status: MalStatus,
    /// `my_comments`, trimmed; `None` when blank.
    pub comments: Option<String>,
    /// `my_times_watched`, >= 0 (0 when absent).
    pub times_watched: i32,
    /// `my_rewatching`.
    pub rewatching: bool,
    /// `my_start_date`; `None` for `0000-00-00`, blank, absent or partial (`2020-00-00`).
    pub start_date: Option<Date>,
    /// `my_finish_date`, like `start_date`.
    pub finish_date: Option<Date>,
}

impl MalEntry {
    /// The entry's status in AniList's terms.
    pub fn anilist_status(&self) -> MediaListStatus {
        self.status.to_anilist(self.rewatching)
    }

    /// The score on AniList's 0–100 scale: MAL's points × 10 (0 stays unscored).
    pub fn score_raw(&self) -> ScoreRaw {
        ScoreRaw::new(i64::from(self.score.min(10)) * 10).unwrap_or(ScoreRaw::NONE)
    }
}

/// MAL's whole points (1–10; 0 = unscored) for a score on AniList's 0–100 scale, rounded half
/// up, so a score never becomes "unscored": the way back of [`MalEntry::score_raw`].
pub fn points(score: ScoreRaw) -> u8 {
    match score.get() {
        0 => 0,
        raw => (raw.saturating_add(5) / 10).clamp(1, 10),
    }
}

/// An imported MAL anime list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalList {
    /// `myinfo/user_name`, trimmed; `None` when blank or absent.
    pub user_name: Option<String>,
    /// The entries in file order, never empty, with unique `mal_id`s.
    pub entries: Vec<MalEntry>,
}

/// Why a file was refused; every message says what to do, for a member who uploaded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MalXmlError {
    /// The upload is over [`MAX_FILE_BYTES`], or it inflates past [`MAX_XML_BYTES`].
    #[error(
        "This file is larger than {} MB, far more than any MyAnimeList list. Upload the list \
         exactly as MyAnimeList exported it (the .xml.gz file or the .xml inside it).",
        .max_bytes / (1024 * 1024)
    )]
    TooLarge { max_bytes: usize },
    /// It starts like a gzip file but does not decompress (damaged or cut off).
    #[error(
        "This file is compressed (gzip) but damaged or incomplete. Export your list from \
         MyAnimeList again and upload the new file unchanged."
    )]
    BrokenGzip,
    /// Not well-formed XML: a syntax error, text that is not UTF-8, or a file that ends
    /// before `</myanimelist>` (truncated). `line` is 1-based.
    #[error(
        "This file is not a readable MyAnimeList list (line {line}: {reason}). Upload the list \
         exactly as MyAnimeList exported it."
    )]
    NotXml { line: u64, reason: String },
    /// Any `<!DOCTYPE ...>`: refused outright, so no entity can be defined or expanded (no
    /// "billion laughs", no external entities). MAL's exports never have one.
    #[error(
        "This file declares a document type (<!DOCTYPE>), which MyAnimeList lists never do, \
         so it was refused for safety. Upload the list exactly as MyAnimeList exported it."
    )]
    Doctype,
    /// An entity reference other than the five predefined ones and character references.
    #[error(
        "This file uses the unknown entity \"&{name};\". Only &amp;, &lt;, &gt;, &quot;, \
         &apos; and numeric character references can be read: replace it, or export your \
         list from MyAnimeList again."
    )]
    UnknownEntity { name: String },
    /// The root element is not `<myanimelist>`.
    #[error(
        "This is not a MyAnimeList list: it starts with <{found}> instead of <myanimelist>. \
         Upload the anime list file exported from MyAnimeList."
    )]
    WrongRoot { found: String },
    /// A manga list (`user_export_type` 2, or `<manga>` entries).
    #[error(
        "This is a manga list, and BloomWatch imports anime lists only. Export your anime list \
         from MyAnimeList and upload that file."
    )]
    MangaList,
    /// A well-formed anime list without a single `<anime>`.
    #[error("This anime list has no entries, so there is nothing to import.")]
    NoEntries,
    /// More than [`MAX_ENTRIES`] `<anime>` elements.
    #[error(
        "This list has more than {max} entries, more than can be imported at once. Remove some \
         entries or split the list into several files, and upload them one at a time."
    )]
    TooManyEntries { max: usize },
    /// An `<anime>` (`index` is 1-based among them) with a missing or unreadable value;
    /// `value` is what the file says (shortened), empty when the field is missing or blank.
    #[error("{}", bad_entry_message(.index, .field, .value))]
    BadEntry {
        index: usize,
        field: &'static str,
        value: String,
    },
}

fn bad_entry_message(index: &usize, field: &str, value: &str) -> String {
    let problem = if value.is_empty() {
        format!("has no {field}")
    } else {
        format!("has an invalid {field} (\"{value}\")")
    };
    format!(
        "Entry {index} of the list {problem}. Correct or remove that entry, or export your \
         list from MyAnimeList again."
    )
}

/// Parses an upload: gzip (recognised by its magic bytes `1f 8b`, whatever the file's name)
/// or plain UTF-8 XML (a byte order mark is allowed; the declared encoding is not consulted,
/// anything that is not UTF-8 is refused as [`MalXmlError::NotXml`]).
///
/// The XML is streamed (no DOM): memory is bounded by [`MAX_XML_BYTES`] and
/// [`MAX_ENTRIES`]. Entities are never expanded: any `<!DOCTYPE>` is refused, and only the
/// five predefined entities and character references are decoded (a character reference to
/// a character XML forbids, like `&#1;`, is refused). The file must end with
/// `</myanimelist>` (only whitespace, comments and processing instructions may follow): a
/// truncated upload is refused, never read as a shorter list.
///
/// Lenient reading, where MAL's format leaves room:
/// - unknown elements (and elements nested inside a field) are ignored, and so is stray text
///   directly inside `<myanimelist>`; `<myinfo>` may be missing;
/// - `user_export_type` 2 or any `<manga>` element means a manga list; any other (or no)
///   export type is read as an anime list;
/// - values are trimmed, and whitespace-only values count as blank; a field written twice
///   keeps its last value;
/// - only `series_animedb_id` and `my_status` are required; blank or absent counts are 0
///   (`series_episodes` is then `None`), a blank `my_score` is 0 (unscored), a blank
///   `my_rewatching` is false;
/// - `my_score` may be written as an integral decimal (`8.0`); `8.5`, negative scores and
///   scores over 10 are refused;
/// - `my_rewatching` is `0`/`1` (also `no`/`yes`, as manga lists write it);
/// - dates are `YYYY-MM-DD`: `0000-00-00`, a year, month or day of zero (`2020-00-00`) and
///   blank mean unset; impossible dates (`2021-02-30`) and other shapes are refused;
/// - a duplicated `series_animedb_id` (MAL never writes one, hand-edited files might) keeps
///   the last occurrence, at the position of that last occurrence.
///
/// Refusals of single entries ([`MalXmlError::BadEntry`]) name the first bad one and stop:
/// a list is imported whole or not at all.
pub fn parse(file: &[u8]) -> Result<MalList, MalXmlError> {
    if file.len() > MAX_FILE_BYTES {
        return Err(MalXmlError::TooLarge {
            max_bytes: MAX_FILE_BYTES,
        });
    }
    let inflated;
    let bytes = if file.starts_with(&GZIP_MAGIC) {
        inflated = gunzip(file)?;
        inflated.as_slice()
    } else {
        file
    };
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let xml = std::str::from_utf8(bytes).map_err(|error| MalXmlError::NotXml {
        line: line_at(bytes, error.valid_up_to()),
        reason: "the text is not UTF-8".to_owned(),
    })?;
    ListReader::new(xml).read()
}

/// Inflates a gzip upload, stopping one byte past [`MAX_XML_BYTES`].
fn gunzip(file: &[u8]) -> Result<Vec<u8>, MalXmlError> {
    let limit = u64::try_from(MAX_XML_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut xml = Vec::new();
    GzDecoder::new(file)
        .take(limit)
        .read_to_end(&mut xml)
        .map_err(|_| MalXmlError::BrokenGzip)?;
    if xml.len() > MAX_XML_BYTES {
        return Err(MalXmlError::TooLarge {
            max_bytes: MAX_XML_BYTES,
        });
    }
    Ok(xml)
}

/// The 1-based line of byte `position` of `bytes`.
fn line_at(bytes: &[u8], position: usize) -> u64 {
    let before = bytes.get(..position).unwrap_or(bytes);
    let breaks = before.iter().filter(|&&byte| byte == b'\n').count();
    u64::try_from(breaks).unwrap_or(u64::MAX).saturating_add(1)
}

/// `value` cut to [`QUOTED_CHARS`] characters, to be repeated in an error message.
fn quoted(value: &str) -> String {
    let mut chars = value.chars();
    let mut short: String = chars.by_ref().take(QUOTED_CHARS).collect();
    if chars.next().is_some() {
        short.push('…');
    }
    short
}

/// The characters XML 1.0 allows in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// The fields read; everything else is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    UserName,
    UserExportType,
    MalId,
    Title,
    Episodes,
    WatchedEpisodes,
    StartDate,
    FinishDate,
    Score,
    Status,
    Comments,
    TimesWatched,
    Rewatching,
}

impl Field {
    fn in_myinfo(name: &str) -> Option<Self> {
        match name {
            "user_name" => Some(Self::UserName),
            "user_export_type" => Some(Self::UserExportType),
            _ => None,
        }
    }

    fn in_anime(name: &str) -> Option<Self> {
        [
            Self::MalId,
            Self::Title,
            Self::Episodes,
            Self::WatchedEpisodes,
            Self::StartDate,
            Self::FinishDate,
            Self::Score,
            Self::Status,
            Self::Comments,
            Self::TimesWatched,
            Self::Rewatching,
        ]
        .into_iter()
        .find(|field| field.name() == name)
    }

    /// The element's name, as errors quote it.
    fn name(self) -> &'static str {
        match self {
            Self::UserName => "user_name",
            Self::UserExportType => "user_export_type",
            Self::MalId => "series_animedb_id",
            Self::Title => "series_title",
            Self::Episodes => "series_episodes",
            Self::WatchedEpisodes => "my_watched_episodes",
            Self::StartDate => "my_start_date",
            Self::FinishDate => "my_finish_date",
            Self::Score => "my_score",
            Self::Status => "my_status",
            Self::Comments => "my_comments",
            Self::TimesWatched => "my_times_watched",
            Self::Rewatching => "my_rewatching",
        }
    }
}

/// The child of `<myanimelist>` being read.
enum Section {
    /// Between the children of `<myanimelist>`.
    Outside,
    MyInfo,
    Anime(RawEntry),
    /// An element we do not read.
    Other,
}

/// The raw text of one `<anime>`'s fields, as written.
#[derive(Default)]
struct RawEntry {
    values: HashMap<Field, String>,
}

impl RawEntry {
    fn set(&mut self, field: Field, text: String) {
        self.values.insert(field, text);
    }

    /// The field's trimmed text; `None` when absent or blank.
    fn get(&self, field: Field) -> Option<&str> {
        self.values
            .get(&field)
            .map(|value| value.trim())
            .filter(|value| !value.is_empty())
    }

    fn into_entry(self, index: usize) -> Result<MalEntry, MalXmlError> {
        let bad = |field: Field, value: Option<&str>| MalXmlError::BadEntry {
            index,
            field: field.name(),
            value: quoted(value.unwrap_or_default()),
        };
        let count = |field: Field| -> Result<i32, MalXmlError> {
            self.get(field).map_or(Ok(0), |value| {
                value
                    .parse::<i32>()
                    .ok()
                    .filter(|count| *count >= 0)
                    .ok_or_else(|| bad(field, Some(value)))
            })
        };
        let date = |field: Field| -> Result<Option<Date>, MalXmlError> {
            self.get(field).map_or(Ok(None), |value| {
                parse_date(value).ok_or_else(|| bad(field, Some(value)))
            })
        };
        let text = |field: Field| self.get(field).map(str::to_owned);

        let mal_id = self.get(Field::MalId);
        let mal_id = mal_id
            .and_then(|id| id.parse::<i32>().ok())
            .filter(|id| *id > 0)
            .ok_or_else(|| bad(Field::MalId, mal_id))?;
        let status = self.get(Field::Status);
        let status = status
            .and_then(MalStatus::parse)
            .ok_or_else(|| bad(Field::Status, status))?;
        let score = self.get(Field::Score).map_or(Ok(0), |value| {
            parse_score(value).ok_or_else(|| bad(Field::Score, Some(value)))
        })?;
        let rewatching = match self.get(Field::Rewatching) {
            None => false,
            Some(value) if value == "1" || value.eq_ignore_ascii_case("yes") => true,
            Some(value) if value == "0" || value.eq_ignore_ascii_case("no") => false,
            Some(value) => return Err(bad(Field::Rewatching, Some(value))),
        };
        Ok(MalEntry {
            mal_id,
            title: text(Field::Title),
            episodes: Some(count(Field::Episodes)?).filter(|episodes| *episodes > 0),
            watched_episodes: count(Field::WatchedEpisodes)?,
            score,
            status,
            comments: text(Field::Comments),
            times_watched: count(Field::TimesWatched)?,
            rewatching,
            start_date: date(Field::StartDate)?,
            finish_date: date(Field::FinishDate)?,
        })
    }
}

/// `my_score`: an integer 0..=10, or an integral decimal like `8.0`.
fn parse_score(value: &str) -> Option<u8> {
    if let Ok(score) = value.parse::<u8>() {
        return Some(score).filter(|score| *score <= 10);
    }
    let decimal = value.parse::<f64>().ok()?;
    (0..=10u8).find(|score| f64::from(*score) == decimal)
}

/// A MAL date: `Some(None)` when unset (any zero part), `None` when unreadable.
fn parse_date(value: &str) -> Option<Option<Date>> {
    let mut parts = value.split('-');
    let (Some(year), Some(month), Some(day), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let digits = |part: &str, len: usize| {
        (part.len() == len && part.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| part.parse::<u16>().ok())
            .flatten()
    };
    let (year, month, day) = (digits(year, 4)?, digits(month, 2)?, digits(day, 2)?);
    if year == 0 || month == 0 || day == 0 {
        return Some(None);
    }
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = Date::from_calendar_date(i32::from(year), month, u8::try_from(day).ok()?).ok()?;
    Some(Some(date))
}

/// A field being read: its text so far.
struct OpenField {
    field: Field,
    text: String,
}

/// The streaming reader's state.
struct ListReader<'x> {
    xml: &'x str,
    reader: Reader<&'x [u8]>,
    /// Elements open right now: 1 inside `<myanimelist>`, 2 inside an `<anime>`, 3 inside one
    /// of its fields.
    depth: usize,
    root_opened: bool,
    root_closed: bool,
    section: Section,
    field: Option<OpenField>,
    user_name: Option<String>,
    /// `<anime>` elements seen so far.
    anime_seen: usize,
    entries: Vec<MalEntry>,
}

impl<'x> ListReader<'x> {
    fn new(xml: &'x str) -> Self {
        Self {
            xml,
            reader: Reader::from_str(xml),
            depth: 0,
            root_opened: false,
            root_closed: false,
            section: Section::Outside,
            field: None,
            user_name: None,
            anime_seen: 0,
            entries: Vec::new(),
        }
    }

    fn read(mut self) -> Result<MalList, MalXmlError> {
        loop {
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(error) => {
                    let position = self.reader.error_position();
                    return Err(self.not_xml_at(position, error.to_string()));
                }
            };
            match event {
                Event::Start(start) => self.open(start.name().as_ref())?,
                Event::Empty(start) => {
                    self.open(start.name().as_ref())?;
                    self.close()?;
                }
                Event::End(_) => self.close()?,
                Event::Text(text) => self.text(&text.xml10_content())?,
                Event::CData(cdata) => self.text(&cdata.xml10_content())?,
                Event::GeneralRef(reference) => {
                    let c = self.resolve(&reference)?;
                    self.text(c.encode_utf8(&mut [0; 4]))?;
                }
                Event::DocType(_) => return Err(MalXmlError::Doctype),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Eof => return self.finish(),
            }
        }
    }

    fn not_xml_at(&self, position: u64, reason: String) -> MalXmlError {
        let position = usize::try_from(position).unwrap_or(usize::MAX);
        MalXmlError::NotXml {
            line: line_at(self.xml.as_bytes(), position),
            reason,
        }
    }

    fn not_xml(&self, reason: &str) -> MalXmlError {
        self.not_xml_at(self.reader.buffer_position(), reason.to_owned())
    }

    /// The character an entity or character reference stands for.
    fn resolve(&self, reference: &BytesRef<'_>) -> Result<char, MalXmlError> {
        match reference.resolve_char_ref() {
            Ok(Some(c)) if is_xml_char(c) => return Ok(c),
            Ok(Some(_)) | Err(_) => {
                return Err(self.not_xml(&format!(
                    "\"&{};\" is not a character XML allows",
                    quoted(reference)
                )))
            }
            Ok(None) => {}
        }
        match &**reference {
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "amp" => Ok('&'),
            "quot" => Ok('"'),
            "apos" => Ok('\''),
            name => Err(MalXmlError::UnknownEntity { name: quoted(name) }),
        }
    }

    fn open(&mut self, name: &str) -> Result<(), MalXmlError> {
        match self.depth {
            0 if self.root_closed => return Err(self.not_xml("there is more after </myanimelist>")),
            0 if name != ROOT => {
                return Err(MalXmlError::WrongRoot {
                    found: quoted(name),
                })
            }
            0 => self.root_opened = true,
            1 => {
                self.section = match name {
                    "myinfo" => Section::MyInfo,
                    "anime" => {
                        self.anime_seen = self.anime_seen.saturating_add(1);
                        if self.anime_seen > MAX_ENTRIES {
                            return Err(MalXmlError::TooManyEntries { max: MAX_ENTRIES });
                        }
                        Section::Anime(RawEntry::default())
                    }
                    "manga" => return Err(MalXmlError::MangaList),
                    _ => Section::Other,
                }
            }
            2 => {
                let field = match self.section {
                    Section::MyInfo => Field::in_myinfo(name),
                    Section::Anime(_) => Field::in_anime(name),
                    Section::Outside | Section::Other => None,
                };
                self.field = field.map(|field| OpenField {
                    field,
                    text: String::new(),
                });
            }
            _ => {}
        }
        self.depth = self.depth.saturating_add(1);
        Ok(())
    }

    fn close(&mut self) -> Result<(), MalXmlError> {
        // The reader checks that end tags match start tags, so this never goes below 0.
        self.depth = self.depth.saturating_sub(1);
        match self.depth {
            0 => self.root_closed = true,
            1 => match std::mem::replace(&mut self.section, Section::Outside) {
                Section::Anime(raw) => {
                    let entry = raw.into_entry(self.anime_seen)?;
                    self.entries.push(entry);
                }
                Section::Outside | Section::MyInfo | Section::Other => {}
            },
            2 => {
                if let Some(OpenField { field, text }) = self.field.take() {
                    match (&mut self.section, field) {
                        (Section::MyInfo, Field::UserName) => {
                            let name = text.trim();
                            self.user_name = (!name.is_empty()).then(|| name.to_owned());
                        }
                        (Section::MyInfo, Field::UserExportType) if text.trim() == "2" => {
                            return Err(MalXmlError::MangaList)
                        }
                        (Section::Anime(raw), field) => raw.set(field, text),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Text, CDATA or a resolved reference.
    fn text(&mut self, text: &str) -> Result<(), MalXmlError> {
        if self.depth == 0 {
            if text.chars().all(is_xml_space) {
                return Ok(());
            }
            return Err(self.not_xml("there is text outside <myanimelist>"));
        }
        if self.depth == 3 {
            if let Some(field) = &mut self.field {
                field.text.push_str(text);
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<MalList, MalXmlError> {
        if !self.root_opened {
            return Err(self.not_xml("there is no <myanimelist> element; the file may be empty"));
        }
        if !self.root_closed {
            return Err(self.not_xml(
                "the file ends before </myanimelist>, so it is incomplete (probably cut off)",
            ));
        }
        if self.entries.is_empty() {
            return Err(MalXmlError::NoEntries);
        }
        // A duplicated id keeps its last occurrence.
        let last: HashMap<i32, usize> = self
            .entries
            .iter()
            .enumerate()
            .map(|(position, entry)| (entry.mal_id, position))
            .collect();
        let entries = self
            .entries
            .into_iter()
            .enumerate()
            .filter(|(position, entry)| last.get(&entry.mal_id) == Some(position))
            .map(|(_, entry)| entry)
            .collect();
        Ok(MalList {
            user_name: self.user_name,
            entries,
        })
    }
}

/// One entry of a MAL export that BloomWatch writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalExportEntry {
    /// MAL's id; an entry without one (<= 0) is listed as not exported instead.
    pub mal_id: i32,
    pub title: String,
    /// MAL's `series_type` (`TV`, `Movie`, `OVA`, `ONA`, `Special`, `TV Special`, `Music`,
    /// `CM`, `PV`); `Unknown` when `None`.
    pub series_type: Option<&'static str>,
    /// `None` (or 0) is written as 0, MAL's "unknown".
    pub episodes: Option<i32>,
    pub watched_episodes: i32,
    /// 0..=10, 0 = unscored.
    pub score: u8,
    pub status: MalStatus,
    pub rewatching: bool,
    pub comments: Option<String>,
}

/// A MAL XML export (what AniList's and MAL's importers read): `<?xml version="1.0"
/// encoding="UTF-8"?>`, `<myanimelist>`, `<myinfo>` with `user_name`, `user_export_type` 1
/// and the totals per status, then one `<anime>` per entry with every field MAL's own export
/// has (`update_on_import` 1, so importers overwrite what the list already holds).
///
/// Titles and comments are CDATA (a `]]>` inside is split across two sections); the dates
/// are `0000-00-00` and `my_times_watched` is 0, since BloomWatch does not export them.
/// Values outside MAL's ranges are clamped so the file always reads back: negative counts to
/// 0, scores above 10 to 10. Characters XML cannot carry at all (control characters other
/// than tab and line breaks) are dropped.
///
/// `skipped` lists titles that have no MAL id, and entries whose `mal_id` is not positive
/// join them: they are named in an XML comment before the root, like MAL's own header
/// comment (`<!-- Not exported (no MyAnimeList id): Title A; Title B -->`), with `--` inside
/// titles split by a space since XML forbids it in comments.
pub fn write(user_name: &str, entries: &[MalExportEntry], skipped: &[String]) -> String {
    let (exported, without_id): (Vec<&MalExportEntry>, Vec<&MalExportEntry>) =
        entries.iter().partition(|entry| entry.mal_id > 0);
    let skipped: Vec<&str> = skipped
        .iter()
        .map(String::as_str)
        .chain(without_id.iter().map(|entry| entry.title.as_str()))
        .collect();

    let mut xml = String::with_capacity(512 + exported.len() * 1024);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if !skipped.is_empty() {
        xml.push_str("<!-- Not exported (no MyAnimeList id): ");
        xml.push_str(&comment_text(&skipped));
        xml.push_str(" -->\n");
    }
    xml.push_str("<myanimelist>\n\t<myinfo>\n");
    let total = |status: MalStatus| {
        exported
            .iter()
            .filter(|entry| entry.status == status)
            .count()
            .to_string()
    };
    leaf(&mut xml, "user_name", &escaped(user_name));
    leaf(&mut xml, "user_export_type", "1");
    leaf(&mut xml, "user_total_anime", &exported.len().to_string());
    leaf(&mut xml, "user_total_watching", &total(MalStatus::Watching));
    leaf(
        &mut xml,
        "user_total_completed",
        &total(MalStatus::Completed),
    );
    leaf(&mut xml, "user_total_onhold", &total(MalStatus::OnHold));
    leaf(&mut xml, "user_total_dropped", &total(MalStatus::Dropped));
    leaf(
        &mut xml,
        "user_total_plantowatch",
        &total(MalStatus::PlanToWatch),
    );
    xml.push_str("\t</myinfo>\n");
    for entry in exported {
        write_entry(&mut xml, entry);
    }
    xml.push_str("</myanimelist>\n");
    xml
}

fn write_entry(xml: &mut String, entry: &MalExportEntry) {
    let episodes = entry.episodes.unwrap_or(0).max(0);
    xml.push_str("\t<anime>\n");
    leaf(xml, "series_animedb_id", &entry.mal_id.to_string());
    leaf(xml, "series_title", &cdata(&entry.title));
    leaf(
        xml,
        "series_type",
        &escaped(entry.series_type.unwrap_or("Unknown")),
    );
    leaf(xml, "series_episodes", &episodes.to_string());
    leaf(xml, "my_id", "0");
    leaf(
        xml,
        "my_watched_episodes",
        &entry.watched_episodes.max(0).to_string(),
    );
    leaf(xml, "my_start_date", "0000-00-00");
    leaf(xml, "my_finish_date", "0000-00-00");
    leaf(xml, "my_rated", "");
    leaf(xml, "my_score", &entry.score.min(10).to_string());
    leaf(xml, "my_storage", "");
    leaf(xml, "my_storage_value", "0.00");
    leaf(xml, "my_status", entry.status.as_str());
    leaf(
        xml,
        "my_comments",
        &cdata(entry.comments.as_deref().unwrap_or_default()),
    );
    leaf(xml, "my_times_watched", "0");
    leaf(xml, "my_rewatch_value", "");
    leaf(xml, "my_priority", "LOW");
    leaf(xml, "my_tags", &cdata(""));
    leaf(
        xml,
        "my_rewatching",
        if entry.rewatching { "1" } else { "0" },
    );
    leaf(xml, "my_rewatching_ep", "0");
    leaf(xml, "my_discuss", "1");
    leaf(xml, "my_sns", "default");
    leaf(xml, "update_on_import", "1");
    xml.push_str("\t</anime>\n");
}

/// `<name>content</name>` on its own line, indented for `<myinfo>`/`<anime>` children;
/// `content` is already XML.
fn leaf(xml: &mut String, name: &str, content: &str) {
    xml.push_str("\t\t<");
    xml.push_str(name);
    xml.push('>');
    xml.push_str(content);
    xml.push_str("</");
    xml.push_str(name);
    xml.push_str(">\n");
}

/// `text` as XML character data: `&`, `<` and `>` escaped, forbidden characters dropped.
fn escaped(text: &str) -> String {
    let mut xml = String::with_capacity(text.len());
    for c in text.chars().filter(|c| is_xml_char(*c)) {
        match c {
            '&' => xml.push_str("&amp;"),
            '<' => xml.push_str("&lt;"),
            '>' => xml.push_str("&gt;"),
            c => xml.push(c),
        }
    }
    xml
}

/// `text` as CDATA: a `]]>` inside ends one section after `]]` and starts the next with `>`.
fn cdata(text: &str) -> String {
    let clean: String = text.chars().filter(|c| is_xml_char(*c)).collect();
    format!("<![CDATA[{}]]>", clean.replace("]]>", "]]]]><![CDATA[>"))
}

/// The skipped titles as the text of an XML comment: `; `-separated, on one line, with a
/// space between two hyphens so no `--` (and so no `-->`) is left.
fn comment_text(titles: &[&str]) -> String {
    let mut text = String::new();
    for (position, title) in titles.iter().enumerate() {
        if position > 0 {
            text.push_str("; ");
        }
        let title = title.trim();
        let title = if title.is_empty() {
            "(untitled)"
        } else {
            title
        };
        for c in title.chars().filter(|c| is_xml_char(*c)) {
            if c == '-' && text.ends_with('-') {
                text.push(' ');
            }
            text.push(if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            });
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use flate2::write::GzEncoder;
    use flate2::Compression;
    use proptest::prelude::*;
    use time::macros::date;

    use super::*;

    #[test]
    fn scores_round_to_the_nearest_mal_point_and_stay_scored() {
        let points_of = |raw| points(ScoreRaw::new(raw).unwrap());
        assert_eq!(points_of(0), 0);
        assert_eq!(points_of(1), 1);
        assert_eq!(points_of(84), 8);
        assert_eq!(points_of(85), 9);
        assert_eq!(points_of(90), 9);
        assert_eq!(points_of(100), 10);
        for mal in 0..=10 {
            let entry = MalEntry {
                score: mal,
                ..sample_entries().remove(0)
            };
            assert_eq!(points(entry.score_raw()), mal);
        }
    }

    #[test]
    fn statuses_map_to_anilists_and_back() {
        for (mal, rewatching, anilist) in [
            (MalStatus::Watching, false, MediaListStatus::Current),
            (MalStatus::Watching, true, MediaListStatus::Repeating),
            (MalStatus::Completed, true, MediaListStatus::Repeating),
            (MalStatus::Completed, false, MediaListStatus::Completed),
            (MalStatus::OnHold, false, MediaListStatus::Paused),
            (MalStatus::Dropped, false, MediaListStatus::Dropped),
            (MalStatus::PlanToWatch, false, MediaListStatus::Planning),
        ] {
            assert_eq!(mal.to_anilist(rewatching), anilist, "{mal:?}");
        }
        for anilist in MediaListStatus::ALL.iter().copied() {
            let (mal, rewatching) = MalStatus::from_anilist(anilist);
            assert_eq!(mal.to_anilist(rewatching), anilist);
        }
    }

    /// A MAL export as MAL writes it (header comment, every legacy field), one entry per
    /// status plus a rewatch.
    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
		<!--
		 Created by XML Export feature at MyAnimeList.net
		 Version 1.1.0
		-->

		<myanimelist>

			<myinfo>
				<user_id>1234567</user_id>
				<user_name>frieren_fan</user_name>
				<user_export_type>1</user_export_type>
				<user_total_anime>6</user_total_anime>
				<user_total_watching>2</user_total_watching>
				<user_total_completed>1</user_total_completed>
				<user_total_onhold>1</user_total_onhold>
				<user_total_dropped>1</user_total_dropped>
				<user_total_plantowatch>1</user_total_plantowatch>
			</myinfo>

			<anime>
				<series_animedb_id>52991</series_animedb_id>
				<series_title><![CDATA[葬送のフリーレン]]></series_title>
				<series_type>TV</series_type>
				<series_episodes>28</series_episodes>
				<my_id>0</my_id>
				<my_watched_episodes>28</my_watched_episodes>
				<my_start_date>2023-09-29</my_start_date>
				<my_finish_date>2024-03-22</my_finish_date>
				<my_rated></my_rated>
				<my_score>10</my_score>
				<my_storage></my_storage>
				<my_storage_value>0.00</my_storage_value>
				<my_status>Completed</my_status>
				<my_comments><![CDATA[Best of 2023 & <3]]></my_comments>
				<my_times_watched>1</my_times_watched>
				<my_rewatch_value></my_rewatch_value>
				<my_priority>LOW</my_priority>
				<my_tags><![CDATA[fantasy, 魔法]]></my_tags>
				<my_rewatching>0</my_rewatching>
				<my_rewatching_ep>0</my_rewatching_ep>
				<my_discuss>1</my_discuss>
				<my_sns>default</my_sns>
				<update_on_import>1</update_on_import>
			</anime>

			<anime>
				<series_animedb_id>21</series_animedb_id>
				<series_title><![CDATA[One Piece]]></series_title>
				<series_type>TV</series_type>
				<series_episodes>0</series_episodes>
				<my_id>0</my_id>
				<my_watched_episodes>1100</my_watched_episodes>
				<my_start_date>2015-03-01</my_start_date>
				<my_finish_date>0000-00-00</my_finish_date>
				<my_rated></my_rated>
				<my_score>9</my_score>
				<my_storage></my_storage>
				<my_storage_value>0.00</my_storage_value>
				<my_status>Watching</my_status>
				<my_comments><![CDATA[]]></my_comments>
				<my_times_watched>0</my_times_watched>
				<my_rewatch_value></my_rewatch_value>
				<my_priority>HIGH</my_priority>
				<my_tags><![CDATA[]]></my_tags>
				<my_rewatching>0</my_rewatching>
				<my_rewatching_ep>0</my_rewatching_ep>
				<my_discuss>1</my_discuss>
				<my_sns>default</my_sns>
				<update_on_import>1</update_on_import>
			</anime>

			<anime>
				<series_animedb_id>5114</series_animedb_id>
				<series_title><![CDATA[Fullmetal Alchemist: Brotherhood]]></series_title>
				<series_type>TV</series_type>
				<series_episodes>64</series_episodes>
				<my_id>0</my_id>
				<my_watched_episodes>12</my_watched_episodes>
				<my_start_date>0000-00-00</my_start_date>
				<my_finish_date>0000-00-00</my_finish_date>
				<my_rated></my_rated>
				<my_score>9</my_score>
				<my_storage></my_storage>
				<my_storage_value>0.00</my_storage_value>
				<my_status>Watching</my_status>
				<my_comments><![CDATA[  Second time through.  ]]></my_comments>
				<my_times_watched>1</my_times_watched>
				<my_rewatch_value>Very High</my_rewatch_value>
				<my_priority>LOW</my_priority>
				<my_tags><![CDATA[]]></my_tags>
				<my_rewatching>1</my_rewatching>
				<my_rewatching_ep>12</my_rewatching_ep>
				<my_discuss>1</my_discuss>
				<my_sns>default</my_sns>
				<update_on_import>1</update_on_import>
			</anime>

			<anime>
				<series_animedb_id>35241</series_animedb_id>
				<series_title><![CDATA[Love & Lies <Koi to Uso> (Special)]]></series_title>
				<series_type>Special</series_type>
				<series_episodes>1</series_episodes>
				<my_id>0</my_id>
				<my_watched_episodes>0</my_watched_episodes>
				<my_start_date>2021-01-00</my_start_date>
				<my_finish_date>0000-00-00</my_finish_date>
				<my_rated></my_rated>
				<my_score>0</my_score>
				<my_storage></my_storage>
				<my_storage_value>0.00</my_storage_value>
				<my_status>On-Hold</my_status>
				<my_comments>Recommended by a friend &amp; colleague &#x263A;</my_comments>
				<my_times_watched>0</my_times_watched>
				<my_rewatch_value></my_rewatch_value>
				<my_priority>LOW</my_priority>
				<my_tags><![CDATA[]]></my_tags>
				<my_rewatching>0</my_rewatching>
				<my_rewatching_ep>0</my_rewatching_ep>
				<my_discuss>1</my_discuss>
				<my_sns>default</my_sns>
				<update_on_import>1</update_on_import>
			</anime>

			<anime>
				<series_animedb_id>40852</series_animedb_id>
				<series_title><![CDATA[Ex-Arm]]></series_title>
				<series_type>TV</series_type>
				<series_episodes>12</series_episodes>
				<my_id>0</my_id>
				<my_watched_episodes>3</my_watched_episodes>
				<my_start_date>2021-01-10</my_start_date>
				<my_finish_date>2021-01-24</my_finish_date>
				<my_rated></my_rated>
				<my_score>2</my_score>
				<my_storage></my_storage>
				<my_storage_value>0.00</my_storage_value>
				<my_status>Dropped</my_status>
				<my_comments><![CDATA[]]></my_comments>
				<my_times_watched>0</my_times_watched>
				<my_rewatch_value></my_rewatch_value>
				<my_priority>LOW</my_priority>
				<my_tags><![CDATA[]]></my_tags>
				<my_rewatching>0</my_rewatching>
				<my_rewatching_ep>0</my_rewatching_ep>
				<my_discuss>1</my_discuss>
				<my_sns>default</my_sns>
				<update_on_import>1</update_on_import>
			</anime>

			<anime>
				<series_animedb_id>34599</series_animedb_id>
				<series_title><![CDATA[Made in Abyss]]></series_title>
				<series_type>TV</series_type>
				<series_episodes>13</series_episodes>
				<my_id>0</my_id>
				<my_watched_episodes>0</my_watched_episodes>
				<my_start_date>0000-00-00</my_start_date>
				<my_finish_date>0000-00-00</my_finish_date>
				<my_rated></my_rated>
				<my_score>0</my_score>
				<my_storage></my_storage>
				<my_storage_value>0.00</my_storage_value>
				<my_status>Plan to Watch</my_status>
				<my_comments><![CDATA[   ]]></my_comments>
				<my_times_watched>0</my_times_watched>
				<my_rewatch_value></my_rewatch_value>
				<my_priority>MEDIUM</my_priority>
				<my_tags><![CDATA[]]></my_tags>
				<my_rewatching>0</my_rewatching>
				<my_rewatching_ep>0</my_rewatching_ep>
				<my_discuss>1</my_discuss>
				<my_sns>default</my_sns>
				<update_on_import>1</update_on_import>
			</anime>

		</myanimelist>
"#;

    fn sample_entries() -> Vec<MalEntry> {
        let entry = |mal_id, title: &str, status| MalEntry {
            mal_id,
            title: Some(title.to_owned()),
            episodes: None,
            watched_episodes: 0,
            score: 0,
            status,
            comments: None,
            times_watched: 0,
            rewatching: false,
            start_date: None,
            finish_date: None,
        };
        vec![
            MalEntry {
                episodes: Some(28),
                watched_episodes: 28,
                score: 10,
                comments: Some("Best of 2023 & <3".to_owned()),
                times_watched: 1,
                start_date: Some(date!(2023 - 09 - 29)),
                finish_date: Some(date!(2024 - 03 - 22)),
                ..entry(52991, "葬送のフリーレン", MalStatus::Completed)
            },
            MalEntry {
                watched_episodes: 1100,
                score: 9,
                start_date: Some(date!(2015 - 03 - 01)),
                ..entry(21, "One Piece", MalStatus::Watching)
            },
            MalEntry {
                episodes: Some(64),
                watched_episodes: 12,
                score: 9,
                comments: Some("Second time through.".to_owned()),
                times_watched: 1,
                rewatching: true,
                ..entry(
                    5114,
                    "Fullmetal Alchemist: Brotherhood",
                    MalStatus::Watching,
                )
            },
            MalEntry {
                episodes: Some(1),
                comments: Some("Recommended by a friend & colleague ☺".to_owned()),
                ..entry(
                    35241,
                    "Love & Lies <Koi to Uso> (Special)",
                    MalStatus::OnHold,
                )
            },
            MalEntry {
                episodes: Some(12),
                watched_episodes: 3,
                score: 2,
                start_date: Some(date!(2021 - 01 - 10)),
                finish_date: Some(date!(2021 - 01 - 24)),
                ..entry(40852, "Ex-Arm", MalStatus::Dropped)
            },
            MalEntry {
                episodes: Some(13),
                ..entry(34599, "Made in Abyss", MalStatus::PlanToWatch)
            },
        ]
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    /// A minimal list around `body` (the children of `<myanimelist>`).
    fn list(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<myanimelist><myinfo>\
             <user_export_type>1</user_export_type></myinfo>{body}</myanimelist>"
        )
    }

    /// An `<anime>` with `fields` (child elements, as XML).
    fn anime(fields: &str) -> String {
        format!("<anime>{fields}</anime>")
    }

    const GOOD: &str = "<series_animedb_id>1</series_animedb_id><my_status>Completed</my_status>";

    fn parse_one(fields: &str) -> Result<MalEntry, MalXmlError> {
        let list = parse(list(&anime(fields)).as_bytes())?;
        assert_eq!(list.entries.len(), 1);
        Ok(list.entries.into_iter().next().unwrap())
    }

    fn bad(index: usize, field: &'static str, value: &str) -> MalXmlError {
        MalXmlError::BadEntry {
            index,
            field,
            value: value.to_owned(),
        }
    }

    #[test]
    fn a_mal_export_parses_to_its_entries() {
        let list = parse(SAMPLE.as_bytes()).unwrap();
        assert_eq!(list.user_name.as_deref(), Some("frieren_fan"));
        assert_eq!(list.entries, sample_entries());
    }

    #[test]
    fn the_gzipped_export_parses_the_same() {
        let gzipped = gzip(SAMPLE.as_bytes());
        assert_eq!(gzipped.get(..2), Some(&GZIP_MAGIC[..]));
        assert_eq!(parse(&gzipped), parse(SAMPLE.as_bytes()));
    }

    #[test]
    fn a_byte_order_mark_and_crlf_line_ends_are_fine() {
        let crlf = SAMPLE.replace('\n', "\r\n");
        let with_bom = [UTF8_BOM, crlf.as_bytes()].concat();
        assert_eq!(parse(&with_bom).unwrap().entries, sample_entries());
    }

    #[test]
    fn every_truncation_of_the_export_is_refused() {
        let full = SAMPLE.trim_end().as_bytes();
        for cut in 0..full.len() {
            let result = parse(full.get(..cut).unwrap());
            assert!(
                matches!(result, Err(MalXmlError::NotXml { .. })),
                "cut at {cut}: {result:?}"
            );
        }
        assert!(parse(full).is_ok());
    }

    #[test]
    fn every_truncation_of_the_gzipped_export_is_refused() {
        let gzipped = gzip(SAMPLE.as_bytes());
        for cut in 2..gzipped.len() {
            assert_eq!(
                parse(gzipped.get(..cut).unwrap()),
                Err(MalXmlError::BrokenGzip),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn the_end_of_the_root_is_required() {
        let complete = list(&anime(GOOD));
        let open = complete.trim_end_matches("</myanimelist>");
        let error = parse(open.as_bytes()).unwrap_err();
        assert!(
            matches!(&error, MalXmlError::NotXml { reason, .. } if reason.contains("</myanimelist>")),
            "{error:?}"
        );
    }

    #[test]
    fn billion_laughs_is_refused_before_any_expansion() {
        let mut doctype = String::from("<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        doctype.push_str("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for level in 2..=9 {
            let previous = format!("&lol{};", level - 1).repeat(10);
            doctype.push_str(&format!("<!ENTITY lol{level} \"{previous}\">\n"));
        }
        doctype.push_str("]>\n");
        let xml = format!(
            "<?xml version=\"1.0\"?>\n{doctype}<myanimelist><anime>\
             <series_animedb_id>1</series_animedb_id><series_title>&lol9;</series_title>\
             <my_status>Completed</my_status></anime></myanimelist>"
        );
        assert_eq!(parse(xml.as_bytes()), Err(MalXmlError::Doctype));
    }

    #[test]
    fn external_entities_are_refused() {
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE myanimelist [\
                   <!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<myanimelist><anime>\
                   <series_animedb_id>1</series_animedb_id><series_title>&xxe;</series_title>\
                   <my_status>Completed</my_status></anime></myanimelist>";
        assert_eq!(parse(xml.as_bytes()), Err(MalXmlError::Doctype));
        let lower_case = "<!doctype myanimelist SYSTEM \"http://example.com/x.dtd\"><myanimelist/>";
        assert_eq!(parse(lower_case.as_bytes()), Err(MalXmlError::Doctype));
    }

    #[test]
    fn undeclared_entities_are_refused() {
        let xml = list(&anime(&format!(
            "{GOOD}<series_title>Tom &foo; Jerry</series_title>"
        )));
        assert_eq!(
            parse(xml.as_bytes()),
            Err(MalXmlError::UnknownEntity {
                name: "foo".to_owned()
            })
        );
        // Also where nothing is read: an entity is never silently skipped.
        let xml = list(&anime(&format!("{GOOD}<my_tags>&nbsp;</my_tags>")));
        assert_eq!(
            parse(xml.as_bytes()),
            Err(MalXmlError::UnknownEntity {
                name: "nbsp".to_owned()
            })
        );
    }

    #[test]
    fn predefined_entities_and_character_references_are_decoded() {
        let entry = parse_one(&format!(
            "{GOOD}<series_title>&lt;Oshi&gt; no Ko &amp; &quot;Friends&apos; &#33;&#x21;</series_title>"
        ))
        .unwrap();
        assert_eq!(entry.title.as_deref(), Some("<Oshi> no Ko & \"Friends' !!"));
    }

    #[test]
    fn character_references_to_forbidden_characters_are_refused() {
        for reference in [
            "&#0;",
            "&#1;",
            "&#xFFFF;",
            "&#xD800;",
            "&#x110000;",
            "&#abc;",
        ] {
            let xml = list(&anime(&format!(
                "{GOOD}<series_title>{reference}</series_title>"
            )));
            let result = parse(xml.as_bytes());
            assert!(
                matches!(result, Err(MalXmlError::NotXml { .. })),
                "{reference}: {result:?}"
            );
        }
    }

    #[test]
    fn other_roots_are_refused() {
        assert_eq!(
            parse(b"<html><body>Hello</body></html>"),
            Err(MalXmlError::WrongRoot {
                found: "html".to_owned()
            })
        );
        assert_eq!(
            parse(b"<?xml version=\"1.0\"?><rss/>"),
            Err(MalXmlError::WrongRoot {
                found: "rss".to_owned()
            })
        );
    }

    #[test]
    fn manga_lists_are_refused() {
        let by_type = "<myanimelist><myinfo><user_export_type>2</user_export_type></myinfo>\
                       <manga><manga_mangadb_id>2</manga_mangadb_id></manga></myanimelist>";
        assert_eq!(parse(by_type.as_bytes()), Err(MalXmlError::MangaList));
        let by_entries = "<myanimelist><manga><manga_mangadb_id>2</manga_mangadb_id>\
                          <my_status>Reading</my_status></manga></myanimelist>";
        assert_eq!(parse(by_entries.as_bytes()), Err(MalXmlError::MangaList));
        let type_only = "<myanimelist><myinfo><user_export_type> 2 </user_export_type></myinfo>\
                         </myanimelist>";
        assert_eq!(parse(type_only.as_bytes()), Err(MalXmlError::MangaList));
    }

    #[test]
    fn a_list_without_entries_is_refused() {
        assert_eq!(parse(list("").as_bytes()), Err(MalXmlError::NoEntries));
        assert_eq!(parse(b"<myanimelist/>"), Err(MalXmlError::NoEntries));
    }

    #[test]
    fn empty_and_non_xml_files_are_refused() {
        for file in [&b""[..], b"   \n", b"hello", b"{\"anime\": []}", b"\x1f"] {
            let result = parse(file);
            assert!(
                matches!(result, Err(MalXmlError::NotXml { .. })),
                "{file:?}: {result:?}"
            );
        }
    }

    #[test]
    fn anything_after_the_root_but_whitespace_and_comments_is_refused() {
        let complete = list(&anime(GOOD));
        assert!(parse(format!("{complete}\n<!-- end -->\n").as_bytes()).is_ok());
        for tail in ["<myanimelist/>", "<anime/>", "trailing text"] {
            let result = parse(format!("{complete}{tail}").as_bytes());
            assert!(
                matches!(result, Err(MalXmlError::NotXml { .. })),
                "{tail}: {result:?}"
            );
        }
    }

    #[test]
    fn mismatched_tags_are_refused() {
        let xml = list(&anime(
            "<series_animedb_id>1</series_title><my_status>Completed</my_status>",
        ));
        assert!(matches!(
            parse(xml.as_bytes()),
            Err(MalXmlError::NotXml { .. })
        ));
    }

    #[test]
    fn a_50_mb_upload_is_refused_before_parsing() {
        let huge = vec![b' '; 50 * 1024 * 1024];
        assert_eq!(
            parse(&huge),
            Err(MalXmlError::TooLarge {
                max_bytes: MAX_FILE_BYTES
            })
        );
        let just_over = vec![0x1f; MAX_FILE_BYTES + 1];
        assert_eq!(
            parse(&just_over),
            Err(MalXmlError::TooLarge {
                max_bytes: MAX_FILE_BYTES
            })
        );
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_inflated_cap() {
        // 41 MiB of spaces inflate from about 40 KiB.
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..41 {
            encoder.write_all(&chunk).unwrap();
        }
        let bomb = encoder.finish().unwrap();
        assert!(bomb.len() < MAX_FILE_BYTES / 10, "{} bytes", bomb.len());
        assert_eq!(
            parse(&bomb),
            Err(MalXmlError::TooLarge {
                max_bytes: MAX_XML_BYTES
            })
        );
    }

    #[test]
    fn broken_gzip_is_refused() {
        let garbage = [
            0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x01,
        ];
        assert_eq!(parse(&garbage), Err(MalXmlError::BrokenGzip));
        let mut corrupted = gzip(SAMPLE.as_bytes());
        let middle = corrupted.len() / 2;
        for byte in corrupted.iter_mut().skip(middle).take(16) {
            *byte ^= 0xa5;
        }
        assert_eq!(parse(&corrupted), Err(MalXmlError::BrokenGzip));
    }

    #[test]
    fn invalid_utf8_is_refused_with_its_line() {
        let xml = list(&anime(&format!(
            "{GOOD}\n\n<series_title>caf\u{e9}</series_title>"
        )));
        let latin1: Vec<u8> = xml
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect();
        assert_eq!(
            parse(&latin1),
            Err(MalXmlError::NotXml {
                line: 4,
                reason: "the text is not UTF-8".to_owned()
            })
        );
        let gzipped = gzip(&latin1);
        assert!(matches!(parse(&gzipped), Err(MalXmlError::NotXml { .. })));
    }

    #[test]
    fn syntax_errors_name_their_line() {
        let xml = "<myanimelist>\n<anime>\n<series_animedb_id>1</series_animedb_idx>\n</anime>\n</myanimelist>";
        let error = parse(xml.as_bytes()).unwrap_err();
        assert!(
            matches!(error, MalXmlError::NotXml { line: 3, .. }),
            "{error:?}"
        );
    }

    #[test]
    fn a_missing_or_unreadable_mal_id_names_the_entry() {
        let status = "<my_status>Completed</my_status>";
        for (id, value) in [
            ("<series_animedb_id>abc</series_animedb_id>", "abc"),
            ("<series_animedb_id>0</series_animedb_id>", "0"),
            ("<series_animedb_id>-5</series_animedb_id>", "-5"),
            (
                "<series_animedb_id>99999999999</series_animedb_id>",
                "99999999999",
            ),
            ("<series_animedb_id>  </series_animedb_id>", ""),
            ("<series_animedb_id/>", ""),
            ("", ""),
        ] {
            let xml = list(&format!(
                "{}{}",
                anime(GOOD),
                anime(&format!("{id}{status}"))
            ));
            assert_eq!(
                parse(xml.as_bytes()),
                Err(bad(2, "series_animedb_id", value)),
                "{id}"
            );
        }
        assert_eq!(
            parse(list("<anime/>").as_bytes()),
            Err(bad(1, "series_animedb_id", ""))
        );
    }

    #[test]
    fn an_unknown_or_missing_status_names_the_entry() {
        let id = "<series_animedb_id>7</series_animedb_id>";
        for (status, value) in [
            ("<my_status>Watched</my_status>", "Watched"),
            ("<my_status>Reading</my_status>", "Reading"),
            ("<my_status>1</my_status>", "1"),
            ("<my_status></my_status>", ""),
            ("", ""),
        ] {
            assert_eq!(
                parse_one(&format!("{id}{status}")),
                Err(bad(1, "my_status", value)),
                "{status}"
            );
        }
        let relaxed = parse_one(&format!("{id}<my_status> plan TO watch </my_status>")).unwrap();
        assert_eq!(relaxed.status, MalStatus::PlanToWatch);
    }

    #[test]
    fn statuses_round_trip_through_mal_spelling() {
        for status in MalStatus::ALL {
            assert_eq!(MalStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(MalStatus::parse("On Hold"), None);
        assert_eq!(MalStatus::parse(""), None);
    }

    #[test]
    fn scores_are_integers_from_0_to_10_or_integral_decimals() {
        for (score, expected) in [
            ("8", 8),
            (" 10 ", 10),
            ("0", 0),
            ("", 0),
            ("8.0", 8),
            ("7.00", 7),
        ] {
            let entry = parse_one(&format!("{GOOD}<my_score>{score}</my_score>")).unwrap();
            assert_eq!(entry.score, expected, "{score}");
        }
        for score in ["8.5", "11", "-1", "10.1", "NaN", "eight"] {
            assert_eq!(
                parse_one(&format!("{GOOD}<my_score>{score}</my_score>")),
                Err(bad(1, "my_score", score)),
                "{score}"
            );
        }
    }

    #[test]
    fn counts_are_whole_and_not_negative() {
        for field in ["series_episodes", "my_watched_episodes", "my_times_watched"] {
            for value in ["-1", "2.5", "many"] {
                assert_eq!(
                    parse_one(&format!("{GOOD}<{field}>{value}</{field}>")),
                    Err(bad(1, field, value)),
                    "{field} {value}"
                );
            }
        }
        let blank = parse_one(&format!(
            "{GOOD}<series_episodes> </series_episodes><my_watched_episodes/>"
        ))
        .unwrap();
        assert_eq!(
            (blank.episodes, blank.watched_episodes, blank.times_watched),
            (None, 0, 0)
        );
        // More watched than the series has is kept: capping is the caller's business.
        let over = parse_one(&format!(
            "{GOOD}<series_episodes>12</series_episodes><my_watched_episodes>13</my_watched_episodes>"
        ))
        .unwrap();
        assert_eq!((over.episodes, over.watched_episodes), (Some(12), 13));
    }

    #[test]
    fn dates_unset_partial_and_broken() {
        for (value, expected) in [
            ("2024-02-29", Some(date!(2024 - 02 - 29))),
            ("0000-00-00", None),
            ("2020-00-00", None),
            ("2020-05-00", None),
            ("0000-05-12", None),
            ("", None),
        ] {
            let entry = parse_one(&format!(
                "{GOOD}<my_start_date>{value}</my_start_date><my_finish_date>{value}</my_finish_date>"
            ))
            .unwrap();
            assert_eq!(
                (entry.start_date, entry.finish_date),
                (expected, expected),
                "{value}"
            );
        }
        for value in [
            "2021-02-30",
            "2021-13-01",
            "2021-1-01",
            "01/02/2021",
            "yesterday",
            "2021-01-01-01",
        ] {
            assert_eq!(
                parse_one(&format!("{GOOD}<my_finish_date>{value}</my_finish_date>")),
                Err(bad(1, "my_finish_date", value)),
                "{value}"
            );
        }
    }

    #[test]
    fn rewatching_is_0_or_1() {
        for (value, expected) in [
            ("1", true),
            ("0", false),
            ("", false),
            ("YES", true),
            ("no", false),
        ] {
            let entry =
                parse_one(&format!("{GOOD}<my_rewatching>{value}</my_rewatching>")).unwrap();
            assert_eq!(entry.rewatching, expected, "{value}");
        }
        assert_eq!(
            parse_one(&format!("{GOOD}<my_rewatching>2</my_rewatching>")),
            Err(bad(1, "my_rewatching", "2"))
        );
    }

    #[test]
    fn blank_text_is_none_and_unknown_elements_are_ignored() {
        let entry = parse_one(&format!(
            "<unknown><series_animedb_id>99</series_animedb_id></unknown>{GOOD}\
             <series_title>  \n </series_title><my_comments><![CDATA[ \t ]]></my_comments>\
             <my_extra attr=\"&amp;\"><nested>x</nested></my_extra>"
        ))
        .unwrap();
        assert_eq!((entry.mal_id, entry.title, entry.comments), (1, None, None));
        let xml = "<myanimelist><anime><series_animedb_id>3</series_animedb_id>\
                   <my_status>Dropped</my_status></anime></myanimelist>";
        let list = parse(xml.as_bytes()).unwrap();
        assert_eq!((list.user_name, list.entries.len()), (None, 1));
    }

    #[test]
    fn duplicated_ids_keep_the_last_occurrence() {
        let entry = |id: i32, status: &str| {
            anime(&format!(
                "<series_animedb_id>{id}</series_animedb_id><my_status>{status}</my_status>"
            ))
        };
        let xml = list(
            &[
                entry(1, "Watching"),
                entry(2, "Dropped"),
                entry(1, "Completed"),
            ]
            .concat(),
        );
        let entries = parse(xml.as_bytes()).unwrap().entries;
        let kept: Vec<(i32, MalStatus)> = entries.iter().map(|e| (e.mal_id, e.status)).collect();
        assert_eq!(kept, [(2, MalStatus::Dropped), (1, MalStatus::Completed)]);
    }

    #[test]
    fn more_than_max_entries_is_refused() {
        let one = anime(GOOD);
        let at_max = list(&one.repeat(MAX_ENTRIES));
        assert_eq!(
            parse(at_max.as_bytes()).map(|list| list.entries.len()),
            Ok(1)
        );
        let over = list(&one.repeat(MAX_ENTRIES + 1));
        assert_eq!(
            parse(over.as_bytes()),
            Err(MalXmlError::TooManyEntries { max: MAX_ENTRIES })
        );
    }

    #[test]
    fn long_values_are_shortened_in_errors() {
        let long = "x".repeat(10_000);
        let Err(MalXmlError::BadEntry { value, .. }) =
            parse_one(&format!("{GOOD}<my_score>{long}</my_score>"))
        else {
            panic!("not refused");
        };
        assert_eq!(value.chars().count(), QUOTED_CHARS + 1);
    }

    #[test]
    fn error_messages_tell_the_member_what_to_do() {
        let errors = [
            MalXmlError::TooLarge {
                max_bytes: MAX_FILE_BYTES,
            },
            MalXmlError::BrokenGzip,
            MalXmlError::NotXml {
                line: 3,
                reason: "the text is not UTF-8".to_owned(),
            },
            MalXmlError::Doctype,
            MalXmlError::UnknownEntity {
                name: "foo".to_owned(),
            },
            MalXmlError::WrongRoot {
                found: "html".to_owned(),
            },
            MalXmlError::MangaList,
            MalXmlError::NoEntries,
            MalXmlError::TooManyEntries { max: MAX_ENTRIES },
            bad(2, "my_status", "Watched"),
            bad(2, "series_animedb_id", ""),
        ];
        for error in errors {
            let message = error.to_string();
            assert!(message.ends_with('.'), "{message}");
            assert!(!message.contains("{"), "{message}");
        }
        assert_eq!(
            MalXmlError::TooLarge {
                max_bytes: MAX_FILE_BYTES
            }
            .to_string(),
            "This file is larger than 10 MB, far more than any MyAnimeList list. Upload the \
             list exactly as MyAnimeList exported it (the .xml.gz file or the .xml inside it)."
        );
        assert_eq!(
            bad(2, "my_status", "Watched").to_string(),
            "Entry 2 of the list has an invalid my_status (\"Watched\"). Correct or remove that \
             entry, or export your list from MyAnimeList again."
        );
        assert_eq!(
            bad(1, "series_animedb_id", "").to_string(),
            "Entry 1 of the list has no series_animedb_id. Correct or remove that entry, or \
             export your list from MyAnimeList again."
        );
    }

    fn export_entry(mal_id: i32, title: &str, status: MalStatus) -> MalExportEntry {
        MalExportEntry {
            mal_id,
            title: title.to_owned(),
            series_type: Some("TV"),
            episodes: Some(12),
            watched_episodes: 3,
            score: 7,
            status,
            rewatching: false,
            comments: None,
        }
    }

    /// What `parse` gives back for an entry `write` wrote.
    fn read_back(entry: &MalExportEntry) -> MalEntry {
        let text = |text: &str| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
        MalEntry {
            mal_id: entry.mal_id,
            title: text(&entry.title),
            episodes: entry.episodes.filter(|episodes| *episodes > 0),
            watched_episodes: entry.watched_episodes.max(0),
            score: entry.score.min(10),
            status: entry.status,
            comments: entry.comments.as_deref().and_then(text),
            times_watched: 0,
            rewatching: entry.rewatching,
            start_date: None,
            finish_date: None,
        }
    }

    #[test]
    fn written_exports_read_back() {
        let entries = vec![
            MalExportEntry {
                comments: Some("Ends with ]]> and has ]]]]> twice & <b>tags</b>".to_owned()),
                rewatching: true,
                ..export_entry(52991, "葬送のフリーレン ]]> Frieren", MalStatus::Watching)
            },
            MalExportEntry {
                series_type: None,
                episodes: None,
                score: 0,
                ..export_entry(21, "]]>", MalStatus::PlanToWatch)
            },
            export_entry(
                5114,
                "Fullmetal Alchemist: Brotherhood",
                MalStatus::Completed,
            ),
            MalExportEntry {
                score: 11,
                watched_episodes: -4,
                ..export_entry(1, "Cowboy Bebop", MalStatus::OnHold)
            },
            export_entry(30, "Neon Genesis Evangelion", MalStatus::Dropped),
        ];
        let xml = write("someone & <friends>", &entries, &[]);
        let list = parse(xml.as_bytes()).unwrap();
        assert_eq!(list.user_name.as_deref(), Some("someone & <friends>"));
        assert_eq!(
            list.entries,
            entries.iter().map(read_back).collect::<Vec<_>>()
        );
        assert_eq!(
            list.entries.first().and_then(|e| e.title.as_deref()),
            Some("葬送のフリーレン ]]> Frieren")
        );
    }

    #[test]
    fn written_exports_have_mal_shape() {
        let entries = [
            export_entry(1, "A", MalStatus::Watching),
            export_entry(2, "B", MalStatus::Watching),
            export_entry(3, "C", MalStatus::PlanToWatch),
        ];
        let xml = write("me", &entries, &[]);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<myanimelist>\n"));
        for expected in [
            "<user_export_type>1</user_export_type>",
            "<user_total_anime>3</user_total_anime>",
            "<user_total_watching>2</user_total_watching>",
            "<user_total_completed>0</user_total_completed>",
            "<user_total_plantowatch>1</user_total_plantowatch>",
            "<series_title><![CDATA[A]]></series_title>",
            "<series_type>TV</series_type>",
            "<my_start_date>0000-00-00</my_start_date>",
            "<my_finish_date>0000-00-00</my_finish_date>",
            "<my_status>Plan to Watch</my_status>",
            "<my_times_watched>0</my_times_watched>",
            "<my_rewatching>0</my_rewatching>",
        ] {
            assert!(xml.contains(expected), "{expected} missing from\n{xml}");
        }
        assert_eq!(
            xml.matches("<update_on_import>1</update_on_import>")
                .count(),
            3
        );
        assert!(!xml.contains("<!--"));
    }

    /// Every event of `xml`, with comments checked for `--`.
    fn strict_events(xml: &str) -> Result<Vec<Event<'_>>, quick_xml::Error> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().enable_all_checks(true);
        let mut events = Vec::new();
        loop {
            match reader.read_event()? {
                Event::Eof => return Ok(events),
                event => events.push(event),
            }
        }
    }

    #[test]
    fn the_skipped_titles_comment_is_well_formed() {
        let skipped = [
            "Title A".to_owned(),
            "Kill--la--Kill".to_owned(),
            "Ends -->".to_owned(),
            "trailing-".to_owned(),
            "---".to_owned(),
            "line\nbreak".to_owned(),
            "  ".to_owned(),
        ];
        let entries = [
            export_entry(1, "Kept", MalStatus::Completed),
            export_entry(0, "No id --> either", MalStatus::Completed),
        ];
        let xml = write("me", &entries, &skipped);
        let events = strict_events(&xml).unwrap();
        let comments: Vec<String> = events
            .iter()
            .filter_map(|event| match event {
                Event::Comment(text) => Some(text.xml10_content().into_owned()),
                _ => None,
            })
            .collect();
        assert_eq!(
            comments,
            [
                " Not exported (no MyAnimeList id): Title A; Kill- -la- -Kill; Ends - ->; \
              trailing-; - - -; line break; (untitled); No id - -> either "
            ]
        );
        assert!(xml.find("<!--") < xml.find("<myanimelist>"));
        let list = parse(xml.as_bytes()).unwrap();
        let ids: Vec<i32> = list.entries.iter().map(|entry| entry.mal_id).collect();
        assert_eq!(ids, [1]);
        assert!(xml.contains("<user_total_anime>1</user_total_anime>"));
    }

    #[test]
    fn characters_xml_cannot_carry_are_dropped() {
        let entry = MalExportEntry {
            comments: Some("bell\u{7}\u{0}".to_owned()),
            ..export_entry(1, "a\u{1}b\u{FFFF}", MalStatus::Completed)
        };
        let xml = write("\u{1b}me", &[entry], &["x\u{2}y".to_owned()]);
        assert!(strict_events(&xml).is_ok());
        let list = parse(xml.as_bytes()).unwrap();
        assert_eq!(list.user_name.as_deref(), Some("me"));
        let entry = list.entries.first().unwrap();
        assert_eq!(
            (entry.title.as_deref(), entry.comments.as_deref()),
            (Some("ab"), Some("bell"))
        );
        assert!(xml.contains("no MyAnimeList id): xy -->"));
    }

    fn status() -> impl Strategy<Value = MalStatus> {
        prop::sample::select(MalStatus::ALL.to_vec())
    }

    /// Printable text with XML's special characters, non-ASCII and CDATA's terminator.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[ -~]{0,40}",
            "[ a-z<>&\"'\\]é葬送のフリーレン]{0,40}",
            ("[ -~]{0,15}", "[ -~]{0,15}").prop_map(|(a, b)| format!("{a}]]>{b}")),
        ]
    }

    fn export_entries() -> impl Strategy<Value = Vec<MalExportEntry>> {
        let entry = (
            text(),
            prop::option::of(prop::sample::select(vec![
                "TV",
                "Movie",
                "OVA",
                "TV Special",
            ])),
            prop::option::of(0..2000i32),
            0..3000i32,
            0..=10u8,
            status(),
            any::<bool>(),
            prop::option::of(text()),
        );
        prop::collection::vec(entry, 1..20).prop_map(|entries| {
            entries
                .into_iter()
                .zip(1..)
                .map(
                    |(
                        (
                            title,
                            series_type,
                            episodes,
                            watched,
                            score,
                            status,
                            rewatching,
                            comments,
                        ),
                        mal_id,
                    )| {
                        MalExportEntry {
                            mal_id: mal_id * 7,
                            title,
                            series_type,
                            episodes,
                            watched_episodes: watched,
                            score,
                            status,
                            rewatching,
                            comments,
                        }
                    },
                )
                .collect()
        })
    }

    proptest! {
        #[test]
        fn any_written_export_reads_back(
            user_name in "[ -~]{0,20}",
            entries in export_entries(),
            skipped in prop::collection::vec(text(), 0..4),
        ) {
            let xml = write(&user_name, &entries, &skipped);
            prop_assert!(strict_events(&xml).is_ok());
            let list = parse(xml.as_bytes()).unwrap();
            let user_name = Some(user_name.trim().to_owned()).filter(|name| !name.is_empty());
            prop_assert_eq!(list.user_name, user_name);
            prop_assert_eq!(list.entries, entries.iter().map(read_back).collect::<Vec<_>>());
            let gzipped = gzip(xml.as_bytes());
            prop_assert!(parse(&gzipped).is_ok());
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse(&bytes);
            let _ = parse(&[&GZIP_MAGIC[..], &bytes].concat());
        }

        #[test]
        fn mangled_exports_never_panic(cut in 0..SAMPLE.len(), insert in "[<>&;!\\[\\]/a-z-]{1,12}") {
            let mut xml = SAMPLE.as_bytes().to_vec();
            let at = cut.min(xml.len());
            xml.splice(at..at, insert.bytes());
            let _ = parse(&xml);
        }
    }
}
