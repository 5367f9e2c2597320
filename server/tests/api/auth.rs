//! Accounts, tokens and the profile: `/api/auth/*` and `/api/me`.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::harness::{field_message, problem, TestApp};

#[tokio::test]
async fn registering_returns_the_user_with_a_normalised_email() {
    let app = TestApp::spawn().await;
    let response = app
        .post("/api/auth/register", None, json!({"email": "  Mika@Example.ORG ", "displayName": " Mika ", "password": "0123456789"}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["email"], "mika@example.org");
    assert_eq!(user["displayName"], "Mika");
    assert!(user["id"].as_str().unwrap().len() == 36);
    assert!(user["createdAtUtc"].as_str().unwrap().ends_with('Z'));
    assert!(user.get("passwordHash").is_none());
}

#[tokio::test]
async fn registering_with_bad_fields_names_each_field() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/auth/register",
            None,
            json!({"email": "nope", "displayName": "  ", "password": "short"}),
        )
        .await;
    let body = problem(response, StatusCode::BAD_REQUEST).await;
    assert!(field_message(&body, "email")
        .unwrap()
        .contains("email address"));
    assert!(field_message(&body, "displayName")
        .unwrap()
        .contains("display name"));
    assert!(field_message(&body, "password")
        .unwrap()
        .contains("at least 10"));
}

#[tokio::test]
async fn registering_an_email_twice_is_a_conflict_whatever_its_case() {
    let app = TestApp::spawn().await;
    app.account("ann").await;
    let response = app
        .post(
            "/api/auth/register",
            None,
            json!({"email": "ANN@example.org", "displayName": "Ann 2", "password": "0123456789"}),
        )
        .await;
    let body = problem(response, StatusCode::CONFLICT).await;
    assert!(field_message(&body, "email").is_some());
}

#[tokio::test]
async fn stored_passwords_are_argon2id_with_owasp_parameters() {
    let app = TestApp::spawn().await;
    app.account("ann").await;
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT password_hash FROM identity.users",
        ))
        .await
        .unwrap()
        .unwrap();
    let hash: String = row.try_get("", "password_hash").unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
}

#[tokio::test]
async fn wrong_passwords_and_unknown_emails_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.account("ann").await;
    let wrong = app
        .attempt_login("ann@example.org", "not the password")
        .await;
    let wrong = problem(wrong, StatusCode::UNAUTHORIZED).await;
    let unknown = app
        .attempt_login("nobody@example.org", "not the password")
        .await;
    let unknown = problem(unknown, StatusCode::UNAUTHORIZED).await;
    assert_eq!(wrong, unknown);
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_retry_after() {
    let app = TestApp::spawn().await;
    app.account("ann").await;
    for _ in 0..5 {
        let response = app
            .attempt_login("ann@example.org", "guess guess guess")
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let throttled = app
        .attempt_login("ann@example.org", "correct horse battery")
        .await;
    let retry_after: u64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after));
    problem(throttled, StatusCode::TOO_MANY_REQUESTS).await;
}

