//! Black-box tests of the fake over HTTP, the way BloomWatch's AniList client talks to it.
#![expect(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use fake_anilist::{
    EntryEdit, FakeAniList, FakeListEntry, FakeUser, Fault, GeneratedListSpec,
    FIRST_GENERATED_MAL_ID, FIRST_GENERATED_MEDIA_ID, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET,
};
use reqwest::{Client, Response, StatusCode, Url};
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
        json!({"query": "{ Studio(id: 1) { name } }"}).to_string(),
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
    assert_eq!(
        counted,
        json!({"count": 3, "byOperation": {"Media": 2, "search": 1}})
    );
    assert_eq!(fake.request_count(), 3);
    assert_eq!(fake.operation_count("Media"), 2);
    fake.reset();
    assert_eq!(fake.request_count(), 0);
    assert!(fake.operation_counts().is_empty());
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

// ---- OAuth, fake users and the signed-in operations ----

const REDIRECT: &str = "http://127.0.0.1:3000/auth/anilist/callback";
const VIEWER: &str = "query {
  Viewer { id name avatar { large medium }
    mediaListOptions { scoreFormat animeList { customLists advancedScoringEnabled } } }
}";
const SAVE: &str = "mutation ($mediaId: Int, $status: MediaListStatus, $progress: Int,
    $scoreRaw: Int, $score: Float, $notes: String) {
  SaveMediaListEntry(mediaId: $mediaId, status: $status, progress: $progress,
      scoreRaw: $scoreRaw, score: $score, notes: $notes) {
    id mediaId status progress score(format: POINT_100) updatedAt
  }
}";
const COLLECTION: &str = "query ($userId: Int, $userName: String, $chunk: Int, $perChunk: Int) {
  MediaListCollection(userId: $userId, userName: $userName, type: ANIME, chunk: $chunk,
      perChunk: $perChunk, forceSingleCompletedList: true) {
    hasNextChunk
    user { id name mediaListOptions { scoreFormat } }
    lists { name isCustomList isSplitCompletedList status
      entries { id mediaId status progress repeat notes private score(format: POINT_100)
        startedAt { year month day } completedAt { year month day } updatedAt
        media { id idMal title { romaji english native } episodes format coverImage { large } } } }
  }
}";
const BY_MAL_IDS: &str = "query ($ids: [Int], $page: Int, $perPage: Int) {
  Page(page: $page, perPage: $perPage) {
    pageInfo { hasNextPage currentPage perPage }
    media(idMal_in: $ids, type: ANIME) { id idMal title { romaji } }
  }
}";

fn without_redirects() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn authorize(fake: &FakeAniList, params: &[(&str, &str)]) -> Response {
    without_redirects()
        .get(fake.authorize_url())
        .query(params)
        .send()
        .await
        .unwrap()
}

/// Where a 302 points.
fn location(response: &Response) -> Url {
    assert_eq!(response.status(), StatusCode::FOUND);
    Url::parse(header(response, "location")).unwrap()
}

