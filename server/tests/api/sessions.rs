//! Browser sessions through the server functions the UI calls: cookie attributes, session
//! fixation, logout, password changes renewing this session's id and ending the others,
//! restarts, and CSRF refusal.

use reqwest::{Client, Response, StatusCode};
use sea_orm::ConnectionTrait as _;
use serde_json::Value;

use crate::harness::TestApp;

pub(crate) const PASSWORD: &str = "correct horse battery";

/// A browser: keeps its cookies, does not follow redirects.
pub(crate) fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Calls a server function the way the hydrated app does (form-encoded, JSON answer).
pub(crate) async fn call(
    client: &Client,
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Response {
    client
        .post(app.url(&format!("/rpc/{endpoint}")))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn log_in(
    client: &Client,
    app: &TestApp,
    email: &str,
    password: &str,
) -> Response {
    call(
        client,
        app,
        "log_in",
        &[("email", email), ("password", password)],
    )
    .await
}

fn session_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|cookie| cookie.starts_with("bloomwatch="))
        .map(str::to_owned)
}

fn session_id(cookie: &str) -> &str {
    cookie
        .trim_start_matches("bloomwatch=")
        .split(';')
        .next()
        .unwrap()
}

pub(crate) async fn me_status(client: &Client, app: &TestApp) -> StatusCode {
    client
        .get(app.url("/api/me"))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn logging_in_sets_a_hardened_session_cookie_that_the_api_accepts() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let client = browser();
    let response = log_in(&client, &app, &ann.email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = session_cookie(&response).expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["email"], ann.email);
    let me: Value = client
        .get(app.url("/api/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"], ann.id);
}

#[tokio::test]
async fn session_ids_are_stored_hashed_and_end_a_month_after_sign_in() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let client = browser();
    let cookie = session_cookie(&log_in(&client, &app, &ann.email, PASSWORD).await).unwrap();
    let id = session_id(&cookie);
    let count = |condition: String| {
        let db = app.db.clone();
        async move {
            let row = db
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    format!("SELECT count(*) FROM identity.sessions WHERE {condition}"),
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get_by_index::<i64>(0).unwrap()
        }
    };
    assert_eq!(
        count(format!("id = '{id}'")).await,
        0,
        "the raw id is stored"
    );
    let hashed = format!("id = encode(sha256(convert_to('{id}', 'UTF8')), 'hex')");
    assert_eq!(count(hashed.clone()).await, 1);
    assert_eq!(me_status(&client, &app).await, StatusCode::OK);
    // Active every day, but signed in 31 days ago.
    app.db
        .execute_unprepared(&format!(
            "UPDATE identity.sessions SET created_at_utc = now() - interval '31 days' WHERE {hashed}"
        ))
        .await
        .unwrap();
    assert_eq!(me_status(&client, &app).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_wrong_password_answers_401_with_the_error_and_no_session() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let client = browser();
    let response = log_in(&client, &app, &ann.email, "not my password").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(session_cookie(&response).is_none());
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["kind"], "unauthenticated");
    assert_eq!(me_status(&client, &app).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_planted_session_id_is_replaced_at_login_and_dead_after_logout() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let bo = app.account("bo").await;
    let first = browser();
    let planted = session_cookie(&log_in(&first, &app, &ann.email, PASSWORD).await).unwrap();
    let planted_id = session_id(&planted).to_owned();
    let logged_out = call(&first, &app, "log_out", &[]).await;
    assert_eq!(logged_out.status(), StatusCode::OK);
    assert_eq!(me_status(&first, &app).await, StatusCode::UNAUTHORIZED);

    // An attacker plants the old id in a victim's browser; the victim logs in.
    let victim = Client::new();
    let response = victim
        .post(app.url("/rpc/log_in"))
        .header("accept", "application/json")
        .header("cookie", format!("bloomwatch={planted_id}"))
        .form(&[("email", bo.email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let fresh = session_cookie(&response).expect("a fresh session cookie");
    assert_ne!(session_id(&fresh), planted_id);
    let with_planted = victim
        .get(app.url("/api/me"))
        .header("cookie", format!("bloomwatch={planted_id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(with_planted.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_password_change_ends_the_other_browser_sessions_but_not_this_one() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let laptop = browser();
    let phone = browser();
    let before = session_cookie(&log_in(&laptop, &app, &ann.email, PASSWORD).await).unwrap();
    log_in(&phone, &app, &ann.email, PASSWORD).await;
    let changed = call(
        &laptop,
        &app,
        "update_profile",
        &[
            ("new_password", "a brand new secret"),
            ("current_password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(changed.status(), StatusCode::OK);
    // This browser's session goes on under a new id; the old id opens nothing.
    let after = session_cookie(&changed).expect("a renewed session cookie");
    assert_ne!(session_id(&after), session_id(&before));
    let with_old_id = Client::new()
        .get(app.url("/api/me"))
        .header("cookie", format!("bloomwatch={}", session_id(&before)))
        .send()
        .await
        .unwrap();
    assert_eq!(with_old_id.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(&laptop, &app).await, StatusCode::OK);
    assert_eq!(me_status(&phone, &app).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sessions_survive_a_server_restart() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let client = browser();
    log_in(&client, &app, &ann.email, PASSWORD).await;
    let restarted = app.restart().await;
    // Cookies ignore ports, so the same browser presents its session to the new server.
    assert_eq!(me_status(&client, &restarted).await, StatusCode::OK);
}

#[tokio::test]
async fn cross_site_server_function_calls_are_refused_even_with_a_session() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    let client = browser();
    log_in(&client, &app, &ann.email, PASSWORD).await;
    let forged = client
        .post(app.url("/rpc/update_profile"))
        .header("origin", "https://evil.example")
        .form(&[("display_name", "Pwned")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let me: Value = client
        .get(app.url("/api/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["displayName"], "ann");
}
