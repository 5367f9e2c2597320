//! Fuzzing (with proptest: cargo-fuzz needs a nightly compiler) of everything that reads what
//! another system wrote: AniList's JSON answers, for every query we send, and MyAnimeList
//! export files. Each target takes arbitrary bytes, and real answers with one node replaced by
//! arbitrary JSON, truncated or with bytes flipped, and holds that the decoder returns (a
//! value or a typed error) without panicking, and that what it accepts keeps our invariants.
//! `cargo xtask test` runs 256 cases per target; `PROPTEST_CASES=100000 cargo xtask test
//! --no-lint --no-e2e -- fuzz_` runs longer.

use proptest::prelude::*;
use serde_json::{json, Value};
use time::macros::datetime;
use time::OffsetDateTime;

use crate::contracts::MediaDto;
use crate::domain::mal_xml;
use crate::infrastructure::anilist_api::{
    list_chunk, mal_ids_page, media_result, saved_list_entry, search_results, viewer_result,
    RawResponse,
};

const NOW: OffsetDateTime = datetime!(2026-12-07 12:00 UTC);

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// A real answer of each shape we read, to mutate.
fn seeds() -> Vec<Value> {
    let media = fixture("media_one_piece.json")["data"]["Media"].clone();
    vec![
        fixture("search_frieren.json"),
        fixture("media_one_piece.json"),
        json!({"data": {"MediaListCollection": {
            "hasNextChunk": true,
            "user": {"mediaListOptions": {"scoreFormat": "POINT_10_DECIMAL"}},
            "lists": [{"entries": [
                {"mediaId": 21, "status": "CURRENT", "progress": 1090, "score": 85.5,
                 "notes": "Gear 5!", "media": media},
            ]}],
        }}}),
        json!({"data": {"Viewer": {
            "id": 7, "name": "mika",
            "avatar": {"large": "https://img.example/a.png", "medium": null},
            "mediaListOptions": {"scoreFormat": "POINT_100"},
        }}}),
        json!({"data": {"SaveMediaListEntry": {
            "mediaId": 21, "status": "COMPLETED", "progress": 12, "score": 90.0,
        }}}),
        json!({"data": null, "errors": [{"message": "Too Many Requests.", "status": 429}]}),
    ]
}

