//! What every request gets: health, security headers, problem bodies, CSRF refusal, limits,
//! and the OpenAPI document.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};

use testkit::relay::Relay;

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
    assert!(!headers.contains_key("strict-transport-security"));
}

#[tokio::test]
async fn an_https_public_url_makes_browsers_keep_to_https() {
    let app = TestApp::spawn_with(&[("BLOOMWATCH_PUBLIC_URL", "https://bloom.example")]).await;
    let response = app.get("/healthz", None).await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
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
    // A Host header names whatever the sender likes: only the public URL's origin counts.
    let spoofed_host = reqwest::Client::new()
        .post(app.url("/api/auth/register"))
        .header("host", "evil.example")
        .header("origin", "http://evil.example")
        .json(&json!({"email": "y@example.org", "displayName": "Y", "password": "0123456789"}))
        .send()
        .await
        .unwrap();
    problem(spoofed_host, StatusCode::FORBIDDEN).await;
}

/// Sends `bytes` on a fresh connection to `app`.
async fn connect_and_send(app: &TestApp, bytes: &[u8]) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt as _;
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    stream
}

/// Reads until the server closes `stream` (or `within` passes, which fails the test);
/// returns what it sent.
async fn read_until_closed(stream: &mut tokio::net::TcpStream, within: Duration) -> String {
    use tokio::io::AsyncReadExt as _;
    let mut received = Vec::new();
    let read = tokio::time::timeout(within, stream.read_to_end(&mut received)).await;
    assert!(
        read.is_ok(),
        "the connection is still open after {within:?}"
    );
    String::from_utf8_lossy(&received).into_owned()
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let app = TestApp::spawn_with(&[("BLOOMWATCH_HEADER_TIMEOUT_SECONDS", "1")]).await;
    let started = Instant::now();
    let mut half = connect_and_send(&app, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ").await;
    let mut silent = connect_and_send(&app, b"").await;
    read_until_closed(&mut half, Duration::from_secs(5)).await;
    read_until_closed(&mut silent, Duration::from_secs(5)).await;
    assert!(started.elapsed() >= Duration::from_millis(900));
    // Meanwhile and afterwards, whole requests are served as ever.
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_for_a_free_one() {
    let app = TestApp::spawn_with(&[("BLOOMWATCH_MAX_CONNECTIONS", "2")]).await;
    let first = connect_and_send(&app, b"").await;
    let second = connect_and_send(&app, b"").await;
    // Give the server a moment to take both, so the third is the one left waiting.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = connect_and_send(
        &app,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    let waiting = tokio::time::timeout(Duration::from_millis(500), async {
        use tokio::io::AsyncReadExt as _;
        third.read_u8().await
    })
    .await;
    assert!(
        waiting.is_err(),
        "the third connection was served while two held the cap"
    );
    drop(first);
    let answer = read_until_closed(&mut third, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(second);
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

/// Settings over `database_url` that wait `wait_seconds` for PostgreSQL.
fn waiting_settings(database_url: String, wait_seconds: &'static str) -> server::config::Settings {
    server::config::Settings::from_lookup(
        move |name| match name {
            "DATABASE_URL" => Some(database_url.clone()),
            "BLOOMWATCH_DB_WAIT_SECONDS" => Some(wait_seconds.to_owned()),
            _ => None,
        },
        server::config::leptos_options().unwrap(),
    )
    .unwrap()
}

/// A loopback port nothing listens on (for now).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn start_up_waits_for_a_postgres_that_comes_up_late() {
    let db = testkit::TestDb::new().await;
    // Connections are refused for a second; then the relay passes them to PostgreSQL.
    let relay = std::sync::Arc::new(Relay::cut_from_the_start(&db.url).unwrap());
    let late = relay.url_for(&db.url);
    tokio::spawn({
        let relay = relay.clone();
        async move {
            tokio::time::sleep(Duration::from_secs(1)).await;
            relay.restore().await.unwrap();
        }
    });
    let started = Instant::now();
    server::startup::connect_and_migrate(&waiting_settings(late, "20"))
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn instances_started_together_on_an_empty_database_take_turns_to_migrate_it() {
    let db = testkit::TestDb::empty().await;
    let starting = (0..3).map(|_| {
        let settings = waiting_settings(db.url.clone(), "5");
        async move { server::startup::connect_and_migrate(&settings).await }
    });
    for started in futures_util::future::join_all(starting).await {
        assert!(started.is_ok(), "{:#}", started.err().unwrap());
    }
    let applied: i64 = db.scalar("SELECT count(*) FROM seaql_migrations").await;
    assert_eq!(
        applied,
        i64::try_from(<migration::Migrator as migration::MigratorTrait>::migrations().len())
            .unwrap()
    );
}

#[tokio::test]
async fn start_up_gives_up_on_an_unreachable_postgres_after_its_wait() {
    let url = format!("postgres://bloomwatch@127.0.0.1:{}/nowhere", closed_port());
    let started = Instant::now();
    let failed = server::startup::connect_and_migrate(&waiting_settings(url, "1")).await;
    let message = format!("{:#}", failed.err().unwrap());
    assert!(message.contains("within 1 s"), "{message}");
    // The last attempt may itself wait out the pool's 5 s acquire timeout.
    let elapsed = started.elapsed();
    assert!(
        (Duration::from_millis(900)..Duration::from_secs(8)).contains(&elapsed),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn at_shutdown_new_connections_are_refused_and_requests_under_way_are_answered() {
    use tokio::io::AsyncWriteExt as _;
    let app = TestApp::spawn().await;
    let body = br#"{"email": "ann@example.org", "password": "not a real password"}"#;
    let head = format!(
        "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut under_way = connect_and_send(&app, head.as_bytes()).await;
    under_way.write_all(&body[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    let stopped = app.shut_down();
    tokio::pin!(stopped);
    let answered = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let address = app.address.trim_start_matches("http://");
        assert!(
            tokio::net::TcpStream::connect(address).await.is_err(),
            "a new connection was accepted during shutdown"
        );
        under_way.write_all(&body[10..]).await.unwrap();
        read_until_closed(&mut under_way, Duration::from_secs(5)).await
    };
    let (answer, stopped) = tokio::join!(
        answered,
        tokio::time::timeout(Duration::from_secs(10), &mut stopped)
    );
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(
        matches!(stopped, Ok(Ok(()))),
        "the server did not stop cleanly"
    );
}

#[tokio::test]
async fn metrics_are_served_in_prometheus_format_to_the_token_holder_only() {
    const TOKEN: &str = "scrape-me-0123456789";
    let app = TestApp::spawn_with(&[("BLOOMWATCH_METRICS_TOKEN", TOKEN)]).await;
    let ann = app.account("ann").await;
    let space = app.create_space(&ann, "Metered").await;
    app.get(&format!("/spaces/{space}"), None).await;
    let anonymous = app.get("/metrics", None).await;
    problem(anonymous, StatusCode::UNAUTHORIZED).await;
    problem(
        app.get("/metrics", Some("not the token")).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;

    let scraped = app.get("/metrics", Some(TOKEN)).await;
    assert_eq!(scraped.status(), StatusCode::OK);
    assert!(scraped.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = scraped.text().await.unwrap();
    // Other tests in this process count too: at least ours are there.
    for series in [
        "bloomwatch_registrations_total ",
        "bloomwatch_spaces_created_total ",
        "bloomwatch_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/watch-spaces\",status=\"2xx\",le=\"0.2\"}",
        "route=\"/spaces/{id}\"",
    ] {
        assert!(text.contains(series), "{series} missing from:\n{text}");
    }
    let unset = TestApp::spawn().await;
    problem(
        unset.get("/metrics", Some(TOKEN)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn while_postgres_is_unreachable_requests_get_503_and_service_comes_back_with_it() {
    let db = testkit::TestDb::new().await;
    let relay = Relay::start(&db.url).await.unwrap();
    let mut options = sea_orm::ConnectOptions::new(relay.url_for(&db.url));
    options
        .max_connections(5)
        .acquire_timeout(Duration::from_secs(1))
        .sqlx_logging(false);
    let connection = sea_orm::Database::connect(options).await.unwrap();
    let app = TestApp::spawn_over(db.url.clone(), connection).await;
    let ann = app.account("ann").await;
    app.create_space(&ann, "Through the relay").await;
    let browser = crate::sessions::browser();
    crate::sessions::log_in(&browser, &app, &ann.email, crate::sessions::PASSWORD).await;

    relay.cut();
    assert_eq!(
        app.get("/readyz", None).await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    for _ in 0..3 {
        let down = app.get("/api/watch-spaces", Some(&ann.token)).await;
        assert_eq!(down.headers()["retry-after"], "5");
        let body = problem(down, StatusCode::SERVICE_UNAVAILABLE).await;
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("cannot reach its database"),
            "{body}"
        );
    }
    // Signed in with a cookie, the session itself cannot be loaded: still a 503, a page for
    // pages and a problem for the API.
    let page = browser.get(app.url("/spaces")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(page.headers()["retry-after"], "5");
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("cannot reach its database"));
    let api = browser.get(app.url("/api/me")).send().await.unwrap();
    assert_eq!(api.headers()["retry-after"], "5");
    problem(api, StatusCode::SERVICE_UNAVAILABLE).await;

    relay.restore().await.unwrap();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let mut succeeded = 0;
    for _ in 0..100 {
        if app
            .get("/api/watch-spaces", Some(&ann.token))
            .await
            .status()
            == StatusCode::OK
        {
            succeeded += 1;
        }
    }
    assert!(
        succeeded >= 99,
        "{succeeded} of 100 succeeded after PostgreSQL came back"
    );
    assert_eq!(app.get("/readyz", None).await.status(), StatusCode::OK);
}
