//! A TCP relay in front of PostgreSQL that a test cuts and restores, as if the database went
//! down (every connection through it dropped, new ones refused) and came back on the same
//! address.

use std::sync::{Mutex, PoisonError};

use anyhow::Context as _;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

pub struct Relay {
    port: u16,
    target: String,
    /// The accept loop while relaying; it owns the relayed connections, so aborting it
    /// drops them all.
    relaying: Mutex<Option<JoinHandle<()>>>,
}

impl Relay {
    /// A relay to the `host:port` of `database_url`, on a free loopback port, not relaying
    /// yet (connections to it are refused until [`Relay::restore`]).
    ///
    /// # Errors
    /// When the URL names no host and port, or no port is free.
    pub fn cut_from_the_start(database_url: &str) -> anyhow::Result<Self> {
        let (_, after_at) = database_url
            .rsplit_once('@')
            .context("the database URL names no host")?;
        let target = after_at
            .split('/')
            .next()
            .context("the database URL names no host")?
            .to_owned();
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        Ok(Self {
            port,
            target,
            relaying: Mutex::new(None),
        })
    }

    /// A relay that relays from the start.
    ///
    /// # Errors
    /// As [`Relay::cut_from_the_start`] and [`Relay::restore`].
    pub async fn start(database_url: &str) -> anyhow::Result<Self> {
        let relay = Self::cut_from_the_start(database_url)?;
        relay.restore().await?;
        Ok(relay)
    }

    /// `database_url` with the relay in PostgreSQL's place.
    pub fn url_for(&self, database_url: &str) -> String {
        database_url.replacen(&self.target, &format!("127.0.0.1:{}", self.port), 1)
    }

    /// Drops every relayed connection and refuses new ones.
    pub fn cut(&self) {
        if let Some(relaying) = self.slot().take() {
            relaying.abort();
        }
    }

    /// Relays again, on the same port.
    ///
    /// # Errors
    /// When the port cannot be bound again.
    pub async fn restore(&self) -> anyhow::Result<()> {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await?;
        let target = self.target.clone();
        let relaying = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                connections.spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        if let Some(previous) = self.slot().replace(relaying) {
            previous.abort();
        }
        Ok(())
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<JoinHandle<()>>> {
        self.relaying.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.cut();
    }
}