/// Arbitrary JSON: scalars of every kind (huge and negative numbers, control characters,
/// lone surrogates are not JSON) nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |n| n.is_finite())
            .prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        Just(Value::from("CURRENT")),
        Just(Value::from("TV")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// The `index`th node of `value` in depth-first order (wrapping), replaced by `with`.
fn replace_node(value: &mut Value, index: usize, with: Value) {
    fn count(value: &Value) -> usize {
        1 + match value {
            Value::Array(items) => items.iter().map(count).sum(),
            Value::Object(map) => map.values().map(count).sum(),
            _ => 0,
        }
    }
    fn walk(value: &mut Value, target: &mut usize, with: &mut Option<Value>) {
        if *target == 0 {
            if let Some(with) = with.take() {
                *value = with;
            }
            return;
        }
        *target -= 1;
        match value {
            Value::Array(items) => items.iter_mut().for_each(|item| walk(item, target, with)),
            Value::Object(map) => map.values_mut().for_each(|item| walk(item, target, with)),
            _ => {}
        }
    }
    let mut target = index % count(value);
    walk(value, &mut target, &mut Some(with));
}

/// What a decoded media must hold whatever AniList sent.
fn holds_invariants(media: &MediaDto) {
    assert!(media.anilist_media_id.get() > 0);
    assert!(!media.title_romaji.trim().is_empty());
    assert!(media.episodes.is_none_or(|episodes| episodes >= 0));
    assert!(media.genres.iter().all(|genre| !genre.is_empty()));
}

/// Every decoder over one answer: each returns, and what it accepts holds the invariants.
fn decode_everything(raw: &RawResponse) {
    if let Ok(media) = search_results(raw, NOW) {
        media.iter().for_each(holds_invariants);
    }
    if let Ok(media) = media_result(raw, NOW) {
        holds_invariants(&media);
    }
    if let Ok((media, _)) = mal_ids_page(raw, NOW) {
        media.iter().for_each(holds_invariants);
    }
    if let Ok(chunk) = list_chunk(raw, NOW) {
        for entry in &chunk.entries {
            holds_invariants(&entry.media);
            assert!(entry.progress >= 0);
        }
    }
    if let Ok(viewer) = viewer_result(raw) {
        assert!(viewer.id > 0);
    }
    let _saved = saved_list_entry(raw);
}

fn answer(status: u16, body: Vec<u8>) -> RawResponse {
    RawResponse {
        status,
        retry_after: None,
        body,
    }
}

/// A MyAnimeList export with two entries, to mutate.
const MAL_SEED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<myanimelist>\
<myinfo><user_name>mika</user_name><user_export_type>1</user_export_type></myinfo>\
<anime><series_animedb_id>21</series_animedb_id><series_title><![CDATA[One Piece]]></series_title>\
<my_watched_episodes>1090</my_watched_episodes><my_score>9</my_score><my_status>Watching</my_status>\
<my_comments><![CDATA[Gear 5 &amp; more]]></my_comments></anime>\
<anime><series_animedb_id>5114</series_animedb_id><series_title>Fullmetal &amp; Alchemist</series_title>\
<my_watched_episodes>64</my_watched_episodes><my_score>10</my_score><my_status>Completed</my_status></anime>\
</myanimelist>";

proptest! {
    #[test]
    fn fuzz_anilist_answers_of_arbitrary_bytes(status in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_everything(&answer(status, body));
    }

    #[test]
    fn fuzz_anilist_answers_with_a_node_replaced(seed in 0usize..6, node in any::<usize>(), with in any_json(), status in prop_oneof![Just(200u16), Just(400), Just(404), Just(429), Just(500)]) {
        let mut value = seeds().swap_remove(seed);
        replace_node(&mut value, node, with);
        decode_everything(&answer(status, serde_json::to_vec(&value).unwrap_or_default()));
    }

    #[test]
    fn fuzz_anilist_answers_truncated_or_flipped(seed in 0usize..6, cut in any::<usize>(), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..4)) {
        let mut body = serde_json::to_vec(&seeds().swap_remove(seed)).unwrap_or_default();
        for (at, byte) in flips {
            if !body.is_empty() {
                let at = at % body.len();
                body[at] = byte;
            }
        }
        body.truncate(cut % (body.len() + 1));
        decode_everything(&answer(200, body));
    }

    #[test]
    fn fuzz_mal_exports_of_arbitrary_bytes(file in prop::collection::vec(any::<u8>(), 0..512)) {
        let _parsed = mal_xml::parse(&file);
    }

    #[test]
    fn fuzz_mal_exports_truncated_or_flipped(cut in any::<usize>(), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6)) {
        let mut file = MAL_SEED.as_bytes().to_vec();
        for (at, byte) in flips {
            let at = at % file.len();
            file[at] = byte;
        }
        file.truncate(cut % (file.len() + 1));
        if let Ok(list) = mal_xml::parse(&file) {
            prop_assert!(!list.entries.is_empty(), "a parsed list is never empty");
            let mut ids: Vec<_> = list.entries.iter().map(|entry| entry.mal_id).collect();
            ids.sort_unstable();
            ids.dedup();
            prop_assert_eq!(ids.len(), list.entries.len(), "ids are unique");
        }
    }
}

#[test]
fn the_seeds_decode_so_the_mutations_start_from_real_answers() {
    let seeds = seeds();
    assert!(search_results(&answer(200, serde_json::to_vec(&seeds[0]).unwrap()), NOW).is_ok());
    assert!(media_result(&answer(200, serde_json::to_vec(&seeds[1]).unwrap()), NOW).is_ok());
    let chunk = list_chunk(&answer(200, serde_json::to_vec(&seeds[2]).unwrap()), NOW).unwrap();
    assert_eq!(chunk.entries.len(), 1);
    assert!(viewer_result(&answer(200, serde_json::to_vec(&seeds[3]).unwrap())).is_ok());
    assert!(saved_list_entry(&answer(200, serde_json::to_vec(&seeds[4]).unwrap())).is_ok());
    assert_eq!(
        mal_xml::parse(MAL_SEED.as_bytes()).unwrap().entries.len(),
        2
    );
}
