use serde::{Deserialize, Serialize};

/// The kinds of failure a client can see. Each kind has one HTTP status and one stable
/// problem `type`, so the REST API and the UI render the same failure the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    Validation,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    PayloadTooLarge,
    UnsupportedMediaType,
    TooManyRequests,
    Unavailable,
    Internal,
}

impl ErrorKind {
    pub const ALL: [Self; 11] = [
        Self::Validation,
        Self::Unauthenticated,
        Self::Forbidden,
        Self::NotFound,
        Self::Conflict,
        Self::Gone,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::TooManyRequests,
        Self::Unavailable,
        Self::Internal,
    ];

    /// The HTTP status code for this kind.
    pub fn status(self) -> u16 {
        match self {
            Self::Validation => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict => 409,
            Self::Gone => 410,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::TooManyRequests => 429,
            Self::Unavailable => 503,
            Self::Internal => 500,
        }
    }

    /// The kind a bare HTTP error status stands for (for errors raised by middleware).
    pub fn from_status(status: u16) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.status() == status)
    }

    /// A stable slug, used as the last segment of the problem `type` URI.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Validation => "validation",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not-found",
            Self::Conflict => "conflict",
            Self::Gone => "gone",
            Self::PayloadTooLarge => "payload-too-large",
            Self::UnsupportedMediaType => "unsupported-media-type",
            Self::TooManyRequests => "too-many-requests",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }

    /// The RFC 9457 problem `type`: stable, and documented in the OpenAPI description.
    pub fn problem_type(self) -> String {
        format!("https://bloomwatch.app/problems/{}", self.slug())
    }

    /// The RFC 9457 problem `title`: short, the same for every problem of this kind.
    pub fn title(self) -> &'static str {
        match self {
            Self::Validation => "Some fields need another look",
            Self::Unauthenticated => "Please sign in first",
            Self::Forbidden => "You are not allowed to do that",
            Self::NotFound => "Not found",
            Self::Conflict => "That conflicts with what is already there",
            Self::Gone => "That is no longer available",
            Self::PayloadTooLarge => "That request is too large",
            Self::UnsupportedMediaType => "That content type is not supported",
            Self::TooManyRequests => "Too many attempts",
            Self::Unavailable => "Temporarily unavailable",
            Self::Internal => "Something went wrong on our side",
        }
    }
}

/// One message about one input field. `field` is the camelCase name clients send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// All the field messages of one failed validation, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// A single error on a single field.
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Records the error of a parse, returning the parsed value when there was none.
    pub fn collect<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        parsed: Result<T, E>,
    ) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error.to_string());
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// The first message for `field`, for showing next to that input.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let messages: Vec<&str> = self.0.iter().map(|error| error.message.as_str()).collect();
        f.write_str(&messages.join(" "))
    }
}

/// What every context's public error offers its renderers (REST problem+json and the UI).
/// The `Display` text is written for users; internal errors display a generic sentence.
pub trait PublicError: std::fmt::Display {
    fn kind(&self) -> ErrorKind;

    /// Per-field messages, for validation errors.
    fn field_errors(&self) -> Option<&FieldErrors> {
        None
    }

    /// Seconds after which a retry may succeed, for rate limits.
    fn retry_after_seconds(&self) -> Option<u64> {
        None
    }
}

/// What users are told while PostgreSQL cannot be reached (`kernel::db::is_unreachable`):
/// every context's `DatabaseUnavailable` says it.
pub const DATABASE_UNAVAILABLE: &str =
    "BloomWatch cannot reach its database right now. Nothing was lost; please try again in a moment.";
/// When to try again meanwhile, in seconds: a restarting PostgreSQL is usually back by then.
pub const DATABASE_RETRY_AFTER_SECONDS: u64 = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_slug_and_status_and_is_found_by_it() {
        let slugs: std::collections::HashSet<_> =
            ErrorKind::ALL.iter().map(|kind| kind.slug()).collect();
        assert_eq!(slugs.len(), ErrorKind::ALL.len());
        for kind in ErrorKind::ALL {
            assert!(kind.status() >= 400);
            assert_eq!(ErrorKind::from_status(kind.status()), Some(kind));
        }
        assert_eq!(ErrorKind::from_status(200), None);
    }

    #[test]
    fn field_errors_find_the_first_message_of_a_field() {
        let mut errors = FieldErrors::new();
        errors.add("email", "first");
        errors.add("email", "second");
        assert_eq!(errors.for_field("email"), Some("first"));
        assert_eq!(errors.for_field("password"), None);
        assert_eq!(errors.to_string(), "first second");
    }
}
