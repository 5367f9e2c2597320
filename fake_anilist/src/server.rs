//! [`FakeAniList`]: the server's lifecycle, its routes and the knobs tests turn in-process.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use anyhow::Context;
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::catalog::Catalog;
use crate::fault::Fault;
use crate::generated::{GeneratedList, GeneratedListSpec};
use crate::oauth::{AUTHORIZE_PATH, TOKEN_PATH};
use crate::state::{unix_now, Shared};
use crate::users::{EntryEdit, FakeUser, RecordedMutation, StoredListEntry};
use crate::{avatars, control, covers, graphql, oauth};

/// A running fake AniList. Dropping it stops the server (in the background); [`Self::stop`]
/// waits for the stop.
///
/// The knobs are also reachable over HTTP, uncounted:
/// - `POST /__control/fault` `{"fault": {"kind": "serverError"} | null, "latencyMs": 250}`
///   (both optional; see [`Fault`] for the kinds), `POST /__control/reset`,
///   `GET /__control/requests` → `{"count": 3, "byOperation": {"MediaListCollection": 2,
///   "idMal_in": 1}}` (see [`Self::operation_counts`]);
/// - `POST /__control/users` with a [`FakeUser`] → `{"id": 700001}` (400 `{"error": "…"}`
///   when it is refused), `GET /__control/users/{name}` → the user with `id` and their
///   entries as [`StoredListEntry`] (404 when unknown);
/// - `POST /__control/users/generated` with a [`GeneratedListSpec`] → `{"id": 700001,
///   "entries": 1000, "malXml": "<?xml …", "unknownMalIds": [690001, …]}`: a user with a
///   generated list and the same list as a MyAnimeList file (see [`crate::generate_list`]);
/// - `POST /__control/users/{name}/entries` with an [`EntryEdit`] → the entry as
///   [`StoredListEntry`]: one entry changed as if on AniList's site (400 `{"error": "…"}`);
/// - `POST /__control/oauth` `{"approveAs": "name" | null, "deny": true,
///   "expireTokens": true}` (all optional; `null` returns to a new user per approval);
/// - `GET /__control/mutations` → `{"mutations": [...]}`, each a [`RecordedMutation`].
pub struct FakeAniList {
    addr: SocketAddr,
    shared: Arc<Shared>,
    // Dropping the sender is what stops the server, so no Drop impl is needed.
    shutdown: watch::Sender<bool>,
    server: JoinHandle<std::io::Result<()>>,
}

