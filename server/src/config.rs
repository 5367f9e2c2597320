//! Settings, read once at start-up from the environment (and an optional `.env` file).
//! Every variable is documented in the README and `.env.example`.

use std::net::SocketAddr;
use std::sync::Arc;

use anilist_sync::{AniListSettings, OAuthClientSettings};
use anyhow::{bail, Context as _};
use identity::TokenKeys;
use leptos::config::LeptosOptions;
use secrecy::SecretString;

use crate::client_address::TrustedProxies;
use crate::serving::ConnectionLimits;

const ANILIST_AUTHORIZE_URL: &str = "https://anilist.co/api/v2/oauth/authorize";
const ANILIST_TOKEN_URL: &str = "https://anilist.co/api/v2/oauth/token";

/// Everything the server needs to start, parsed and checked.
#[derive(Clone)]
pub struct Settings {
    /// May hold a password: kept out of logs and Debug output.
    pub database_url: SecretString,
    pub database_max_connections: u32,
    /// How long start-up waits for an unreachable PostgreSQL.
    pub database_wait: std::time::Duration,
    pub address: SocketAddr,
    /// Where users reach BloomWatch: invite links, the Origin check and Secure cookies use it.
    pub public_url: String,
    /// The proxies whose `X-Forwarded-For` names the client (none by default).
    pub trusted_proxies: Arc<TrustedProxies>,
    pub log_format: LogFormat,
    pub invitation_ttl: time::Duration,
    pub session_lifetime: time::Duration,
    /// How long a browser session lasts from sign-in, however active.
    pub session_absolute_lifetime: time::Duration,
    pub max_body_bytes: usize,
    pub connection_limits: ConnectionLimits,
    /// New accounts per client address and hour.
    pub registrations_per_hour: u32,
    /// The AniList endpoint, timeouts, cache lifetimes, the starting rate limit and
    /// BloomWatch's AniList client (for linking accounts), if any.
    pub anilist: AniListSettings,
    /// The bearer token a Prometheus scraper sends for `/metrics` (none: no metrics page).
    pub metrics_token: Option<SecretString>,
    /// The keys that seal linked accounts' tokens; required when an AniList client is set.
    pub token_keys: Option<Arc<TokenKeys>>,
    pub leptos: LeptosOptions,
}

