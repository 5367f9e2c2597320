//! Big lists made up on demand, the same every time: a fake user with `entries` titles (1,000
//! for the import tests and the benchmark) and the same list as a MyAnimeList export. The
//! bundled catalog has too few anime for that, so the list is of synthesised media, ids from
//! [`FIRST_GENERATED_MEDIA_ID`] (MAL ids from [`FIRST_GENERATED_MAL_ID`]), which the fake
//! serves like its own from `MediaListCollection`, `Media(id:)` and `idMal_in`. Entry `n`
//! always refers to the same media, so two generated users share their titles.
//!
//! The shape, by position `i` (0-based) on the list:
//! - statuses in turn: CURRENT, PLANNING, COMPLETED, DROPPED, PAUSED, REPEATING;
//! - every 4th title (`i % 4 == 3`) unscored, the others scored in the user's format (the
//!   fake stores 0–100, as AniList's `score(format: POINT_100)` reads it back);
//! - every 10th with notes; every 9th also in the custom list "Favourites", every 15th also in
//!   "Comfort shows" (so both lists carry every 45th), and every 45th hidden from its status
//!   list: custom lists duplicate entries across groups as on AniList;
//! - every 50th title (`i % 50 == 49`) has no MAL id: it is left out of the MAL file, and in
//!   its place the file lists a MAL id AniList does not know (unmatched), so the file has as
//!   many entries as the list.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::users::{FakeListEntry, FakeUser, ListStatus, ScoreFormat};

/// The first synthesised media id: above the catalog's (< 200,000) and clear of the ids
/// tests and the benchmark give media they insert themselves (800,000 and 900,001 onwards).
pub const FIRST_GENERATED_MEDIA_ID: i64 = 950_001;
/// The MAL id of the first synthesised media (MAL's own ids are below 100,000).
pub const FIRST_GENERATED_MAL_ID: i64 = 600_001;
/// MAL ids in the file that no AniList media has start here.
pub const FIRST_UNKNOWN_MAL_ID: i64 = 690_001;
/// The custom lists of a generated user.
pub const GENERATED_CUSTOM_LISTS: [&str; 2] = ["Favourites", "Comfort shows"];

/// What to generate; also the body of `POST /__control/users/generated`. All but `name` may
/// be left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct GeneratedListSpec {
    pub name: String,
    /// Titles on the list (default 1,000); at most [`MAX_GENERATED_ENTRIES`].
    pub entries: usize,
    /// `POINT_100`, `POINT_10_DECIMAL` (the default), `POINT_10`, `POINT_5` or `POINT_3`.
    pub score_format: String,
    pub private: bool,
}

/// AniList keeps at most 11,000 entries a list; this is far enough for any test.
pub const MAX_GENERATED_ENTRIES: usize = 20_000;

impl Default for GeneratedListSpec {
    fn default() -> Self {
        Self {
            name: String::new(),
            entries: 1_000,
            score_format: "POINT_10_DECIMAL".to_owned(),
            private: false,
        }
    }
}

/// A generated list: the user (insert it with [`crate::FakeAniList::insert_generated_user`],
/// which also adds `media`), the media it refers to and the same list as MAL XML.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedList {
    pub user: FakeUser,
    /// AniList Media JSON of every title on the list, in list order.
    pub media: Vec<Value>,
    /// A MyAnimeList export (`<myanimelist>`, plain XML) of the titles with a MAL id, plus
    /// one entry per [`Self::unknown_mal_ids`].
    pub mal_xml: String,
    /// MAL ids in `mal_xml` that no AniList media has, in file order.
    pub unknown_mal_ids: Vec<i64>,
}

