//! `/api/anilist/...`: search and media through the cache, against the fake AniList.

use fake_anilist::Fault;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{field_message, problem, TestApp};

const FRIEREN: i64 = 154_587;

async fn search(app: &TestApp, token: &str, query: &str) -> Value {
    let response = app
        .get(&format!("/api/anilist/search?query={query}"), Some(token))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn search_maps_anilist_results_and_repeats_cost_no_call() {
    let app = TestApp::spawn().await;
    let ada = app.account("ada").await;

    let found = search(&app, &ada.token, "frieren").await;
    assert_eq!(found["source"]["kind"], "anilist");
    let first = &found["results"][0];
    assert_eq!(first["anilistMediaId"], FRIEREN);
    assert_eq!(first["titleRomaji"], "Sousou no Frieren");
    assert_eq!(first["format"], "TV");
    assert!(first["description"]
        .as_str()
        .is_none_or(|text| !text.contains('<')));

    search(&app, &ada.token, "  FRIEREN ").await;
    assert_eq!(app.anilist.request_count(), 1);
}

#[tokio::test]
async fn search_needs_an_account_and_a_real_query() {
    let app = TestApp::spawn().await;
    problem(
        app.get("/api/anilist/search?query=frieren", None).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let ada = app.account("ada").await;
    let short = problem(
        app.get("/api/anilist/search?query=a", Some(&ada.token))
            .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(field_message(&short, "query").is_some(), "{short}");
    problem(
        app.get("/api/anilist/search", Some(&ada.token)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(app.anilist.request_count(), 0);
}

#[tokio::test]
async fn when_anilist_is_down_search_offers_what_is_cached() {
    let app = TestApp::spawn().await;
    let ada = app.account("ada").await;
    search(&app, &ada.token, "frieren").await;

    app.anilist.set_fault(Some(Fault::ServerError));
    let fallback = search(&app, &ada.token, "sousou").await;
    assert_eq!(fallback["source"]["kind"], "cache");
    assert!(fallback["source"]["reason"].as_str().unwrap().len() > 10);
    assert_eq!(fallback["results"][0]["anilistMediaId"], FRIEREN);

    let nothing = search(&app, &ada.token, "gintama").await;
    assert_eq!(nothing["source"]["kind"], "cache");
    assert_eq!(nothing["results"], json!([]));
}

#[tokio::test]
async fn media_details_come_from_the_cache_once_fetched() {
    let app = TestApp::spawn().await;
    let ada = app.account("ada").await;
    let response = app
        .get(&format!("/api/anilist/media/{FRIEREN}"), Some(&ada.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let media: Value = response.json().await.unwrap();
    assert_eq!(media["anilistMediaId"], FRIEREN);
    assert_eq!(media["episodes"], 28);

    app.anilist.set_fault(Some(Fault::ServerError));
    let again = app
        .get(&format!("/api/anilist/media/{FRIEREN}"), Some(&ada.token))
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(app.anilist.request_count(), 1);
}

#[tokio::test]
async fn unknown_and_malformed_media_ids_are_problems() {
    let app = TestApp::spawn().await;
    let ada = app.account("ada").await;
    problem(
        app.get("/api/anilist/media/99999999", Some(&ada.token))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    for bad in ["abc", "0", "-4"] {
        problem(
            app.get(&format!("/api/anilist/media/{bad}"), Some(&ada.token))
                .await,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
}

#[tokio::test]
async fn a_rate_limited_anilist_is_a_429_with_retry_after_for_unseen_media() {
    let app = TestApp::spawn().await;
    let ada = app.account("ada").await;
    app.anilist.set_fault(Some(Fault::RateLimited {
        retry_after_seconds: 42,
    }));
    let response = app
        .get(&format!("/api/anilist/media/{FRIEREN}"), Some(&ada.token))
        .await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=42).contains(&retry_after), "{retry_after}");
    problem(response, StatusCode::TOO_MANY_REQUESTS).await;
}

#[tokio::test]
async fn adult_titles_appear_only_for_users_who_opted_in() {
    let app = TestApp::spawn().await;
    let ada = app.account("ada").await;
    app.anilist.insert_media(json!({
        "id": 990_001, "idMal": null,
        "title": {"romaji": "Frieren Afterhours", "english": null, "native": null},
        "episodes": 2, "duration": 25, "format": "OVA", "status": "FINISHED",
        "season": null, "seasonYear": 2024,
        "coverImage": {"extraLarge": null, "large": null, "medium": null, "color": null},
        "genres": ["Romance"], "averageScore": null, "meanScore": null, "popularity": 10,
        "isAdult": true, "description": null, "updatedAt": 1_700_000_000,
        "nextAiringEpisode": null
    }));
    let ids = |found: &Value| -> Vec<i64> {
        found["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|media| media["anilistMediaId"].as_i64().unwrap())
            .collect()
    };
    assert!(!ids(&search(&app, &ada.token, "frieren").await).contains(&990_001));

    let opted_in = app
        .patch(
            "/api/me",
            Some(&ada.token),
            json!({"showAdultContent": true}),
        )
        .await;
    assert_eq!(opted_in.status(), StatusCode::OK);
    let me: Value = opted_in.json().await.unwrap();
    assert_eq!(me["showAdultContent"], true);
    assert!(ids(&search(&app, &ada.token, "frieren").await).contains(&990_001));
}
