//! The composition root: connects the database, builds the contexts' facades, and assembles
//! the router (Leptos pages, server functions under /rpc, the REST API under /api, health).

use std::sync::Arc;
use std::time::Duration;

use analytics::Analytics;
use anilist_sync::{AccountLinkSubscriber, AniListSync};
use anime_tracking::AnimeTracking;
use anyhow::Context as _;
use app::services::AppServices;
use app::{shell, App};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::handler::Handler as _;
use axum::http::{HeaderName, StatusCode};
use axum::routing::get;
use axum::{middleware, Router};
use axum_login::AuthManagerLayerBuilder;
use identity::web::AuthBackend;
use identity::{Identity, IdentitySettings};
use kernel::Clock;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait as _, Database, DatabaseConnection, DbBackend, DbErr,
    Statement, TransactionTrait as _,
};
use secrecy::ExposeSecret as _;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_http::CompressionLevel;
use tower_sessions::cookie::SameSite;
use tower_sessions::{ExpiredDeletion as _, Expiry, SessionManagerLayer};
use watch_spaces::{WatchSpaces, WatchSpacesSettings};

use crate::anilist_outbox::AniListOutbox;
use crate::config::Settings;
use crate::media_catalog::AniListCatalog;
use crate::security::{self, CspNonce};
use crate::state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The pause between attempts to reach PostgreSQL at start-up.
const DATABASE_RETRY: Duration = Duration::from_millis(500);

/// Connects and migrates the database named in the settings. PostgreSQL often starts beside
/// the server (a container, a reboot): until `database_wait` has passed, an unreachable one
/// is tried again, with a log line each time.
///
/// # Errors
/// When PostgreSQL is still unreachable after `database_wait`, or a migration fails.
pub async fn connect_and_migrate(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(settings.database_url.expose_secret().to_owned());
    options
        .max_connections(settings.database_max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    let give_up_at = tokio::time::Instant::now() + settings.database_wait;
    let db = loop {
        match Database::connect(options.clone()).await {
            Ok(db) => break db,
            Err(error) if tokio::time::Instant::now() + DATABASE_RETRY < give_up_at => {
                tracing::warn!(
                    %error,
                    wait_seconds = settings.database_wait.as_secs(),
                    "PostgreSQL is not reachable yet; trying again (BLOOMWATCH_DB_WAIT_SECONDS bounds the wait)"
                );
                tokio::time::sleep(DATABASE_RETRY).await;
            }
            Err(error) => {
                return Err(error).context(format!(
                    "cannot connect to PostgreSQL within {} s (check DATABASE_URL and that the server is running)",
                    settings.database_wait.as_secs()
                ))
            }
        }
    };
    migrate(&db).await.context("applying database migrations")?;
    Ok(db)
}

/// Any number at all, as long as nothing else locks it: the migrations' turn.
const MIGRATION_LOCK: i64 = 0x0062_6c6f_6f6d_7761;

/// Applies pending migrations in one transaction that first takes an advisory lock, so
/// instances started side by side take turns: the first applies them, the others find none
/// pending.
async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let migrating = db.begin().await?;
    migrating
        .execute_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"),
        ))
        .await?;
    Migrator::up(&migrating, None).await?;
    migrating.commit().await
}

/// The application over a migrated database: its router, and the background work every
/// instance runs beside it.
pub struct Application {
    pub router: Router,
    pub workers: Workers,
}

/// The background work of one instance: delivering members' AniList changes, carrying
/// imports of their lists (and pruning the history of both), resealing stored tokens after
/// a key rotation, and forgetting spent login counters and sign-up limits.
pub struct Workers {
    identity: Identity,
    anilist: AniListSync,
    imports: AnimeTracking,
}

/// How often stored tokens are checked for an older key (and once at start-up).
const RESEAL_EVERY: Duration = Duration::from_secs(24 * 60 * 60);
/// How often spent login counters and sign-up limits are forgotten.
const PRUNE_THROTTLES_EVERY: Duration = Duration::from_secs(60 * 60);

impl Workers {
    /// Starts the background tasks; each stops when `shutdown` turns true (the sync worker
    /// abandons a delivery under way, which then waits for the next start).
    pub fn spawn(self, shutdown: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
        let stopped = |mut shutdown: watch::Receiver<bool>| async move {
            // An error means the sender is gone: stop as well.
            let _ = shutdown.wait_for(|stop| *stop).await;
        };
        let (anilist, imports) = (self.anilist, self.imports);
        let sync = tokio::spawn({
            let shutdown = stopped(shutdown.clone());
            async move { anilist.run_worker(&imports, shutdown).await }
        });
        let identity = self.identity;
        let upkeep = tokio::spawn({
            let shutdown = stopped(shutdown);
            async move {
                let reseal_daily = async {
                    loop {
                        if let Err(error) = identity.reseal_external_tokens().await {
                            tracing::warn!(%error, "resealing stored tokens failed");
                        }
                        tokio::time::sleep(RESEAL_EVERY).await;
                    }
                };
                let prune_hourly = async {
                    loop {
                        tokio::time::sleep(PRUNE_THROTTLES_EVERY).await;
                        match identity.prune_throttles().await {
                            Ok(0) => {}
                            Ok(pruned) => {
                                tracing::info!(pruned, "spent login and sign-up limits pruned")
                            }
                            Err(error) => {
                                tracing::warn!(%error, "pruning login and sign-up limits failed")
                            }
                        }
                    }
                };
                tokio::select! {
                    () = shutdown => {}
                    () = reseal_daily => {}
                    () = prune_hourly => {}
                }
            }
        });
        vec![sync, upkeep]
    }
}

