//! Who sent a GraphQL request, read from its `Authorization: Bearer` token, and the 401s
//! AniList answers when an operation needs a valid one.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::graphql::graphql_error;
use crate::state::Shared;

pub(crate) enum Caller {
    Anonymous,
    SignedIn {
        user_id: i64,
        token: String,
    },
    /// A token the fake never issued or expired with `expire_tokens`.
    InvalidToken,
}

/// Why an operation refuses its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    MissingToken,
    InvalidToken,
}

impl Caller {
    pub(crate) fn identify(shared: &Shared, headers: &HeaderMap) -> Self {
        let Some(token) = bearer_token(headers) else {
            return Caller::Anonymous;
        };
        match shared.oauth().token_owner(token) {
            Some(user_id) => Caller::SignedIn {
                user_id,
                token: token.to_owned(),
            },
            None => Caller::InvalidToken,
        }
    }

    /// The signed-in user and their token.
    pub(crate) fn required(&self) -> Result<(i64, &str), Refusal> {
        match self {
            Caller::SignedIn { user_id, token } => Ok((*user_id, token)),
            Caller::Anonymous => Err(Refusal::MissingToken),
            Caller::InvalidToken => Err(Refusal::InvalidToken),
        }
    }

    /// The signed-in user, if any; a token that is not valid is refused all the same, so a
    /// client learns its token is dead instead of silently reading as a stranger.
    pub(crate) fn optional(&self) -> Result<Option<i64>, Refusal> {
        match self {
            Caller::SignedIn { user_id, .. } => Ok(Some(*user_id)),
            Caller::Anonymous => Ok(None),
            Caller::InvalidToken => Err(Refusal::InvalidToken),
        }
    }
}

impl Refusal {
    /// AniList's 401 for an operation on `field`.
    pub(crate) fn answer(self, field: &str) -> Response {
        let message = match self {
            Refusal::MissingToken => "Unauthorized.",
            Refusal::InvalidToken => "Invalid token",
        };
        graphql_error(
            StatusCode::UNAUTHORIZED,
            message,
            None,
            json!({ field: null }),
        )
    }
}

/// The scheme is case-insensitive (RFC 7235); an empty token counts as none.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with_authorization(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn reads_bearer_tokens_only() {
        assert_eq!(bearer_token(&with_authorization("Bearer abc")), Some("abc"));
        assert_eq!(
            bearer_token(&with_authorization("bearer  abc ")),
            Some("abc")
        );
        assert_eq!(bearer_token(&with_authorization("Bearer ")), None);
        assert_eq!(bearer_token(&with_authorization("Basic abc")), None);
        assert_eq!(bearer_token(&HeaderMap::new()), None);
    }
}
