//! AniList's OAuth 2 authorization-code grant on its own paths:
//! `GET /api/v2/oauth/authorize` approves at once (there is no page to click) and redirects
//! with a code; `POST /api/v2/oauth/token` trades the code for a year-long JWT-looking token.
//! The fake knows one client, [`OAUTH_CLIENT_ID`] with [`OAUTH_CLIENT_SECRET`], and accepts
//! any http(s) redirect URI for it (AniList insists on the registered one).
//! These endpoints are not GraphQL: they are not counted, faulted or rate limited.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::distributions::Alphanumeric;
use rand::{Rng, RngCore};
use serde::Deserialize;
use serde_json::json;

use crate::covers::escape_xml;
use crate::state::{unix_now, Shared};

/// The id of the one OAuth client the fake knows.
pub const OAUTH_CLIENT_ID: &str = "bloomwatch-fake-client";
/// That client's secret.
pub const OAUTH_CLIENT_SECRET: &str = "fake-client-secret";

pub(crate) const AUTHORIZE_PATH: &str = "/api/v2/oauth/authorize";
pub(crate) const TOKEN_PATH: &str = "/api/v2/oauth/token";

/// How long a code can be traded for a token.
const CODE_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// AniList tokens last a year and cannot be refreshed.
const TOKEN_LIFETIME_SECONDS: u64 = 31_536_000;

/// Codes, tokens and the approval knobs.
pub(crate) struct OAuth {
    codes: HashMap<String, Grant>,
    /// Token → the id of the user it signs in.
    tokens: HashMap<String, i64>,
    /// `None`: every approval creates a new user.
    approve_as: Option<String>,
    deny: bool,
}

/// What an authorization code was issued for.
struct Grant {
    client_id: String,
    redirect_uri: String,
    user_id: i64,
    expires_at: Instant,
}

/// How the next authorization request is answered.
pub(crate) enum Approval {
    Deny,
    /// Sign in as the user of that name, or as a new user.
    SignInAs(Option<String>),
}

/// A refused code, with the `error_description` to send.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct InvalidGrant(&'static str);

impl OAuth {
    pub(crate) fn new() -> Self {
        Self {
            codes: HashMap::new(),
            tokens: HashMap::new(),
            approve_as: None,
            deny: false,
        }
    }

    pub(crate) fn set_approve_as(&mut self, name: Option<String>) {
        self.approve_as = name;
    }

    pub(crate) fn set_deny(&mut self, deny: bool) {
        self.deny = deny;
    }

    pub(crate) fn expire_tokens(&mut self) {
        self.tokens.clear();
    }

    pub(crate) fn approval(&self) -> Approval {
        if self.deny {
            Approval::Deny
        } else {
            Approval::SignInAs(self.approve_as.clone())
        }
    }

    pub(crate) fn token_owner(&self, token: &str) -> Option<i64> {
        self.tokens.get(token).copied()
    }

    fn issue_code(
        &mut self,
        client_id: &str,
        redirect_uri: &str,
        user_id: i64,
        now: Instant,
    ) -> String {
        let code = random_alphanumeric(40);
        self.codes.insert(
            code.clone(),
            Grant {
                client_id: client_id.to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                user_id,
                expires_at: now + CODE_LIFETIME,
            },
        );
        code
    }

    /// The user `code` was issued for. Only a successful exchange (or expiry) uses a code up;
    /// a refused one leaves it usable, so a client that fixes its request can retry.
    fn redeem(
        &mut self,
        code: &str,
        client_id: &str,
        redirect_uri: &str,
        now: Instant,
    ) -> Result<i64, InvalidGrant> {
        let grant = self.codes.get(code).ok_or(InvalidGrant(
            "The authorization code is unknown or was already used.",
        ))?;
        if now >= grant.expires_at {
            self.codes.remove(code);
            return Err(InvalidGrant("The authorization code has expired."));
        }
        if grant.client_id != client_id {
            return Err(InvalidGrant(
                "The authorization code was not issued to this client.",
            ));
        }
        if grant.redirect_uri != redirect_uri {
            return Err(InvalidGrant(
                "The redirect_uri differs from the one the code was issued for.",
            ));
        }
        let user_id = grant.user_id;
        self.codes.remove(code);
        Ok(user_id)
    }

    fn issue_token(&mut self, client_id: &str, user_id: i64, now_unix: u64) -> String {
        let token = mint_token(client_id, user_id, now_unix);
        self.tokens.insert(token.clone(), user_id);
        token
    }
}

