//! [`FakeAniList`]: the server's lifecycle and the knobs tests turn in-process.

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
use crate::state::{unix_now, Shared};
use crate::{control, covers, graphql};

/// A running fake AniList. Dropping it stops the server (in the background); [`Self::stop`]
/// waits for the stop.
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
            .route("/covers/{file}", get(covers::serve))
            .route("/__control/fault", post(control::set_fault))
            .route("/__control/reset", post(control::reset))
            .route("/__control/requests", get(control::requests))
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

    /// GraphQL POSTs received since start or [`Self::reset`] (control and cover requests excluded).
    pub fn request_count(&self) -> usize {
        self.shared.request_count()
    }

    /// Sets the count to 0, clears faults and latency and starts a new rate-limit window
    /// (the limit itself stays).
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
