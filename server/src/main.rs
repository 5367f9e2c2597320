//! `server`: reads the settings, migrates the database and serves BloomWatch until SIGINT or
//! SIGTERM, then finishes in-flight requests.

use server::config::Settings;
use server::{serving, startup, telemetry};

/// Stack per runtime thread. Rendering a page nests many futures, and unoptimised builds
/// (the end-to-end tests run one) overflow tokio's default of 2 MiB; untouched stack costs
/// nothing.
const THREAD_STACK_BYTES: usize = 8 * 1024 * 1024;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK_BYTES)
        .build()?
        .block_on(serve())
}

async fn serve() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    telemetry::init(settings.log_format);
    tracing::info!(?settings, "starting BloomWatch");
    let db = startup::connect_and_migrate(&settings).await?;
    let address = settings.address;
    let public_url = settings.public_url.clone();
    let connection_limits = settings.connection_limits;
    let startup::Application { router, workers } =
        startup::build(settings, db, std::sync::Arc::new(kernel::SystemClock))?;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|error| anyhow::anyhow!("cannot listen on {address}: {error} (is another server using it? set BLOOMWATCH_ADDR or --port)"))?;
    tracing::info!("BloomWatch is listening on http://{address} (public URL {public_url})");
    let (stop_workers, stopping) = tokio::sync::watch::channel(false);
    let background = workers.spawn(stopping);
    serving::serve(listener, router, connection_limits, shutdown_signal()).await?;
    let _ = stop_workers.send(true);
    for task in background {
        if let Err(error) = task.await {
            tracing::warn!(%error, "a background task failed");
        }
    }
    tracing::info!("BloomWatch stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