/// Shaped like AniList's tokens, a signed JWT whose `sub` is the user id, so clients that
/// read `sub` and `exp` from it work; the signature is random bytes.
fn mint_token(client_id: &str, user_id: i64, now_unix: u64) -> String {
    let header = json!({"typ": "JWT", "alg": "RS256"});
    let payload = json!({
        "aud": client_id,
        "jti": random_alphanumeric(80),
        "iat": now_unix,
        "nbf": now_unix,
        "exp": now_unix + TOKEN_LIFETIME_SECONDS,
        "sub": user_id.to_string(),
        "scopes": [],
    });
    // An RS256 signature is as long as its 2048-bit key.
    let mut signature = [0_u8; 256];
    rand::thread_rng().fill_bytes(&mut signature);
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

fn random_alphanumeric(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

#[derive(Debug, Deserialize)]
pub(crate) struct AuthorizeRequest {
    client_id: Option<String>,
    redirect_uri: Option<String>,
    response_type: Option<String>,
    state: Option<String>,
}

pub(crate) async fn authorize(
    State(shared): State<Arc<Shared>>,
    request: Result<Query<AuthorizeRequest>, QueryRejection>,
) -> Response {
    let Ok(Query(request)) = request else {
        return bad_authorization("The query string is malformed.");
    };
    if request.client_id.as_deref() != Some(OAUTH_CLIENT_ID) {
        return bad_authorization("client_id is missing or names no registered client.");
    }
    let Some(redirect_uri) = request
        .redirect_uri
        .as_deref()
        .filter(|uri| is_absolute_http_url(uri))
    else {
        return bad_authorization("redirect_uri is missing or not an absolute http(s) URL.");
    };
    if request.response_type.as_deref() != Some("code") {
        return bad_authorization("response_type must be code.");
    }
    let approval = shared.oauth().approval();
    let mut params = match approval {
        Approval::Deny => vec![
            ("error", "access_denied".to_owned()),
            ("error_description", "The user denied access".to_owned()),
        ],
        Approval::SignInAs(name) => {
            let user_id = shared.users().approving_user(name.as_deref());
            let code =
                shared
                    .oauth()
                    .issue_code(OAUTH_CLIENT_ID, redirect_uri, user_id, Instant::now());
            vec![("code", code)]
        }
    };
    if let Some(state) = request.state {
        params.push(("state", state));
    }
    match HeaderValue::try_from(with_query(redirect_uri, &params)) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => bad_authorization("redirect_uri is not a valid URL."),
    }
}

/// AniList shows an error page instead of redirecting when the request itself is wrong.
fn bad_authorization(problem: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        format!(
            "<!doctype html><html><head><title>Authorization failed</title></head>\
             <body><h1>Authorization failed</h1><p>{}</p></body></html>",
            escape_xml(problem)
        ),
    )
        .into_response()
}

/// Visible ASCII only, so it can go into a `Location` header, and no fragment (OAuth forbids
/// one in a redirect URI).
fn is_absolute_http_url(uri: &str) -> bool {
    let lower = uri.to_ascii_lowercase();
    let scheme_len = ["http://", "https://"]
        .into_iter()
        .find(|scheme| lower.starts_with(scheme))
        .map(str::len);
    scheme_len.is_some_and(|len| {
        let host = uri[len..].split(['/', '?']).next().unwrap_or_default();
        !host.is_empty() && !uri.contains('#') && uri.chars().all(|c| c.is_ascii_graphic())
    })
}

/// `uri` with `params` appended to its query string.
fn with_query(uri: &str, params: &[(&str, String)]) -> String {
    let separator = if !uri.contains('?') {
        "?"
    } else if uri.ends_with(['?', '&']) {
        ""
    } else {
        "&"
    };
    let query: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{name}={}", form_encode(value)))
        .collect();
    format!("{uri}{separator}{}", query.join("&"))
}

/// `application/x-www-form-urlencoded`: unreserved characters stay, a space becomes `+`.
fn form_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                encoded.push(char::from(byte));
            }
            b' ' => encoded.push('+'),
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    encoded
}

/// The token request's fields, all optional so a missing one gets OAuth's error for it.
#[derive(Debug, Deserialize)]
pub(crate) struct TokenRequest {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    redirect_uri: Option<String>,
    code: Option<String>,
}