impl std::fmt::Debug for Settings {
    /// Leaves out the Leptos options (long, and not settings of ours).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &self.database_url)
            .field("database_wait", &self.database_wait)
            .field("address", &self.address)
            .field("public_url", &self.public_url)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("log_format", &self.log_format)
            .field("invitation_ttl", &self.invitation_ttl)
            .field("session_lifetime", &self.session_lifetime)
            .field("session_absolute_lifetime", &self.session_absolute_lifetime)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("connection_limits", &self.connection_limits)
            .field("registrations_per_hour", &self.registrations_per_hour)
            .field("anilist", &self.anilist)
            .field(
                "metrics_token",
                &self.metrics_token.as_ref().map(|_| "<set>"),
            )
            .field("token_keys", &self.token_keys)
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
        let database_url = SecretString::from(lookup("DATABASE_URL").context(
            "DATABASE_URL is not set: point it at a PostgreSQL database (or use `cargo xtask run`, which starts one)",
        )?);
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
        let trusted_proxies = match lookup("BLOOMWATCH_TRUSTED_PROXIES") {
            Some(raw) => TrustedProxies::parse(&raw)
                .map_err(|why| anyhow::anyhow!("BLOOMWATCH_TRUSTED_PROXIES: {why}"))?,
            None => TrustedProxies::default(),
        };
        let log_format = match lookup("BLOOMWATCH_LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => bail!("BLOOMWATCH_LOG_FORMAT={other:?} must be `pretty` or `json`"),
        };
        let mut anilist = anilist_settings(&lookup)?;
        anilist.oauth = anilist_client(&lookup, &public_url)?;
        let token_keys = match lookup("BLOOMWATCH_TOKEN_KEYS").filter(|raw| !raw.trim().is_empty())
        {
            Some(raw) => {
                Some(Arc::new(TokenKeys::parse(&raw).map_err(|why| {
                    anyhow::anyhow!("BLOOMWATCH_TOKEN_KEYS: {why}")
                })?))
            }
            None => None,
        };
        let metrics_token = match lookup("BLOOMWATCH_METRICS_TOKEN").filter(|raw| !raw.is_empty()) {
            Some(raw) if raw.len() < 16 || raw.chars().any(|c| c.is_whitespace() || c.is_control()) => bail!(
                "BLOOMWATCH_METRICS_TOKEN must be at least 16 characters without spaces, e.g. $(openssl rand -hex 16)"
            ),
            raw => raw.map(SecretString::from),
        };
        if anilist.oauth.is_some() && token_keys.is_none() {
            bail!("ANILIST_CLIENT_ID is set but BLOOMWATCH_TOKEN_KEYS is not: linked AniList tokens are stored encrypted, so set a key, e.g. BLOOMWATCH_TOKEN_KEYS=k1:$(openssl rand -base64 32)");
        }
        Ok(Self {
            database_url,
            database_max_connections: number(&lookup, "BLOOMWATCH_DB_MAX_CONNECTIONS", 10)?,
            database_wait: std::time::Duration::from_secs(number(
                &lookup,
                "BLOOMWATCH_DB_WAIT_SECONDS",
                30,
            )?),
            address,
            public_url,
            trusted_proxies: Arc::new(trusted_proxies),
            log_format,
            invitation_ttl: time::Duration::hours(number(
                &lookup,
                "BLOOMWATCH_INVITATION_TTL_HOURS",
                168,
            )?),
            session_lifetime: time::Duration::days(number(&lookup, "BLOOMWATCH_SESSION_DAYS", 14)?),
            session_absolute_lifetime: time::Duration::days(number(
                &lookup,
                "BLOOMWATCH_SESSION_MAX_DAYS",
                30,
            )?),
            max_body_bytes: number(&lookup, "BLOOMWATCH_MAX_BODY_BYTES", 64 * 1024)?,
            connection_limits: connection_limits(&lookup)?,
            registrations_per_hour: number(&lookup, "BLOOMWATCH_REGISTRATIONS_PER_HOUR", 10)?,
            anilist,
            metrics_token,
            token_keys,
            leptos,
        })
    }

    /// Cookies get `Secure` when users reach us over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

fn connection_limits(lookup: &impl Fn(&str) -> Option<String>) -> anyhow::Result<ConnectionLimits> {
    let defaults = ConnectionLimits::default();
    Ok(ConnectionLimits {
        header_read_timeout: std::time::Duration::from_secs(number(
            lookup,
            "BLOOMWATCH_HEADER_TIMEOUT_SECONDS",
            defaults.header_read_timeout.as_secs(),
        )?),
        max_connections: number(
            lookup,
            "BLOOMWATCH_MAX_CONNECTIONS",
            defaults.max_connections,
        )?,
    })
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
        requests_per_member_per_minute: number(
            lookup,
            "ANILIST_REQUESTS_PER_MEMBER_PER_MINUTE",
            defaults.requests_per_member_per_minute,
        )?,
        ..defaults
    })
}