impl FakeAniList {
    /// Starts on 127.0.0.1 with a free port chosen by the OS.
    ///
    /// # Errors
    /// When no port can be bound or the bundled catalog fails to parse.
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }

    /// Starts on `addr` (port 0 picks a free one). Must be called inside a tokio runtime,
    /// which then runs the server.
    ///
    /// # Errors
    /// When `addr` cannot be bound or the bundled catalog fails to parse.
    pub async fn start_on(addr: SocketAddr) -> anyhow::Result<Self> {
        let now = i64::try_from(unix_now()).unwrap_or(i64::MAX);
        let catalog = Catalog::bundled(now).context("the bundled catalog.json is invalid")?;
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let addr = listener.local_addr()?;
        let (shutdown, stopping) = watch::channel(false);
        let shared = Arc::new(Shared::new(catalog, stopping.clone()));
        let app = Router::new()
            .route("/", post(graphql::answer))
            .route(AUTHORIZE_PATH, get(oauth::authorize))
            .route(TOKEN_PATH, post(oauth::token))
            .route("/covers/{file}", get(covers::serve))
            .route("/avatars/{file}", get(avatars::serve))
            .route("/__control/fault", post(control::set_fault))
            .route("/__control/reset", post(control::reset))
            .route("/__control/requests", get(control::requests))
            .route("/__control/users", post(control::insert_user))
            .route(
                "/__control/users/generated",
                post(control::insert_generated_user),
            )
            .route("/__control/users/{name}", get(control::user))
            .route("/__control/users/{name}/entries", post(control::edit_entry))
            .route("/__control/oauth", post(control::set_oauth))
            .route("/__control/mutations", get(control::mutations))
            .with_state(Arc::clone(&shared));
        let mut stopping = stopping;
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // Err means the sender was dropped: stop as well.
                    let _ = stopping.wait_for(|stop| *stop).await;
                })
                .await
        });
        tracing::debug!(%addr, "fake AniList started");
        Ok(Self {
            addr,
            shared,
            shutdown,
            server,
        })
    }

    /// The GraphQL endpoint, e.g. `http://127.0.0.1:4010/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Where a client sends the user to sign in, e.g.
    /// `http://127.0.0.1:4010/api/v2/oauth/authorize`.
    pub fn authorize_url(&self) -> String {
        format!("http://{}{AUTHORIZE_PATH}", self.addr)
    }

    /// Where a client trades the code for a token, e.g.
    /// `http://127.0.0.1:4010/api/v2/oauth/token`.
    pub fn token_url(&self) -> String {
        format!("http://{}{TOKEN_PATH}", self.addr)
    }

    /// GraphQL POSTs received since start or [`Self::reset`] (control, OAuth, cover and avatar
    /// requests excluded).
    pub fn request_count(&self) -> usize {
        self.shared.request_count()
    }

    /// GraphQL POSTs received since start or [`Self::reset`] by operation: `search`,
    /// `Media` (the lookup by id), `idMal_in`, `Viewer`, `MediaListCollection`,
    /// `SaveMediaListEntry`, and `invalid` for what the fake could not read. Requests
    /// answered with a fault or a 429 count too, as they cost a call all the same.
    pub fn operation_counts(&self) -> std::collections::BTreeMap<String, usize> {
        self.shared.operation_counts()
    }

    /// How many requests of `operation` (a name of [`Self::operation_counts`]) arrived.
    pub fn operation_count(&self, operation: &str) -> usize {
        self.shared
            .operation_counts()
            .get(operation)
            .copied()
            .unwrap_or(0)
    }

    /// Sets the counts to 0, clears faults, latency and the recorded mutations and starts a new
    /// rate-limit window (the limit itself stays). Users, their lists and tokens stay.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Delay added before every GraphQL answer.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.set_latency(latency);
    }

    /// Every GraphQL request gets `fault` until it is cleared with `None`.
    pub fn set_fault(&self, fault: Option<Fault>) {
        self.shared.set_fault(fault);
    }

    /// Only the next `requests` GraphQL requests get `fault`; it takes precedence over
    /// [`Self::set_fault`].
    pub fn fail_next(&self, requests: usize, fault: Fault) {
        self.shared.fail_next(requests, fault);
    }

    /// Requests allowed per fixed 60-second window (default 90); starts a new window.
    pub fn set_rate_limit(&self, per_minute: u32) {
        self.shared.set_rate_limit(per_minute);
    }

    /// Adds `media` (AniList's Media JSON, served exactly as given) or replaces the entry with
    /// the same `id`. Entries without a numeric `id` can be searched but not looked up.
    pub fn insert_media(&self, media: serde_json::Value) {
        self.shared
            .catalog
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(media);
    }

    /// Adds a user with their list and returns the user's id (ids start at 700001).
    ///
    /// # Errors
    /// When the name is empty or taken (case-insensitively), the score format, a status or a
    /// custom list is unknown, a media id is not in the catalog or listed twice, or a score
    /// is outside 0–100.
    pub fn insert_user(&self, user: FakeUser) -> anyhow::Result<i64> {
        let catalog = self
            .shared
            .catalog
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        self.shared
            .users()
            .insert(user, &catalog, unix_now())
            .map_err(anyhow::Error::msg)
    }

    /// Adds a user with the list `spec` describes, and the synthesised media it refers to;
    /// returns the list with its MyAnimeList twin ([`crate::generate_list`]).
    ///
    /// # Errors
    /// As [`crate::generate_list`] and [`Self::insert_user`].
    pub fn insert_generated_user(&self, spec: &GeneratedListSpec) -> anyhow::Result<GeneratedList> {
        insert_generated(&self.shared, spec)
            .map(|(_, list)| list)
            .map_err(anyhow::Error::msg)
    }

    /// Changes one entry of `name`'s list as if the user did it on AniList's site.
    ///
    /// # Errors
    /// An unknown user, media or status, a score outside 0–100, negative progress.
    pub fn edit_entry(&self, name: &str, edit: EntryEdit) -> anyhow::Result<StoredListEntry> {
        let catalog = self
            .shared
            .catalog
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        self.shared
            .users()
            .edit(name, edit, &catalog, unix_now())
            .map_err(anyhow::Error::msg)
    }

    /// The list of the user called `name` (case-insensitive), ordered by entry id.
    pub fn user_list(&self, name: &str) -> Option<Vec<StoredListEntry>> {
        self.shared
            .users()
            .by_name(name)
            .map(|account| account.entries.clone())
    }

    /// Every applied `SaveMediaListEntry` since start or [`Self::reset`], oldest first.
    pub fn mutations(&self) -> Vec<RecordedMutation> {
        self.shared.users().mutations().to_vec()
    }

    /// `Some(name)`: approvals sign in as that user, created when missing. `None` (the
    /// default): every approval creates a new user, `FakeUser700001` and so on.
    pub fn approve_as(&self, name: Option<&str>) {
        self.shared.oauth().set_approve_as(name.map(str::to_owned));
    }

    /// While `true`, authorization requests redirect back with `error=access_denied`.
    pub fn deny_authorizations(&self, deny: bool) {
        self.shared.oauth().set_deny(deny);
    }

    /// Every token issued so far stops working ("Invalid token"); later sign-ins get valid
    /// ones.
    pub fn expire_tokens(&self) {
        self.shared.oauth().expire_tokens();
    }

    /// Stops accepting connections and waits for in-flight answers (a pending `Timeout` or
    /// latency is cut short).
    pub async fn stop(self) {
        let Self {
            shutdown, server, ..
        } = self;
        let _ = shutdown.send(true);
        match server.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "fake AniList stopped with an error"),
            Err(error) => tracing::warn!(%error, "fake AniList task failed"),
        }
    }
}

/// Generates the list, adds its media to the catalog, then the user; the user's id and list.
pub(crate) fn insert_generated(
    shared: &Shared,
    spec: &GeneratedListSpec,
) -> Result<(i64, GeneratedList), String> {
    let list = crate::generate_list(spec)?;
    let mut catalog = shared
        .catalog
        .write()
        .unwrap_or_else(PoisonError::into_inner);
    for media in &list.media {
        catalog.insert_generated(media.clone());
    }
    let id = shared
        .users()
        .insert(list.user.clone(), &catalog, unix_now())?;
    Ok((id, list))
}
