//! Settings, read once at start-up from the environment (and an optional `.env` file).
//! Every variable is documented in the README and `.env.example`.

use std::net::SocketAddr;

use anilist_sync::AniListSettings;
use anyhow::{bail, Context as _};
use leptos::config::LeptosOptions;

/// Everything the server needs to start, parsed and checked.
#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    pub database_max_connections: u32,
    pub address: SocketAddr,
    /// Where users reach BloomWatch: invite links, the Origin check and Secure cookies use it.
    pub public_url: String,
    pub log_format: LogFormat,
    pub invitation_ttl: time::Duration,
    pub session_lifetime: time::Duration,
    pub max_body_bytes: usize,
    /// The AniList endpoint, timeouts, cache lifetimes and the starting rate limit.
    pub anilist: AniListSettings,
    pub leptos: LeptosOptions,
}

impl std::fmt::Debug for Settings {
    /// The database URL may hold a password: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("address", &self.address)
            .field("public_url", &self.public_url)
            .field("log_format", &self.log_format)
            .field("invitation_ttl", &self.invitation_ttl)
            .field("session_lifetime", &self.session_lifetime)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("anilist", &self.anilist)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// The site configuration, compiled in from Leptos.toml (the one place for it); `LEPTOS_*`
/// environment variables override it, which is how cargo-leptos passes its own values.
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    leptos::config::get_config_from_str(include_str!("../../Leptos.toml"))
        .context("reading Leptos.toml")
}

impl Settings {
    /// Reads the process environment.
    ///
    /// # Errors
    /// A message naming the variable and what is wrong with it.
    pub fn from_env() -> anyhow::Result<Self> {
        // A missing .env file is normal; a malformed one is not.
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(error) if error.not_found() => {}
            Err(error) => bail!("cannot read .env: {error}"),
        }
        Self::from_lookup(|name| std::env::var(name).ok(), leptos_options()?)
    }

    /// Reads settings through `lookup`, so tests can pass their own values.
    ///
    /// # Errors
    /// A message naming the variable and what is wrong with it.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        leptos: LeptosOptions,
    ) -> anyhow::Result<Self> {
        let database_url = lookup("DATABASE_URL").context(
            "DATABASE_URL is not set: point it at a PostgreSQL database (or use `cargo xtask run`, which starts one)",
        )?;
        let address = match lookup("BLOOMWATCH_ADDR") {
            Some(raw) => raw.parse().with_context(|| {
                format!("BLOOMWATCH_ADDR={raw:?} is not an address like 127.0.0.1:3000")
            })?,
            None => leptos.site_addr,
        };
        let public_url = lookup("BLOOMWATCH_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{address}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            bail!("BLOOMWATCH_PUBLIC_URL={public_url:?} must start with http:// or https://");
        }
        let log_format = match lookup("BLOOMWATCH_LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => bail!("BLOOMWATCH_LOG_FORMAT={other:?} must be `pretty` or `json`"),
        };
        Ok(Self {
            database_url,
            database_max_connections: number(&lookup, "BLOOMWATCH_DB_MAX_CONNECTIONS", 10)?,
            address,
            public_url,
            log_format,
            invitation_ttl: time::Duration::hours(number(
                &lookup,
                "BLOOMWATCH_INVITATION_TTL_HOURS",
                168,
            )?),
            session_lifetime: time::Duration::days(number(&lookup, "BLOOMWATCH_SESSION_DAYS", 14)?),
            max_body_bytes: number(&lookup, "BLOOMWATCH_MAX_BODY_BYTES", 64 * 1024)?,
            anilist: anilist_settings(&lookup)?,
            leptos,
        })
    }

    /// Cookies get `Secure` when users reach us over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

fn anilist_settings(lookup: &impl Fn(&str) -> Option<String>) -> anyhow::Result<AniListSettings> {
    let defaults = AniListSettings::default();
    let api_url = lookup("ANILIST_API_URL").unwrap_or(defaults.api_url);
    if !(api_url.starts_with("http://") || api_url.starts_with("https://")) {
        bail!("ANILIST_API_URL={api_url:?} must start with http:// or https://");
    }
    Ok(AniListSettings {
        api_url,
        request_timeout: std::time::Duration::from_secs(number(
            lookup,
            "ANILIST_TIMEOUT_SECONDS",
            defaults.request_timeout.as_secs(),
        )?),
        media_stale_after: time::Duration::days(number(
            lookup,
            "ANILIST_MEDIA_STALE_DAYS",
            defaults.media_stale_after.whole_days(),
        )?),
        search_cache_ttl: std::time::Duration::from_secs(
            60 * number(
                lookup,
                "ANILIST_SEARCH_CACHE_MINUTES",
                defaults.search_cache_ttl.as_secs() / 60,
            )?,
        ),
        initial_requests_per_minute: number(
            lookup,
            "ANILIST_REQUESTS_PER_MINUTE",
            defaults.initial_requests_per_minute,
        )?,
        ..defaults
    })
}