/// The list `spec` describes.
///
/// # Errors
/// A message when the name is blank, the score format unknown or `entries` is 0 or above
/// [`MAX_GENERATED_ENTRIES`].
pub fn generate(spec: &GeneratedListSpec) -> Result<GeneratedList, String> {
    if spec.name.trim().is_empty() {
        return Err("a user needs a name".to_owned());
    }
    if !(1..=MAX_GENERATED_ENTRIES).contains(&spec.entries) {
        return Err(format!(
            "a generated list has 1 to {MAX_GENERATED_ENTRIES} entries, not {}",
            spec.entries
        ));
    }
    let format = crate::users::parse_score_format(&spec.score_format)?;
    let media: Vec<Value> = (0..spec.entries).map(generated_media).collect();
    let entries: Vec<FakeListEntry> = (0..spec.entries)
        .map(|index| generated_entry(index, format))
        .collect();
    let unknown_mal_ids: Vec<i64> = (0..spec.entries)
        .filter(|index| !has_mal_id(*index))
        .zip(FIRST_UNKNOWN_MAL_ID..)
        .map(|(_, mal_id)| mal_id)
        .collect();
    let mal_xml = mal_export(&spec.name, &entries, &media, &unknown_mal_ids);
    Ok(GeneratedList {
        user: FakeUser {
            name: spec.name.clone(),
            private: spec.private,
            score_format: spec.score_format.clone(),
            custom_lists: GENERATED_CUSTOM_LISTS.map(str::to_owned).to_vec(),
            entries,
        },
        media,
        mal_xml,
        unknown_mal_ids,
    })
}

fn has_mal_id(index: usize) -> bool {
    index % 50 != 49
}

fn offset(index: usize) -> i64 {
    i64::try_from(index).unwrap_or(i64::MAX)
}

fn episodes(index: usize) -> i64 {
    [12, 24, 13, 26][index % 4]
}

fn generated_media(index: usize) -> Value {
    let n = offset(index) + 1;
    let seasons = ["WINTER", "SPRING", "SUMMER", "FALL"];
    let genres = [
        "Comedy",
        "Drama",
        "Romance",
        "Slice of Life",
        "Fantasy",
        "Mystery",
    ];
    json!({
        "id": FIRST_GENERATED_MEDIA_ID + offset(index),
        "idMal": has_mal_id(index).then_some(FIRST_GENERATED_MAL_ID + offset(index)),
        "title": {
            "romaji": format!("Seisei Anime {n}"),
            // An ampersand now and then, so exports and imports escape titles.
            "english": if n % 7 == 0 { format!("Generated Show {n}: Tea & Tears") } else { format!("Generated Show {n}") },
            "native": null,
        },
        "episodes": episodes(index),
        "duration": 24,
        "format": "TV",
        "status": "FINISHED",
        "season": seasons[index % 4],
        "seasonYear": 2000 + n % 25,
        "coverImage": {"color": format!("#{:02x}{:02x}c0", 96 + n % 128, 160 - n % 64)},
        "genres": [genres[index % genres.len()], genres[(index / 6) % genres.len()]],
        "averageScore": 50 + n % 45,
        "meanScore": 50 + n % 45,
        "popularity": 1_000 + n,
        "isAdult": false,
        "description": format!("Generated show number {n}, made up for import tests and the benchmark."),
        "updatedAt": 1_700_000_000,
        "nextAiringEpisode": null,
    })
}

fn generated_entry(index: usize, format: ScoreFormat) -> FakeListEntry {
    let status = ListStatus::ALL[index % ListStatus::ALL.len()];
    let episodes = episodes(index);
    let partway = offset(index) % episodes;
    let progress = match status {
        ListStatus::Planning => 0,
        ListStatus::Completed => episodes,
        _ => partway,
    };
    let custom_lists = GENERATED_CUSTOM_LISTS
        .iter()
        .zip([9, 15])
        .filter(|(_, every)| index.is_multiple_of(*every))
        .map(|(name, _)| (*name).to_owned())
        .collect();
    FakeListEntry {
        media_id: FIRST_GENERATED_MEDIA_ID + offset(index),
        status: status.as_str().to_owned(),
        progress,
        score: if index % 4 == 3 {
            0
        } else {
            format.to_raw(score_in(format, index))
        },
        notes: index
            .is_multiple_of(10)
            .then(|| format!("Generated note {}", index + 1)),
        repeat: i64::from(status == ListStatus::Repeating),
        custom_lists,
        hidden_from_status_lists: index.is_multiple_of(45),
        started_at: None,
        completed_at: None,
    }
}

