//! Response hardening and cross-site request refusal, applied to every route.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kernel::ErrorKind;
use leptos::nonce::Nonce;

use crate::rest::problem::ApiError;

/// The per-request CSP nonce, handed to Leptos (for its hydration scripts) through the
/// request's extensions.
#[derive(Clone)]
pub struct CspNonce(pub Nonce);

/// The security headers' variable parts, worked out once from the settings. The
/// Content-Security-Policy allows, besides our own origin, images from any https origin
/// (AniList's covers and avatars) and from a plain-http AniList stand-in (the bundled fake of
/// the offline demo serves its own); forms may lead to AniList's authorize page (a browser
/// without JavaScript is redirected there after pressing "Connect AniList"). Browsers are
/// told to keep to https when the public URL is https.
#[derive(Clone)]
pub struct HeaderPolicy {
    images: Arc<str>,
    form_targets: Arc<str>,
    https_only: bool,
}

/// A year, as browsers' preload lists expect.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

impl HeaderPolicy {
    pub fn new(
        public_url: &str,
        anilist_api_url: &str,
        anilist_authorize_url: Option<&str>,
    ) -> Self {
        let extra_images = origin(anilist_api_url)
            .filter(|origin| origin.starts_with("http://"))
            .map(|origin| format!(" {origin}"))
            .unwrap_or_default();
        let extra_targets = anilist_authorize_url
            .and_then(origin)
            .map(|origin| format!(" {origin}"))
            .unwrap_or_default();
        Self {
            images: format!("'self' data: https:{extra_images}").into(),
            form_targets: format!("'self'{extra_targets}").into(),
            https_only: public_url.starts_with("https://"),
        }
    }
}

