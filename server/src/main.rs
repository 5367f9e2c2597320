//! `server`: reads the settings, migrates the database and serves BloomWatch until SIGINT or
//! SIGTERM, then finishes in-flight requests.

use server::config::Settings;
use server::{startup, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    telemetry::init(settings.log_format);
    tracing::info!(?settings, "starting BloomWatch");
    let db = startup::connect_and_migrate(&settings).await?;
    let address = settings.address;
    let public_url = settings.public_url.clone();
    let router = startup::router(settings, db)?;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|error| anyhow::anyhow!("cannot listen on {address}: {error} (is another server using it? set BLOOMWATCH_ADDR or --port)"))?;
    tracing::info!("BloomWatch is listening on http://{address} (public URL {public_url})");
    startup::serve(listener, router, shutdown_signal()).await?;
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