fn number<T>(lookup: &impl Fn(&str) -> Option<String>, name: &str, default: T) -> anyhow::Result<T>
where
    T: std::str::FromStr + PartialOrd + Default + Copy,
{
    match lookup(name) {
        None => Ok(default),
        Some(raw) => match raw.trim().parse::<T>() {
            Ok(value) if value > T::default() => Ok(value),
            _ => bail!("{name}={raw:?} must be a positive whole number"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(|name| vars.get(name).cloned(), leptos_options()?)
    }

    #[test]
    fn defaults_come_from_leptos_toml() {
        let settings = settings(&[("DATABASE_URL", "postgres://x")]).unwrap();
        assert_eq!(settings.address.to_string(), "127.0.0.1:3000");
        assert_eq!(settings.public_url, "http://127.0.0.1:3000");
        assert_eq!(settings.invitation_ttl, time::Duration::days(7));
        assert!(!settings.secure_cookies());
        assert_eq!(settings.leptos.output_name.as_ref(), "bloomwatch");
        assert_eq!(settings.anilist, AniListSettings::default());
    }

    #[test]
    fn anilist_settings_come_from_the_environment() {
        let configured = settings(&[
            ("DATABASE_URL", "x"),
            ("ANILIST_API_URL", "http://127.0.0.1:4010/"),
            ("ANILIST_TIMEOUT_SECONDS", "2"),
            ("ANILIST_MEDIA_STALE_DAYS", "1"),
            ("ANILIST_SEARCH_CACHE_MINUTES", "3"),
            ("ANILIST_REQUESTS_PER_MINUTE", "20"),
        ])
        .unwrap();
        assert_eq!(configured.anilist.api_url, "http://127.0.0.1:4010/");
        assert_eq!(configured.anilist.request_timeout.as_secs(), 2);
        assert_eq!(
            configured.anilist.media_stale_after,
            time::Duration::days(1)
        );
        assert_eq!(configured.anilist.search_cache_ttl.as_secs(), 180);
        assert_eq!(configured.anilist.initial_requests_per_minute, 20);
        let bad = settings(&[
            ("DATABASE_URL", "x"),
            ("ANILIST_API_URL", "graphql.anilist.co"),
        ])
        .err()
        .unwrap()
        .to_string();
        assert!(bad.contains("ANILIST_API_URL"), "{bad}");
    }

    #[test]
    fn bad_values_name_the_variable() {
        let missing = settings(&[]).err().unwrap().to_string();
        assert!(missing.contains("DATABASE_URL"), "{missing}");
        let bad = settings(&[("DATABASE_URL", "x"), ("BLOOMWATCH_SESSION_DAYS", "-3")])
            .err()
            .unwrap()
            .to_string();
        assert!(bad.contains("BLOOMWATCH_SESSION_DAYS"), "{bad}");
        let addr = settings(&[("DATABASE_URL", "x"), ("BLOOMWATCH_ADDR", "nowhere")])
            .err()
            .unwrap()
            .to_string();
        assert!(addr.contains("BLOOMWATCH_ADDR"), "{addr}");
    }

    #[test]
    fn https_public_urls_make_cookies_secure() {
        let settings = settings(&[
            ("DATABASE_URL", "x"),
            ("BLOOMWATCH_PUBLIC_URL", "https://bloom.example/"),
        ])
        .unwrap();
        assert!(settings.secure_cookies());
        assert_eq!(settings.public_url, "https://bloom.example");
    }

    #[test]
    fn the_debug_output_hides_the_database_url() {
        let settings = settings(&[("DATABASE_URL", "postgres://user:secret@db/x")]).unwrap();
        assert!(!format!("{settings:?}").contains("secret"));
    }
}
