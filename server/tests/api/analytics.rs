//! `/api/watch-spaces/{id}/analytics/...`, over the real router.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{field_message, problem, Account, TestApp};

const BLOOM_INTO_YOU: i64 = 101_573;
const FRIEREN: i64 = 154_587;
const JUJUTSU_KAISEN: i64 = 113_415;

/// `who` changes their own entry of the space's `anime` (as returned when it was added)
/// through `endpoint` (`participant-rating`, `participant-progress`), from the version they
/// see now.
async fn patch_own_entry(
    app: &TestApp,
    who: &Account,
    space: &str,
    anime: &Value,
    endpoint: &str,
    mut body: Value,
) {
    let path = format!(
        "/api/watch-spaces/{space}/anime/{}",
        anime["id"].as_str().unwrap()
    );
    let current: Value = app.get(&path, Some(&who.token)).await.json().await.unwrap();
    body["version"] = current["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["userId"] == who.id.as_str())
        .unwrap()["version"]
        .clone();
    let response = app
        .patch(&format!("{path}/{endpoint}"), Some(&who.token), body)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// `who` rates the space's entry `anime`.
async fn rate(app: &TestApp, who: &Account, space: &str, anime: &Value, score: f64) {
    let body = json!({"ratingScore": score});
    patch_own_entry(app, who, space, anime, "participant-rating", body).await;
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

const YOUR_NAME: i64 = 21_519;
/// Airing: AniList knows neither its episode count nor its episode length.
const JUJUTSU_KAISEN_CULLING_GAME: i64 = 196_567;

/// `GET path` as `who`, expecting 200.
async fn ok(app: &TestApp, who: &Account, path: &str) -> Value {
    let response = app.get(path, Some(&who.token)).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.json().await.unwrap()
}

async fn shared_stats(app: &TestApp, who: &Account, space: &str) -> Value {
    ok(
        app,
        who,
        &format!("/api/watch-spaces/{space}/analytics/shared-stats"),
    )
    .await
}

async fn dashboard(app: &TestApp, who: &Account, space: &str) -> Value {
    ok(app, who, &format!("/api/watch-spaces/{space}/dashboard")).await
}

/// `POST .../random-pick?{filters}`, expecting 200.
async fn random_pick(app: &TestApp, who: &Account, space: &str, filters: &str) -> Value {
    let answer = draw(
        app,
        Some(&who.token),
        &format!("/api/watch-spaces/{space}/analytics/random-pick?{filters}"),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::OK);
    answer.json().await.unwrap()
}

/// `POST path` without a body, as drawing a random pick is.
async fn draw(app: &TestApp, token: Option<&str>, path: &str) -> reqwest::Response {
    app.send(reqwest::Method::POST, path, token, None).await
}

/// The title of the pick, or `None` when there is none.
fn picked_title(answer: &Value) -> Option<String> {
    answer["pick"]["preferredTitleEnglish"]
        .as_str()
        .or(answer["pick"]["preferredTitle"].as_str())
        .map(str::to_owned)
}

/// Everyone watched episodes `start` to `end` of `anime` together, just now.
async fn record(app: &TestApp, who: &Account, space: &str, anime: &Value, start: i32, end: i32) {
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let response = app
        .post(
            &format!(
                "/api/watch-spaces/{space}/anime/{}/sessions",
                anime["id"].as_str().unwrap()
            ),
            Some(&who.token),
            json!({"sessionDateUtc": now, "startEpisode": start, "endEpisode": end}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

/// `who` sets their own status for `anime`.
async fn set_own_status(app: &TestApp, who: &Account, space: &str, anime: &Value, status: &str) {
    let body = json!({"individualStatus": status});
    patch_own_entry(app, who, space, anime, "participant-progress", body).await;
}

/// `name` joins the space by `owner`'s invitation.
async fn join(app: &TestApp, owner: &Account, space: &str, name: &str) -> Account {
    let member = app.account(name).await;
    let invitation = app.invite(owner, space, &member.email).await;
    assert_eq!(
        app.accept(&invitation, Some(&member.token)).await.status(),
        StatusCode::OK
    );
    member
}

fn titles(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|anime| {
            anime["preferredTitleEnglish"]
                .as_str()
                .or(anime["preferredTitle"].as_str())
                .or(anime["title"].as_str())
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn an_empty_space_has_zero_stats_an_empty_dashboard_and_no_pick() {
    let app = TestApp::spawn().await;
    let (mika, _ren, space) = app.shared_space("mika", "ren").await;

    let stats = shared_stats(&app, &mika, &space).await;
    assert_eq!(stats["totalShows"], 0);
    assert_eq!(stats["episodesWatchedTogether"], 0);
    assert_eq!(stats["hoursTogether"], 0.0);
    assert_eq!(stats["currentWeeklyStreak"], 0);
    assert_eq!(stats["completionRate"], Value::Null);
    assert_eq!(stats["genreMix"], json!([]));
    let months = stats["sessionsPerMonth"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert!(months.iter().all(|month| month["sessions"] == 0));
    let this_month = time::OffsetDateTime::now_utc();
    assert_eq!(
        months[11]["month"],
        format!("{}-{:02}", this_month.year(), u8::from(this_month.month()))
    );

    let board = dashboard(&app, &mika, &space).await;
    assert_eq!(board["watchSpaceId"], space.as_str());
    assert_eq!(board["stats"], stats);
    assert_eq!(board["compatibility"]["score"], Value::Null);
    assert_eq!(board["compatibility"]["label"], Value::Null);
    assert_eq!(board["compatibility"]["ratedTogetherCount"], 0);
    for list in [
        "currentlyWatching",
        "backlogHighlights",
        "ratingGapHighlights",
        "mostAligned",
        "recentSessions",
    ] {
        assert_eq!(board[list], json!([]), "{list}");
    }

    let pick = random_pick(&app, &mika, &space, "").await;
    assert_eq!(pick["pick"], Value::Null);
    assert_eq!(pick["candidates"], 0);
    assert_eq!(
        pick["message"],
        "Your backlog is empty. Add a show to it, then ask for a pick again."
    );
}

#[tokio::test]
async fn two_members_stats_count_overlapping_sessions_once_and_hours_by_episode_length() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    let bloom = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    let your_name = app.add_anime(&ren, &space, YOUR_NAME).await;
    let culling_game = app
        .add_anime(&mika, &space, JUJUTSU_KAISEN_CULLING_GAME)
        .await;
    app.add_anime(&ren, &space, FRIEREN).await;
    record(&app, &mika, &space, &bloom, 1, 4).await;
    record(&app, &ren, &space, &bloom, 3, 6).await;
    record(&app, &mika, &space, &your_name, 1, 1).await;
    record(&app, &mika, &space, &culling_game, 1, 2).await;
    for (anime, mika_score, ren_score) in [
        (&bloom, 10.0, 9.0),
        (&your_name, 9.0, 8.0),
        (&culling_game, 7.0, 6.0),
    ] {
        rate(&app, &mika, &space, anime, mika_score).await;
        rate(&app, &ren, &space, anime, ren_score).await;
    }

    let stats = shared_stats(&app, &ren, &space).await;
    assert_eq!(
        (
            &stats["totalShows"],
            &stats["currentlyWatching"],
            &stats["backlog"],
            &stats["finished"],
            &stats["paused"],
            &stats["dropped"],
        ),
        (
            &json!(4),
            &json!(2),
            &json!(1),
            &json!(1),
            &json!(0),
            &json!(0)
        )
    );
    assert_eq!(
        stats["episodesWatchedTogether"], 9,
        "episodes 3 and 4 of Bloom Into You count once"
    );
    assert_eq!(stats["hoursTogether"], 4.2, "(6 × 24 + 107) minutes");
    assert_eq!(stats["episodesWithoutDuration"], 2);
    assert_eq!(stats["totalSessions"], 4);
    assert_eq!(stats["sessionsPerMonth"][11]["sessions"], 4);
    assert_eq!(stats["sessionsPerMonth"][11]["episodes"], 9);
    assert_eq!(stats["currentWeeklyStreak"], 1);
    assert_eq!(stats["completionRate"], 0.33);
    let genres: Vec<(String, i64, f64)> = stats["genreMix"]
        .as_array()
        .unwrap()
        .iter()
        .map(|share| {
            (
                share["genre"].as_str().unwrap().to_owned(),
                share["shows"].as_i64().unwrap(),
                share["share"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(genres[0], ("Drama".to_owned(), 4, 1.0));
    assert_eq!(genres[1], ("Romance".to_owned(), 2, 0.5));
    assert_eq!(genres[2], ("Supernatural".to_owned(), 2, 0.5));
    assert_eq!(genres.len(), 7);
    assert_eq!(stats["showsWithoutGenres"], 0);

    let board = dashboard(&app, &mika, &space).await;
    assert_eq!(board["stats"]["totalShows"], 4);
    assert_eq!(board["stats"]["currentlyWatching"], 2);
    assert_eq!(board["stats"]["finished"], 1);
    assert_eq!(board["stats"]["episodesWatchedTogether"], 9);
    assert_eq!(board["compatibility"]["score"], 90);
    assert_eq!(board["compatibility"]["averageGap"], 1.0);
    assert_eq!(board["compatibility"]["ratedTogetherCount"], 3);
    assert_eq!(
        board["compatibility"]["label"],
        "Very synced, with a little spice"
    );
    let mut watching = titles(&board["currentlyWatching"]);
    watching.sort();
    assert_eq!(
        watching,
        [
            "Bloom Into You",
            "JUJUTSU KAISEN Season 3: The Culling Game Part 2"
        ]
    );
    assert_eq!(
        titles(&board["backlogHighlights"]),
        ["Frieren: Beyond Journey's End"]
    );
    assert_eq!(board["ratingGapHighlights"].as_array().unwrap().len(), 3);
    assert_eq!(board["ratingGapHighlights"][0]["gap"], 1.0);
    assert_eq!(board["mostAligned"].as_array().unwrap().len(), 3);
    let recent = board["recentSessions"].as_array().unwrap();
    assert_eq!(recent.len(), 4);
    let culling = &recent[0];
    assert_eq!(
        culling["title"],
        "JUJUTSU KAISEN Season 3: The Culling Game Part 2"
    );
    assert_eq!(culling["watchSpaceAnimeId"], culling_game["id"]);
    assert_eq!(culling["session"]["startEpisode"], 1);
    assert_eq!(culling["session"]["attendees"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn four_members_get_every_pair_and_a_drop_counts_only_while_its_member_stays() {
    let app = TestApp::spawn().await;
    let (ada, bea, space) = app.shared_space("ada", "bea").await;
    let cai = join(&app, &ada, &space, "cai").await;
    let dev = join(&app, &ada, &space, "dev").await;
    let bloom = app.add_anime(&ada, &space, BLOOM_INTO_YOU).await;
    let frieren = app.add_anime(&bea, &space, FRIEREN).await;
    app.add_anime(&cai, &space, JUJUTSU_KAISEN).await;
    for (anime, scores) in [(&bloom, [9.0, 8.0, 4.0]), (&frieren, [10.0, 9.5, 6.0])] {
        for (who, score) in [&ada, &bea, &cai].into_iter().zip(scores) {
            rate(&app, who, &space, anime, score).await;
        }
    }
    record(&app, &dev, &space, &bloom, 1, 2).await;

    let board = dashboard(&app, &dev, &space).await;
    assert_eq!(board["compatibility"]["pairs"].as_array().unwrap().len(), 6);
    assert_eq!(board["compatibility"]["ratedTogetherCount"], 2);
    assert_eq!(board["stats"]["totalShows"], 3);
    assert_eq!(board["stats"]["episodesWatchedTogether"], 2);
    assert_eq!(titles(&board["currentlyWatching"]), ["Bloom Into You"]);
    assert_eq!(
        titles(&board["backlogHighlights"]),
        ["JUJUTSU KAISEN", "Frieren: Beyond Journey's End"],
        "most recently added first"
    );
    assert_eq!(
        titles(&board["ratingGapHighlights"]),
        ["Bloom Into You", "Frieren: Beyond Journey's End"]
    );
    assert_eq!(board["ratingGapHighlights"][0]["gap"], 5.0);
    assert_eq!(
        board["recentSessions"][0]["session"]["attendees"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(shared_stats(&app, &ada, &space).await, board["stats"]);

    set_own_status(&app, &cai, &space, &frieren, "dropped").await;
    for _ in 0..3 {
        let pick = random_pick(&app, &bea, &space, "").await;
        assert_eq!(picked_title(&pick).as_deref(), Some("JUJUTSU KAISEN"));
        assert_eq!(pick["candidates"], 1);
    }
    let left = app
        .post(
            &format!("/api/watch-spaces/{space}/leave"),
            Some(&cai.token),
            json!({}),
        )
        .await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let pick = random_pick(&app, &bea, &space, "").await;
    assert_eq!(
        pick["candidates"], 2,
        "a former member's drop no longer counts"
    );
    assert_eq!(
        picked_title(&pick).as_deref(),
        Some("Frieren: Beyond Journey's End"),
        "not the previous pick"
    );
}

#[tokio::test]
async fn the_random_pick_never_offers_a_dropped_show_nor_the_same_show_twice_in_a_row() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    let bloom = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    let frieren = app.add_anime(&mika, &space, FRIEREN).await;
    let jujutsu = app.add_anime(&ren, &space, JUJUTSU_KAISEN).await;
    let your_name = app.add_anime(&ren, &space, YOUR_NAME).await;
    set_own_status(&app, &ren, &space, &your_name, "dropped").await;

    let mut previous: Option<String> = None;
    for round in 0..12 {
        let who = if round % 2 == 0 { &mika } else { &ren };
        let answer = random_pick(&app, who, &space, "").await;
        let title = picked_title(&answer).unwrap();
        assert_ne!(title, "Your Name.", "ren dropped it");
        assert_ne!(Some(&title), previous.as_ref(), "round {round}");
        assert_eq!(answer["candidates"], 3);
        assert_eq!(answer["message"], Value::Null);
        previous = Some(title);
    }

    set_own_status(&app, &mika, &space, &frieren, "dropped").await;
    set_own_status(&app, &mika, &space, &jujutsu, "dropped").await;
    let first = random_pick(&app, &mika, &space, "").await;
    let again = random_pick(&app, &ren, &space, "").await;
    assert_eq!(picked_title(&first).as_deref(), Some("Bloom Into You"));
    assert_eq!(picked_title(&again).as_deref(), Some("Bloom Into You"));
    assert_eq!(
        again["message"],
        "“Bloom Into You” is the only show that matches, so it is picked again."
    );
    assert_eq!(again["remainingMinutes"], 13 * 24);
    assert_eq!(
        again["genres"],
        json!(["Drama", "Romance", "Slice of Life"])
    );

    set_own_status(&app, &ren, &space, &bloom, "dropped").await;
    let none = random_pick(&app, &mika, &space, "").await;
    assert_eq!(none["pick"], Value::Null);
    assert_eq!(
        none["message"],
        "Everything left in the backlog was dropped by someone in the space."
    );
}

#[tokio::test]
async fn random_pick_filters_narrow_the_backlog_and_say_when_nothing_matches() {
    let app = TestApp::spawn().await;
    let (mika, ren, space) = app.shared_space("mika", "ren").await;
    let bloom = app.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    app.add_anime(&mika, &space, YOUR_NAME).await;
    app.add_anime(&ren, &space, FRIEREN).await;
    let moody = app
        .patch(
            &format!(
                "/api/watch-spaces/{space}/anime/{}",
                bloom["id"].as_str().unwrap()
            ),
            Some(&mika.token),
            json!({"version": bloom["version"], "mood": "Cozy evenings"}),
        )
        .await;
    assert_eq!(moody.status(), StatusCode::OK);

    let romance = random_pick(&app, &ren, &space, "genre=romance").await;
    assert_eq!(romance["candidates"], 2);
    assert!(romance["genres"]
        .as_array()
        .unwrap()
        .contains(&json!("Romance")));

    let tonight = random_pick(&app, &ren, &space, "maxMinutes=120").await;
    assert_eq!(picked_title(&tonight).as_deref(), Some("Your Name."));
    assert_eq!(tonight["remainingMinutes"], 107);

    let cozy = random_pick(&app, &ren, &space, "mood=%20COZY%20").await;
    assert_eq!(picked_title(&cozy).as_deref(), Some("Bloom Into You"));

    let short = random_pick(&app, &ren, &space, "maxEpisodes=13").await;
    assert_eq!(short["candidates"], 2);

    let nothing = random_pick(&app, &ren, &space, "genre=Fantasy&maxEpisodes=20").await;
    assert_eq!(nothing["pick"], Value::Null);
    assert_eq!(nothing["candidates"], 0);
    assert_eq!(
        nothing["message"],
        "No backlog show matches genre “Fantasy”, at most 20 episodes left. Try loosening the filters."
    );
}

#[tokio::test]
async fn invalid_filters_are_a_problem_naming_the_field() {
    let app = TestApp::spawn().await;
    let (mika, _ren, space) = app.shared_space("mika", "ren").await;
    let outsider = app.account("outsider").await;
    let path = |filters: &str| format!("/api/watch-spaces/{space}/analytics/random-pick?{filters}");

    let zero = problem(
        draw(
            &app,
            Some(&mika.token),
            &path("maxEpisodes=0&maxMinutes=10001"),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(
        field_message(&zero, "maxEpisodes").as_deref(),
        Some("Choose from 1 to 10000 episodes.")
    );
    assert_eq!(
        field_message(&zero, "maxMinutes").as_deref(),
        Some("Choose from 1 to 10000 minutes.")
    );

    let texts = problem(
        draw(
            &app,
            Some(&mika.token),
            &path(&format!("genre=%20%20&mood={}", "m".repeat(81))),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(
        field_message(&texts, "genre").as_deref(),
        Some("Type a genre, or leave this filter out.")
    );
    assert_eq!(
        field_message(&texts, "mood").as_deref(),
        Some("A mood is at most 80 characters.")
    );

    let not_a_number = problem(
        draw(&app, Some(&mika.token), &path("maxMinutes=tonight")).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(
        not_a_number["detail"]
            .as_str()
            .unwrap()
            .contains("maxMinutes"),
        "{not_a_number}"
    );

    problem(
        draw(&app, Some(&outsider.token), &path("maxEpisodes=0")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn the_new_endpoints_need_a_token_and_membership() {
    let app = TestApp::spawn().await;
    let (mika, _ren, space) = app.shared_space("mika", "ren").await;
    let outsider = app.account("outsider").await;
    let unknown = uuid::Uuid::new_v4().to_string();
    for (method, endpoint) in [
        (reqwest::Method::GET, "dashboard"),
        (reqwest::Method::GET, "analytics/shared-stats"),
        (reqwest::Method::POST, "analytics/random-pick"),
    ] {
        let path = |space: &str| format!("/api/watch-spaces/{space}/{endpoint}");
        problem(
            app.send(method.clone(), &path(&space), None, None).await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
        problem(
            app.send(method.clone(), &path(&space), Some(&outsider.token), None)
                .await,
            StatusCode::NOT_FOUND,
        )
        .await;
        problem(
            app.send(method.clone(), &path(&unknown), Some(&mika.token), None)
                .await,
            StatusCode::NOT_FOUND,
        )
        .await;
        problem(
            app.send(method, &path("not-a-space"), Some(&mika.token), None)
                .await,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    // Drawing changes what the next draw avoids: a GET draws nothing.
    let read = app
        .get(
            &format!("/api/watch-spaces/{space}/analytics/random-pick"),
            Some(&mika.token),
        )
        .await;
    assert_eq!(read.status(), StatusCode::METHOD_NOT_ALLOWED);

    let doc = ok(&app, &mika, "/api/openapi.json").await;
    for (path, method) in [
        ("/api/watch-spaces/{id}/dashboard", "get"),
        ("/api/watch-spaces/{id}/analytics/shared-stats", "get"),
        ("/api/watch-spaces/{id}/analytics/random-pick", "post"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    let parameters: Vec<&str> = doc["paths"]["/api/watch-spaces/{id}/analytics/random-pick"]
        ["post"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|parameter| parameter["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        parameters,
        ["id", "genre", "maxEpisodes", "maxMinutes", "mood"]
    );
}
