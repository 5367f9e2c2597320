//! Black-box tests of the fake over HTTP, the way BloomWatch's AniList client talks to it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use fake_anilist::{FakeAniList, Fault};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

const SEARCH: &str = "query ($search: String, $page: Int = 1, $perPage: Int = 20) {
  Page(page: $page, perPage: $perPage) {
    pageInfo { hasNextPage currentPage perPage }
    media(search: $search, type: ANIME, sort: SEARCH_MATCH) {
      id idMal title { romaji english native } episodes duration format status season seasonYear
      coverImage { extraLarge large medium color } genres averageScore meanScore popularity isAdult
      description(asHtml: false) updatedAt nextAiringEpisode { episode airingAt timeUntilAiring }
    }
  }
}";
const LOOKUP: &str = "query ($id: Int) {
  Media(id: $id, type: ANIME) { id title { romaji english native } episodes }
}";
const MEDIA_FIELDS: [&str; 18] = [
    "id",
    "idMal",
    "title",
    "episodes",
    "duration",
    "format",
    "status",
    "season",
    "seasonYear",
    "coverImage",
    "genres",
    "averageScore",
    "meanScore",
    "popularity",
    "isAdult",
    "description",
    "updatedAt",
    "nextAiringEpisode",
];

async fn graphql(fake: &FakeAniList, query: &str, variables: Value) -> Response {
    Client::new()
        .post(fake.url())
        .json(&json!({"query": query, "variables": variables}))
        .send()
        .await
        .unwrap()
}

async fn search(fake: &FakeAniList, variables: Value) -> Value {
    let response = graphql(fake, SEARCH, variables).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn lookup(fake: &FakeAniList, id: i64) -> Response {
    graphql(fake, LOOKUP, json!({"id": id})).await
}

fn ids(body: &Value) -> Vec<i64> {
    body["data"]["Page"]["media"]
        .as_array()
        .unwrap()
        .iter()
        .map(|media| media["id"].as_i64().unwrap())
        .collect()
}

fn header<'r>(response: &'r Response, name: &str) -> &'r str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

#[tokio::test]
async fn a_search_answers_in_anilist_page_shape_with_every_field() {
    let fake = FakeAniList::start().await.unwrap();
    let body = search(&fake, json!({"search": "bloom into you"})).await;
    let page = &body["data"]["Page"];
    assert_eq!(
        page["pageInfo"],
        json!({"hasNextPage": false, "currentPage": 1, "perPage": 20})
    );
    let media = &page["media"][0];
    for field in MEDIA_FIELDS {
        assert!(media.get(field).is_some(), "missing {field}");
    }
    assert_eq!(media["id"], 101573);
    assert_eq!(media["title"]["english"], "Bloom Into You");
    assert_eq!(media["title"]["romaji"], "Yagate Kimi ni Naru");
    assert_eq!(media["format"], "TV");
    assert_eq!(media["season"], "FALL");
    let cover = &media["coverImage"];
    assert_eq!(
        cover["large"],
        format!("{}covers/101573-large.svg", fake.url())
    );
    assert_eq!(cover["extraLarge"], cover["large"]);
    assert_eq!(
        cover["medium"],
        format!("{}covers/101573-medium.svg", fake.url())
    );
    assert!(cover["color"].as_str().unwrap().starts_with('#'));
}

#[tokio::test]
async fn searching_frieren_ranks_frieren_first_whatever_the_case() {
    let fake = FakeAniList::start().await.unwrap();
    assert_eq!(
        ids(&search(&fake, json!({"search": "frieren"})).await)[0],
        154587
    );
    assert_eq!(
        ids(&search(&fake, json!({"search": "FRIEREN"})).await)[0],
        154587
    );
    // Romaji, native, synonym and a multi-word query hitting different words.
    assert_eq!(
        ids(&search(&fake, json!({"search": "sousou"})).await),
        [154587]
    );
    assert_eq!(
        ids(&search(&fake, json!({"search": "葬送"})).await),
        [154587]
    );
    assert_eq!(
        ids(&search(&fake, json!({"search": "yagakimi"})).await),
        [101573]
    );
    assert_eq!(
        ids(&search(&fake, json!({"search": "journey frieren"})).await),
        [154587]
    );
    assert!(ids(&search(&fake, json!({"search": "no such anime zzz"})).await).is_empty());
}