/// Builds the whole application over a migrated database, telling time by `clock` (tests
/// move theirs to expire invitations and links).
///
/// # Errors
/// When a context cannot be constructed from the settings.
pub fn build(
    settings: Settings,
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Application> {
    // Analytics follows what the other contexts change, inside their transactions; so does
    // AniListSync, for account links and members' list changes.
    let subscriber = Arc::new(analytics::Subscriber);
    let identity = Identity::new(
        db.clone(),
        clock.clone(),
        IdentitySettings {
            token_keys: settings.token_keys.clone(),
            registrations: kernel::rate_limit::Rate::per_hour(settings.registrations_per_hour),
            session_absolute_lifetime: settings.session_absolute_lifetime,
            ..IdentitySettings::default()
        },
        subscriber.clone(),
        Arc::new(AccountLinkSubscriber::new(clock.clone())),
    )
    .map_err(|error| anyhow::anyhow!("identity: {error}"))?;
    let watch_spaces = WatchSpaces::new(
        db.clone(),
        identity.clone(),
        clock.clone(),
        WatchSpacesSettings {
            invitation_ttl: settings.invitation_ttl,
            public_base_url: settings.public_url.clone(),
        },
        subscriber.clone(),
    );
    let anilist = AniListSync::new(
        db.clone(),
        identity.clone(),
        clock.clone(),
        settings.anilist.clone(),
        subscriber.clone(),
    )
    .context("building the AniList client")?;
    let anime_tracking = AnimeTracking::new(
        db.clone(),
        identity.clone(),
        watch_spaces.clone(),
        Arc::new(AniListCatalog(anilist.clone())),
        clock.clone(),
        subscriber,
        Arc::new(AniListOutbox(anilist.clone())),
    );
    let analytics = Analytics::new(
        db.clone(),
        watch_spaces.clone(),
        anime_tracking.clone(),
        anilist.clone(),
        identity.clone(),
        clock,
    );
    let services = AppServices {
        identity: identity.clone(),
        watch_spaces,
        anilist,
        anime_tracking,
        analytics,
    };
    let workers = Workers {
        identity: identity.clone(),
        anilist: services.anilist.clone(),
        imports: services.spaces_for_import(),
    };

    let session_store = identity.session_store();
    tokio::spawn(
        session_store
            .clone()
            .continuously_delete_expired(tokio::time::Duration::from_secs(3600)),
    );
    let secure = settings.secure_cookies();
    let session_layer = SessionManagerLayer::new(session_store)
        // `__Host-` binds the cookie to our exact origin; browsers only accept it over https.
        .with_name(if secure {
            "__Host-bloomwatch"
        } else {
            "bloomwatch"
        })
        .with_secure(secure)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(settings.session_lifetime));
    let auth_layer =
        AuthManagerLayerBuilder::new(AuthBackend::new(identity), session_layer).build();

    let leptos_options = settings.leptos.clone();
    let routes = generate_route_list(App);
    let max_body_bytes = settings.max_body_bytes;
    let state = AppState {
        services: services.clone(),
        settings: Arc::new(settings),
        leptos_options: leptos_options.clone(),
    };
    let leptos_context = move || {
        provide_context(services.clone());
        let nonce = leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
        if let Some(CspNonce(nonce)) = nonce {
            provide_context(nonce);
        }
    };

    let static_files = crate::static_files::serve_site(
        std::path::Path::new(&*leptos_options.site_root),
        leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            leptos_context.clone(),
            shell,
        )
        .with_state(state.clone()),
    );
    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readiness))
        .route(
            "/metrics",
            get(crate::metrics::render).with_state(crate::metrics::MetricsAccess::new(
                state.settings.metrics_token.as_ref(),
            )),
        )
        .nest("/api", crate::rest::router())
        .leptos_routes_with_context(&state, routes, leptos_context.clone(), {
            let leptos_options = leptos_options.clone();
            move || shell(leptos_options.clone())
        })
        .fallback_service(static_files)
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(RequestBodyLimitLayer::new(max_body_bytes))
        // Uploads (a MyAnimeList export to import) get a limit of their own.
        .merge(
            crate::rest::upload_router()
                .layer(DefaultBodyLimit::max(
                    crate::rest::imports::MAX_UPLOAD_BYTES,
                ))
                .layer(RequestBodyLimitLayer::new(
                    crate::rest::imports::MAX_UPLOAD_BYTES,
                ))
                .layer(middleware::map_response(
                    crate::rest::imports::explain_too_large,
                )),
        )
        .layer(auth_layer)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::session_outage::explain_session_failures,
        ))
        .layer(middleware::from_fn_with_state(
            state.settings.trusted_proxies.clone(),
            crate::client_address::attach,
        ))
        .layer(middleware::from_fn_with_state(
            security::AllowedOrigins::new(&state.settings.public_url, state.settings.address),
            security::refuse_cross_site_writes,
        ))
        .layer(middleware::from_fn(
            crate::rest::problem::problems_for_bare_api_errors,
        ))
        .layer(middleware::from_fn_with_state(
            security::HeaderPolicy::new(
                &state.settings.public_url,
                &state.settings.anilist.api_url,
                state
                    .settings
                    .anilist
                    .oauth
                    .as_ref()
                    .map(|oauth| oauth.authorize_url.as_str()),
            ),
            security::security_headers,
        ))
        // Pages and JSON compressed on the fly (fast settings); the site's files already come
        // precompressed at the best settings (see static_files), which this layer leaves alone.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(middleware::from_fn(crate::metrics::record_duration))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let request_id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default();
                let path = crate::telemetry::path_for_logs(request.uri().path());
                tracing::info_span!("request", method = %request.method(), %path, request_id)
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state);
    Ok(Application { router, workers })
}

/// `/readyz`: ready when PostgreSQL answers.
async fn readiness(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.services.identity.ping_database().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
