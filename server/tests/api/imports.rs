//! Importing lists over HTTP (`/api/watch-spaces/{id}/imports...`) against the fake AniList:
//! an AniList list by user name as JSON and a MyAnimeList file as a multipart upload, each
//! previewed, started (202 with the job) and followed until the server's worker is done; and
//! the problems: unknown and private users, bad user names, strangers, unknown imports,
//! files too large, broken or unexpected uploads, unreadable files.

use fake_anilist::{FakeListEntry, FakeUser};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{field_message, problem, Account, TestApp};

const BLOOM_INTO_YOU: i64 = 101_573;
const FRIEREN: i64 = 154_587;
const ONE_PIECE: i64 = 21;

const BOUNDARY: &str = "bloomwatch-test-boundary";

fn imports(space: &str) -> String {
    format!("/api/watch-spaces/{space}/imports")
}

fn preview(space: &str) -> String {
    format!("/api/watch-spaces/{space}/imports/preview")
}

/// A `multipart/form-data` body of these (name, content) parts.
fn multipart(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, content) in parts {
        let filename = if *name == "file" {
            "; filename=\"animelist.xml\""
        } else {
            ""
        };
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"{filename}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, path: &str, who: &Account, body: Vec<u8>) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(&who.token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

/// A MyAnimeList export: Bloom Into You and Frieren (AniList knows both) and an id it does
/// not know.
const MAL_FILE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<myanimelist>\
    <myinfo><user_name>ren</user_name><user_export_type>1</user_export_type></myinfo>\
    <anime><series_animedb_id>37786</series_animedb_id><series_title><![CDATA[Bloom Into You]]></series_title>\
      <my_watched_episodes>13</my_watched_episodes><my_score>9</my_score><my_status>Completed</my_status></anime>\
    <anime><series_animedb_id>52991</series_animedb_id><series_title><![CDATA[Frieren]]></series_title>\
      <my_watched_episodes>4</my_watched_episodes><my_score>0</my_score><my_status>Watching</my_status></anime>\
    <anime><series_animedb_id>999999</series_animedb_id><series_title><![CDATA[Only on MAL]]></series_title>\
      <my_status>Plan to Watch</my_status></anime>\
    </myanimelist>";

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

/// Follows the job until the server's worker has finished it (10 s at most).
async fn finished(app: &TestApp, who: &Account, space: &str, job: &Value) -> Value {
    let path = format!("{}/{}", imports(space), job["id"].as_str().unwrap());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let job = json_of(app.get(&path, Some(&who.token)).await, StatusCode::OK).await;
        if !["queued", "fetching", "applying"].contains(&job["state"].as_str().unwrap()) {
            return job;
        }
        assert!(std::time::Instant::now() < deadline, "still {job}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn mikas_list() -> FakeUser {
    let entry = |media_id, status: &str, progress, score| FakeListEntry {
        media_id,
        status: status.to_owned(),
        progress,
        score,
        notes: Some("loved it".to_owned()),
        ..FakeListEntry::default()
    };
    FakeUser {
        name: "MikaList".to_owned(),
        entries: vec![
            entry(BLOOM_INTO_YOU, "COMPLETED", 13, 95),
            entry(FRIEREN, "CURRENT", 7, 0),
            entry(ONE_PIECE, "PLANNING", 0, 0),
        ],
        ..FakeUser::default()
    }
}

#[tokio::test]
async fn an_anilist_list_is_previewed_imported_and_followed_to_the_end() {
    let app = TestApp::spawn().await;
    let mika = app.account("mika").await;
    let space = app.create_space(&mika, "Couch").await;
    app.anilist.insert_user(mikas_list()).unwrap();

    let previewed = json_of(
        app.post(
            &preview(&space),
            Some(&mika.token),
            json!({"source": "anilist", "userName": "MikaList"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(previewed["sourceLabel"], "AniList: MikaList");
    assert_eq!(previewed["total"], 3);
    assert_eq!(
        previewed["byStatus"],
        json!([
            {"status": "CURRENT", "count": 1},
            {"status": "PLANNING", "count": 1},
            {"status": "COMPLETED", "count": 1},
        ])
    );
    assert_eq!(
        (&previewed["newToSpace"], &previewed["alreadyInSpace"]),
        (&json!(3), &json!(0))
    );
    let listed = json_of(
        app.get(
            &format!("/api/watch-spaces/{space}/anime"),
            Some(&mika.token),
        )
        .await,
        StatusCode::OK,
    )
    .await["items"]
        .take();
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "a preview writes nothing"
    );

    let started = json_of(
        app.post(
            &imports(&space),
            Some(&mika.token),
            json!({"source": "anilist", "userName": "MikaList", "options": {"notes": true}}),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(started["watchSpaceId"], space.as_str());
    assert_eq!(started["sourceLabel"], "AniList: MikaList");
    assert!(started["id"].is_string());
    let done = finished(&app, &mika, &space, &started).await;

    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(
        (
            &done["total"],
            &done["processed"],
            &done["added"],
            &done["changed"]
        ),
        (&json!(3), &json!(3), &json!(3), &json!(3))
    );
    assert!(done["finishedAtUtc"].is_string());
    let listed = json_of(
        app.get(
            &format!("/api/watch-spaces/{space}/anime"),
            Some(&mika.token),
        )
        .await,
        StatusCode::OK,
    )
    .await["items"]
        .take();
    let bloom = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|anime| anime["anilistMediaId"] == BLOOM_INTO_YOU)
        .unwrap();
    let own = &bloom["participants"][0];
    assert_eq!(
        (
            &own["individualStatus"],
            &own["episodesWatched"],
            &own["ratingScore"],
            &own["ratingNotes"]
        ),
        (
            &json!("finished"),
            &json!(13),
            &json!(9.5),
            &json!("loved it")
        )
    );
}

#[tokio::test]
async fn a_mal_file_is_previewed_and_imported_from_a_multipart_upload() {
    let app = TestApp::spawn().await;
    let ren = app.account("ren").await;
    let space = app.create_space(&ren, "Couch").await;

    let previewed = json_of(
        upload(
            &app,
            &preview(&space),
            &ren,
            multipart(&[("file", MAL_FILE.as_bytes())]),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(previewed["sourceLabel"], "MyAnimeList: ren");
    assert_eq!(previewed["total"], 2);
    assert_eq!(
        previewed["unmatched"],
        json!([{"malId": 999_999, "title": "Only on MAL"}])
    );

    let started = json_of(
        upload(
            &app,
            &imports(&space),
            &ren,
            multipart(&[
                ("options", br#"{"statuses": ["COMPLETED", "PLANNING"]}"#),
                ("file", MAL_FILE.as_bytes()),
            ]),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(started["state"], "queued");
    let done = finished(&app, &ren, &space, &started).await;

    assert_eq!(done["state"], "done", "{done}");
    assert_eq!((&done["total"], &done["added"]), (&json!(1), &json!(1)));
    assert_eq!(
        done["unmatched"],
        json!([{"malId": 999_999, "title": "Only on MAL"}])
    );
    let listed = json_of(
        app.get(
            &format!("/api/watch-spaces/{space}/anime"),
            Some(&ren.token),
        )
        .await,
        StatusCode::OK,
    )
    .await["items"]
        .take();
    let media: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|anime| &anime["anilistMediaId"])
        .collect();
    assert_eq!(media, [&json!(BLOOM_INTO_YOU)], "only the chosen statuses");
}

#[tokio::test]
async fn unknown_and_private_users_and_bad_names_are_problems() {
    let app = TestApp::spawn().await;
    let mika = app.account("mika").await;
    let space = app.create_space(&mika, "Couch").await;
    app.anilist
        .insert_user(FakeUser {
            private: true,
            ..mikas_list()
        })
        .unwrap();

    for name in ["Nobody", "MikaList"] {
        let body = problem(
            app.post(
                &preview(&space),
                Some(&mika.token),
                json!({"source": "anilist", "userName": name}),
            )
            .await,
            StatusCode::NOT_FOUND,
        )
        .await;
        assert_eq!(
            body["detail"],
            format!(
                "AniList has no public anime list for \"{name}\". Check the spelling, or ask \
                 them to make their list public (or link your own AniList to import yours)."
            )
        );
    }
    for path in [preview(&space), imports(&space)] {
        let body = problem(
            app.post(
                &path,
                Some(&mika.token),
                json!({"source": "anilist", "userName": "no spaces allowed"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(
            field_message(&body, "userName").as_deref(),
            Some("An AniList user name is 2 to 20 letters, digits or underscores.")
        );
    }
    let body = problem(
        app.post(
            &preview(&space),
            Some(&mika.token),
            json!({"source": "anilist"}),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(body["detail"], "You have not linked an AniList account.");
    problem(
        app.post(
            &imports(&space),
            Some(&mika.token),
            json!({"source": "anilist", "userName": "MikaList", "options": {"typo": true}}),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

#[tokio::test]
async fn strangers_unknown_imports_and_anonymous_callers_get_problems() {
    let app = TestApp::spawn().await;
    let mika = app.account("mika").await;
    let eve = app.account("eve").await;
    let space = app.create_space(&mika, "Couch").await;
    app.anilist.insert_user(mikas_list()).unwrap();
    let body = json!({"source": "anilist", "userName": "MikaList"});
    let started = json_of(
        app.post(&imports(&space), Some(&mika.token), body.clone())
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let job = format!("{}/{}", imports(&space), started["id"].as_str().unwrap());

    for path in [preview(&space), imports(&space)] {
        let refused = problem(
            app.post(&path, Some(&eve.token), body.clone()).await,
            StatusCode::NOT_FOUND,
        )
        .await;
        assert_eq!(refused["detail"], "We could not find that space.");
        problem(
            app.post(&path, None, body.clone()).await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    let someone_elses = problem(app.get(&job, Some(&eve.token)).await, StatusCode::NOT_FOUND).await;
    assert_eq!(someone_elses["detail"], "We could not find that import.");
    let unknown = format!("{}/{}", imports(&space), uuid_like());
    problem(
        app.get(&unknown, Some(&mika.token)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    problem(
        app.get(
            &format!("{}/not-a-uuid", imports(&space)),
            Some(&mika.token),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    problem(app.get(&job, None).await, StatusCode::UNAUTHORIZED).await;
}

fn uuid_like() -> &'static str {
    "7d3c1a52-9b1e-4c2f-8a55-0e6f1f6a2b10"
}

#[tokio::test]
async fn uploads_too_large_broken_unexpected_or_unreadable_are_problems_and_write_nothing() {
    let app = TestApp::spawn().await;
    let ren = app.account("ren").await;
    let space = app.create_space(&ren, "Couch").await;

    let mut huge = MAL_FILE.as_bytes().to_vec();
    huge.resize(11 * 1024 * 1024, b' ');
    let too_large = problem(
        upload(&app, &preview(&space), &ren, multipart(&[("file", &huge)])).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert!(
        too_large["detail"].as_str().unwrap().contains("10 MB"),
        "{too_large}"
    );

    let broken = multipart(&[("file", MAL_FILE.as_bytes())]);
    let cut = broken[..broken.len() / 2].to_vec();
    for (case, body, detail) in [
        ("cut off", cut, "The upload is broken"),
        (
            "unexpected part",
            multipart(&[("picture", b"...")]),
            "Unexpected part \"picture\"",
        ),
        (
            "bad options",
            multipart(&[
                ("options", b"{\"overwrite\": 3}"),
                ("file", MAL_FILE.as_bytes()),
            ]),
            "The `options` part is not valid import options",
        ),
        (
            "no file",
            multipart(&[("options", b"{}")]),
            "Choose your MyAnimeList export file",
        ),
        (
            "wrong root",
            multipart(&[("file", b"<?xml version=\"1.0\"?><html></html>")]),
            "instead of <myanimelist>",
        ),
        (
            "entity expansion",
            multipart(&[(
                "file",
                b"<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY a \"aaaa\">]><myanimelist/>",
            )]),
            "declares a document type",
        ),
    ] {
        for path in [preview(&space), imports(&space)] {
            let refused = problem(
                upload(&app, &path, &ren, body.clone()).await,
                StatusCode::BAD_REQUEST,
            )
            .await;
            assert!(
                refused["detail"].as_str().unwrap().contains(detail),
                "{case}: {refused}"
            );
        }
    }
    let listed = json_of(
        app.get(
            &format!("/api/watch-spaces/{space}/anime"),
            Some(&ren.token),
        )
        .await,
        StatusCode::OK,
    )
    .await["items"]
        .take();
    assert_eq!(listed, json!([]));
    assert_eq!(app.anilist.request_count(), 0);
}

/// `who`'s own entry of every anime in the space, by AniList id: (status, episodes, rating,
/// notes).
async fn own_entries(app: &TestApp, who: &Account, space: &str) -> Vec<(i64, Value)> {
    let listed = json_of(
        app.get(
            &format!("/api/watch-spaces/{space}/anime"),
            Some(&who.token),
        )
        .await,
        StatusCode::OK,
    )
    .await["items"]
        .take();
    let mut entries: Vec<(i64, Value)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|anime| {
            let entry = anime["participants"]
                .as_array()
                .unwrap()
                .iter()
                .find(|entry| entry["userId"] == who.id.as_str())
                .unwrap();
            (
                anime["anilistMediaId"].as_i64().unwrap(),
                json!([
                    entry["individualStatus"],
                    entry["episodesWatched"],
                    entry["ratingScore"],
                    entry["ratingNotes"]
                ]),
            )
        })
        .collect();
    entries.sort_by_key(|(media, _)| *media);
    entries
}

#[tokio::test]
async fn a_members_mal_export_imported_into_a_fresh_space_gives_the_same_entries() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    for (media, status, episodes, rating) in [
        (BLOOM_INTO_YOU, "finished", 13, Some(9.0)),
        (FRIEREN, "watching", 4, None),
        (ONE_PIECE, "paused", 120, Some(7.0)),
    ] {
        let anime = app.add_anime(&mika, &space, media).await;
        let path = format!(
            "/api/watch-spaces/{space}/anime/{}",
            anime["id"].as_str().unwrap()
        );
        let progressed = app
            .patch(
                &format!("{path}/participant-progress"),
                Some(&ren.token),
                json!({"version": 0, "individualStatus": status, "episodesWatched": episodes}),
            )
            .await;
        let progressed = json_of(progressed, StatusCode::OK).await;
        let version = progressed["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|entry| entry["userId"] == ren.id.as_str())
            .unwrap()["version"]
            .clone();
        if let Some(rating) = rating {
            let rated = app
                .patch(
                    &format!("{path}/participant-rating"),
                    Some(&ren.token),
                    json!({"version": version, "ratingScore": rating, "ratingNotes": "Touko & <Yuu>"}),
                )
                .await;
            assert_eq!(rated.status(), StatusCode::OK);
        }
        // Mika's own entries are hers: they stay out of Ren's export.
        let hers = app
            .patch(
                &format!("{path}/participant-progress"),
                Some(&mika.token),
                json!({"version": 0, "individualStatus": "dropped", "episodesWatched": 1}),
            )
            .await;
        assert_eq!(hers.status(), StatusCode::OK);
    }

    let exported = app
        .get(
            &format!("/api/watch-spaces/{space}/export/mal.xml"),
            Some(&ren.token),
        )
        .await;
    assert_eq!(exported.status(), StatusCode::OK);
    assert_eq!(
        exported.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
    let xml = exported.text().await.unwrap();
    assert_eq!(xml.matches("<anime>").count(), 3, "{xml}");
    assert!(xml.contains("<user_name>ren</user_name>"), "{xml}");
    assert!(
        !xml.contains("<my_status>Dropped</my_status>"),
        "Mika's entries: {xml}"
    );

    let fresh = app.create_space(&ren, "Ren alone").await;
    let started = json_of(
        upload(
            &app,
            &imports(&fresh),
            &ren,
            multipart(&[
                ("options", br#"{"scores": true, "notes": true}"#),
                ("file", xml.as_bytes()),
            ]),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let done = finished(&app, &ren, &fresh, &started).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["unmatched"], json!([]));
    assert_eq!(
        own_entries(&app, &ren, &fresh).await,
        own_entries(&app, &ren, &space).await
    );
}
