//! `TestApp`: a real server on an ephemeral port over a throwaway database.

use std::sync::Arc;

use fake_anilist::FakeAniList;
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use server::config::{leptos_options, Settings};
use testkit::{TestClock, TestDb};

/// The key the test servers seal linked accounts' tokens with.
pub const TOKEN_KEYS: &str = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

pub struct TestApp {
    pub address: String,
    /// The AniList this server talks to.
    pub anilist: Arc<FakeAniList>,
    pub db: sea_orm::DatabaseConnection,
    /// Real time, until a test moves it on (to expire invitations, say).
    pub clock: Arc<TestClock>,
    db_url: String,
    client: Client,
    /// The server and its background workers run until this says stop (or is dropped).
    stop: tokio::sync::watch::Sender<bool>,
    serving: std::sync::Mutex<Option<tokio::task::JoinHandle<anyhow::Result<()>>>>,
}

pub struct Account {
    pub id: String,
    pub email: String,
    pub token: String,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(&[]).await
    }

    /// A server whose settings `overrides` (environment variable, value) change.
    pub async fn spawn_with(overrides: &[(&str, &str)]) -> Self {
        let db = TestDb::new().await;
        Self::spawn_on(
            db.url,
            db.connection,
            Arc::new(TestClock::running()),
            None,
            overrides,
        )
        .await
    }

    /// A server over `connection` (to the database at `db_url`), which a test may route
    /// through a relay.
    pub async fn spawn_over(db_url: String, connection: sea_orm::DatabaseConnection) -> Self {
        Self::spawn_on(
            db_url,
            connection,
            Arc::new(TestClock::running()),
            None,
            &[],
        )
        .await
    }

    /// A second server over the same database, as after a restart.
    pub async fn restart(&self) -> Self {
        Self::spawn_on(
            self.db_url.clone(),
            self.db.clone(),
            self.clock.clone(),
            None,
            &[],
        )
        .await
    }

    /// Another instance beside this one, as behind a load balancer: the same database (through
    /// a pool of its own) and the same AniList, its own background workers, `overrides` in
    /// its settings.
    pub async fn spawn_beside(&self, overrides: &[(&str, &str)]) -> Self {
        let connection = sea_orm::Database::connect(&self.db_url).await.unwrap();
        Self::spawn_on(
            self.db_url.clone(),
            connection,
            self.clock.clone(),
            Some(self.anilist.clone()),
            overrides,
        )
        .await
    }

    async fn spawn_on(
        db_url: String,
        connection: sea_orm::DatabaseConnection,
        clock: Arc<TestClock>,
        anilist: Option<Arc<FakeAniList>>,
        overrides: &[(&str, &str)],
    ) -> Self {
        let overrides: Vec<(String, String)> = overrides
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        let anilist = match anilist {
            Some(anilist) => anilist,
            None => Arc::new(FakeAniList::start().await.unwrap()),
        };
        let anilist_url = anilist.url();
        let (authorize_url, token_url) = (anilist.authorize_url(), anilist.token_url());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let url = db_url.clone();
        let public_url = address.clone();
        let settings = Settings::from_lookup(
            move |name| {
                if let Some((_, value)) =
                    overrides.iter().find(|(overridden, _)| overridden == name)
                {
                    return Some(value.clone());
                }
                match name {
                    "DATABASE_URL" => Some(url.clone()),
                    "BLOOMWATCH_PUBLIC_URL" => Some(public_url.clone()),
                    "BLOOMWATCH_MAX_BODY_BYTES" => Some("16384".into()),
                    "ANILIST_API_URL" => Some(anilist_url.clone()),
                    "ANILIST_TIMEOUT_SECONDS" => Some("1".into()),
                    "ANILIST_CLIENT_ID" => Some(fake_anilist::OAUTH_CLIENT_ID.into()),
                    "ANILIST_CLIENT_SECRET" => Some(fake_anilist::OAUTH_CLIENT_SECRET.into()),
                    "ANILIST_AUTHORIZE_URL" => Some(authorize_url.clone()),
                    "ANILIST_TOKEN_URL" => Some(token_url.clone()),
                    "BLOOMWATCH_TOKEN_KEYS" => Some(TOKEN_KEYS.into()),
                    // The tests' client is the proxy: `X-Forwarded-For` plays other clients.
                    "BLOOMWATCH_TRUSTED_PROXIES" => Some("127.0.0.1".into()),
                    // Every test user registers from here; the limit has a test of its own.
                    "BLOOMWATCH_REGISTRATIONS_PER_HOUR" => Some("10000".into()),
                    _ => None,
                }
            },
            leptos_options().unwrap(),
        )
        .unwrap();
        let connection_limits = settings.connection_limits;
        let app = server::startup::build(settings, connection.clone(), clock.clone()).unwrap();
        let (stop, stopping) = tokio::sync::watch::channel(false);
        app.workers.spawn(stopping.clone());
        let mut shutdown = stopping;
        let serving = tokio::spawn(server::serving::serve(
            listener,
            app.router,
            connection_limits,
            async move {
                let _ = shutdown.wait_for(|stop| *stop).await;
            },
        ));
        Self {
            address,
            anilist,
            db: connection,
            clock,
            db_url,
            client: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            stop,
            serving: std::sync::Mutex::new(Some(serving)),
        }
    }

    /// Shuts the server down as SIGTERM does; resolves when it has stopped serving.
    pub async fn shut_down(&self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        let serving = self.serving.lock().unwrap().take();
        match serving {
            Some(serving) => serving.await?,
            None => Ok(()),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.send(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.send(reqwest::Method::PATCH, path, token, Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.send(reqwest::Method::DELETE, path, token, None).await
    }

    /// Registers `name` (email `<name>@example.org`) and logs them in.
    pub async fn account(&self, name: &str) -> Account {
        let email = format!("{name}@example.org");
        let registered = self
            .post(
                "/api/auth/register",
                None,
                json!({"email": email, "displayName": name, "password": "correct horse battery"}),
            )
            .await;
        assert_eq!(registered.status(), StatusCode::CREATED);
        let user: Value = registered.json().await.unwrap();
        let token = self.login(&email, "correct horse battery").await;
        Account {
            id: user["id"].as_str().unwrap().to_owned(),
            email,
            token,
        }
    }

    /// Creates a space owned by `owner`; returns its id.
    pub async fn create_space(&self, owner: &Account, name: &str) -> String {
        let created = self
            .post(
                "/api/watch-spaces",
                Some(&owner.token),
                json!({"name": name}),
            )
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let space: Value = created.json().await.unwrap();
        space["id"].as_str().unwrap().to_owned()
    }

    /// Invites `email` into the space as `owner`; returns the created invitation.
    pub async fn invite(&self, owner: &Account, space_id: &str, email: &str) -> Value {
        let response = self
            .post(
                &format!("/api/watch-spaces/{space_id}/invitations"),
                Some(&owner.token),
                json!({"email": email}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// Accepts an invitation (as returned by `invite`) as `token`'s user.
    pub async fn accept(&self, invitation: &Value, token: Option<&str>) -> Response {
        let path = format!(
            "/api/watch-spaces/invitations/{}/accept",
            invitation["token"].as_str().unwrap()
        );
        self.post(&path, token, json!({})).await
    }

    /// Two people sharing a space: `owner` created it and `member` joined by invitation.
    pub async fn shared_space(&self, owner: &str, member: &str) -> (Account, Account, String) {
        let owner = self.account(owner).await;
        let member = self.account(member).await;
        let space = self.create_space(&owner, "Couch").await;
        let invitation = self.invite(&owner, &space, &member.email).await;
        assert_eq!(
            self.accept(&invitation, Some(&member.token)).await.status(),
            StatusCode::OK
        );
        (owner, member, space)
    }

    /// Tracks AniList anime `anilist_media_id` in the space as `who`; returns the entry.
    pub async fn add_anime(&self, who: &Account, space: &str, anilist_media_id: i64) -> Value {
        let response = self
            .post(
                &format!("/api/watch-spaces/{space}/anime"),
                Some(&who.token),
                json!({"anilistMediaId": anilist_media_id}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// Links `who` to the fake AniList account `anilist_user` the way a browser does: start,
    /// approve on the fake, come back through the GET callback. Returns where the callback
    /// sent the browser.
    pub async fn link_anilist(&self, who: &Account, anilist_user: &str) -> String {
        let started = self
            .post("/api/me/anilist/link", Some(&who.token), json!({}))
            .await;
        assert_eq!(started.status(), StatusCode::OK);
        let authorize: Value = started.json().await.unwrap();
        self.anilist.approve_as(Some(anilist_user));
        let approved = self
            .client
            .get(authorize["authorizeUrl"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        self.anilist.approve_as(None);
        assert_eq!(approved.status(), StatusCode::FOUND);
        let back = approved.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            back.starts_with(&self.url("/api/me/anilist/callback?")),
            "{back}"
        );
        let returned = self
            .client
            .get(&back)
            .bearer_auth(&who.token)
            .send()
            .await
            .unwrap();
        assert_eq!(returned.status(), StatusCode::SEE_OTHER);
        returned.headers()["location"].to_str().unwrap().to_owned()
    }

    /// Waits (up to 10 s) until `who`'s sync chip for the anime reads `state`.
    pub async fn wait_for_sync(
        &self,
        who: &Account,
        space: &str,
        anime: &str,
        state: &str,
    ) -> Value {
        let path = format!("/api/watch-spaces/{space}/anime/{anime}/anilist-sync");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let sync: Value = self
                .get(&path, Some(&who.token))
                .await
                .json()
                .await
                .unwrap();
            if sync["sync"]["state"] == state {
                return sync;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "still {sync}, not {state}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// `POST /api/auth/login`, whatever the answer.
    pub async fn attempt_login(&self, email: &str, password: &str) -> Response {
        self.post(
            "/api/auth/login",
            None,
            json!({"email": email, "password": password}),
        )
        .await
    }

    /// `POST /api/auth/login` from `client`, as the trusted proxy names it.
    pub async fn attempt_login_from(&self, client: &str, email: &str, password: &str) -> Response {
        self.post_from(
            client,
            "/api/auth/login",
            json!({"email": email, "password": password}),
        )
        .await
    }

    /// `POST /api/auth/register` of `name@example.org` from `client`, whatever the answer.
    pub async fn attempt_registration_from(&self, client: &str, name: &str) -> Response {
        self.post_from(
            client,
            "/api/auth/register",
            json!({"email": format!("{name}@example.org"), "displayName": name, "password": "correct horse battery"}),
        )
        .await
    }

    /// A POST from `client`, as the trusted proxy names it.
    async fn post_from(&self, client: &str, path: &str, body: Value) -> Response {
        self.client
            .post(self.url(path))
            .header("x-forwarded-for", client)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let response = self.attempt_login(email, password).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        body["accessToken"].as_str().unwrap().to_owned()
    }
}

/// Asserts a problem+json response and returns its body.
pub async fn problem(response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    assert!(body["type"]
        .as_str()
        .unwrap()
        .starts_with("https://bloomwatch.app/problems/"));
    assert!(body["title"].is_string() && body["detail"].is_string());
    body
}

/// The message a validation problem gives for `field`.
pub fn field_message(problem: &Value, field: &str) -> Option<String> {
    problem["errors"]
        .as_array()?
        .iter()
        .find(|error| error["field"] == field)
        .map(|error| error["message"].as_str().unwrap_or_default().to_owned())
}
