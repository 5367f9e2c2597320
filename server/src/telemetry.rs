//! Logging: pretty for people in development, JSON lines for machines in production.

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber; `RUST_LOG` filters (default `info`).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    // A second init (tests) is harmless, so its error is ignored.
    let _ = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Path prefixes whose next segment is a secret (an invitation token is a key to a space).
const SECRET_AFTER: [&str; 2] = ["/invite/", "/api/watch-spaces/invitations/"];

/// `path` as request logs show it: the secret segment of an invitation path is replaced by
/// `{token}`, so logs never hold a working invitation.
pub fn path_for_logs(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in SECRET_AFTER {
        if let Some(rest) = path.strip_prefix(prefix) {
            if rest.is_empty() {
                break;
            }
            let after = rest.find('/').map_or("", |end| &rest[end..]);
            return format!("{prefix}{{token}}{after}").into();
        }
    }
    path.into()
}

#[cfg(test)]
mod tests {
    use super::path_for_logs;

    #[test]
    fn invitation_tokens_never_reach_the_logs() {
        assert_eq!(path_for_logs("/invite/s3cr3t"), "/invite/{token}");
        assert_eq!(
            path_for_logs("/api/watch-spaces/invitations/s3cr3t/accept"),
            "/api/watch-spaces/invitations/{token}/accept"
        );
        assert_eq!(
            path_for_logs("/api/watch-spaces/9d1c/anime"),
            "/api/watch-spaces/9d1c/anime"
        );
        assert_eq!(path_for_logs("/invite/"), "/invite/");
    }
}
