//! Fuzzing (proptest) of the REST API's query decoding: arbitrary query strings, and real ones
//! with a character replaced, through the same extractors and parsers the handlers use. Each
//! either decodes to values within their ranges or becomes a problem; none panics. More cases:
//! `PROPTEST_CASES=100000 cargo xtask test --no-lint --no-e2e -- fuzz_`.

use axum::extract::Query;
use axum::http::Uri;
use proptest::prelude::*;

use super::anilist::SearchParams;
use super::anilist_link::AniListReturn;
use super::anime::ListParams;
use super::extract::PageParams;

/// Query strings as clients send them, to mutate.
const SEEDS: [&str; 5] = [
    "status=paused,dropped&sort=title&limit=20",
    "limit=100&cursor=dGl0bGUfYWxwaGEfMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw",
    "query=frieren",
    "genre=Drama&maxEpisodes=12&maxMinutes=300&mood=cozy",
    "code=abc&state=xyz",
];

fn uri(query: &str) -> Option<Uri> {
    format!("http://localhost/api?{query}").parse().ok()
}

fn decode_everything(query: &str) {
    let Some(uri) = uri(query) else {
        return;
    };
    if let (Ok(Query(list)), Ok(Query(page))) = (
        Query::<ListParams>::try_from_uri(&uri),
        Query::<PageParams>::try_from_uri(&uri),
    ) {
        if let Ok((limit, _cursor)) = page.parse() {
            assert!((1..=100).contains(&limit.get()));
            let _query = list.parse((limit, None));
        }
    }
    let _search = Query::<SearchParams>::try_from_uri(&uri);
    let _pick = Query::<analytics::contracts::RandomPickQuery>::try_from_uri(&uri);
    let _return = Query::<AniListReturn>::try_from_uri(&uri);
}

proptest! {
    #[test]
    fn fuzz_query_strings_of_arbitrary_text(query in "[ -~]{0,80}") {
        decode_everything(&query);
    }

    #[test]
    fn fuzz_query_strings_with_a_character_replaced(seed in 0usize..5, at in any::<usize>(), with in any::<char>()) {
        let mut query: Vec<char> = SEEDS[seed].chars().collect();
        let at = at % query.len();
        query[at] = with;
        let query: String = query.into_iter().collect();
        decode_everything(&query);
        decode_everything(&percent_encoded(&query));
    }
}

/// The query with every non-ASCII-alphanumeric character percent-encoded, as a careful client
/// sends it.
fn percent_encoded(query: &str) -> String {
    query
        .bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'=' | b'&' => char::from(byte).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[test]
fn the_seeds_decode_so_the_mutations_start_from_real_queries() {
    for seed in SEEDS {
        let uri = uri(seed).unwrap();
        assert!(Query::<PageParams>::try_from_uri(&uri).is_ok(), "{seed}");
    }
    let uri = uri(SEEDS[0]).unwrap();
    let Query(page) = Query::<PageParams>::try_from_uri(&uri).unwrap();
    let Query(list) = Query::<ListParams>::try_from_uri(&uri).unwrap();
    let (limit, cursor) = page.parse().unwrap();
    assert_eq!(limit.get(), 20);
    assert!(cursor.is_none());
    assert!(list.parse((limit, cursor)).is_ok());
}
