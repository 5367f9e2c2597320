//! Where to go after a form: the `?next=` rules shared by pages and server functions, and the
//! no-JavaScript redirect for plain form posts.

/// Where signed-in people land when no (valid) `next` was given.
pub const DEFAULT_LANDING: &str = "/spaces";

/// `next` when it is a same-site path ("/…" but not "//…" or "/\…", which browsers treat as
/// another host), otherwise [`DEFAULT_LANDING`]. Stops open redirects through `?next=`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => DEFAULT_LANDING.to_owned(),
    }
}

/// `base` with `?next=<path>` appended, the path percent-encoded.
pub fn with_next(base: &str, next: &str) -> String {
    format!("{base}?next={}", encode_query_value(next))
}

/// Percent-encodes everything but RFC 3986 unreserved characters and `/`.
pub fn encode_query_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Whether this request is a plain form post from a browser without JavaScript (it accepts
/// HTML), as opposed to a call from an island.
#[cfg(feature = "ssr")]
pub fn is_plain_form_post() -> bool {
    use axum::http::{header::ACCEPT, request::Parts};

    leptos::prelude::use_context::<Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(ACCEPT)?
                .to_str()
                .ok()
                .map(|accept| accept.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Sends a browser without JavaScript (a plain form post) to `path`. Calls from islands are
/// left alone: the island loads the next page itself once it has shown what it must.
#[cfg(feature = "ssr")]
pub fn redirect_plain_form(path: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_site_paths_are_accepted_as_next() {
        assert_eq!(safe_next(Some("/invite/abc")), "/invite/abc");
        assert_eq!(
            safe_next(Some("/spaces/1?tab=members")),
            "/spaces/1?tab=members"
        );
        for unsafe_next in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "spaces",
            "",
            "/a\nb",
        ] {
            assert_eq!(
                safe_next(Some(unsafe_next)),
                DEFAULT_LANDING,
                "{unsafe_next:?}"
            );
        }
        assert_eq!(safe_next(None), DEFAULT_LANDING);
    }

    #[test]
    fn next_paths_are_percent_encoded() {
        assert_eq!(
            with_next("/login", "/spaces/1?a=b&c"),
            "/login?next=/spaces/1%3Fa%3Db%26c"
        );
        assert_eq!(encode_query_value("é"), "%C3%A9");
    }
}
