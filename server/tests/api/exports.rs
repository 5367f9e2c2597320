//! Exports: the whole space as JSON and CSV, for members only, every member side by side.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{problem, TestApp};

const FRIEREN: i64 = 154_587;
const COWBOY_BEBOP: i64 = 1;

#[tokio::test]
async fn a_space_exports_every_members_entries_side_by_side() {
    let app = TestApp::spawn().await;
    let (ann, bo, space) = app.shared_space("ann", "bo").await;
    let frieren = app.add_anime(&ann, &space, FRIEREN).await;
    app.add_anime(&bo, &space, COWBOY_BEBOP).await;
    let path = format!(
        "/api/watch-spaces/{space}/anime/{}",
        frieren["id"].as_str().unwrap()
    );
    let rated = app
        .patch(
            &format!("{path}/participant-rating"),
            Some(&ann.token),
            json!({"version": 0, "ratingScore": 9.5, "ratingNotes": "=HYPERLINK(\"x\"), and tears"}),
        )
        .await;
    assert_eq!(rated.status(), StatusCode::OK);
    let progressed = app
        .patch(
            &format!("{path}/participant-progress"),
            Some(&bo.token),
            json!({"version": 0, "individualStatus": "watching", "episodesWatched": 5}),
        )
        .await;
    assert_eq!(progressed.status(), StatusCode::OK);
    let session = app
        .post(
            &format!("{path}/sessions"),
            Some(&ann.token),
            json!({"sessionDateUtc": "2026-11-20T20:00:00Z", "startEpisode": 1, "endEpisode": 3, "notes": "Blanket fort"}),
        )
        .await;
    assert_eq!(session.status(), StatusCode::CREATED);

    let json_export = app
        .get(
            &format!("/api/watch-spaces/{space}/export.json"),
            Some(&bo.token),
        )
        .await;
    assert_eq!(json_export.status(), StatusCode::OK);
    let disposition = json_export.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"bloomwatch-couch-")
            && disposition.ends_with(".json\""),
        "{disposition}"
    );
    let export: Value = json_export.json().await.unwrap();
    assert_eq!(export["spaceName"], "Couch");
    let anime = export["anime"].as_array().unwrap();
    assert_eq!(anime.len(), 2);
    let exported_frieren = anime
        .iter()
        .find(|anime| anime["anilistMediaId"] == FRIEREN)
        .unwrap();
    let entries = exported_frieren["participants"].as_array().unwrap();
    let entry_of = |name: &str| {
        entries
            .iter()
            .find(|entry| entry["displayName"] == name)
            .unwrap()
    };
    assert_eq!(entry_of("ann")["ratingScore"], 9.5);
    assert_eq!(entry_of("bo")["episodesWatched"], 5);
    assert_eq!(entry_of("bo")["individualStatus"], "watching");
    let sessions = export["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["notes"], "Blanket fort");
    assert_eq!(sessions[0]["attendees"].as_array().unwrap().len(), 2);

    let csv_export = app
        .get(
            &format!("/api/watch-spaces/{space}/export.csv"),
            Some(&ann.token),
        )
        .await;
    assert_eq!(csv_export.status(), StatusCode::OK);
    assert_eq!(
        csv_export.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let csv = csv_export.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "a header and one row per anime:\n{csv}");
    assert!(lines[0].starts_with("Title,Romaji title,AniList id,Format,Episodes,Shared status,"));
    assert!(lines[0].ends_with(
        "ann: status,ann: episodes,ann: rating,ann: notes,bo: status,bo: episodes,bo: rating,bo: notes"
    ));
    // By title: Cowboy Bebop first; the notes cannot run as a formula.
    assert!(lines[1].starts_with("Cowboy Bebop,"), "{}", lines[1]);
    assert!(
        lines[2].starts_with("Frieren: Beyond Journey's End,"),
        "{}",
        lines[2]
    );
    // The session moved both members (and the space) to episode 3; bo's own progress is 5.
    assert!(
        lines[2].ends_with(",Watching,3,9.5,\"'=HYPERLINK(\"\"x\"\"), and tears\",Watching,5,,"),
        "{}",
        lines[2]
    );
}

#[tokio::test]
async fn only_members_export_a_space() {
    let app = TestApp::spawn().await;
    let (_ann, _bo, space) = app.shared_space("ann", "bo").await;
    let outsider = app.account("cy").await;
    for file in ["export.json", "export.csv"] {
        let path = format!("/api/watch-spaces/{space}/{file}");
        problem(
            app.get(&path, Some(&outsider.token)).await,
            StatusCode::NOT_FOUND,
        )
        .await;
        problem(app.get(&path, None).await, StatusCode::UNAUTHORIZED).await;
    }
}
