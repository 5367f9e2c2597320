//! Linking AniList and keeping it in step, over HTTP against the fake AniList: the browser's
//! way through the callback, the API clients' way, the token never leaving the server (in no
//! answer and in no table as itself), a session pushing every linked attendee's progress with
//! their own token, and nobody seeing or touching another member's link.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::harness::{problem, Account, TestApp};

const BLOOM_INTO_YOU: i64 = 101_573;

fn anime_sync_path(space: &str, anime: &Value) -> String {
    format!(
        "/api/watch-spaces/{space}/anime/{}/anilist-sync",
        anime["id"].as_str().unwrap()
    )
}

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

async fn progress(app: &TestApp, who: &Account, space: &str, anime: &Value, episodes: i64) {
    let path = format!(
        "/api/watch-spaces/{space}/anime/{}/participant-progress",
        anime["id"].as_str().unwrap()
    );
    let current = json_of(
        app.get(&path.replace("/participant-progress", ""), Some(&who.token))
            .await,
        StatusCode::OK,
    )
    .await;
    let version = current["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["userId"] == who.id.as_str())
        .map_or(0, |entry| entry["version"].as_i64().unwrap());
    let saved = app
        .patch(
            &path,
            Some(&who.token),
            json!({"version": version, "individualStatus": "watching", "episodesWatched": episodes}),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_browser_links_through_anilist_and_lands_on_its_settings_with_the_outcome() {
    let app = TestApp::spawn().await;
    let mika = app.account("mika").await;
    let before = json_of(
        app.get("/api/me/anilist", Some(&mika.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(before, json!({"clientConfigured": true, "link": null}));

    let landed = app.link_anilist(&mika, "mika_anilist").await;

    assert_eq!(landed, "/settings/linked-accounts?anilist=linked");
    let account = json_of(
        app.get("/api/me/anilist", Some(&mika.token)).await,
        StatusCode::OK,
    )
    .await;
    let link = &account["link"];
    assert_eq!(link["name"], "mika_anilist");
    assert_eq!(link["scoreFormat"], "POINT_10_DECIMAL");
    assert_eq!(
        link["switches"],
        json!({"pushProgress": true, "pushStatus": true, "pushScore": false})
    );
    assert!(link["tokenExpiresAtUtc"].is_string());
    assert_eq!(link["pendingChanges"], 0);

    // Coming back a second time with the same state is refused, in words for the page.
    let started = json_of(
        app.post("/api/me/anilist/link", Some(&mika.token), json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(started["authorizeUrl"].as_str().unwrap().contains("state="));
    let replay = app
        .get(
            "/api/me/anilist/callback?code=x&state=not-a-state",
            Some(&mika.token),
        )
        .await;
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        replay.headers()["location"],
        "/settings/linked-accounts?anilist=expired"
    );
    let declined = app
        .get(
            "/api/me/anilist/callback?error=access_denied&state=x",
            Some(&mika.token),
        )
        .await;
    assert_eq!(
        declined.headers()["location"],
        "/settings/linked-accounts?anilist=denied"
    );
    // Signed out: to the login page, which brings them back to start again.
    let signed_out = app
        .get("/api/me/anilist/callback?code=x&state=y", None)
        .await;
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
    assert!(signed_out.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login?next=/settings/linked-accounts"));
}

#[tokio::test]
async fn api_clients_finish_the_link_with_a_post_and_forged_states_are_problems() {
    let app = TestApp::spawn().await;
    let mika = app.account("mika").await;

    let forged = app
        .post(
            "/api/me/anilist/callback",
            Some(&mika.token),
            json!({"code": "abc", "state": "forged"}),
        )
        .await;
    let body = problem(forged, StatusCode::BAD_REQUEST).await;
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .contains("start linking again"));

    let started = json_of(
        app.post("/api/me/anilist/link", Some(&mika.token), json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    let approved = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(started["authorizeUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let back = reqwest::Url::parse(approved.headers()["location"].to_str().unwrap()).unwrap();
    let query: std::collections::HashMap<_, _> = back.query_pairs().into_owned().collect();
    let linked = app
        .post(
            "/api/me/anilist/callback",
            Some(&mika.token),
            json!({"code": query["code"], "state": query["state"]}),
        )
        .await;
    let account = json_of(linked, StatusCode::OK).await;
    assert!(account["link"]["anilistUserId"].as_i64().unwrap() > 0);

    let missing = app
        .post(
            "/api/me/anilist/callback",
            Some(&mika.token),
            json!({"code": "abc"}),
        )
        .await;
    problem(missing, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn the_token_reaches_anilist_but_no_answer_and_no_table_as_itself() {
    let app = TestApp::spawn().await;
    let (mika, _ren, space) = app.shared_space("mika", "ren").await;
    app.link_anilist(&mika, "mika_anilist").await;
    let anime = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;

    progress(&app, &mika, &space, &anime, 4).await;
    let synced = app
        .wait_for_sync(&mika, &space, anime["id"].as_str().unwrap(), "synced")
        .await;

    assert!(synced["sync"]["atUtc"].is_string());
    let mutations = app.anilist.mutations();
    assert_eq!(mutations.len(), 1);
    assert_eq!(mutations[0].user_name, "mika_anilist");
    assert_eq!(
        mutations[0].variables,
        json!({"mediaId": BLOOM_INTO_YOU, "status": "CURRENT", "progress": 4})
    );
    let token = mutations[0].token.clone();
    // No answer carries it…
    for path in ["/api/me/anilist", "/api/me/anilist/sync-log", "/api/me"] {
        let body = app.get(path, Some(&mika.token)).await.text().await.unwrap();
        assert!(!body.contains(&token), "{path} shows the token");
    }
    // …and no row of any table holds it as itself.
    let tables: Vec<String> = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables \
              WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index(0).unwrap())
        .collect();
    assert!(tables
        .iter()
        .any(|table| table == "identity.external_account_links"));
    for table in tables {
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                format!("SELECT count(*) FROM {table} t WHERE strpos(t::text, $1) > 0"),
                [token.clone().into()],
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.try_get_by_index::<i64>(0).unwrap(),
            0,
            "{table} holds the token"
        );
    }
    let history = json_of(
        app.get("/api/me/anilist/sync-log", Some(&mika.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(history["items"][0]["outcome"], "succeeded");
    assert_eq!(history["items"][0]["summary"], "progress 4 · Watching");
    assert_eq!(history["nextCursor"], Value::Null);
}

#[tokio::test]
async fn a_session_pushes_every_linked_attendee_with_their_own_token_and_nobody_else() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    let aoi = app.account("aoi").await;
    let invitation = app.invite(&mika, &space, &aoi.email).await;
    assert_eq!(
        app.accept(&invitation, Some(&aoi.token)).await.status(),
        StatusCode::OK
    );
    app.link_anilist(&mika, "mika_anilist").await;
    app.link_anilist(&ren, "ren_anilist").await;
    let anime = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    let anime_id = anime["id"].as_str().unwrap();

    let recorded = app
        .post(
            &format!("/api/watch-spaces/{space}/anime/{anime_id}/sessions"),
            Some(&aoi.token),
            json!({"sessionDateUtc": "2026-11-20T20:00:00Z", "startEpisode": 1, "endEpisode": 3}),
        )
        .await;
    assert_eq!(recorded.status(), StatusCode::CREATED);
    app.wait_for_sync(&mika, &space, anime_id, "synced").await;
    app.wait_for_sync(&ren, &space, anime_id, "synced").await;

    let mut sent: Vec<(String, i64)> = app
        .anilist
        .mutations()
        .into_iter()
        .map(|mutation| {
            (
                mutation.user_name,
                mutation.variables["progress"].as_i64().unwrap(),
            )
        })
        .collect();
    sent.sort();
    assert_eq!(
        sent,
        [
            ("mika_anilist".to_owned(), 3),
            ("ren_anilist".to_owned(), 3)
        ]
    );
    let aoi_sync = json_of(
        app.get(&anime_sync_path(&space, &anime), Some(&aoi.token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(aoi_sync["sync"]["state"], "notLinked");
}

#[tokio::test]
async fn each_member_sees_and_changes_only_their_own_link_and_history() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    let stranger = app.account("stranger").await;
    app.link_anilist(&mika, "mika_anilist").await;
    let anime = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    progress(&app, &mika, &space, &anime, 2).await;
    app.wait_for_sync(&mika, &space, anime["id"].as_str().unwrap(), "synced")
        .await;

    let rens = json_of(
        app.get("/api/me/anilist", Some(&ren.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rens["link"], Value::Null);
    let rens_log = json_of(
        app.get("/api/me/anilist/sync-log", Some(&ren.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rens_log, json!({"items": [], "nextCursor": null}));
    let rens_chip = json_of(
        app.get(&anime_sync_path(&space, &anime), Some(&ren.token))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rens_chip["sync"]["state"], "notLinked");
    // Ren can neither retry nor exclude for Mika, nor unlink her: those act on Ren's own.
    problem(
        app.post(
            &format!("{}/retry", anime_sync_path(&space, &anime)),
            Some(&ren.token),
            json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    problem(
        app.delete("/api/me/anilist/link", Some(&ren.token)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let mikas = json_of(
        app.get("/api/me/anilist", Some(&mika.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mikas["link"]["name"], "mika_anilist");
    // A stranger learns nothing of the space's anime.
    problem(
        app.get(&anime_sync_path(&space, &anime), Some(&stranger.token))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    problem(
        app.patch(
            &anime_sync_path(&space, &anime),
            Some(&stranger.token),
            json!({"excluded": true}),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // Signed out: nothing at all.
    for (method, path) in [
        (reqwest::Method::GET, "/api/me/anilist".to_owned()),
        (reqwest::Method::PATCH, "/api/me/anilist".to_owned()),
        (reqwest::Method::POST, "/api/me/anilist/link".to_owned()),
        (reqwest::Method::DELETE, "/api/me/anilist/link".to_owned()),
        (reqwest::Method::POST, "/api/me/anilist/callback".to_owned()),
        (reqwest::Method::GET, "/api/me/anilist/sync-log".to_owned()),
        (reqwest::Method::GET, anime_sync_path(&space, &anime)),
        (reqwest::Method::PATCH, anime_sync_path(&space, &anime)),
        (
            reqwest::Method::POST,
            format!("{}/retry", anime_sync_path(&space, &anime)),
        ),
    ] {
        let body = (method != reqwest::Method::GET && method != reqwest::Method::DELETE)
            .then(|| json!({}));
        let response = app.send(method.clone(), &path, None, body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn excluding_switching_and_unlinking_change_what_is_sent() {
    let app = TestApp::spawn().await;
    let (mika, _ren, space) = app.shared_space("mika", "ren").await;
    app.link_anilist(&mika, "mika_anilist").await;
    let anime = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;

    let excluded = json_of(
        app.patch(
            &anime_sync_path(&space, &anime),
            Some(&mika.token),
            json!({"excluded": true}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(excluded["sync"]["state"], "excluded");
    progress(&app, &mika, &space, &anime, 2).await;
    let switched = json_of(
        app.patch(
            "/api/me/anilist",
            Some(&mika.token),
            json!({"pushScore": true}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(switched["link"]["switches"]["pushScore"], true);
    problem(
        app.patch(
            "/api/me/anilist",
            Some(&mika.token),
            json!({"pushNotes": true}),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;

    assert_eq!(
        app.delete("/api/me/anilist/link", Some(&mika.token))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );

    let account = json_of(
        app.get("/api/me/anilist", Some(&mika.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(account["link"], Value::Null);
    assert!(app.anilist.mutations().is_empty());
}

#[tokio::test]
async fn local_writes_answer_at_once_while_anilist_is_down() {
    let app = TestApp::spawn().await;
    let (mika, _ren, space) = app.shared_space("mika", "ren").await;
    app.link_anilist(&mika, "mika_anilist").await;
    let anime = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    app.anilist.set_fault(Some(fake_anilist::Fault::Timeout));

    let started = std::time::Instant::now();
    progress(&app, &mika, &space, &anime, 5).await;

    assert!(
        started.elapsed() < std::time::Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    let chip = app
        .wait_for_sync(&mika, &space, anime["id"].as_str().unwrap(), "pending")
        .await;
    assert_eq!(chip["relinkInDays"], Value::Null);
}