/// A score the format can hold, varied with the position (never 0).
fn score_in(format: ScoreFormat, index: usize) -> f64 {
    // 37 is prime to 91, so the 0–100 scores take every value from 10 to 100.
    let spread = ((index * 37) % 91) as f64;
    let turn = index as f64;
    match format {
        ScoreFormat::Point100 => 10.0 + spread,
        ScoreFormat::Point10Decimal => (10.0 + spread) / 10.0,
        ScoreFormat::Point10 => 1.0 + turn % 10.0,
        ScoreFormat::Point5 => 1.0 + turn % 5.0,
        ScoreFormat::Point3 => 1.0 + turn % 3.0,
    }
}

/// MyAnimeList's export format, as MAL writes it (tabs, CDATA titles, every field).
fn mal_export(
    user_name: &str,
    entries: &[FakeListEntry],
    media: &[Value],
    unknown: &[i64],
) -> String {
    let mut xml = String::with_capacity(entries.len() * 900 + 1_000);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n");
    xml.push_str(
        "<!-- Generated by the fake AniList: the same list as its generated user's. -->\n",
    );
    xml.push_str("<myanimelist>\n\t<myinfo>\n\t\t<user_id>1</user_id>\n");
    let _ = writeln!(
        xml,
        "\t\t<user_name>{}</user_name>\n\t\t<user_export_type>1</user_export_type>\n\t\t<user_total_anime>{}</user_total_anime>",
        escape(user_name),
        entries.len()
    );
    xml.push_str("\t</myinfo>\n");
    let mut unknown = unknown.iter();
    for (entry, media) in entries.iter().zip(media) {
        let title = media["title"]["english"].as_str().unwrap_or_default();
        let (mal_id, title) = match media["idMal"].as_i64() {
            Some(mal_id) => (mal_id, title.to_owned()),
            None => match unknown.next() {
                Some(mal_id) => (*mal_id, format!("Only on MyAnimeList {mal_id}")),
                None => continue,
            },
        };
        let (status, rewatching) = match ListStatus::parse(&entry.status) {
            Some(ListStatus::Current) => ("Watching", 0),
            Some(ListStatus::Completed) => ("Completed", 0),
            Some(ListStatus::Repeating) => ("Completed", 1),
            Some(ListStatus::Dropped) => ("Dropped", 0),
            Some(ListStatus::Paused) => ("On-Hold", 0),
            Some(ListStatus::Planning) | None => ("Plan to Watch", 0),
        };
        let _ = write!(
            xml,
            "\t<anime>\n\
             \t\t<series_animedb_id>{mal_id}</series_animedb_id>\n\
             \t\t<series_title><![CDATA[{title}]]></series_title>\n\
             \t\t<series_type>TV</series_type>\n\
             \t\t<series_episodes>{episodes}</series_episodes>\n\
             \t\t<my_id>0</my_id>\n\
             \t\t<my_watched_episodes>{progress}</my_watched_episodes>\n\
             \t\t<my_start_date>0000-00-00</my_start_date>\n\
             \t\t<my_finish_date>0000-00-00</my_finish_date>\n\
             \t\t<my_rated></my_rated>\n\
             \t\t<my_score>{score}</my_score>\n\
             \t\t<my_storage></my_storage>\n\
             \t\t<my_storage_value>0.00</my_storage_value>\n\
             \t\t<my_status>{status}</my_status>\n\
             \t\t<my_comments><![CDATA[{notes}]]></my_comments>\n\
             \t\t<my_times_watched>{repeat}</my_times_watched>\n\
             \t\t<my_rewatch_value></my_rewatch_value>\n\
             \t\t<my_priority>LOW</my_priority>\n\
             \t\t<my_tags><![CDATA[]]></my_tags>\n\
             \t\t<my_rewatching>{rewatching}</my_rewatching>\n\
             \t\t<my_rewatching_ep>0</my_rewatching_ep>\n\
             \t\t<my_discuss>1</my_discuss>\n\
             \t\t<my_sns>default</my_sns>\n\
             \t\t<update_on_import>1</update_on_import>\n\
             \t</anime>\n",
            episodes = media["episodes"].as_i64().unwrap_or(0),
            progress = entry.progress,
            // MAL scores 1–10; the nearest to the 0–100 score, 0 staying "unscored".
            score = (entry.score + 5) / 10,
            notes = entry.notes.as_deref().unwrap_or_default(),
            repeat = entry.repeat,
        );
    }
    xml.push_str("</myanimelist>\n");
    xml
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn thousand(format: &str) -> GeneratedList {
        generate(&GeneratedListSpec {
            name: "Bulk".to_owned(),
            score_format: format.to_owned(),
            ..GeneratedListSpec::default()
        })
        .unwrap()
    }

    #[test]
    fn a_thousand_entries_spread_over_every_status_with_custom_lists() {
        let list = thousand("POINT_10_DECIMAL");
        let entries = &list.user.entries;
        assert_eq!(entries.len(), 1_000);
        let ids: HashSet<i64> = entries.iter().map(|entry| entry.media_id).collect();
        assert_eq!(ids.len(), 1_000);
        for status in ListStatus::ALL {
            let count = entries
                .iter()
                .filter(|entry| entry.status == status.as_str())
                .count();
            assert!((166..=167).contains(&count), "{status:?}: {count}");
        }
        let in_both = entries
            .iter()
            .filter(|entry| entry.custom_lists.len() == 2)
            .count();
        assert_eq!(in_both, 23, "every 45th of 1,000");
        assert_eq!(
            entries
                .iter()
                .filter(|entry| entry.hidden_from_status_lists)
                .count(),
            23
        );
        assert_eq!(entries.iter().filter(|entry| entry.score == 0).count(), 250);
        assert!(entries
            .iter()
            .all(|entry| (0..=100).contains(&entry.score) && entry.progress >= 0));
        assert_eq!(list, thousand("POINT_10_DECIMAL"), "deterministic");
    }

    #[test]
    fn scores_are_ones_the_format_can_hold() {
        let raws = |format: &str| -> HashSet<i64> {
            thousand(format)
                .user
                .entries
                .iter()
                .map(|entry| entry.score)
                .collect()
        };
        assert_eq!(raws("POINT_3"), HashSet::from([0, 33, 66, 99]));
        assert_eq!(raws("POINT_5"), HashSet::from([0, 20, 40, 60, 80, 100]));
        assert_eq!(raws("POINT_10").len(), 11);
        assert!(raws("POINT_100").len() > 80);
        assert!(generate(&GeneratedListSpec {
            name: "x".into(),
            score_format: "POINT_7".into(),
            ..GeneratedListSpec::default()
        })
        .is_err());
        assert!(generate(&GeneratedListSpec {
            name: "x".into(),
            entries: 0,
            ..GeneratedListSpec::default()
        })
        .is_err());
    }

    #[test]
    fn the_mal_file_lists_the_same_titles_plus_unknown_ones() {
        let list = thousand("POINT_100");
        assert_eq!(list.unknown_mal_ids.len(), 20);
        assert_eq!(list.mal_xml.matches("<anime>").count(), 1_000);
        assert!(list
            .mal_xml
            .contains("<series_animedb_id>600001</series_animedb_id>"));
        assert!(!list
            .mal_xml
            .contains("<series_animedb_id>600050</series_animedb_id>"));
        assert!(list
            .mal_xml
            .contains("<series_animedb_id>690001</series_animedb_id>"));
        assert!(list.mal_xml.ends_with("</myanimelist>\n"));
        let with_mal: usize = list
            .media
            .iter()
            .filter(|media| media["idMal"].is_i64())
            .count();
        assert_eq!(with_mal, 980);
    }
}