#[tokio::test]
async fn an_exact_title_outranks_more_popular_prefix_matches() {
    let fake = FakeAniList::start().await.unwrap();
    let found = ids(&search(&fake, json!({"search": "jujutsu kaisen"})).await);
    assert_eq!(found[0], 113415);
    assert!(found.len() >= 3, "{found:?}");
}

#[tokio::test]
async fn pages_honour_per_page_and_has_next_page() {
    let fake = FakeAniList::start().await.unwrap();
    let all = ids(&search(&fake, json!({"search": "a", "perPage": 50})).await);
    assert!(all.len() > 10);
    let first = search(&fake, json!({"search": "a", "page": 1, "perPage": 4})).await;
    assert_eq!(ids(&first), all[..4]);
    assert_eq!(first["data"]["Page"]["pageInfo"]["hasNextPage"], true);
    let second = search(&fake, json!({"search": "a", "page": 2, "perPage": 4})).await;
    assert_eq!(ids(&second), all[4..8]);
    assert_eq!(second["data"]["Page"]["pageInfo"]["currentPage"], 2);

    let last_page = all.len().div_ceil(4);
    let last = search(
        &fake,
        json!({"search": "a", "page": last_page, "perPage": 4}),
    )
    .await;
    assert_eq!(last["data"]["Page"]["pageInfo"]["hasNextPage"], false);
    let clamped = search(&fake, json!({"search": "", "perPage": 500})).await;
    assert_eq!(clamped["data"]["Page"]["pageInfo"]["perPage"], 50);
    assert_eq!(ids(&clamped).len(), 50);
}

#[tokio::test]
async fn a_lookup_returns_the_media_and_an_unknown_id_is_a_404() {
    let fake = FakeAniList::start().await.unwrap();
    let response = lookup(&fake, 113415).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["Media"]["title"]["romaji"], "Jujutsu Kaisen");
    assert_eq!(body["data"]["Media"]["episodes"], 24);

    let response = lookup(&fake, 999_999_999).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"data": {"Media": null}, "errors": [{"message": "Not Found.", "status": 404,
            "locations": [{"line": 2, "column": 3}]}]})
    );
}

#[tokio::test]
async fn airing_shows_have_no_episode_count_and_a_future_next_episode() {
    let fake = FakeAniList::start().await.unwrap();
    let lookup: Value = lookup(&fake, 21).await.json().await.unwrap();
    let body = search(&fake, json!({"search": "one piece"})).await;
    let one_piece = &body["data"]["Page"]["media"][0];
    assert_eq!(one_piece["id"], 21);
    // The fake answers with every field, whatever the query selected.
    assert_eq!(&lookup["data"]["Media"], one_piece);
    assert_eq!(one_piece["status"], "RELEASING");
    assert_eq!(one_piece["episodes"], Value::Null);
    let next = &one_piece["nextAiringEpisode"];
    assert!(next["timeUntilAiring"].as_i64().unwrap() > 0);
    assert!(next["episode"].as_i64().unwrap() > 1000);
}

#[tokio::test]
async fn unknown_operations_and_bad_bodies_are_400s_like_anilist() {
    let fake = FakeAniList::start().await.unwrap();
    let client = Client::new();
    for body in [
        json!({"query": "{ Viewer { id } }"}).to_string(),
        json!({"query": LOOKUP, "variables": {}}).to_string(),
        json!({"query": SEARCH}).to_string(),
        "{not json".to_owned(),
    ] {
        let response = client
            .post(fake.url())
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["data"], Value::Null);
        assert_eq!(answer["errors"][0]["status"], 400);
        assert!(answer["errors"][0]["message"].as_str().unwrap().len() > 5);
    }
}

