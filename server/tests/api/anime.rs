//! `/api/watch-spaces/{id}/anime/...`: tracking anime together, over the real router.

use fake_anilist::Fault;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::harness::{field_message, problem, Account, TestApp};

const FRIEREN: i64 = 154_587; // 28 episodes
const BLOOM_INTO_YOU: i64 = 101_573; // 13 episodes
const JUJUTSU_KAISEN: i64 = 113_415;
const ONE_PIECE: i64 = 21; // airing, episode count unknown

fn anime_path(space: &str, anime: &Value) -> String {
    format!(
        "/api/watch-spaces/{space}/anime/{}",
        anime["id"].as_str().unwrap()
    )
}

fn participant<'a>(anime: &'a Value, who: &Account) -> &'a Value {
    anime["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["userId"] == who.id.as_str())
        .unwrap()
}

async fn ok_json(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

#[tokio::test]
async fn adding_an_anime_snapshots_anilist_and_a_second_add_is_a_conflict() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;

    let added = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    assert_eq!(added["anilistMediaId"], BLOOM_INTO_YOU);
    assert_eq!(added["preferredTitle"], "Yagate Kimi ni Naru");
    assert_eq!(added["preferredTitleEnglish"], "Bloom Into You");
    assert_eq!(added["episodeCountSnapshot"], 13);
    assert_eq!(added["sharedStatus"], "backlog");
    assert_eq!(added["sharedEpisodesWatched"], 0);
    assert_eq!(added["addedByUserId"], mika.id.as_str());
    assert_eq!(added["participants"].as_array().unwrap().len(), 2);
    assert_eq!(participant(&added, &ren)["version"], 0);

    let again = problem(
        app.post(
            &format!("/api/watch-spaces/{space}/anime"),
            Some(&ren.token),
            json!({"anilistMediaId": BLOOM_INTO_YOU}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert!(
        again["detail"].as_str().unwrap().contains("Bloom Into You")
            || again["detail"].as_str().unwrap().contains("Yagate"),
        "{again}"
    );

    problem(
        app.post(
            &format!("/api/watch-spaces/{space}/anime"),
            Some(&mika.token),
            json!({"anilistMediaId": 99_999_999}),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    problem(
        app.post(
            &format!("/api/watch-spaces/{space}/anime"),
            Some(&mika.token),
            json!({"anilistMediaId": 0}),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

#[tokio::test]
async fn the_list_filters_by_shared_status_and_sorts() {
    let app = TestApp::spawn().await;
    let (mika, _ren, space) = app.shared_space("mika", "ren").await;
    let frieren = app.add_anime(&mika, &space, FRIEREN).await;
    app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    app.add_anime(&mika, &space, JUJUTSU_KAISEN).await;
    ok_json(
        app.patch(
            &anime_path(&space, &frieren),
            Some(&mika.token),
            json!({"version": frieren["version"], "sharedStatus": "paused"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;

    let list = |query: &'static str| {
        let path = format!("/api/watch-spaces/{space}/anime{query}");
        let app = &app;
        let token = mika.token.clone();
        async move { ok_json(app.get(&path, Some(&token)).await, StatusCode::OK).await["items"].take() }
    };
    let titles = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|anime| {
                anime["preferredTitleEnglish"]
                    .as_str()
                    .unwrap_or_else(|| anime["preferredTitle"].as_str().unwrap())
                    .to_owned()
            })
            .collect()
    };

    assert_eq!(list("").await.as_array().unwrap().len(), 3);
    let paused = list("?status=paused,dropped").await;
    assert_eq!(paused.as_array().unwrap().len(), 1);
    assert_eq!(paused[0]["anilistMediaId"], FRIEREN);
    assert_eq!(list("?status=backlog").await.as_array().unwrap().len(), 2);
    let by_title = titles(&list("?sort=title").await);
    let mut sorted = by_title.clone();
    sorted.sort_by_key(|title| title.to_lowercase());
    assert_eq!(by_title, sorted);
    assert_eq!(
        list("?sort=recentlyUpdated").await[0]["anilistMediaId"],
        FRIEREN
    );
    assert_eq!(
        list("?sort=addedDate").await[0]["anilistMediaId"],
        JUJUTSU_KAISEN
    );

    let bad = problem(
        app.get(
            &format!("/api/watch-spaces/{space}/anime?status=someday&sort=vibes"),
            Some(&mika.token),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(field_message(&bad, "status").is_some() && field_message(&bad, "sort").is_some());
}

#[tokio::test]
async fn the_list_comes_in_pages_with_totals_by_status() {
    let app = TestApp::spawn().await;
    let (mika, _ren, space) = app.shared_space("mika", "ren").await;
    for anime in [FRIEREN, BLOOM_INTO_YOU, JUJUTSU_KAISEN] {
        app.add_anime(&mika, &space, anime).await;
    }
    let list = format!("/api/watch-spaces/{space}/anime?sort=title&limit=2");

    let first = ok_json(app.get(&list, Some(&mika.token)).await, StatusCode::OK).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    assert_eq!(first["totals"]["backlog"], 3);
    assert_eq!(first["totals"]["watching"], 0);
    let cursor = first["nextCursor"].as_str().unwrap();
    let second = ok_json(
        app.get(&format!("{list}&cursor={cursor}"), Some(&mika.token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["nextCursor"], Value::Null);
    let mut seen: Vec<&Value> = first["items"].as_array().unwrap().iter().collect();
    seen.extend(second["items"].as_array().unwrap());
    let mut ids: Vec<&str> = seen
        .iter()
        .map(|anime| anime["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3, "three shows over two pages, none twice");

    let foreign_cursor = format!("sort=addedDate&cursor={cursor}");
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=lots", "limit"),
        (foreign_cursor.as_str(), "cursor"),
    ] {
        let refused = problem(
            app.get(
                &format!("/api/watch-spaces/{space}/anime?{query}"),
                Some(&mika.token),
            )
            .await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert!(
            field_message(&refused, field).is_some(),
            "{query}: {refused}"
        );
    }
}

#[tokio::test]
async fn shared_edits_are_bounded_and_a_stale_edit_names_who_changed_it() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    let anime = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    let path = anime_path(&space, &anime);

    let edited = ok_json(
        app.patch(
            &path,
            Some(&mika.token),
            json!({"version": anime["version"], "sharedStatus": "watching", "sharedEpisodesWatched": 4, "mood": "cozy", "pitch": "Yuri with heart."}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(edited["sharedEpisodesWatched"], 4);
    assert_eq!(edited["mood"], "cozy");
    assert_eq!(edited["version"], anime["version"].as_i64().unwrap() + 1);

    let stale = problem(
        app.patch(
            &path,
            Some(&ren.token),
            json!({"version": anime["version"], "sharedEpisodesWatched": 5}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert!(
        stale["detail"].as_str().unwrap().contains("mika"),
        "{stale}"
    );

    let too_far = problem(
        app.patch(
            &path,
            Some(&ren.token),
            json!({"version": edited["version"], "sharedEpisodesWatched": 14, "mood": "x".repeat(81)}),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(field_message(&too_far, "sharedEpisodesWatched")
        .unwrap()
        .contains("13"));
    assert!(field_message(&too_far, "mood").is_some());

    let cleared = ok_json(
        app.patch(
            &path,
            Some(&ren.token),
            json!({"version": edited["version"], "mood": null}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(cleared["mood"], Value::Null);
    assert_eq!(cleared["pitch"], "Yuri with heart.");
}

#[tokio::test]
async fn two_concurrent_edits_of_the_same_version_never_both_win() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    let anime = app.add_anime(&mika, &space, FRIEREN).await;
    let path = anime_path(&space, &anime);
    let (first, second) = tokio::join!(
        app.patch(
            &path,
            Some(&mika.token),
            json!({"version": anime["version"], "sharedEpisodesWatched": 3})
        ),
        app.patch(
            &path,
            Some(&ren.token),
            json!({"version": anime["version"], "sharedEpisodesWatched": 5})
        ),
    );
    let mut statuses = [first.status(), second.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let after = ok_json(app.get(&path, Some(&mika.token)).await, StatusCode::OK).await;
    assert_eq!(after["version"], anime["version"].as_i64().unwrap() + 1);
}

#[tokio::test]
async fn each_member_tracks_and_rates_for_themselves() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    let anime = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    let path = anime_path(&space, &anime);

    let progressed = ok_json(
        app.patch(
            &format!("{path}/participant-progress"),
            Some(&ren.token),
            json!({"version": 0, "individualStatus": "watching", "episodesWatched": 5}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let ren_entry = participant(&progressed, &ren);
    assert_eq!(ren_entry["episodesWatched"], 5);
    assert_eq!(ren_entry["individualStatus"], "watching");
    assert_eq!(participant(&progressed, &mika)["episodesWatched"], 0);

    let rated = ok_json(
        app.patch(
            &format!("{path}/participant-rating"),
            Some(&ren.token),
            json!({"version": ren_entry["version"], "ratingScore": 8.5, "ratingNotes": "Touko!"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let ren_entry = participant(&rated, &ren);
    assert_eq!(ren_entry["ratingScore"], 8.5);
    assert_eq!(ren_entry["ratingNotes"], "Touko!");

    for (score, field) in [
        (json!(8.3), "ratingScore"),
        (json!(0), "ratingScore"),
        (json!(10.5), "ratingScore"),
    ] {
        let refused = problem(
            app.patch(
                &format!("{path}/participant-rating"),
                Some(&ren.token),
                json!({"version": ren_entry["version"], "ratingScore": score}),
            )
            .await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert!(field_message(&refused, field).is_some(), "{refused}");
    }
    let too_many = problem(
        app.patch(
            &format!("{path}/participant-progress"),
            Some(&ren.token),
            json!({"version": ren_entry["version"], "episodesWatched": 14}),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(field_message(&too_many, "episodesWatched").is_some());

    let cleared = ok_json(
        app.delete(&format!("{path}/participant-rating"), Some(&ren.token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(participant(&cleared, &ren)["ratingScore"], Value::Null);
    assert_eq!(participant(&cleared, &ren)["ratingNotes"], Value::Null);
}

#[tokio::test]
async fn a_session_moves_shared_and_attendees_progress_forward_only() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    let anime = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    let path = anime_path(&space, &anime);

    let session = ok_json(
        app.post(
            &format!("{path}/sessions"),
            Some(&mika.token),
            json!({"sessionDateUtc": "2026-11-20T20:00:00Z", "startEpisode": 1, "endEpisode": 3, "notes": "Blanket fort"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(session["attendees"].as_array().unwrap().len(), 2);
    assert_eq!(session["createdByUserId"], mika.id.as_str());

    ok_json(
        app.post(
            &format!("{path}/sessions"),
            Some(&ren.token),
            json!({"sessionDateUtc": "2026-11-21T20:00:00Z", "startEpisode": 1, "endEpisode": 2, "attendeeUserIds": [ren.id]}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    let details = ok_json(app.get(&path, Some(&mika.token)).await, StatusCode::OK).await;
    assert_eq!(details["sharedEpisodesWatched"], 3);
    assert_eq!(details["sharedStatus"], "watching");
    assert_eq!(participant(&details, &mika)["episodesWatched"], 3);
    assert_eq!(participant(&details, &ren)["episodesWatched"], 3);
    assert_eq!(details["sessions"].as_array().unwrap().len(), 2);
    assert_eq!(
        details["sessions"][0]["sessionDateUtc"],
        "2026-11-21T20:00:00Z"
    );

    let listed = ok_json(
        app.get(&format!("{path}/sessions"), Some(&ren.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
    assert_eq!(listed["nextCursor"], Value::Null);
    let first_page = ok_json(
        app.get(&format!("{path}/sessions?limit=1"), Some(&ren.token))
            .await,
        StatusCode::OK,
    )
    .await;
    let cursor = first_page["nextCursor"].as_str().unwrap();
    let second_page = ok_json(
        app.get(
            &format!("{path}/sessions?limit=1&cursor={cursor}"),
            Some(&ren.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        [&first_page["items"][0], &second_page["items"][0]],
        [&listed["items"][0], &listed["items"][1]]
    );
    assert_eq!(second_page["nextCursor"], Value::Null);

    for (body, field) in [
        (
            json!({"sessionDateUtc": "2026-11-22T20:00:00Z", "startEpisode": 5, "endEpisode": 4}),
            "endEpisode",
        ),
        (
            json!({"sessionDateUtc": "2026-11-22T20:00:00Z", "startEpisode": 0, "endEpisode": 4}),
            "startEpisode",
        ),
        (
            json!({"sessionDateUtc": "2026-11-22T20:00:00Z", "startEpisode": 12, "endEpisode": 14}),
            "endEpisode",
        ),
        (
            json!({"sessionDateUtc": "2026-11-22T20:00:00Z", "startEpisode": 4, "endEpisode": 5, "attendeeUserIds": ["00000000-0000-4000-8000-000000000000"]}),
            "attendeeUserIds",
        ),
    ] {
        let refused = problem(
            app.post(&format!("{path}/sessions"), Some(&mika.token), body)
                .await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert!(
            field_message(&refused, field).is_some(),
            "{field}: {refused}"
        );
    }

    let session_path = format!("{path}/sessions/{}", session["id"].as_str().unwrap());
    problem(
        app.patch(
            &session_path,
            Some(&ren.token),
            json!({"notes": "mine now"}),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    problem(
        app.delete(&session_path, Some(&ren.token)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let renamed = ok_json(
        app.patch(
            &session_path,
            Some(&mika.token),
            json!({"notes": "Blanket fort, with tea"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["notes"], "Blanket fort, with tea");
    assert_eq!(
        app.delete(&session_path, Some(&mika.token)).await.status(),
        StatusCode::NO_CONTENT
    );
    let after = ok_json(app.get(&path, Some(&mika.token)).await, StatusCode::OK).await;
    assert_eq!(after["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(
        after["sharedEpisodesWatched"], 3,
        "deleting a session keeps progress"
    );
}

#[tokio::test]
async fn an_airing_show_has_unbounded_progress() {
    let app = TestApp::spawn().await;
    let (mika, _ren, space) = app.shared_space("mika", "ren").await;
    let anime = app.add_anime(&mika, &space, ONE_PIECE).await;
    assert_eq!(anime["episodeCountSnapshot"], Value::Null);
    let path = anime_path(&space, &anime);
    ok_json(
        app.post(
            &format!("{path}/sessions"),
            Some(&mika.token),
            json!({"sessionDateUtc": "2026-11-20T20:00:00Z", "startEpisode": 1000, "endEpisode": 1100}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let details = ok_json(app.get(&path, Some(&mika.token)).await, StatusCode::OK).await;
    assert_eq!(details["sharedEpisodesWatched"], 1100);
    assert_eq!(details["needsAttention"], false);
}

#[tokio::test]
async fn removing_an_anime_is_for_owners_and_whoever_added_it() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    let by_mika = app.add_anime(&mika, &space, FRIEREN).await;
    let by_ren = app.add_anime(&ren, &space, BLOOM_INTO_YOU).await;

    problem(
        app.delete(&anime_path(&space, &by_mika), Some(&ren.token))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(
        app.delete(&anime_path(&space, &by_ren), Some(&ren.token))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&anime_path(&space, &by_mika), Some(&mika.token))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    problem(
        app.get(&anime_path(&space, &by_mika), Some(&mika.token))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn outsiders_get_404_and_strangers_401_on_every_anime_endpoint() {
    let app = TestApp::spawn().await;
    let (mika, _ren, space) = app.shared_space("mika", "ren").await;
    let outsider = app.account("outsider").await;
    let anime = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    let path = anime_path(&space, &anime);
    let session = ok_json(
        app.post(
            &format!("{path}/sessions"),
            Some(&mika.token),
            json!({"sessionDateUtc": "2026-11-20T20:00:00Z", "startEpisode": 1, "endEpisode": 1}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let session_path = format!("{path}/sessions/{}", session["id"].as_str().unwrap());
    let before = ok_json(app.get(&path, Some(&mika.token)).await, StatusCode::OK).await;
    let calls_before = app.anilist.request_count();

    let endpoints: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::GET,
            format!("/api/watch-spaces/{space}/anime"),
            None,
        ),
        (
            Method::POST,
            format!("/api/watch-spaces/{space}/anime"),
            Some(json!({"anilistMediaId": FRIEREN})),
        ),
        (Method::GET, path.clone(), None),
        (
            Method::PATCH,
            path.clone(),
            Some(json!({"version": 1, "mood": "mine"})),
        ),
        (Method::DELETE, path.clone(), None),
        (
            Method::PATCH,
            format!("{path}/participant-progress"),
            Some(json!({"version": 0, "episodesWatched": 1})),
        ),
        (
            Method::PATCH,
            format!("{path}/participant-rating"),
            Some(json!({"version": 0, "ratingScore": 9})),
        ),
        (Method::DELETE, format!("{path}/participant-rating"), None),
        (Method::GET, format!("{path}/sessions"), None),
        (
            Method::POST,
            format!("{path}/sessions"),
            Some(
                json!({"sessionDateUtc": "2026-11-20T20:00:00Z", "startEpisode": 1, "endEpisode": 1}),
            ),
        ),
        (
            Method::PATCH,
            session_path.clone(),
            Some(json!({"notes": "hi"})),
        ),
        (Method::DELETE, session_path.clone(), None),
    ];
    for (method, endpoint, body) in endpoints {
        let as_outsider = app
            .send(
                method.clone(),
                &endpoint,
                Some(&outsider.token),
                body.clone(),
            )
            .await;
        assert_eq!(
            as_outsider.status(),
            StatusCode::NOT_FOUND,
            "{method} {endpoint}"
        );
        let anonymous = app.send(method.clone(), &endpoint, None, body).await;
        assert_eq!(
            anonymous.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {endpoint}"
        );
    }
    assert_eq!(
        app.anilist.request_count(),
        calls_before,
        "outsiders cost no AniList call"
    );
    let unchanged = ok_json(app.get(&path, Some(&mika.token)).await, StatusCode::OK).await;
    assert_eq!(unchanged, before, "outsiders changed nothing");
}

#[tokio::test]
async fn tracking_keeps_working_while_anilist_is_down() {
    let app = TestApp::spawn().await;
    let (mika, _ren, space) = app.shared_space("mika", "ren").await;
    let anime = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    app.anilist.set_fault(Some(Fault::ServerError));
    let calls_before = app.anilist.request_count();
    let path = anime_path(&space, &anime);

    ok_json(
        app.patch(
            &format!("{path}/participant-progress"),
            Some(&mika.token),
            json!({"version": 0, "episodesWatched": 2}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    ok_json(app.get(&path, Some(&mika.token)).await, StatusCode::OK).await;
    ok_json(
        app.get(
            &format!("/api/watch-spaces/{space}/anime"),
            Some(&mika.token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        app.anilist.request_count(),
        calls_before,
        "tracking costs no AniList call"
    );

    let unavailable = problem(
        app.post(
            &format!("/api/watch-spaces/{space}/anime"),
            Some(&mika.token),
            json!({"anilistMediaId": JUJUTSU_KAISEN}),
        )
        .await,
        StatusCode::SERVICE_UNAVAILABLE,
    )
    .await;
    assert!(unavailable["detail"].as_str().unwrap().contains("AniList"));
}

#[tokio::test]
async fn the_openapi_document_lists_the_tracking_endpoints() {
    let app = TestApp::spawn().await;
    let doc = ok_json(app.get("/api/openapi.json", None).await, StatusCode::OK).await;
    for path in [
        "/api/anilist/search",
        "/api/anilist/media/{anilistMediaId}",
        "/api/watch-spaces/{id}/anime",
        "/api/watch-spaces/{id}/anime/{animeId}",
        "/api/watch-spaces/{id}/anime/{animeId}/participant-progress",
        "/api/watch-spaces/{id}/anime/{animeId}/participant-rating",
        "/api/watch-spaces/{id}/anime/{animeId}/sessions",
        "/api/watch-spaces/{id}/anime/{animeId}/sessions/{sessionId}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}