/// Adds the security headers; the Content-Security-Policy allows only our own scripts, with a
/// fresh nonce for the inline hydration bootstrap, and WebAssembly compilation.
pub async fn security_headers(
    State(HeaderPolicy {
        images,
        form_targets,
        https_only,
    }): State<HeaderPolicy>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src {images}; font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action {form_targets}; frame-ancestors 'none'"
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
    if https_only {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    response
}

/// The origins a browser may change things from: the public URL's and, when the server
/// listens on a loopback address (development), that address by number and as `localhost`.
/// A request's own `Host` says nothing: whoever forges the request forges it too.
#[derive(Clone)]
pub struct AllowedOrigins(Arc<[String]>);

impl AllowedOrigins {
    pub fn new(public_url: &str, listen_address: SocketAddr) -> Self {
        let mut origins: Vec<String> = origin(public_url).map(str::to_owned).into_iter().collect();
        if listen_address.ip().is_loopback() {
            let port = listen_address.port();
            origins.push(format!("http://{listen_address}"));
            origins.push(format!("http://localhost:{port}"));
        }
        Self(origins.into())
    }

    fn allow(&self, origin: &str) -> bool {
        self.0.iter().any(|allowed| allowed == origin)
    }
}

/// Refuses state-changing requests that a browser marks as coming from another site. Leptos
/// server functions have no CSRF protection of their own, and SameSite=Lax alone has gaps.
/// Clients that send neither `Origin` nor `Sec-Fetch-Site` (curl, API clients) pass.
pub async fn refuse_cross_site_writes(
    State(allowed): State<AllowedOrigins>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_cross_site(request.headers(), &allowed) {
        tracing::warn!(method = %request.method(), path = %crate::telemetry::path_for_logs(request.uri().path()), "cross-site write refused");
        return ApiError::new(
            ErrorKind::Forbidden,
            "Cross-site requests cannot change anything here.",
        )
        .into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &HeaderMap, allowed: &AllowedOrigins) -> bool {
    let header = |name: header::HeaderName| headers.get(name).and_then(|value| value.to_str().ok());
    if header(header::HeaderName::from_static("sec-fetch-site")) == Some("cross-site") {
        return true;
    }
    header(header::ORIGIN).is_some_and(|origin| !allowed.allow(origin))
}

/// `scheme://host:port` of an http(s) URL; `None` for anything odd (it goes into a header).
fn origin(url: &str) -> Option<&str> {
    let scheme = ["http://", "https://"]
        .into_iter()
        .find(|scheme| url.starts_with(scheme))?;
    let rest = &url[scheme.len()..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = &url[..scheme.len() + end];
    (end > 0
        && origin
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".:-[]/".contains(c)))
    .then_some(origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_read_off_http_and_https_urls_only_when_plain() {
        assert_eq!(
            origin("http://127.0.0.1:4010/"),
            Some("http://127.0.0.1:4010")
        );
        assert_eq!(origin("http://fake"), Some("http://fake"));
        assert_eq!(
            origin("https://anilist.co/api/v2/oauth/authorize?x=1"),
            Some("https://anilist.co")
        );
        assert_eq!(origin("http://evil;script-src *"), None);
        assert_eq!(origin("ftp://anilist.co"), None);
        assert_eq!(origin("https://"), None);
    }

    #[test]
    fn the_policy_adds_only_a_plain_http_anilist_for_images_and_the_authorize_page_for_forms() {
        let fake = HeaderPolicy::new(
            "http://127.0.0.1:3000",
            "http://127.0.0.1:4010/",
            Some("http://127.0.0.1:4010/api/v2/oauth/authorize"),
        );
        assert_eq!(&*fake.images, "'self' data: https: http://127.0.0.1:4010");
        assert_eq!(&*fake.form_targets, "'self' http://127.0.0.1:4010");
        assert!(!fake.https_only);
        let real = HeaderPolicy::new(
            "https://bloom.example",
            "https://graphql.anilist.co",
            Some("https://anilist.co/api/v2/oauth/authorize"),
        );
        assert_eq!(&*real.images, "'self' data: https:");
        assert_eq!(&*real.form_targets, "'self' https://anilist.co");
        assert!(real.https_only);
        let unlinked =
            HeaderPolicy::new("https://bloom.example", "https://graphql.anilist.co", None);
        assert_eq!(&*unlinked.form_targets, "'self'");
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    fn development() -> AllowedOrigins {
        AllowedOrigins::new("http://127.0.0.1:3000", "127.0.0.1:3000".parse().unwrap())
    }

    #[test]
    fn requests_without_browser_headers_are_not_cross_site() {
        assert!(!is_cross_site(&headers(&[]), &development()));
    }

    #[test]
    fn a_foreign_origin_is_cross_site_whatever_the_host_says() {
        for foreign in [
            headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000"),
            ]),
            headers(&[("origin", "http://evil.example"), ("host", "evil.example")]),
            headers(&[("sec-fetch-site", "cross-site")]),
            headers(&[("origin", "null")]),
        ] {
            assert!(is_cross_site(&foreign, &development()), "{foreign:?}");
        }
    }

    #[test]
    fn the_public_origin_is_same_site_and_loopback_addresses_too_in_development() {
        for ours in [
            headers(&[("origin", "http://127.0.0.1:3000")]),
            headers(&[("origin", "http://localhost:3000")]),
            headers(&[
                ("sec-fetch-site", "same-origin"),
                ("origin", "http://127.0.0.1:3000"),
            ]),
        ] {
            assert!(!is_cross_site(&ours, &development()), "{ours:?}");
        }
        let hosted = AllowedOrigins::new("https://bloom.example/", "0.0.0.0:3000".parse().unwrap());
        assert!(!is_cross_site(
            &headers(&[("origin", "https://bloom.example")]),
            &hosted
        ));
        for foreign in [
            "http://bloom.example",
            "http://0.0.0.0:3000",
            "http://localhost:3000",
        ] {
            let request =
                HeaderMap::from_iter([(header::ORIGIN, HeaderValue::from_static(foreign))]);
            assert!(is_cross_site(&request, &hosted), "{foreign}");
        }
    }
}
