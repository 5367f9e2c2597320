//! Two instances on one database, as behind a load balancer: each with its own connection
//! pool and background workers. Everything that must hold across them lives in PostgreSQL:
//! sessions, tokens, data, rate limits and the sync outbox.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{problem, TestApp};
use crate::sessions::{browser, call, log_in, me_status, PASSWORD};

const BLOOM_INTO_YOU: i64 = 101_573;

#[tokio::test]
async fn a_cookie_session_and_a_token_from_one_instance_work_on_the_other_until_logout() {
    let first = TestApp::spawn().await;
    let second = first.spawn_beside(&[]).await;
    let ann = first.account("ann").await;

    // The bearer token first.
    assert_eq!(
        second.get("/api/me", Some(&ann.token)).await.status(),
        StatusCode::OK
    );
    // A browser signed in on the first; cookies ignore ports, so it shows the same cookie to
    // the second, as behind one address.
    let browser = browser();
    log_in(&browser, &first, &ann.email, PASSWORD).await;
    assert_eq!(me_status(&browser, &second).await, StatusCode::OK);

    // Logging out on the second ends the session on the first too.
    let logged_out = call(&browser, &second, "log_out", &[]).await;
    assert_eq!(logged_out.status(), StatusCode::OK);
    assert_eq!(me_status(&browser, &first).await, StatusCode::UNAUTHORIZED);
    // And a token logged out on the first is refused by the second.
    let out = first
        .post("/api/auth/logout", Some(&ann.token), json!({}))
        .await;
    assert!(out.status().is_success(), "{}", out.status());
    problem(
        second.get("/api/me", Some(&ann.token)).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn a_write_through_one_instance_is_in_the_others_next_list_and_dashboard() {
    let first = TestApp::spawn().await;
    let second = first.spawn_beside(&[]).await;
    let (mika, ren, space) = first.shared_space("mika", "ren").await;
    let dashboard = format!("/api/watch-spaces/{space}/dashboard");
    let before: Value = second
        .get(&dashboard, Some(&ren.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(before["stats"]["backlog"], 0, "{before}");

    first.add_anime(&mika, &space, BLOOM_INTO_YOU).await;

    let list: Value = second
        .get(
            &format!("/api/watch-spaces/{space}/anime"),
            Some(&ren.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["anilistMediaId"], BLOOM_INTO_YOU);
    let after: Value = second
        .get(&dashboard, Some(&ren.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        after["stats"]["backlog"], 1,
        "the second instance's dashboard is not stale: {after}"
    );
}

#[tokio::test]
async fn rate_limits_count_requests_to_both_instances_together() {
    let limit = [("BLOOMWATCH_REGISTRATIONS_PER_HOUR", "3")];
    let first = TestApp::spawn_with(&limit).await;
    let second = first.spawn_beside(&limit).await;
    let client = "203.0.113.77";

    for (instance, name) in [(&first, "one"), (&second, "two"), (&first, "three")] {
        let created = instance.attempt_registration_from(client, name).await;
        assert_eq!(created.status(), StatusCode::CREATED, "{name}");
    }
    for (instance, name) in [(&second, "four"), (&first, "five")] {
        problem(
            instance.attempt_registration_from(client, name).await,
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
}

#[tokio::test]
async fn a_change_reaches_anilist_once_though_both_instances_run_the_sync_workers() {
    let first = TestApp::spawn().await;
    let second = first.spawn_beside(&[]).await;
    let (mika, _ren, space) = first.shared_space("mika", "ren").await;
    first.link_anilist(&mika, "mika_anilist").await;
    let anime = first.add_anime(&mika, &space, BLOOM_INTO_YOU).await;
    let anime_id = anime["id"].as_str().unwrap();

    for episodes in 1..=3 {
        let progressed = second
            .patch(
                &format!("/api/watch-spaces/{space}/anime/{anime_id}/participant-progress"),
                Some(&mika.token),
                json!({"version": episodes - 1, "individualStatus": "watching", "episodesWatched": episodes}),
            )
            .await;
        assert_eq!(progressed.status(), StatusCode::OK);
        first.wait_for_sync(&mika, &space, anime_id, "synced").await;
    }

    let progress_sent: Vec<i64> = first
        .anilist
        .mutations()
        .into_iter()
        .map(|mutation| mutation.variables["progress"].as_i64().unwrap())
        .collect();
    assert_eq!(
        progress_sent,
        [1, 2, 3],
        "each change sent once, in order, by one of the two workers"
    );
}
