//! What every request gets: health, security headers, problem bodies, CSRF refusal, limits,
//! and the OpenAPI document.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{problem, TestApp};

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
    assert_eq!(app.get("/readyz", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_a_request_id() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/me", None).await;
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'nonce-"),
        "{csp}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.contains_key("referrer-policy"));
    assert!(headers.contains_key("x-request-id"));
}

#[tokio::test]
async fn cross_site_writes_are_refused() {
    let app = TestApp::spawn().await;
    let response = reqwest::Client::new()
        .post(app.url("/api/auth/register"))
        .header("origin", "https://evil.example")
        .json(&json!({"email": "x@example.org", "displayName": "X", "password": "0123456789"}))
        .send()
        .await
        .unwrap();
    problem(response, StatusCode::FORBIDDEN).await;
    let server_fn = reqwest::Client::new()
        .post(app.url("/rpc/anything"))
        .header("sec-fetch-site", "cross-site")
        .body("x=1")
        .send()
        .await
        .unwrap();
    assert_eq!(server_fn.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn malformed_bodies_are_precise_problems() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let broken = client
        .post(app.url("/api/auth/register"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    problem(broken, StatusCode::BAD_REQUEST).await;
    let untyped = client
        .post(app.url("/api/auth/register"))
        .body("{}")
        .send()
        .await
        .unwrap();
    problem(untyped, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    let missing = app
        .post(
            "/api/auth/register",
            None,
            json!({"email": "x@example.org"}),
        )
        .await;
    insta::assert_json_snapshot!(problem(missing, StatusCode::BAD_REQUEST).await, @r#"
    {
      "detail": "The JSON does not have the expected fields: Failed to deserialize the JSON body into the target type: missing field `displayName` at line 1 column 25",
      "status": 400,
      "title": "Some fields need another look",
      "type": "https://bloomwatch.app/problems/validation"
    }
    "#);
    let huge = app
        .post(
            "/api/auth/register",
            None,
            json!({"email": "x".repeat(20_000)}),
        )
        .await;
    problem(huge, StatusCode::PAYLOAD_TOO_LARGE).await;
}

#[tokio::test]
async fn unknown_api_paths_and_malformed_ids_are_problems() {
    let app = TestApp::spawn().await;
    let ann = app.account("ann").await;
    problem(
        app.get("/api/nothing-here", None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    insta::assert_json_snapshot!(
        problem(
            app.get("/api/watch-spaces/not-a-uuid", Some(&ann.token))
                .await,
            StatusCode::BAD_REQUEST,
        )
        .await,
        @r#"
    {
      "detail": "The address has a malformed id: Invalid URL: Cannot parse `id` with value `not-a-uuid`: UUID parsing failed: invalid character: found `n` at 0",
      "status": 400,
      "title": "Some fields need another look",
      "type": "https://bloomwatch.app/problems/validation"
    }
    "#
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let app = TestApp::spawn().await;
    let document: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/auth/register",
        "/api/auth/login",
        "/api/auth/logout",
        "/api/me",
        "/api/watch-spaces",
        "/api/watch-spaces/{id}",
        "/api/watch-spaces/{id}/invitations",
        "/api/watch-spaces/{id}/invitations/{invitationId}",
        "/api/watch-spaces/invitations/{token}/accept",
        "/api/watch-spaces/{id}/members/{userId}",
        "/api/watch-spaces/{id}/leave",
    ] {
        assert!(
            document["paths"].get(path).is_some(),
            "{path} is not documented"
        );
    }
    assert!(document["components"]["schemas"].get("Problem").is_some());
}

#[tokio::test]
async fn pages_render_on_the_server_with_a_404_for_unknown_ones() {
    let app = TestApp::spawn().await;
    let landing = app.get("/", None).await;
    assert_eq!(landing.status(), StatusCode::OK);
    let html = landing.text().await.unwrap();
    assert!(html.contains("BloomWatch"));
    let missing = app.get("/no/such/page", None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_and_json_are_compressed_for_browsers_that_accept_it() {
    let app = TestApp::spawn().await;
    for path in ["/", "/api/openapi.json"] {
        let compressed = reqwest::Client::new()
            .get(app.url(path))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(compressed.status(), StatusCode::OK);
        assert_eq!(compressed.headers()["content-encoding"], "br", "{path}");

        let plain = app.get(path, None).await;
        assert!(!plain.headers().contains_key("content-encoding"), "{path}");
    }
}
