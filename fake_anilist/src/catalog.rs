//! The anime the fake knows: `catalog.json` (hand-written from AniList) plus whatever tests
//! insert, and the search, lookup and `idMal_in` batch over them.

use serde::Deserialize;
use serde_json::{json, Value};

/// How far ahead a weekly show's next episode is, once the listed one has aired.
const WEEK_SECONDS: i64 = 7 * 24 * 60 * 60;

pub(crate) struct Catalog {
    entries: Vec<Entry>,
    /// Unix time the catalog was loaded: catalog air times are relative to it.
    loaded_at: i64,
}

struct Entry {
    id: Option<i64>,
    /// AniList's Media JSON; for catalog entries without cover URLs or air times (added per request).
    media: Value,
    /// Lower-cased titles and synonyms the search matches against.
    names: Vec<String>,
    popularity: i64,
    generated_cover: bool,
    next_episode: Option<NextEpisode>,
}

/// One record of `catalog.json`: AniList's Media fields, flattened where AniList nests for no
/// reason we need, plus synonyms for search and an air time relative to start-up.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CatalogRecord {
    id: i64,
    id_mal: Option<i64>,
    title: Title,
    #[serde(default)]
    synonyms: Vec<String>,
    episodes: Option<u32>,
    duration: Option<u32>,
    format: MediaFormat,
    status: MediaStatus,
    season: Option<MediaSeason>,
    season_year: Option<u32>,
    color: Option<String>,
    genres: Vec<String>,
    average_score: Option<u8>,
    mean_score: Option<u8>,
    popularity: i64,
    #[serde(default)]
    is_adult: bool,
    updated_at: i64,
    description: String,
    next_episode: Option<NextEpisode>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Title {
    romaji: String,
    english: Option<String>,
    native: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NextEpisode {
    episode: u32,
    /// Seconds after the fake starts; later episodes follow weekly.
    airs_in_seconds: i64,
}

// The closed sets from AniList's reference, so a typo in the catalog fails to load.
#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum MediaFormat {
    Tv,
    TvShort,
    Movie,
    Special,
    Ova,
    Ona,
    Music,
}

#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum MediaStatus {
    Finished,
    Releasing,
    NotYetReleased,
    Cancelled,
    Hiatus,
}

#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum MediaSeason {
    Winter,
    Spring,
    Summer,
    Fall,
}

/// One page of search or `idMal_in` results.
pub(crate) struct SearchPage {
    pub(crate) media: Vec<Value>,
    pub(crate) has_next_page: bool,
}

/// What a cover image shows.
pub(crate) struct CoverFacts {
    pub(crate) title: String,
    pub(crate) color: Option<String>,
}

impl Catalog {
    /// Parses the bundled `catalog.json`.
    pub(crate) fn bundled(now_unix: i64) -> anyhow::Result<Self> {
        Self::parse(include_str!("catalog.json"), now_unix)
    }

    fn parse(json: &str, now_unix: i64) -> anyhow::Result<Self> {
        let records: Vec<CatalogRecord> = serde_json::from_str(json)?;
        let mut catalog = Self {
            entries: Vec::with_capacity(records.len()),
            loaded_at: now_unix,
        };
        for record in records {
            if catalog.position(record.id).is_some() {
                anyhow::bail!("catalog.json lists id {} twice", record.id);
            }
            catalog.entries.push(Entry::from_record(record));
        }
        Ok(catalog)
    }

    fn position(&self, id: i64) -> Option<usize> {
        self.entries.iter().position(|entry| entry.id == Some(id))
    }

    /// Adds `media` (AniList's Media JSON, served as given) or replaces the entry with its id.
    pub(crate) fn insert(&mut self, media: Value) {
        self.put(Entry::inserted(media));
    }

    /// Adds (or replaces) a synthesised media of [`crate::generated`]: served like the
    /// catalog's own, covers included.
    pub(crate) fn insert_generated(&mut self, media: Value) {
        let mut entry = Entry::inserted(media);
        entry.generated_cover = true;
        self.put(entry);
    }

    fn put(&mut self, entry: Entry) {
        match entry.id.and_then(|id| self.position(id)) {
            Some(index) => {
                if let Some(slot) = self.entries.get_mut(index) {
                    *slot = entry;
                }
            }
            None => self.entries.push(entry),
        }
    }

    pub(crate) fn lookup(&self, id: i64, cover_base: &str, now_unix: i64) -> Option<Value> {
        let entry = self.entries.get(self.position(id)?)?;
        Some(entry.render(cover_base, self.loaded_at, now_unix))
    }