#[tokio::test]
async fn only_graphql_posts_are_counted_until_reset() {
    let fake = FakeAniList::start().await.unwrap();
    search(&fake, json!({"search": "bloom"})).await;
    lookup(&fake, 1).await;
    lookup(&fake, 0).await;
    let client = Client::new();
    client
        .get(format!("{}covers/1-large.svg", fake.url()))
        .send()
        .await
        .unwrap();
    let counted: Value = client
        .get(format!("{}__control/requests", fake.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(counted, json!({"count": 3}));
    assert_eq!(fake.request_count(), 3);
    fake.reset();
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test]
async fn every_answer_carries_rate_limit_headers_and_going_over_is_a_429() {
    let fake = FakeAniList::start().await.unwrap();
    let response = lookup(&fake, 1).await;
    assert_eq!(header(&response, "x-ratelimit-limit"), "90");
    assert_eq!(header(&response, "x-ratelimit-remaining"), "89");

    fake.set_rate_limit(2);
    assert_eq!(
        header(&lookup(&fake, 1).await, "x-ratelimit-remaining"),
        "1"
    );
    assert_eq!(
        header(&lookup(&fake, 1).await, "x-ratelimit-remaining"),
        "0"
    );
    for _ in 0..2 {
        let response = lookup(&fake, 1).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(header(&response, "x-ratelimit-limit"), "2");
        assert_eq!(header(&response, "x-ratelimit-remaining"), "0");
        let retry_after: u64 = header(&response, "retry-after").parse().unwrap();
        assert!((1..=60).contains(&retry_after));
        let reset: u64 = header(&response, "x-ratelimit-reset").parse().unwrap();
        assert!(reset > 1_700_000_000);
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body,
            json!({"data": null, "errors": [{"message": "Too Many Requests.", "status": 429}]})
        );
    }
    fake.reset();
    assert_eq!(lookup(&fake, 1).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_injected_rate_limit_looks_like_the_real_one() {
    let fake = FakeAniList::start().await.unwrap();
    fake.set_fault(Some(Fault::RateLimited {
        retry_after_seconds: 42,
    }));
    let response = lookup(&fake, 1).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&response, "retry-after"), "42");
    assert_eq!(header(&response, "x-ratelimit-remaining"), "0");
    let reset: u64 = header(&response, "x-ratelimit-reset").parse().unwrap();
    assert!(reset > 1_700_000_000);
}

#[tokio::test]
async fn each_fault_answers_as_documented_until_cleared() {
    let fake = FakeAniList::start().await.unwrap();

    fake.set_fault(Some(Fault::ServerError));
    let response = lookup(&fake, 1).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(response.text().await.unwrap().contains("500"));

    fake.set_fault(Some(Fault::MalformedJson));
    let response = lookup(&fake, 1).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/json");
    assert!(response.json::<Value>().await.is_err());

    fake.set_fault(Some(Fault::GraphQlErrors));
    let response = lookup(&fake, 1).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"data": null, "errors": [{"message": "Internal Server Error", "status": 500,
            "locations": [{"line": 2, "column": 3}]}]})
    );

    fake.set_fault(Some(Fault::Disabled));
    let response = lookup(&fake, 1).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["status"], 403);
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("disabled"));

    fake.set_fault(Some(Fault::WrongShape));
    let response = lookup(&fake, 1).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"data": {"Page": {"media": "nope"}}})
    );

    fake.set_fault(None);
    assert_eq!(lookup(&fake, 1).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_timeout_fault_never_answers_and_does_not_block_stopping() {
    let fake = FakeAniList::start().await.unwrap();
    fake.set_fault(Some(Fault::Timeout));
    let client = Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client
        .post(fake.url())
        .json(&json!({"query": LOOKUP, "variables": {"id": 1}}))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout());
    assert_eq!(fake.request_count(), 1);

    let pending = tokio::spawn(lookup_at(fake.url()));
    tokio::time::sleep(Duration::from_millis(100)).await;
    tokio::time::timeout(Duration::from_secs(5), fake.stop())
        .await
        .expect("stop does not wait for a pending timeout");
    pending.abort();
}

async fn lookup_at(url: String) -> reqwest::Result<Response> {
    Client::new()
        .post(url)
        .json(&json!({"query": LOOKUP, "variables": {"id": 1}}))
        .send()
        .await
}

