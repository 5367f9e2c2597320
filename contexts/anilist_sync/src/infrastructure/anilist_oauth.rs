//! AniList's OAuth endpoints (authorization-code grant): the address a member is sent to in
//! order to approve BloomWatch, and the exchange of the code AniList hands back for an access
//! token. The token endpoint is not the GraphQL API, so these calls are not counted in its
//! budget. Tokens and the client secret never appear in an error or a log line.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use reqwest::header::ACCEPT;
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;
use time::OffsetDateTime;

/// The most of a token answer we read (a token is about a kilobyte).
const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longer than any token AniList issues (a year): a larger `expires_in` is not believed.
const MAX_LIFETIME: time::Duration = time::Duration::days(2 * 366);

/// BloomWatch's registration at AniList (`https://anilist.co/settings/developer`).
#[derive(Clone)]
pub struct OAuthClientSettings {
    pub client_id: String,
    pub client_secret: SecretString,
    /// Exactly the redirect URL registered with AniList.
    pub redirect_uri: String,
    pub authorize_url: String,
    pub token_url: String,
}

impl std::fmt::Debug for OAuthClientSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthClientSettings")
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("authorize_url", &self.authorize_url)
            .field("token_url", &self.token_url)
            .finish_non_exhaustive()
    }
}

/// A token AniList issued.
pub struct IssuedToken {
    pub access_token: SecretString,
    pub expires_at: Option<OffsetDateTime>,
}

/// Why the code could not be exchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeError {
    /// AniList refused the code or our client (HTTP 4xx): the member starts again.
    #[error("AniList refused the code: {0}")]
    Refused(String),
    /// AniList could not answer usefully (down, slow, an unreadable answer): try later.
    #[error("AniList's token endpoint could not answer: {0}")]
    Unavailable(String),
}

pub struct OAuthClient {
    http: reqwest::Client,
    settings: OAuthClientSettings,
    authorize_url: Url,
    token_url: Url,
}