/// BloomWatch's AniList client, when `ANILIST_CLIENT_ID` is set (then the secret must be).
fn anilist_client(
    lookup: &impl Fn(&str) -> Option<String>,
    public_url: &str,
) -> anyhow::Result<Option<OAuthClientSettings>> {
    let set = |name: &str| {
        lookup(name)
            .map(|raw| raw.trim().to_owned())
            .filter(|raw| !raw.is_empty())
    };
    let Some(client_id) = set("ANILIST_CLIENT_ID") else {
        return Ok(None);
    };
    let client_secret = set("ANILIST_CLIENT_SECRET").context(
        "ANILIST_CLIENT_ID is set but ANILIST_CLIENT_SECRET is not (both come from https://anilist.co/settings/developer)",
    )?;
    let web_url = |name: &str, default: String| -> anyhow::Result<String> {
        let url = set(name).unwrap_or(default);
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            bail!("{name}={url:?} must start with http:// or https://");
        }
        Ok(url)
    };
    Ok(Some(OAuthClientSettings {
        client_id,
        client_secret: SecretString::from(client_secret),
        redirect_uri: web_url(
            "ANILIST_REDIRECT_URI",
            format!("{public_url}/api/me/anilist/callback"),
        )?,
        authorize_url: web_url("ANILIST_AUTHORIZE_URL", ANILIST_AUTHORIZE_URL.to_owned())?,
        token_url: web_url("ANILIST_TOKEN_URL", ANILIST_TOKEN_URL.to_owned())?,
    }))
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
        assert_eq!(settings.anilist.api_url, AniListSettings::default().api_url);
        assert!(settings.anilist.oauth.is_none());
        assert!(settings.token_keys.is_none());
        assert_eq!(*settings.trusted_proxies, TrustedProxies::default());
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let behind = settings(&[
            ("DATABASE_URL", "x"),
            ("BLOOMWATCH_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"),
        ])
        .unwrap();
        assert_eq!(
            *behind.trusted_proxies,
            TrustedProxies::parse("10.0.0.0/8,127.0.0.1").unwrap()
        );
        let wrong = settings(&[("DATABASE_URL", "x"), ("BLOOMWATCH_TRUSTED_PROXIES", "lb")])
            .err()
            .unwrap()
            .to_string();
        assert!(
            wrong.starts_with("BLOOMWATCH_TRUSTED_PROXIES: \"lb\""),
            "{wrong}"
        );
    }

    const KEY: &str = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    #[test]
    fn an_anilist_client_needs_its_secret_and_a_token_key() {
        let configured = settings(&[
            ("DATABASE_URL", "x"),
            ("BLOOMWATCH_PUBLIC_URL", "https://bloom.example"),
            ("ANILIST_CLIENT_ID", "123"),
            ("ANILIST_CLIENT_SECRET", "hush-hush"),
            ("BLOOMWATCH_TOKEN_KEYS", KEY),
        ])
        .unwrap();
        let oauth = configured.anilist.oauth.as_ref().unwrap();
        assert_eq!(oauth.client_id, "123");
        assert_eq!(
            oauth.redirect_uri,
            "https://bloom.example/api/me/anilist/callback"
        );
        assert_eq!(oauth.authorize_url, ANILIST_AUTHORIZE_URL);
        assert_eq!(oauth.token_url, ANILIST_TOKEN_URL);
        let printed = format!("{configured:?}");
        assert!(
            !printed.contains("hush-hush") && !printed.contains("AAECAwQF"),
            "{printed}"
        );

        let no_secret = settings(&[("DATABASE_URL", "x"), ("ANILIST_CLIENT_ID", "123")])
            .err()
            .unwrap()
            .to_string();
        assert!(no_secret.contains("ANILIST_CLIENT_SECRET"), "{no_secret}");
        let no_key = settings(&[
            ("DATABASE_URL", "x"),
            ("ANILIST_CLIENT_ID", "123"),
            ("ANILIST_CLIENT_SECRET", "s"),
        ])
        .err()
        .unwrap()
        .to_string();
        assert!(no_key.contains("BLOOMWATCH_TOKEN_KEYS"), "{no_key}");
        let bad_key = settings(&[("DATABASE_URL", "x"), ("BLOOMWATCH_TOKEN_KEYS", "k1:short")])
            .err()
            .unwrap()
            .to_string();
        assert!(
            bad_key.contains("BLOOMWATCH_TOKEN_KEYS") && bad_key.contains("base64"),
            "{bad_key}"
        );
        let bad_url = settings(&[
            ("DATABASE_URL", "x"),
            ("ANILIST_CLIENT_ID", "123"),
            ("ANILIST_CLIENT_SECRET", "s"),
            ("BLOOMWATCH_TOKEN_KEYS", KEY),
            ("ANILIST_TOKEN_URL", "anilist.co/token"),
        ])
        .err()
        .unwrap()
        .to_string();
        assert!(bad_url.contains("ANILIST_TOKEN_URL"), "{bad_url}");
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