#[tokio::test]
async fn fail_next_affects_only_the_next_requests() {
    let fake = FakeAniList::start().await.unwrap();
    fake.fail_next(2, Fault::ServerError);
    assert_eq!(
        lookup(&fake, 1).await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        lookup(&fake, 1).await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(lookup(&fake, 1).await.status(), StatusCode::OK);

    fake.set_fault(Some(Fault::Disabled));
    fake.fail_next(1, Fault::WrongShape);
    assert_eq!(lookup(&fake, 1).await.status(), StatusCode::OK);
    assert_eq!(lookup(&fake, 1).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn latency_delays_every_answer_until_reset() {
    let fake = FakeAniList::start().await.unwrap();
    fake.set_latency(Duration::from_millis(250));
    let started = Instant::now();
    assert_eq!(lookup(&fake, 1).await.status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(250));

    fake.reset();
    let started = Instant::now();
    lookup(&fake, 1).await;
    assert!(started.elapsed() < Duration::from_millis(250));
}

#[tokio::test]
async fn control_endpoints_steer_a_fake_in_another_process() {
    let fake = FakeAniList::start().await.unwrap();
    let client = Client::new();
    let control = |path: &str| format!("{}__control/{path}", fake.url());

    let response = client
        .post(control("fault"))
        .json(&json!({"fault": {"kind": "serverError"}, "latencyMs": 150}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let started = Instant::now();
    assert_eq!(
        lookup(&fake, 1).await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert!(started.elapsed() >= Duration::from_millis(150));

    client
        .post(control("fault"))
        .json(&json!({"fault": {"kind": "rateLimited", "retryAfterSeconds": 5}}))
        .send()
        .await
        .unwrap();
    let response = lookup(&fake, 1).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&response, "retry-after"), "5");

    client
        .post(control("fault"))
        .json(&json!({"fault": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(lookup(&fake, 1).await.status(), StatusCode::OK);

    let counted: Value = client
        .get(control("requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(counted["count"], 3);
    let response = client.post(control("reset")).send().await.unwrap();
    assert!(response.status().is_success());
    assert_eq!(fake.request_count(), 0);
    let started = Instant::now();
    lookup(&fake, 1).await;
    assert!(started.elapsed() < Duration::from_millis(150));

    let response = client
        .post(control("fault"))
        .json(&json!({"fault": {"kind": "meteorStrike"}}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error());
}

#[tokio::test]
async fn covers_are_generated_svgs_served_by_the_fake() {
    let fake = FakeAniList::start().await.unwrap();
    let body = search(&fake, json!({"search": "bloom into you"})).await;
    let media = &body["data"]["Page"]["media"][0];
    let client = Client::new();
    for url in [
        &media["coverImage"]["large"],
        &media["coverImage"]["medium"],
    ] {
        let response = client.get(url.as_str().unwrap()).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, "content-type"), "image/svg+xml");
        let svg = response.text().await.unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(media["coverImage"]["color"].as_str().unwrap()));
        assert!(svg.contains(">BIY<"));
        assert!(svg.contains("Bloom Into You"));
    }
    for missing in ["999999999-large.svg", "1-huge.svg", "cover.png"] {
        let response = client
            .get(format!("{}covers/{missing}", fake.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{missing}");
    }
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn inserted_media_is_served_as_given_and_replaces_by_id() {
    let fake = FakeAniList::start().await.unwrap();
    let adult = json!({
        "id": 900001,
        "title": {"romaji": "Zzadult Test Title", "english": null, "native": null},
        "isAdult": true,
        "episodes": 2,
        "popularity": 5,
    });
    fake.insert_media(adult.clone());
    assert_eq!(
        search(&fake, json!({"search": "zzadult"})).await["data"]["Page"]["media"],
        json!([adult])
    );
    let body: Value = lookup(&fake, 900001).await.json().await.unwrap();
    assert_eq!(body["data"]["Media"], adult);

    let odd =
        json!({"id": 101573, "title": {"romaji": "Yagate Kimi ni Naru"}, "episodes": "thirteen"});
    fake.insert_media(odd.clone());
    let body: Value = lookup(&fake, 101573).await.json().await.unwrap();
    assert_eq!(body["data"]["Media"], odd);
}

#[tokio::test]
async fn start_on_listens_where_asked_and_stop_frees_the_port() {
    let first = FakeAniList::start().await.unwrap();
    let url = first.url();
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    first.stop().await;
    let again = FakeAniList::start_on(addr).await.unwrap();
    assert_eq!(again.url(), url);
    assert_eq!(lookup(&again, 1).await.status(), StatusCode::OK);
}