impl OAuthClient {
    /// # Errors
    /// When an address is not an absolute http(s) URL, or the HTTP client cannot be built.
    pub fn new(settings: OAuthClientSettings, timeout: Duration) -> anyhow::Result<Self> {
        let web_url = |name: &str, raw: &str| -> anyhow::Result<Url> {
            let url =
                Url::parse(raw).map_err(|error| anyhow::anyhow!("{name} {raw:?}: {error}"))?;
            anyhow::ensure!(
                matches!(url.scheme(), "http" | "https"),
                "{name} {raw:?} must be http(s)"
            );
            Ok(url)
        };
        let authorize_url = web_url("the AniList authorize URL", &settings.authorize_url)?;
        let token_url = web_url("the AniList token URL", &settings.token_url)?;
        web_url("the AniList redirect URI", &settings.redirect_uri)?;
        anyhow::ensure!(
            !settings.client_id.trim().is_empty(),
            "the AniList client id is empty"
        );
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("BloomWatch/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            settings,
            authorize_url,
            token_url,
        })
    }

    /// Where the member approves BloomWatch; AniList sends them back to the redirect URI with
    /// `code` and this `state`.
    pub fn authorize_url(&self, state: &str) -> String {
        let mut url = self.authorize_url.clone();
        url.query_pairs_mut()
            .append_pair("client_id", &self.settings.client_id)
            .append_pair("redirect_uri", &self.settings.redirect_uri)
            .append_pair("response_type", "code")
            .append_pair("state", state);
        url.into()
    }

    /// Trades the code for a token. `now` dates the expiry.
    ///
    /// # Errors
    /// `Refused` for AniList's 4xx answers, `Unavailable` for everything passing.
    pub async fn exchange(
        &self,
        code: &str,
        now: OffsetDateTime,
    ) -> Result<IssuedToken, ExchangeError> {
        let body = json!({
            "grant_type": "authorization_code",
            "client_id": self.settings.client_id,
            "client_secret": self.settings.client_secret.expose_secret(),
            "redirect_uri": self.settings.redirect_uri,
            "code": code,
        });
        let unavailable = |error: reqwest::Error| {
            ExchangeError::Unavailable(if error.is_timeout() {
                "no answer in time".to_owned()
            } else {
                // Without the URL: reqwest's message carries it, ours need not.
                error.without_url().to_string()
            })
        };
        let mut response = self
            .http
            .post(self.token_url.clone())
            .header(ACCEPT, "application/json")
            .json(&body)
            .send()
            .await
            .map_err(unavailable)?;
        let status = response.status().as_u16();
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unavailable)? {
            if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(ExchangeError::Unavailable(
                    "the answer is too large".to_owned(),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        token_answer(status, &bytes, now)
    }
}

#[derive(Deserialize)]
struct TokenWire {
    access_token: Option<String>,
    expires_in: Option<i64>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Reads the token endpoint's answer.
fn token_answer(
    status: u16,
    body: &[u8],
    now: OffsetDateTime,
) -> Result<IssuedToken, ExchangeError> {
    let wire: Option<TokenWire> = serde_json::from_slice(body).ok();
    if (400..500).contains(&status) {
        let why = wire
            .and_then(|wire| wire.error_description.or(wire.error))
            .unwrap_or_else(|| format!("HTTP {status}"));
        return Err(ExchangeError::Refused(why));
    }
    if !(200..300).contains(&status) {
        return Err(ExchangeError::Unavailable(format!("HTTP {status}")));
    }
    let wire =
        wire.ok_or_else(|| ExchangeError::Unavailable("the answer is not JSON".to_owned()))?;
    let access_token = wire
        .access_token
        .map(|token| token.trim().to_owned())
        .filter(|token| !token.is_empty() && !token.chars().any(char::is_whitespace))
        .ok_or_else(|| ExchangeError::Unavailable("the answer has no access token".to_owned()))?;
    let from_lifetime = wire
        .expires_in
        .filter(|seconds| *seconds > 0)
        .map(time::Duration::seconds)
        .filter(|lifetime| *lifetime <= MAX_LIFETIME)
        .map(|lifetime| now + lifetime);
    let expires_at = from_lifetime.or_else(|| jwt_expiry(&access_token, now));
    Ok(IssuedToken {
        access_token: SecretString::from(access_token),
        expires_at,
    })
}

/// The `exp` claim of a JWT-shaped token (AniList's are), if it lies in the future and
/// within a token's lifetime. Only for showing "re-link in N days": nothing trusts it.
fn jwt_expiry(token: &str, now: OffsetDateTime) -> Option<OffsetDateTime> {
    #[derive(Deserialize)]
    struct Claims {
        exp: Option<i64>,
    }
    let payload = token.split('.').nth(1)?;
    let claims: Claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    let expires = OffsetDateTime::from_unix_timestamp(claims.exp?).ok()?;
    (expires > now && expires - now <= MAX_LIFETIME).then_some(expires)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-01 12:00 UTC);

    fn settings() -> OAuthClientSettings {
        OAuthClientSettings {
            client_id: "123".to_owned(),
            client_secret: SecretString::from("shh".to_owned()),
            redirect_uri: "https://bloom.example/api/me/anilist/callback".to_owned(),
            authorize_url: "https://anilist.co/api/v2/oauth/authorize".to_owned(),
            token_url: "https://anilist.co/api/v2/oauth/token".to_owned(),
        }
    }

    #[test]
    fn the_authorize_url_carries_client_redirect_and_state_encoded() {
        let client = OAuthClient::new(settings(), Duration::from_secs(5)).unwrap();
        assert_eq!(
            client.authorize_url("a+b/c"),
            "https://anilist.co/api/v2/oauth/authorize?client_id=123&redirect_uri=https%3A%2F%2Fbloom.example%2Fapi%2Fme%2Fanilist%2Fcallback&response_type=code&state=a%2Bb%2Fc"
        );
        let mut bad = settings();
        bad.token_url = "ftp://anilist.co".to_owned();
        assert!(OAuthClient::new(bad, Duration::from_secs(5)).is_err());
        let debug = format!("{:?}", settings());
        assert!(!debug.contains("shh"));
    }

    #[test]
    fn a_token_answer_gives_the_token_and_its_expiry() {
        let issued = token_answer(
            200,
            br#"{"token_type":"Bearer","expires_in":31536000,"access_token":"abc.def.ghi","refresh_token":null}"#,
            NOW,
        )
        .unwrap();
        assert_eq!(issued.access_token.expose_secret(), "abc.def.ghi");
        assert_eq!(issued.expires_at, Some(NOW + time::Duration::days(365)));
    }

    #[test]
    fn without_expires_in_the_jwt_expiry_is_used_when_plausible() {
        let claims = URL_SAFE_NO_PAD.encode(format!(
            r#"{{"sub":"5","exp":{}}}"#,
            (NOW + time::Duration::days(300)).unix_timestamp()
        ));
        let token = format!("header.{claims}.signature");
        let body = format!(r#"{{"access_token":"{token}"}}"#);
        let issued = token_answer(200, body.as_bytes(), NOW).unwrap();
        assert_eq!(issued.expires_at, Some(NOW + time::Duration::days(300)));
        let opaque =
            token_answer(200, br#"{"access_token":"opaque","expires_in":-5}"#, NOW).unwrap();
        assert_eq!(opaque.expires_at, None);
        let absurd = token_answer(
            200,
            br#"{"access_token":"x","expires_in":999999999999}"#,
            NOW,
        )
        .unwrap();
        assert_eq!(absurd.expires_at, None);
    }

    #[test]
    fn refusals_and_odd_answers_are_told_apart() {
        assert_eq!(
            token_answer(
                400,
                br#"{"error":"invalid_grant","error_description":"The code is used."}"#,
                NOW
            )
            .err(),
            Some(ExchangeError::Refused("The code is used.".to_owned()))
        );
        assert_eq!(
            token_answer(401, b"nope", NOW).err(),
            Some(ExchangeError::Refused("HTTP 401".to_owned()))
        );
        for (status, body) in [
            (500, &b"<html>"[..]),
            (200, b"not json"),
            (200, br#"{"access_token":""}"#),
            (200, br#"{"access_token":"a b"}"#),
            (200, br#"{}"#),
        ] {
            assert!(
                matches!(
                    token_answer(status, body, NOW),
                    Err(ExchangeError::Unavailable(_))
                ),
                "{status} {}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
