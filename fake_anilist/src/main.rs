//! `fake-anilist [--addr 127.0.0.1:4010]`: the fake AniList as a process, for the demo and
//! browser tests. Serves until Ctrl-C or SIGTERM.

use std::net::SocketAddr;

use anyhow::{bail, Context};
use fake_anilist::{FakeAniList, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET};

const DEFAULT_ADDR: &str = "127.0.0.1:4010";
const USAGE: &str =
    "Usage: fake-anilist [--addr HOST:PORT]   (default 127.0.0.1:4010; port 0 picks one)";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(addr) = parse_addr(&args)? else {
        println!("{USAGE}");
        return Ok(());
    };
    let fake = FakeAniList::start_on(addr).await?;
    println!("fake AniList listening on {}", fake.url());
    println!(
        "OAuth: {} and {} for client {OAUTH_CLIENT_ID} (secret {OAUTH_CLIENT_SECRET})",
        fake.authorize_url(),
        fake.token_url()
    );
    wait_for_stop_signal().await?;
    fake.stop().await;
    Ok(())
}

/// `None` when help was asked for.
fn parse_addr(args: &[String]) -> anyhow::Result<Option<SocketAddr>> {
    let mut addr = DEFAULT_ADDR.to_owned();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().context("--addr needs HOST:PORT")?.clone(),
            "-h" | "--help" => return Ok(None),
            other => match other.strip_prefix("--addr=") {
                Some(value) => value.clone_into(&mut addr),
                None => bail!("unknown argument {other}\n{USAGE}"),
            },
        }
    }
    let addr = addr
        .parse()
        .with_context(|| format!("--addr {addr}: not HOST:PORT"))?;
    Ok(Some(addr))
}

#[cfg(unix)]
async fn wait_for_stop_signal() -> anyhow::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut terminate = signal(SignalKind::terminate())?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => result?,
        _ = terminate.recv() => {}
    }
    Ok(())
}

#[cfg(not(unix))]
async fn wait_for_stop_signal() -> anyhow::Result<()> {
    tokio::signal::ctrl_c().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_the_listen_address() {
        let default: SocketAddr = DEFAULT_ADDR.parse().unwrap();
        assert_eq!(parse_addr(&[]).unwrap(), Some(default));
        assert_eq!(
            parse_addr(&args("--addr 0.0.0.0:9")).unwrap(),
            Some("0.0.0.0:9".parse().unwrap())
        );
        assert_eq!(
            parse_addr(&args("--addr=127.0.0.1:0")).unwrap(),
            Some("127.0.0.1:0".parse().unwrap())
        );
        assert_eq!(parse_addr(&args("--help")).unwrap(), None);
        assert!(parse_addr(&args("--addr")).is_err());
        assert!(parse_addr(&args("--addr nope")).is_err());
        assert!(parse_addr(&args("--port 1")).is_err());
    }
}