#[tokio::test]
async fn a_token_identifies_its_user_until_logout() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let me: Value = app
        .get("/api/me", Some(&ann.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], ann.email);
    let logout = app
        .send(
            reqwest::Method::POST,
            "/api/auth/logout",
            Some(&ann.token),
            None,
        )
        .await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    problem(
        app.get("/api/me", Some(&ann.token)).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn me_needs_a_valid_bearer_token() {
    let app = TestApp::spawn().await;
    problem(app.get("/api/me", None).await, StatusCode::UNAUTHORIZED).await;
    problem(
        app.get("/api/me", Some("bw_forged")).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn the_profile_changes_display_name_and_theme() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let response = app
        .patch(
            "/api/me",
            Some(&ann.token),
            json!({"displayName": "Annie", "theme": "dark"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["displayName"], "Annie");
    assert_eq!(me["theme"], "dark");
    let cleared: Value = app
        .patch("/api/me", Some(&ann.token), json!({"theme": null}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["theme"], Value::Null);
}

#[tokio::test]
async fn changing_email_or_password_needs_the_current_password() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let missing = app
        .patch(
            "/api/me",
            Some(&ann.token),
            json!({"email": "ann2@example.org"}),
        )
        .await;
    let missing = problem(missing, StatusCode::BAD_REQUEST).await;
    assert!(field_message(&missing, "currentPassword").is_some());
    let wrong = app
        .patch(
            "/api/me",
            Some(&ann.token),
            json!({"email": "ann2@example.org", "currentPassword": "nope nope nope"}),
        )
        .await;
    let wrong = problem(wrong, StatusCode::BAD_REQUEST).await;
    assert_eq!(
        field_message(&wrong, "currentPassword").unwrap(),
        "That is not your current password."
    );
    let changed = app
        .patch(
            "/api/me",
            Some(&ann.token),
            json!({"email": "Ann2@example.org", "currentPassword": "correct horse battery"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    app.login("ann2@example.org", "correct horse battery").await;
}

#[tokio::test]
async fn a_password_change_revokes_every_token() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let other_token = app.login(&ann.email, "correct horse battery").await;
    let changed = app
        .patch("/api/me", Some(&ann.token), json!({"newPassword": "a brand new secret", "currentPassword": "correct horse battery"}))
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    problem(
        app.get("/api/me", Some(&other_token)).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    app.login(&ann.email, "a brand new secret").await;
}

#[tokio::test]
async fn postgres_refuses_an_unnormalised_email_or_a_plain_password() {
    let app = TestApp::spawn().await;
    for (email, hash) in [
        ("Ann@Example.org", "$argon2id$x"),
        ("ann@example.org", "plaintext"),
    ] {
        let result = app
            .db
            .execute_unprepared(&format!(
                "INSERT INTO identity.users VALUES (gen_random_uuid(), '{email}', '{hash}', 'Ann', now(), now(), true)"
            ))
            .await;
        assert!(result.is_err(), "{email} / {hash} was accepted");
    }
}

#[tokio::test]
async fn many_failures_from_one_address_are_throttled_across_accounts() {
    let app = TestApp::spawn().await;
    app.account("ann").await;
    for attempt in 0..100 {
        let email = format!("guess{attempt}@example.org");
        let response = app.attempt_login(&email, "guess guess guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let throttled = app
        .attempt_login("ann@example.org", "correct horse battery")
        .await;
    problem(throttled, StatusCode::TOO_MANY_REQUESTS).await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_it_names_is_throttled_on_its_own() {
    let app = TestApp::spawn().await;
    app.account("ann").await;
    for _ in 0..5 {
        let response = app
            .attempt_login_from("203.0.113.7", "ann@example.org", "guess guess guess")
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let throttled = app
        .attempt_login_from("203.0.113.7", "ann@example.org", "correct horse battery")
        .await;
    problem(throttled, StatusCode::TOO_MANY_REQUESTS).await;
    let elsewhere = app
        .attempt_login_from("198.51.100.20", "ann@example.org", "correct horse battery")
        .await;
    assert_eq!(elsewhere.status(), StatusCode::OK);
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn registrations_from_one_address_are_limited_even_when_concurrent() {
    let app = TestApp::spawn_with(&[("BLOOMWATCH_REGISTRATIONS_PER_HOUR", "3")]).await;
    let names: Vec<String> = (0..10).map(|n| format!("new{n}")).collect();
    let attempts = names
        .iter()
        .map(|name| app.attempt_registration_from("203.0.113.9", name));
    let answers = futures_util::future::join_all(attempts).await;
    let created = answers
        .iter()
        .filter(|answer| answer.status() == StatusCode::CREATED)
        .count();
    assert_eq!(created, 3, "a burst of 3 an hour");
    let refused = answers
        .into_iter()
        .find(|answer| answer.status() == StatusCode::TOO_MANY_REQUESTS)
        .unwrap();
    // One registration refills every 20 minutes.
    assert!(
        (1..=1200).contains(&retry_after(&refused)),
        "{}",
        retry_after(&refused)
    );
    let refused = problem(refused, StatusCode::TOO_MANY_REQUESTS).await;
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("Too many accounts"),
        "{refused}"
    );
    let elsewhere = app
        .attempt_registration_from("198.51.100.20", "neighbour")
        .await;
    assert_eq!(elsewhere.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn wrong_current_passwords_count_as_failed_logins() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    for _ in 0..5 {
        let wrong = app
            .patch(
                "/api/me",
                Some(&ann.token),
                json!({"newPassword": "taken over now", "currentPassword": "guess guess guess"}),
            )
            .await;
        problem(wrong, StatusCode::BAD_REQUEST).await;
    }
    let throttled = app
        .patch(
            "/api/me",
            Some(&ann.token),
            json!({"newPassword": "taken over now", "currentPassword": "correct horse battery"}),
        )
        .await;
    assert!(retry_after(&throttled) >= 1);
    problem(throttled, StatusCode::TOO_MANY_REQUESTS).await;
    let login = app.attempt_login(&ann.email, "correct horse battery").await;
    problem(login, StatusCode::TOO_MANY_REQUESTS).await;
    // Changes that need no password go on.
    let renamed = app
        .patch("/api/me", Some(&ann.token), json!({"displayName": "Ann"}))
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
}

#[tokio::test]
async fn names_with_text_direction_overrides_are_refused_by_the_domain_and_postgres() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let spoofed = app
        .patch(
            "/api/me",
            Some(&ann.token),
            json!({"displayName": "Ann\u{202E}nimda"}),
        )
        .await;
    let spoofed = problem(spoofed, StatusCode::BAD_REQUEST).await;
    assert!(field_message(&spoofed, "displayName")
        .unwrap()
        .contains("invisible formatting"));
    let stored = app
        .db
        .execute_unprepared(&format!(
            "UPDATE identity.users SET display_name = 'Ann' || chr(8238) || 'nimda' WHERE id = '{}'",
            ann.id
        ))
        .await;
    assert!(stored.is_err(), "PostgreSQL took a bidi override");
    let joined = app
        .patch(
            "/api/me",
            Some(&ann.token),
            json!({"displayName": "👩\u{200D}👩\u{200D}👧 Ann"}),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::OK);
}