    /// Every word of `query` must occur in some title or synonym; the best matches come first:
    /// an exact title, then a title starting with the query, then one containing it, and
    /// within each group the most popular.
    pub(crate) fn search(
        &self,
        query: &str,
        page: usize,
        per_page: usize,
        cover_base: &str,
        now_unix: i64,
    ) -> SearchPage {
        let query = query.trim().to_lowercase();
        let words: Vec<&str> = query.split_whitespace().collect();
        let mut hits: Vec<(MatchRank, &Entry)> = self
            .entries
            .iter()
            .filter(|entry| {
                words
                    .iter()
                    .all(|word| entry.names.iter().any(|name| name.contains(word)))
            })
            .map(|entry| (entry.rank(&query), entry))
            .collect();
        hits.sort_by(|(rank_a, a), (rank_b, b)| {
            rank_a
                .cmp(rank_b)
                .then(b.popularity.cmp(&a.popularity))
                .then(a.id.cmp(&b.id))
        });
        let hits: Vec<&Entry> = hits.into_iter().map(|(_, entry)| entry).collect();
        self.page_of(&hits, page, per_page, cover_base, now_unix)
    }

    /// The media whose `idMal` is in `mal_ids`, in catalog order (AniList's `idMal_in`).
    pub(crate) fn by_mal_ids(
        &self,
        mal_ids: &[i64],
        page: usize,
        per_page: usize,
        cover_base: &str,
        now_unix: i64,
    ) -> SearchPage {
        let hits: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|entry| {
                entry.media["idMal"]
                    .as_i64()
                    .is_some_and(|mal_id| mal_ids.contains(&mal_id))
            })
            .collect();
        self.page_of(&hits, page, per_page, cover_base, now_unix)
    }

    fn page_of(
        &self,
        hits: &[&Entry],
        page: usize,
        per_page: usize,
        cover_base: &str,
        now_unix: i64,
    ) -> SearchPage {
        let skip = page.saturating_sub(1).saturating_mul(per_page);
        SearchPage {
            has_next_page: hits.len() > skip.saturating_add(per_page),
            media: hits
                .iter()
                .skip(skip)
                .take(per_page)
                .map(|entry| entry.render(cover_base, self.loaded_at, now_unix))
                .collect(),
        }
    }

    pub(crate) fn contains(&self, id: i64) -> bool {
        self.position(id).is_some()
    }

    pub(crate) fn cover_facts(&self, id: i64) -> Option<CoverFacts> {
        let media = &self.entries.get(self.position(id)?)?.media;
        let title = ["english", "romaji", "native"]
            .iter()
            .find_map(|key| media["title"][key].as_str())
            .unwrap_or("Untitled")
            .to_owned();
        Some(CoverFacts {
            title,
            color: media["coverImage"]["color"].as_str().map(str::to_owned),
        })
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MatchRank {
    Exact,
    Prefix,
    Substring,
    Words,
}

impl Entry {
    fn from_record(record: CatalogRecord) -> Self {
        let media = json!({
            "id": record.id,
            "idMal": record.id_mal,
            "title": {
                "romaji": record.title.romaji,
                "english": record.title.english,
                "native": record.title.native,
            },
            "episodes": record.episodes,
            "duration": record.duration,
            "format": record.format,
            "status": record.status,
            "season": record.season,
            "seasonYear": record.season_year,
            "coverImage": { "color": record.color },
            "genres": record.genres,
            "averageScore": record.average_score,
            "meanScore": record.mean_score,
            "popularity": record.popularity,
            "isAdult": record.is_adult,
            "description": record.description,
            "updatedAt": record.updated_at,
            "nextAiringEpisode": null,
        });
        let mut entry = Self::inserted(media);
        entry
            .names
            .extend(record.synonyms.iter().map(|s| s.to_lowercase()));
        entry.generated_cover = true;
        entry.next_episode = record.next_episode;
        entry
    }

    fn inserted(media: Value) -> Self {
        let title = &media["title"];
        let names = ["romaji", "english", "native"]
            .iter()
            .filter_map(|key| title[key].as_str())
            .chain(
                media["synonyms"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            )
            .map(str::to_lowercase)
            .collect();
        Self {
            id: media["id"].as_i64(),
            popularity: media["popularity"].as_i64().unwrap_or(0),
            names,
            generated_cover: false,
            next_episode: None,
            media,
        }
    }

    fn rank(&self, query: &str) -> MatchRank {
        let names = || self.names.iter();
        if names().any(|name| name == query) {
            MatchRank::Exact
        } else if names().any(|name| name.starts_with(query)) {
            MatchRank::Prefix
        } else if names().any(|name| name.contains(query)) {
            MatchRank::Substring
        } else {
            MatchRank::Words
        }
    }

    fn render(&self, cover_base: &str, loaded_at: i64, now_unix: i64) -> Value {
        let mut media = self.media.clone();
        if self.generated_cover {
            if let Some(id) = self.id {
                let large = format!("{cover_base}covers/{id}-large.svg");
                let cover = &mut media["coverImage"];
                cover["extraLarge"] = json!(large);
                cover["large"] = json!(large);
                cover["medium"] = json!(format!("{cover_base}covers/{id}-medium.svg"));
            }
        }
        if let Some(next) = self.next_episode {
            media["nextAiringEpisode"] = next_airing(next, loaded_at, now_unix);
        }
        media
    }
}

/// The listed episode airs `airs_in_seconds` after start-up; once it has aired the next one
/// follows a week later, so a long-running demo keeps a future date.
fn next_airing(next: NextEpisode, loaded_at: i64, now_unix: i64) -> Value {
    let first = loaded_at + next.airs_in_seconds;
    let weeks_passed = if now_unix >= first {
        (now_unix - first) / WEEK_SECONDS + 1
    } else {
        0
    };
    let airing_at = first + weeks_passed * WEEK_SECONDS;
    json!({
        "episode": i64::from(next.episode) + weeks_passed,
        "airingAt": airing_at,
        "timeUntilAiring": airing_at - now_unix,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    const NOW: i64 = 1_795_000_000;

    fn records() -> Vec<CatalogRecord> {
        serde_json::from_str(include_str!("catalog.json")).expect("catalog.json parses")
    }

    #[test]
    fn the_catalog_parses_with_unique_ids_and_at_least_sixty_entries() {
        let catalog = Catalog::bundled(NOW).unwrap();
        assert!(catalog.len() >= 60, "only {} entries", catalog.len());
        let ids: HashSet<i64> = records().iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), catalog.len());
    }

    #[test]
    fn the_catalog_has_the_titles_and_cases_the_app_is_designed_around() {
        let records = records();
        let by_id = |id: i64| records.iter().find(|r| r.id == id);
        assert_eq!(by_id(101573).unwrap().title.romaji, "Yagate Kimi ni Naru");
        assert_eq!(by_id(154587).unwrap().title.romaji, "Sousou no Frieren");
        assert_eq!(by_id(113415).unwrap().title.romaji, "Jujutsu Kaisen");
        assert_eq!(by_id(1735).unwrap().episodes, Some(500));
        let airing_without_count = records
            .iter()
            .filter(|r| matches!(r.status, MediaStatus::Releasing) && r.episodes.is_none())
            .filter(|r| r.next_episode.is_some())
            .count();
        assert!(airing_without_count >= 3);
        assert!(records.iter().any(|r| r.title.english.is_none()));
        assert!(records.iter().any(|r| r.average_score.is_none()));
        assert!(records
            .iter()
            .any(|r| matches!(r.status, MediaStatus::NotYetReleased)));
        for format in ["MOVIE", "OVA", "ONA", "TV_SHORT", "SPECIAL"] {
            assert!(
                records
                    .iter()
                    .any(|r| serde_json::to_value(r.format).unwrap() == format),
                "no {format}"
            );
        }
        assert!(records.iter().any(|r| r.description.contains("<br>")));
        assert!(records.iter().any(|r| r.description.contains("<i>")));
    }

    #[test]
    fn every_record_has_the_fields_a_client_needs() {
        for record in records() {
            let context = format!("id {}", record.id);
            assert!(!record.title.romaji.is_empty(), "{context}");
            assert!(record.title.native.is_some(), "{context}");
            assert!(!record.genres.is_empty(), "{context}");
            assert!(!record.description.is_empty(), "{context}");
            assert!(record.popularity > 0, "{context}");
            assert!(record.updated_at > 1_500_000_000, "{context}");
            let color = record.color.as_deref().unwrap_or_default();
            assert!(
                color.len() == 7 && color.starts_with('#'),
                "{context}: colour {color}"
            );
            if matches!(record.status, MediaStatus::Finished) {
                assert!(
                    record.episodes.is_some(),
                    "{context}: finished without count"
                );
            }
        }
    }

    #[test]
    fn a_weekly_show_keeps_a_future_air_date() {
        let next = NextEpisode {
            episode: 10,
            airs_in_seconds: 3_600,
        };
        assert_eq!(
            next_airing(next, NOW, NOW),
            json!({"episode": 10, "airingAt": NOW + 3_600, "timeUntilAiring": 3_600})
        );
        let later = NOW + 3_600 + WEEK_SECONDS + 5;
        let value = next_airing(next, NOW, later);
        assert_eq!(value["episode"], 12);
        assert!(value["timeUntilAiring"].as_i64().unwrap() > 0);
    }

    #[test]
    fn search_ranks_exact_then_prefix_then_substring() {
        let mut catalog = Catalog::parse("[]", NOW).unwrap();
        for (id, title, popularity) in [
            (1, "Blue Exorcist", 900),
            (2, "Blue", 10),
            (3, "Into the Blue", 5_000),
            (4, "Blue Lock", 100),
        ] {
            catalog.insert(json!({"id": id, "title": {"romaji": title}, "popularity": popularity}));
        }
        let page = catalog.search("BLUE", 1, 10, "http://x/", NOW);
        let ids: Vec<i64> = page
            .media
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [2, 1, 4, 3]);
    }
}