/// Accepts JSON (what AniList documents) and a form body (what OAuth libraries send).
pub(crate) async fn token(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    let parsed = if is_form {
        Form::<TokenRequest>::from_request(request, &())
            .await
            .map(|Form(body)| body)
            .map_err(|rejection| rejection.body_text())
    } else {
        match Bytes::from_request(request, &()).await {
            Ok(body) => serde_json::from_slice(&body).map_err(|error| error.to_string()),
            Err(rejection) => Err(rejection.body_text()),
        }
    };
    let request = match parsed {
        Ok(request) => request,
        Err(problem) => {
            return token_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                &format!("The request body is malformed: {problem}"),
            )
        }
    };
    match request.grant_type.as_deref() {
        Some("authorization_code") => {}
        Some(_) => {
            return token_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Only the authorization_code grant is supported.",
            )
        }
        None => return missing_parameter("grant_type"),
    }
    if request.client_id.as_deref() != Some(OAUTH_CLIENT_ID)
        || request.client_secret.as_deref() != Some(OAUTH_CLIENT_SECRET)
    {
        return token_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed.",
        );
    }
    let Some(redirect_uri) = request.redirect_uri else {
        return missing_parameter("redirect_uri");
    };
    let Some(code) = request.code else {
        return missing_parameter("code");
    };
    let mut oauth = shared.oauth();
    match oauth.redeem(&code, OAUTH_CLIENT_ID, &redirect_uri, Instant::now()) {
        Ok(user_id) => {
            let access_token = oauth.issue_token(OAUTH_CLIENT_ID, user_id, unix_now());
            let mut response = Json(json!({
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME_SECONDS,
                "access_token": access_token,
                "refresh_token": null,
            }))
            .into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(InvalidGrant(description)) => {
            token_error(StatusCode::BAD_REQUEST, "invalid_grant", description)
        }
    }
}

fn missing_parameter(name: &str) -> Response {
    token_error(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        &format!("The request is missing the {name} parameter."),
    )
}

/// RFC 6749 section 5.2's error body.
fn token_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    #[test]
    fn codes_are_single_use_bound_and_expire() {
        let mut oauth = OAuth::new();
        let now = Instant::now();
        let uri = "http://app/callback";
        let code = oauth.issue_code(OAUTH_CLIENT_ID, uri, 7, now);
        assert_eq!(code.len(), 40);
        assert!(oauth.redeem(&code, "other", uri, now).is_err());
        assert!(oauth
            .redeem(&code, OAUTH_CLIENT_ID, "http://app/x", now)
            .is_err());
        assert_eq!(oauth.redeem(&code, OAUTH_CLIENT_ID, uri, now), Ok(7));
        assert!(oauth.redeem(&code, OAUTH_CLIENT_ID, uri, now).is_err());

        let code = oauth.issue_code(OAUTH_CLIENT_ID, uri, 7, now);
        let late = now + CODE_LIFETIME;
        assert_eq!(
            oauth.redeem(&code, OAUTH_CLIENT_ID, uri, late),
            Err(InvalidGrant("The authorization code has expired."))
        );
    }

    #[test]
    fn tokens_are_jwt_shaped_with_the_user_as_subject_until_expired() {
        let mut oauth = OAuth::new();
        let token = oauth.issue_token(OAUTH_CLIENT_ID, 700_001, 1_000);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert!(!token.contains('='));
        let payload: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(payload["sub"], "700001");
        assert_eq!(payload["aud"], OAUTH_CLIENT_ID);
        assert_eq!(payload["exp"], 1_000 + TOKEN_LIFETIME_SECONDS);
        assert_eq!(oauth.token_owner(&token), Some(700_001));
        assert_ne!(oauth.issue_token(OAUTH_CLIENT_ID, 700_001, 1_000), token);
        oauth.expire_tokens();
        assert_eq!(oauth.token_owner(&token), None);
    }

    #[test]
    fn redirect_uris_must_be_absolute_http_urls() {
        assert!(is_absolute_http_url(
            "http://127.0.0.1:3000/auth/anilist/callback"
        ));
        assert!(is_absolute_http_url("HTTPS://bloomwatch.example?x=1"));
        for bad in [
            "",
            "/callback",
            "ftp://x/",
            "http://",
            "http:///path",
            "http://a/#f",
            "http://a/ b",
            "http://é/",
        ] {
            assert!(!is_absolute_http_url(bad), "{bad}");
        }
    }

    #[test]
    fn query_parameters_are_appended_form_encoded() {
        let params = [
            ("code", "abc".to_owned()),
            ("state", "a b&c=d/é".to_owned()),
        ];
        assert_eq!(
            with_query("http://a/cb", &params),
            "http://a/cb?code=abc&state=a+b%26c%3Dd%2F%C3%A9"
        );
        assert_eq!(
            with_query("http://a/cb?x=1", &params[..1]),
            "http://a/cb?x=1&code=abc"
        );
        assert_eq!(
            with_query("http://a/cb?", &params[..1]),
            "http://a/cb?code=abc"
        );
    }
}