fn query_param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// Approves a sign-in for [`REDIRECT`] and returns the code.
async fn code(fake: &FakeAniList) -> String {
    let response = authorize(
        fake,
        &[
            ("client_id", OAUTH_CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
        ],
    )
    .await;
    query_param(&location(&response), "code").expect("a code")
}

async fn exchange(fake: &FakeAniList, body: Value) -> Response {
    Client::new()
        .post(fake.token_url())
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn token_request(code: &str) -> Value {
    json!({
        "grant_type": "authorization_code",
        "client_id": OAUTH_CLIENT_ID,
        "client_secret": OAUTH_CLIENT_SECRET,
        "redirect_uri": REDIRECT,
        "code": code,
    })
}

/// The whole authorization-code flow: a token for whoever the fake approves as.
async fn sign_in(fake: &FakeAniList) -> String {
    let code = code(fake).await;
    let response = exchange(fake, token_request(&code)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

async fn graphql_as(
    fake: &FakeAniList,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Response {
    let mut request = Client::new()
        .post(fake.url())
        .json(&json!({"query": query, "variables": variables}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

async fn viewer(fake: &FakeAniList, token: &str) -> Value {
    let response = graphql_as(fake, Some(token), VIEWER, json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["data"]["Viewer"].clone()
}

async fn save(fake: &FakeAniList, token: Option<&str>, variables: Value) -> (StatusCode, Value) {
    let response = graphql_as(fake, token, SAVE, variables).await;
    (response.status(), response.json().await.unwrap())
}

async fn collection(
    fake: &FakeAniList,
    token: Option<&str>,
    variables: Value,
) -> (StatusCode, Value) {
    let response = graphql_as(fake, token, COLLECTION, variables).await;
    (response.status(), response.json().await.unwrap())
}

fn jwt_payload(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap()
}

fn entry(media_id: i64, status: &str) -> FakeListEntry {
    FakeListEntry {
        media_id,
        status: status.to_owned(),
        ..FakeListEntry::default()
    }
}

fn user(name: &str, entries: Vec<FakeListEntry>) -> FakeUser {
    FakeUser {
        name: name.to_owned(),
        entries,
        ..FakeUser::default()
    }
}

#[tokio::test]
async fn the_code_flow_signs_in_a_new_user_each_time() {
    let fake = FakeAniList::start().await.unwrap();
    let state = "csrf 1/2&3=4+é";
    let response = authorize(
        &fake,
        &[
            ("client_id", OAUTH_CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("state", state),
        ],
    )
    .await;
    let back = location(&response);
    assert!(
        back.as_str().starts_with(&format!("{REDIRECT}?code=")),
        "{back}"
    );
    assert_eq!(query_param(&back, "state").as_deref(), Some(state));
    let code = query_param(&back, "code").unwrap();

    let response = exchange(&fake, token_request(&code)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 31_536_000);
    assert_eq!(body["refresh_token"], Value::Null);
    let token = body["access_token"].as_str().unwrap();
    let claims = jwt_payload(token);
    assert_eq!(claims["aud"], OAUTH_CLIENT_ID);
    assert_eq!(claims["scopes"], json!([]));
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        31_536_000
    );
    assert_eq!(claims["nbf"], claims["iat"]);

    let me = viewer(&fake, token).await;
    let id = me["id"].as_i64().unwrap();
    assert_eq!(claims["sub"], id.to_string());
    assert!(id >= 700_001);
    assert_eq!(me["name"], format!("FakeUser{id}"));
    assert_eq!(
        me["mediaListOptions"],
        json!({"scoreFormat": "POINT_10_DECIMAL",
            "animeList": {"customLists": [], "advancedScoringEnabled": false}})
    );
    let avatar = me["avatar"]["large"].as_str().unwrap();
    assert_eq!(avatar, format!("{}avatars/{id}.svg", fake.url()));
    let response = Client::new().get(avatar).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "image/svg+xml");
    assert!(response.text().await.unwrap().starts_with("<svg"));

    let second = viewer(&fake, &sign_in(&fake).await).await;
    assert_eq!(second["id"], id + 1);
    // The token endpoint, the redirect and the avatar are not GraphQL requests.
    assert_eq!(fake.request_count(), 2);
}

#[tokio::test]
async fn bad_authorization_requests_get_a_page_and_denials_a_redirect() {
    let fake = FakeAniList::start().await.unwrap();
    let good = [
        ("client_id", OAUTH_CLIENT_ID),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
    ];
    for (name, bad) in [
        ("client_id", "someone-else"),
        ("redirect_uri", "/relative/callback"),
        ("redirect_uri", "ftp://127.0.0.1/callback"),
        ("response_type", "token"),
    ] {
        let params: Vec<(&str, &str)> = good
            .iter()
            .map(|&(key, value)| (key, if key == name { bad } else { value }))
            .collect();
        let response = authorize(&fake, &params).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{name}={bad}");
        assert!(response.headers().get("location").is_none());
        assert!(header(&response, "content-type").starts_with("text/html"));
        assert!(response.text().await.unwrap().contains(name), "{name}");
    }
    let response = authorize(&fake, &good[..2]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let with_query = "http://127.0.0.1:3000/callback?next=%2Fspaces";
    let response = authorize(
        &fake,
        &[
            ("client_id", OAUTH_CLIENT_ID),
            ("redirect_uri", with_query),
            ("response_type", "code"),
        ],
    )
    .await;
    assert!(header(&response, "location").starts_with(&format!("{with_query}&code=")));

    fake.deny_authorizations(true);
    let mut params = good.to_vec();
    params.push(("state", "s 1"));
    let response = authorize(&fake, &params).await;
    assert_eq!(
        header(&response, "location"),
        format!(
            "{REDIRECT}?error=access_denied&error_description=The+user+denied+access&state=s+1"
        )
    );
    fake.deny_authorizations(false);
    let back = location(&authorize(&fake, &params).await);
    assert!(query_param(&back, "code").is_some());
    assert_eq!(query_param(&back, "error"), None);
}

#[tokio::test]
async fn codes_are_single_use_and_bound_to_their_redirect_uri_and_client() {
    let fake = FakeAniList::start().await.unwrap();
    let code = code(&fake).await;
    let attempt = |change: Value| {
        let mut body = token_request(&code);
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    for (change, status, error) in [
        (
            json!({"redirect_uri": "http://127.0.0.1:3000/other"}),
            400,
            "invalid_grant",
        ),
        (json!({"client_secret": "guessed"}), 401, "invalid_client"),
        (json!({"client_id": "someone-else"}), 401, "invalid_client"),
        (
            json!({"grant_type": "refresh_token"}),
            400,
            "unsupported_grant_type",
        ),
        (json!({"code": "not-a-code"}), 400, "invalid_grant"),
        (json!({"code": null}), 400, "invalid_request"),
        (json!({"client_id": 7}), 400, "invalid_request"),
    ] {
        let response = exchange(&fake, attempt(change.clone())).await;
        assert_eq!(response.status().as_u16(), status, "{change}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], error, "{change}");
        assert!(body["error_description"].as_str().unwrap().len() > 5);
    }
    let response = Client::new()
        .post(fake.token_url())
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );

    // The failed attempts left the code usable; a form body works like JSON.
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", OAUTH_CLIENT_ID),
        ("client_secret", OAUTH_CLIENT_SECRET),
        ("redirect_uri", REDIRECT),
        ("code", &code),
    ];
    let response = Client::new()
        .post(fake.token_url())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "no-store");
    let again = exchange(&fake, token_request(&code)).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        again.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );
}

#[tokio::test]
async fn oauth_is_not_counted_faulted_or_rate_limited() {
    let fake = FakeAniList::start().await.unwrap();
    fake.set_fault(Some(Fault::ServerError));
    fake.set_rate_limit(1);
    let token = sign_in(&fake).await;
    assert_eq!(fake.request_count(), 0);
    let response = graphql_as(&fake, Some(&token), VIEWER, json!({})).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    fake.set_fault(None);
    let response = graphql_as(&fake, Some(&token), VIEWER, json!({})).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(fake.request_count(), 2);
}

#[tokio::test]
async fn approve_as_signs_in_as_a_named_user_and_none_goes_back_to_new_users() {
    let fake = FakeAniList::start().await.unwrap();
    let mut yuu = user("Yuu", vec![entry(101573, "COMPLETED")]);
    yuu.score_format = "POINT_5".into();
    yuu.custom_lists = vec!["Comfy".into()];
    let yuu_id = fake.insert_user(yuu).unwrap();

    fake.approve_as(Some("Yuu"));
    let first = viewer(&fake, &sign_in(&fake).await).await;
    let second = viewer(&fake, &sign_in(&fake).await).await;
    assert_eq!(first, second);
    assert_eq!(first["id"], yuu_id);
    assert_eq!(first["name"], "Yuu");
    assert_eq!(first["mediaListOptions"]["scoreFormat"], "POINT_5");
    assert_eq!(
        first["mediaListOptions"]["animeList"]["customLists"],
        json!(["Comfy"])
    );

    fake.approve_as(Some("Touko"));
    let touko = viewer(&fake, &sign_in(&fake).await).await;
    assert_eq!(touko["name"], "Touko");
    assert_eq!(fake.user_list("touko"), Some(vec![]));

    fake.approve_as(None);
    let stranger = viewer(&fake, &sign_in(&fake).await).await;
    assert!(stranger["name"].as_str().unwrap().starts_with("FakeUser"));
    assert!(fake.insert_user(user("YUU", vec![])).is_err());
    assert!(fake
        .insert_user(user("Nobody", vec![entry(999_999_999, "CURRENT")]))
        .is_err());
}

#[tokio::test]
async fn missing_unknown_and_expired_tokens_are_401s() {
    let fake = FakeAniList::start().await.unwrap();
    let response = graphql_as(&fake, None, VIEWER, json!({})).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(header(&response, "x-ratelimit-remaining"), "89");
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"data": {"Viewer": null}, "errors": [{"message": "Unauthorized.", "status": 401}]})
    );
    let invalid = json!({"data": {"Viewer": null},
        "errors": [{"message": "Invalid token", "status": 401}]});
    let response = graphql_as(&fake, Some("made.up.token"), VIEWER, json!({})).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.json::<Value>().await.unwrap(), invalid);

    let old = sign_in(&fake).await;
    viewer(&fake, &old).await;
    fake.expire_tokens();
    let response = graphql_as(&fake, Some(&old), VIEWER, json!({})).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.json::<Value>().await.unwrap(), invalid);
    let (status, body) = save(&fake, Some(&old), json!({"mediaId": 21})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["errors"][0]["message"], "Invalid token");
    let public = fake.insert_user(user("Public", vec![])).unwrap();
    let (status, _) = collection(&fake, Some(&old), json!({"userId": public})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let fresh = sign_in(&fake).await;
    viewer(&fake, &fresh).await;
    let response = graphql_as(&fake, Some(&old), VIEWER, json!({})).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn save_media_list_entry_upserts_the_viewers_entry_and_is_recorded() {
    let fake = FakeAniList::start().await.unwrap();
    fake.insert_user(user("Yuu", vec![entry(21, "PAUSED")]))
        .unwrap();
    fake.approve_as(Some("Yuu"));
    let token = sign_in(&fake).await;

    let (status, body) = save(
        &fake,
        Some(&token),
        json!({"mediaId": 101573, "status": "CURRENT", "progress": 3}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let saved = &body["data"]["SaveMediaListEntry"];
    assert_eq!(saved["mediaId"], 101573);
    assert_eq!(saved["status"], "CURRENT");
    assert_eq!(saved["progress"], 3);
    assert_eq!(saved["score"], 0);
    assert!(saved["updatedAt"].as_u64().unwrap() > 1_700_000_000);
    let entry_id = saved["id"].clone();

    let (_, body) = save(
        &fake,
        Some(&token),
        json!({"mediaId": 101573, "scoreRaw": 85}),
    )
    .await;
    assert_eq!(
        body["data"]["SaveMediaListEntry"]["id"], entry_id,
        "the same entry"
    );
    assert_eq!(body["data"]["SaveMediaListEntry"]["status"], "CURRENT");
    assert_eq!(body["data"]["SaveMediaListEntry"]["progress"], 3);
    assert_eq!(body["data"]["SaveMediaListEntry"]["score"], 85);
    // Yuu scores in POINT_10_DECIMAL: 7.5 is 75 on the hundred-point scale.
    let (_, body) = save(
        &fake,
        Some(&token),
        json!({"mediaId": 101573, "score": 7.5, "notes": "With Touko"}),
    )
    .await;
    assert_eq!(body["data"]["SaveMediaListEntry"]["score"], 75);
    let (_, body) = save(
        &fake,
        Some(&token),
        json!({"mediaId": 21, "progress": 1100}),
    )
    .await;
    assert_eq!(body["data"]["SaveMediaListEntry"]["status"], "PAUSED");

    let list = fake.user_list("Yuu").unwrap();
    assert_eq!(list.len(), 2);
    let bloom = list
        .iter()
        .find(|stored| stored.entry.media_id == 101573)
        .unwrap();
    assert_eq!(json!(bloom.id), entry_id);
    assert_eq!(bloom.entry.status, "CURRENT");
    assert_eq!((bloom.entry.progress, bloom.entry.score), (3, 75));
    assert_eq!(bloom.entry.notes.as_deref(), Some("With Touko"));

    let mutations = fake.mutations();
    assert_eq!(mutations.len(), 4);
    assert!(mutations
        .iter()
        .all(|m| m.user_name == "Yuu" && m.token == token));
    assert_eq!(
        mutations[1].variables,
        json!({"mediaId": 101573, "scoreRaw": 85})
    );
    assert_eq!(mutations[3].variables["mediaId"], 21);
    let over_http: Value = Client::new()
        .get(format!("{}__control/mutations", fake.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(over_http["mutations"], json!(mutations));
    assert_eq!(over_http["mutations"][0]["userName"], "Yuu");
    assert!(over_http["mutations"][0]["atUnix"].as_u64().unwrap() > 1_700_000_000);

    fake.reset();
    assert!(fake.mutations().is_empty());
    assert_eq!(fake.user_list("Yuu").unwrap().len(), 2);
    assert_eq!(viewer(&fake, &token).await["name"], "Yuu");
}

#[tokio::test]
async fn save_media_list_entry_validates_like_anilist_and_records_nothing_refused() {
    let fake = FakeAniList::start().await.unwrap();
    let mut stars = user("Stars", vec![]);
    stars.score_format = "POINT_5".into();
    fake.insert_user(stars).unwrap();
    fake.approve_as(Some("Stars"));
    let token = sign_in(&fake).await;

    let (status, body) = save(&fake, Some(&token), json!({"mediaId": 21, "scoreRaw": 101})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"data": {"SaveMediaListEntry": null}, "errors": [{"message": "validation",
            "status": 400, "validation": {"scoreRaw": ["score may not be greater than 100"]}}]})
    );
    let (status, body) = save(
        &fake,
        Some(&token),
        json!({"mediaId": 21, "progress": -1, "score": 6}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["errors"][0]["validation"],
        json!({"progress": ["progress may not be less than 0"],
            "score": ["score may not be greater than 5"]})
    );
    let (status, body) = save(&fake, Some(&token), json!({"status": "CURRENT"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["errors"][0]["validation"]["mediaId"].is_array());

    let (status, body) = save(
        &fake,
        Some(&token),
        json!({"mediaId": 21, "status": "WATCHING"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["errors"][0].get("validation").is_none());
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("MediaListStatus"));

    let (status, body) = save(&fake, Some(&token), json!({"mediaId": 999_999_999})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["data"], json!({"SaveMediaListEntry": null}));
    assert_eq!(body["errors"][0]["message"], "Not Found.");

    let (status, body) = save(&fake, None, json!({"mediaId": 21})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        json!({"data": {"SaveMediaListEntry": null},
            "errors": [{"message": "Unauthorized.", "status": 401}]})
    );
    let response = graphql_as(
        &fake,
        Some(&token),
        "mutation { DeleteMediaListEntry(id: 1) { deleted } }",
        json!({}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    assert!(fake.mutations().is_empty());
    assert_eq!(fake.user_list("Stars"), Some(vec![]));
    assert_eq!(fake.request_count(), 7);
}

fn list_names(body: &Value) -> Vec<String> {
    body["data"]["MediaListCollection"]["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|list| list["name"].as_str().unwrap().to_owned())
        .collect()
}

fn entry_ids(list: &Value) -> Vec<i64> {
    list["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn media_list_collection_groups_by_status_and_custom_list_with_duplicates() {
    let fake = FakeAniList::start().await.unwrap();
    let mut comfy = entry(101573, "COMPLETED");
    comfy.custom_lists = vec!["Comfy".into()];
    comfy.score = 90;
    comfy.repeat = 2;
    comfy.notes = Some("Again and again".into());
    comfy.started_at = Some((2018, 10, 5));
    comfy.completed_at = Some((2018, 12, 28));
    let mut hidden = entry(154587, "CURRENT");
    hidden.custom_lists = vec!["Comfy".into(), "Fantasy".into()];
    hidden.hidden_from_status_lists = true;
    hidden.progress = 12;
    let mut yuu = user(
        "Yuu",
        vec![
            comfy,
            hidden,
            entry(113415, "CURRENT"),
            entry(21, "REPEATING"),
        ],
    );
    yuu.custom_lists = vec!["Comfy".into(), "Fantasy".into(), "Empty".into()];
    let id = fake.insert_user(yuu).unwrap();

    let (status, body) = collection(&fake, None, json!({"userName": "yuu"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer = &body["data"]["MediaListCollection"];
    assert_eq!(answer["hasNextChunk"], false);
    assert_eq!(
        answer["user"],
        json!({"id": id, "name": "Yuu", "mediaListOptions": {"scoreFormat": "POINT_10_DECIMAL"}})
    );
    assert_eq!(
        list_names(&body),
        ["Watching", "Completed", "Rewatching", "Comfy", "Fantasy"]
    );
    let lists = answer["lists"].as_array().unwrap();
    let stored = fake.user_list("Yuu").unwrap();
    let stored_id = |media_id: i64| {
        stored
            .iter()
            .find(|s| s.entry.media_id == media_id)
            .unwrap()
            .id
    };
    // The hidden entry is only in its custom lists; the comfy one also in Completed.
    assert_eq!(entry_ids(&lists[0]), [stored_id(113415)]);
    assert_eq!(lists[0]["status"], "CURRENT");
    assert_eq!(lists[2]["status"], "REPEATING");
    assert_eq!(entry_ids(&lists[3]), [stored_id(101573), stored_id(154587)]);
    assert_eq!(entry_ids(&lists[4]), [stored_id(154587)]);
    for list in &lists[..3] {
        assert_eq!(list["isCustomList"], false);
        assert_eq!(list["isSplitCompletedList"], false);
    }
    assert_eq!(lists[3]["isCustomList"], true);
    assert_eq!(lists[3]["status"], Value::Null);
    assert_eq!(lists[1]["entries"][0], lists[3]["entries"][0]);

    let completed = &lists[1]["entries"][0];
    assert_eq!(completed["mediaId"], 101573);
    assert_eq!(completed["status"], "COMPLETED");
    assert_eq!(completed["score"], 90);
    assert_eq!(completed["repeat"], 2);
    assert_eq!(completed["notes"], "Again and again");
    assert_eq!(completed["private"], false);
    assert_eq!(
        completed["startedAt"],
        json!({"year": 2018, "month": 10, "day": 5})
    );
    assert_eq!(completed["completedAt"]["month"], 12);
    assert!(completed["updatedAt"].as_u64().unwrap() > 1_700_000_000);
    let media = &completed["media"];
    assert_eq!(media["title"]["english"], "Bloom Into You");
    assert_eq!(
        media["coverImage"]["large"],
        format!("{}covers/101573-large.svg", fake.url())
    );
    assert_eq!(
        lists[0]["entries"][0]["completedAt"],
        json!({"year": null, "month": null, "day": null})
    );

    let (_, by_id) = collection(&fake, None, json!({"userId": id})).await;
    assert_eq!(by_id, body);
}

#[tokio::test]
async fn media_list_collection_chunks_by_entry_id() {
    let fake = FakeAniList::start().await.unwrap();
    let media = [101573, 154587, 113415, 145064, 131573];
    let statuses = ["CURRENT", "PLANNING", "CURRENT", "DROPPED", "PAUSED"];
    let entries = media
        .iter()
        .zip(statuses)
        .map(|(&media_id, status)| entry(media_id, status))
        .collect();
    let id = fake.insert_user(user("Chunky", entries)).unwrap();
    let all: Vec<i64> = fake
        .user_list("Chunky")
        .unwrap()
        .iter()
        .map(|stored| stored.id)
        .collect();
    assert!(all.windows(2).all(|pair| pair[0] < pair[1]));

    let mut seen = Vec::new();
    for (chunk, has_next) in [(1, true), (2, true), (3, false)] {
        let (status, body) = collection(
            &fake,
            None,
            json!({"userId": id, "chunk": chunk, "perChunk": 2}),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let answer = &body["data"]["MediaListCollection"];
        assert_eq!(answer["hasNextChunk"], has_next, "chunk {chunk}");
        let mut ids: Vec<i64> = answer["lists"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(entry_ids)
            .collect();
        ids.sort_unstable();
        seen.extend(ids);
    }
    assert_eq!(seen, all);

    let (_, first) = collection(&fake, None, json!({"userId": id, "perChunk": 2})).await;
    assert_eq!(list_names(&first), ["Watching", "Planning"]);
    let (_, beyond) = collection(
        &fake,
        None,
        json!({"userId": id, "chunk": 4, "perChunk": 2}),
    )
    .await;
    assert_eq!(beyond["data"]["MediaListCollection"]["lists"], json!([]));
    assert_eq!(beyond["data"]["MediaListCollection"]["hasNextChunk"], false);
    let (_, clamped) = collection(&fake, None, json!({"userId": id, "perChunk": 5000})).await;
    assert_eq!(
        clamped["data"]["MediaListCollection"]["hasNextChunk"],
        false
    );
}

#[tokio::test]
async fn media_list_collection_refuses_unknown_and_private_users() {
    let fake = FakeAniList::start().await.unwrap();
    let mut secret = user("Secret", vec![entry(21, "CURRENT")]);
    secret.private = true;
    let secret_id = fake.insert_user(secret).unwrap();

    let (status, body) = collection(&fake, None, json!({"userName": "Nobody"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["data"], json!({"MediaListCollection": null}));
    assert_eq!(body["errors"][0]["message"], "User not found");
    assert_eq!(body["errors"][0]["status"], 404);

    let (status, body) = collection(&fake, None, json!({"userId": secret_id})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["errors"][0]["message"], "Private User");
    let stranger = sign_in(&fake).await;
    let (status, _) = collection(&fake, Some(&stranger), json!({"userId": secret_id})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    fake.approve_as(Some("Secret"));
    let own = sign_in(&fake).await;
    let (status, body) = collection(&fake, Some(&own), json!({"userId": secret_id})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list_names(&body), ["Watching"]);

    let (status, body) = collection(&fake, None, json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["status"], 400);
    let manga = COLLECTION.replace("type: ANIME", "type: MANGA");
    let response = graphql_as(&fake, None, &manga, json!({"userId": secret_id})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn idmal_in_batches_catalog_media_in_catalog_order() {
    let fake = FakeAniList::start().await.unwrap();
    // Jujutsu Kaisen, Bloom Into You, One Piece and an id nothing has.
    let mal_ids = json!([40748, 37786, 21, 99_999_999]);
    let page = |page: u32| {
        graphql(
            &fake,
            BY_MAL_IDS,
            json!({"ids": mal_ids, "page": page, "perPage": 2}),
        )
    };
    let first: Value = page(1).await.json().await.unwrap();
    assert_eq!(ids(&first), [101573, 113415]);
    assert_eq!(
        first["data"]["Page"]["pageInfo"],
        json!({"hasNextPage": true, "currentPage": 1, "perPage": 2})
    );
    let media = &first["data"]["Page"]["media"][0];
    for field in MEDIA_FIELDS {
        assert!(media.get(field).is_some(), "missing {field}");
    }
    assert_eq!(media["idMal"], 37786);
    let second: Value = page(2).await.json().await.unwrap();
    assert_eq!(ids(&second), [21]);
    assert_eq!(second["data"]["Page"]["pageInfo"]["hasNextPage"], false);

    let all: Value = graphql(&fake, BY_MAL_IDS, json!({"ids": mal_ids, "perPage": 500}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["data"]["Page"]["pageInfo"]["perPage"], 50);
    assert_eq!(ids(&all).len(), 3);
    let response = graphql(&fake, BY_MAL_IDS, json!({"ids": "40748"})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn control_endpoints_manage_users_sign_ins_and_mutations() {
    let fake = FakeAniList::start().await.unwrap();
    let client = Client::new();
    let control = |path: &str| format!("{}__control/{path}", fake.url());

    let response = client
        .post(control("users"))
        .json(
            &json!({"name": "Remote", "scoreFormat": "POINT_100", "customLists": ["Comfy"],
            "entries": [{"mediaId": 101573, "status": "COMPLETED", "score": 95,
                "customLists": ["Comfy"], "startedAt": [2024, 4, 1]}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    for refused in [
        json!({"name": "Remote"}),
        json!({"name": "Other", "entries": [{"mediaId": 999_999_999}]}),
    ] {
        let response = client
            .post(control("users"))
            .json(&refused)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{refused}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().len() > 5);
    }
    let response = client
        .post(control("users"))
        .json(&json!({"name": "Typo", "scoreFromat": "POINT_3"}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error());

    let shown: Value = client
        .get(control("users/remote"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown["id"], id);
    assert_eq!(shown["scoreFormat"], "POINT_100");
    let entry = &shown["entries"][0];
    assert_eq!(entry["mediaId"], 101573);
    assert_eq!(entry["score"], 95);
    assert_eq!(entry["startedAt"], json!([2024, 4, 1]));
    assert!(entry["id"].as_i64().is_some());
    let response = client.get(control("users/nobody")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let set_oauth = |body: Value| client.post(control("oauth")).json(&body).send();
    assert!(set_oauth(json!({"approveAs": "Remote"}))
        .await
        .unwrap()
        .status()
        .is_success());
    let token = sign_in(&fake).await;
    assert_eq!(viewer(&fake, &token).await["id"], id);
    set_oauth(json!({"deny": true})).await.unwrap();
    let response = authorize(
        &fake,
        &[
            ("client_id", OAUTH_CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
        ],
    )
    .await;
    assert_eq!(
        query_param(&location(&response), "error").as_deref(),
        Some("access_denied")
    );
    // Leaving `approveAs` out keeps it; `null` returns to new users.
    set_oauth(json!({"deny": false})).await.unwrap();
    assert_eq!(viewer(&fake, &sign_in(&fake).await).await["id"], id);
    set_oauth(json!({"approveAs": null})).await.unwrap();
    assert_ne!(viewer(&fake, &sign_in(&fake).await).await["id"], id);

    let (status, _) = save(&fake, Some(&token), json!({"mediaId": 21, "scoreRaw": 40})).await;
    assert_eq!(status, StatusCode::OK);
    let recorded: Value = client
        .get(control("mutations"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(recorded["mutations"][0]["userId"], id);
    assert_eq!(
        recorded["mutations"][0]["variables"],
        json!({"mediaId": 21, "scoreRaw": 40})
    );

    set_oauth(json!({"expireTokens": true})).await.unwrap();
    let response = graphql_as(&fake, Some(&token), VIEWER, json!({})).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = client
        .post(control("oauth"))
        .json(&json!({"deny": "yes"}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error());
    assert_eq!(fake.request_count(), 5);
}

#[tokio::test]
async fn a_generated_list_is_served_in_two_chunks_with_its_media_and_mal_ids() {
    let fake = FakeAniList::start().await.unwrap();
    let list = fake
        .insert_generated_user(&GeneratedListSpec {
            name: "Bulk".to_owned(),
            ..GeneratedListSpec::default()
        })
        .unwrap();
    assert_eq!(list.user.entries.len(), 1_000);

    let mut media = std::collections::HashSet::new();
    let mut rows = 0;
    for (chunk, has_next) in [(1, true), (2, false)] {
        let (status, body) = collection(
            &fake,
            None,
            json!({"userName": "bulk", "chunk": chunk, "perChunk": 500}),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let answer = &body["data"]["MediaListCollection"];
        assert_eq!(answer["hasNextChunk"], has_next);
        for group in answer["lists"].as_array().unwrap() {
            for entry in group["entries"].as_array().unwrap() {
                rows += 1;
                assert_eq!(entry["media"]["id"], entry["mediaId"]);
                assert!(entry["media"]["coverImage"]["large"].is_string());
                media.insert(entry["mediaId"].as_i64().unwrap());
            }
        }
    }
    assert_eq!(media.len(), 1_000);
    // Every 9th entry is also in "Favourites", every 15th in "Comfort shows", and every 45th
    // (in both) is hidden from its status list.
    assert_eq!(rows, 1_000 + 112 + 67 - 23);
    assert_eq!(fake.operation_count("MediaListCollection"), 2);

    let mal_ids = [FIRST_GENERATED_MAL_ID, FIRST_GENERATED_MAL_ID + 49, 690_001];
    let found: Value = graphql(&fake, BY_MAL_IDS, json!({"ids": mal_ids, "perPage": 50}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        ids(&found),
        [FIRST_GENERATED_MEDIA_ID],
        "the 50th title has no MAL id, 690001 is only on MyAnimeList"
    );
    let looked_up: Value = lookup(&fake, FIRST_GENERATED_MEDIA_ID + 999)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        looked_up["data"]["Media"]["title"]["romaji"],
        "Seisei Anime 1000"
    );

    // A second generated user shares the media.
    let again = fake
        .insert_generated_user(&GeneratedListSpec {
            name: "Bulk2".to_owned(),
            entries: 10,
            score_format: "POINT_3".to_owned(),
            ..GeneratedListSpec::default()
        })
        .unwrap();
    assert_eq!(again.media[..], list.media[..10]);
    assert!(fake
        .insert_generated_user(&GeneratedListSpec {
            name: "bulk".to_owned(),
            ..GeneratedListSpec::default()
        })
        .is_err());
}

#[tokio::test]
async fn control_endpoints_generate_lists_and_edit_entries() {
    let fake = FakeAniList::start().await.unwrap();
    let client = Client::new();
    let control = |path: &str| format!("{}__control/{path}", fake.url());

    let response = client
        .post(control("users/generated"))
        .json(&json!({"name": "Remote", "entries": 120, "scoreFormat": "POINT_5", "private": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert!(body["id"].as_i64().is_some());
    assert_eq!(body["entries"], 120);
    assert_eq!(body["unknownMalIds"], json!([690_001, 690_002]));
    let xml = body["malXml"].as_str().unwrap();
    assert_eq!(xml.matches("<anime>").count(), 120);
    let (status, _) = collection(&fake, None, json!({"userName": "Remote"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "private");
    let response = client
        .post(control("users/generated"))
        .json(&json!({"name": "Typo", "scoreFormat": "POINT_7"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let response = client
        .post(control("users/remote/entries"))
        .json(&json!({"mediaId": FIRST_GENERATED_MEDIA_ID, "progress": 7, "status": "CURRENT"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let edited: Value = response.json().await.unwrap();
    assert_eq!(
        (edited["progress"].as_i64(), edited["status"].as_str()),
        (Some(7), Some("CURRENT"))
    );
    let stored = &fake.user_list("Remote").unwrap()[0];
    assert_eq!(stored.entry.progress, 7);
    for refused in [
        json!({"mediaId": FIRST_GENERATED_MEDIA_ID, "score": 101}),
        json!({"mediaId": 999_999_999, "progress": 1}),
        json!({"mediaId": FIRST_GENERATED_MEDIA_ID, "status": "WATCHING"}),
    ] {
        let response = client
            .post(control("users/Remote/entries"))
            .json(&refused)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{refused}");
    }
    let response = client
        .post(control("users/nobody/entries"))
        .json(&json!({"mediaId": 21}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let edited = fake
        .edit_entry(
            "Remote",
            EntryEdit {
                media_id: 21,
                score: Some(80),
                ..EntryEdit::default()
            },
        )
        .unwrap();
    assert_eq!(
        (edited.entry.status.as_str(), edited.entry.score),
        ("PLANNING", 80)
    );
    assert_eq!(fake.user_list("Remote").unwrap().len(), 121);
    assert_eq!(fake.request_count(), 1, "control requests are not counted");
}
