//! Response hardening and cross-site request refusal, applied to every route.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kernel::ErrorKind;
use leptos::nonce::Nonce;

use crate::rest::problem::ApiError;
use crate::state::AppState;

/// The per-request CSP nonce, handed to Leptos (for its hydration scripts) through the
/// request's extensions.
#[derive(Clone)]
pub struct CspNonce(pub Nonce);

/// Where images may come from besides our own origin: any https origin (AniList's covers)
/// and a plain-http AniList stand-in (the bundled fake of the offline demo serves its own
/// covers). Worked out once, from the AniList endpoint in the settings.
#[derive(Clone)]
pub struct ImageSources(Arc<str>);

impl ImageSources {
    pub fn new(anilist_api_url: &str) -> Self {
        let extra = http_origin(anilist_api_url)
            .map(|origin| format!(" {origin}"))
            .unwrap_or_default();
        Self(format!("'self' data: https:{extra}").into())
    }
}

/// Adds the security headers; the Content-Security-Policy allows only our own scripts, with a
/// fresh nonce for the inline hydration bootstrap, and WebAssembly compilation.
pub async fn security_headers(
    State(ImageSources(images)): State<ImageSources>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src {images}; font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    request.extensions_mut().insert(CspNonce(nonce));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    response
}

/// Refuses state-changing requests that a browser marks as coming from another site. Leptos
/// server functions have no CSRF protection of their own, and SameSite=Lax alone has gaps.
/// Clients that send neither `Origin` nor `Sec-Fetch-Site` (curl, API clients) pass.
pub async fn refuse_cross_site_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_cross_site(request.headers(), &state.settings.public_url) {
        tracing::warn!(method = %request.method(), path = request.uri().path(), "cross-site write refused");
        return ApiError::new(
            ErrorKind::Forbidden,
            "Cross-site requests cannot change anything here.",
        )
        .into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &HeaderMap, public_url: &str) -> bool {
    let header = |name: header::HeaderName| headers.get(name).and_then(|value| value.to_str().ok());
    if let Some(site) = header(header::HeaderName::from_static("sec-fetch-site")) {
        if site == "cross-site" {
            return true;
        }
    }
    let Some(origin) = header(header::ORIGIN) else {
        return false;
    };
    let host = header(header::HOST).unwrap_or_default();
    let same_host = ["http://", "https://"]
        .iter()
        .any(|scheme| origin == format!("{scheme}{host}"));
    !(origin == public_url || same_host)
}

/// `http://host:port` of a plain-http URL; `None` for https (already allowed) or anything odd.
fn http_origin(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("http://")?;
    let end = rest.find('/').unwrap_or(rest.len());
    let origin = &url[.."http://".len() + end];
    origin
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ".:-[]/".contains(c))
        .then_some(origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_anilist_origins_are_allowed_for_images() {
        assert_eq!(
            http_origin("http://127.0.0.1:4010/"),
            Some("http://127.0.0.1:4010")
        );
        assert_eq!(http_origin("http://fake"), Some("http://fake"));
        assert_eq!(http_origin("https://graphql.anilist.co"), None);
        assert_eq!(http_origin("http://evil;script-src *"), None);
    }

    #[test]
    fn image_sources_add_only_a_plain_http_anilist() {
        assert_eq!(
            &*ImageSources::new("http://127.0.0.1:4010/").0,
            "'self' data: https: http://127.0.0.1:4010"
        );
        assert_eq!(
            &*ImageSources::new("https://graphql.anilist.co").0,
            "'self' data: https:"
        );
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn requests_without_browser_headers_are_not_cross_site() {
        assert!(!is_cross_site(&headers(&[]), "http://127.0.0.1:3000"));
    }

    #[test]
    fn a_foreign_origin_is_cross_site() {
        assert!(is_cross_site(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            "http://127.0.0.1:3000"
        ));
        assert!(is_cross_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            "http://127.0.0.1:3000"
        ));
    }

    #[test]
    fn our_own_origin_is_same_site() {
        assert!(!is_cross_site(
            &headers(&[("origin", "http://127.0.0.1:3000")]),
            "http://127.0.0.1:3000"
        ));
        assert!(!is_cross_site(
            &headers(&[
                ("origin", "http://localhost:4000"),
                ("host", "localhost:4000")
            ]),
            "http://127.0.0.1:3000"
        ));
        assert!(!is_cross_site(
            &headers(&[
                ("sec-fetch-site", "same-origin"),
                ("origin", "http://127.0.0.1:3000")
            ]),
            "http://127.0.0.1:3000"
        ));
    }
}
