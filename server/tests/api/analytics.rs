//! `/api/watch-spaces/{id}/analytics/...`, over the real router.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{problem, Account, TestApp};

const BLOOM_INTO_YOU: i64 = 101_573;
const FRIEREN: i64 = 154_587;
const JUJUTSU_KAISEN: i64 = 113_415;

/// `who` rates the space's entry `anime` (as returned when it was added).
async fn rate(app: &TestApp, who: &Account, space: &str, anime: &Value, score: f64) {
    let path = format!(
        "/api/watch-spaces/{space}/anime/{}",
        anime["id"].as_str().unwrap()
    );
    let current: Value = app.get(&path, Some(&who.token)).await.json().await.unwrap();
    let version = current["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["userId"] == who.id.as_str())
        .unwrap()["version"]
        .clone();
    let rated = app
        .patch(
            &format!("{path}/participant-rating"),
            Some(&who.token),
            json!({"version": version, "ratingScore": score}),
        )
        .await;
    assert_eq!(rated.status(), StatusCode::OK);
}

async fn compatibility(app: &TestApp, who: &Account, space: &str) -> Value {
    let response = app
        .get(
            &format!("/api/watch-spaces/{space}/analytics/compatibility"),
            Some(&who.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_design_example_gives_90_with_its_label() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    for (media, mika_score, ren_score) in [
        (BLOOM_INTO_YOU, 10.0, 9.0),
        (FRIEREN, 9.0, 8.0),
        (JUJUTSU_KAISEN, 7.0, 6.0),
    ] {
        let anime = app.add_anime(&mika, &space, media).await;
        rate(&app, &mika, &space, &anime, mika_score).await;
        rate(&app, &ren, &space, &anime, ren_score).await;
    }

    let result = compatibility(&app, &ren, &space).await;
    assert_eq!(result["score"], 90);
    assert_eq!(result["averageGap"], 1.0);
    assert_eq!(result["ratedTogetherCount"], 3);
    assert_eq!(result["label"], "Very synced, with a little spice");
    assert_eq!(result["unlockHint"], Value::Null);
    let pair = &result["pairs"][0];
    assert_eq!(result["pairs"].as_array().unwrap().len(), 1);
    assert_eq!(pair["score"], 90);
    assert_eq!(pair["correlation"], Value::Null);
    assert!(pair["correlationNote"].as_str().unwrap().contains('5'));
}

#[tokio::test]
async fn sparse_spaces_get_a_hint_instead_of_a_score() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    let empty = compatibility(&app, &mika, &space).await;
    assert_eq!(empty["score"], Value::Null);
    assert_eq!(empty["ratedTogetherCount"], 0);
    assert_eq!(
        empty["unlockHint"],
        "Rate 3 more shows together to unlock your score."
    );

    let anime = app.add_anime(&mika, &space, FRIEREN).await;
    rate(&app, &mika, &space, &anime, 8.5).await;
    rate(&app, &ren, &space, &anime, 7.0).await;
    let one = compatibility(&app, &mika, &space).await;
    assert_eq!(one["score"], Value::Null);
    assert_eq!(one["pairs"][0]["averageGap"], 1.5);
    assert_eq!(
        one["unlockHint"],
        "Rate 2 more shows together to unlock your score."
    );
}

#[tokio::test]
async fn groups_get_every_pair_and_a_space_score_from_the_scored_ones() {
    let app = TestApp::spawn().await;
    let (ada, bea, space) = app.shared_space("ada", "bea").await;
    let mut others = Vec::new();
    for name in ["cai", "dev"] {
        let other = app.account(name).await;
        let invitation = app.invite(&ada, &space, &other.email).await;
        assert_eq!(
            app.accept(&invitation, Some(&other.token)).await.status(),
            StatusCode::OK
        );
        others.push(other);
    }
    let cai = &others[0];
    for (media, ada_score, bea_score, cai_score) in [
        (BLOOM_INTO_YOU, 10.0, 10.0, 6.0),
        (FRIEREN, 8.0, 8.0, 4.0),
        (JUJUTSU_KAISEN, 6.0, 6.0, 2.0),
    ] {
        let anime = app.add_anime(&ada, &space, media).await;
        rate(&app, &ada, &space, &anime, ada_score).await;
        rate(&app, &bea, &space, &anime, bea_score).await;
        rate(&app, cai, &space, &anime, cai_score).await;
    }

    let result = compatibility(&app, &ada, &space).await;
    let pairs = result["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 6, "4 members make 6 pairs");
    let score_of = |a: &str, b: &str| {
        pairs
            .iter()
            .find(|pair| {
                let names = [
                    pair["memberA"]["displayName"].as_str().unwrap(),
                    pair["memberB"]["displayName"].as_str().unwrap(),
                ];
                names.contains(&a) && names.contains(&b)
            })
            .unwrap()["score"]
            .clone()
    };
    assert_eq!(score_of("ada", "bea"), 100);
    assert_eq!(score_of("ada", "cai"), 60);
    assert_eq!(score_of("bea", "cai"), 60);
    assert_eq!(score_of("ada", "dev"), Value::Null);
    assert_eq!(result["score"], 73, "mean of 100, 60 and 60");
    assert_eq!(result["ratedTogetherCount"], 3);
}

#[tokio::test]
async fn rating_gaps_show_where_tastes_differ_and_meet_with_notes() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    for (media, mika_score, ren_score) in [
        (BLOOM_INTO_YOU, 10.0, 6.5),
        (FRIEREN, 9.0, 9.0),
        (JUJUTSU_KAISEN, 7.0, 8.0),
    ] {
        let anime = app.add_anime(&mika, &space, media).await;
        rate(&app, &mika, &space, &anime, mika_score).await;
        rate(&app, &ren, &space, &anime, ren_score).await;
    }
    let only_mika = app.add_anime(&mika, &space, 21).await;
    rate(&app, &mika, &space, &only_mika, 5.0).await;

    let response = app
        .get(
            &format!("/api/watch-spaces/{space}/analytics/rating-gaps"),
            Some(&ren.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let gaps: Value = response.json().await.unwrap();
    let titles = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|gap| gap["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        titles(&gaps["all"]),
        [
            "Bloom Into You",
            "JUJUTSU KAISEN",
            "Frieren: Beyond Journey's End"
        ],
        "one-member titles are left out; biggest gap first"
    );
    assert_eq!(
        titles(&gaps["biggestGaps"]),
        ["Bloom Into You", "JUJUTSU KAISEN"]
    );
    assert_eq!(
        gaps["mostAligned"][0]["title"],
        "Frieren: Beyond Journey's End"
    );
    let bloom = &gaps["all"][0];
    assert_eq!(bloom["gap"], 3.5);
    assert_eq!(bloom["ratings"][0]["member"]["displayName"], "mika");
    assert_eq!(bloom["ratings"][0]["ratingScore"], 10.0);
    assert_eq!(bloom["ratings"][1]["ratingScore"], 6.5);
}

#[tokio::test]
async fn outsiders_get_404_and_strangers_401() {
    let app = TestApp::spawn().await;
    let (_mika, _ren, space) = app.shared_space("mika", "ren").await;
    let outsider = app.account("outsider").await;
    for endpoint in ["compatibility", "rating-gaps"] {
        let path = format!("/api/watch-spaces/{space}/analytics/{endpoint}");
        problem(
            app.get(&path, Some(&outsider.token)).await,
            StatusCode::NOT_FOUND,
        )
        .await;
        problem(app.get(&path, None).await, StatusCode::UNAUTHORIZED).await;
    }
}
