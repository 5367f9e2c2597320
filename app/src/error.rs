//! `AppError`: every failure a server function can return, in one serialisable shape that
//! carries the kernel's `ErrorKind`, a user-facing message and per-field messages. Context
//! errors convert into it with the same mapping the REST API uses for problem+json.

use kernel::{ErrorKind, FieldErrors, PublicError};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    #[serde(default)]
    pub field_errors: FieldErrors,
}

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            field_errors: FieldErrors::new(),
        }
    }

    /// The message to show next to `field`, if any.
    pub fn field(&self, field: &str) -> Option<String> {
        self.field_errors.for_field(field).map(str::to_owned)
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorKind::Unauthenticated, "Please log in to continue.")
    }

    pub fn from_public(error: &impl PublicError) -> Self {
        Self {
            kind: error.kind(),
            message: error.to_string(),
            field_errors: error.field_errors().cloned().unwrap_or_default(),
        }
    }
}

/// Every context's public error reaches the UI the same way.
macro_rules! app_error_from_public {
    ($($error:ty),+ $(,)?) => {
        $(impl From<$error> for AppError {
            fn from(error: $error) -> Self {
                Self::from_public(&error)
            }
        })+
    };
}

app_error_from_public!(
    identity::contracts::IdentityError,
    watch_spaces::contracts::WatchSpacesError,
    anilist_sync::contracts::AniListError,
    anime_tracking::contracts::AnimeTrackingError,
    analytics::contracts::AnalyticsError,
);

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        let (kind, message) = match error {
            ServerFnErrorErr::Request(_) => (
                ErrorKind::Unavailable,
                "We could not reach BloomWatch. Check your connection and try again.".to_owned(),
            ),
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => (
                ErrorKind::Validation,
                format!("Some of the form's data was missing or malformed ({detail})."),
            ),
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function transport error");
                let _ = other;
                (
                    ErrorKind::Internal,
                    ErrorKind::Internal.title().to_owned() + ". Please try again.",
                )
            }
        };
        Self::new(kind, message)
    }
}
