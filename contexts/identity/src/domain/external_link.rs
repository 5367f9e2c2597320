//! A user's link to their account at another service (AniList): who they are there and the
//! sealed token BloomWatch acts with. One link per user and provider, and one BloomWatch
//! user per account at a provider (the unique indexes say the same).

use kernel::FieldErrors;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::contracts::{ExternalAccountDto, ExternalProvider, LinkExternalAccount, UserId};

/// The most characters of an account id, a name and an avatar address we keep.
const MAX_PROVIDER_USER_ID: usize = 128;
const MAX_PROVIDER_USER_NAME: usize = 100;
const MAX_AVATAR_URL: usize = 2048;

/// A link as stored; `sealed_access_token` is the ciphertext, never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    pub id: Uuid,
    pub user_id: UserId,
    pub provider: ExternalProvider,
    pub provider_user_id: String,
    pub provider_user_name: Option<String>,
    pub avatar_url: Option<String>,
    pub sealed_access_token: String,
    pub token_expires_at: Option<OffsetDateTime>,
    pub linked_at: OffsetDateTime,
}

/// What a provider told us about the account, checked: the parts of a link besides its
/// id and token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedAccount {
    pub provider: ExternalProvider,
    pub provider_user_id: String,
    pub provider_user_name: Option<String>,
    pub avatar_url: Option<String>,
    pub token_expires_at: Option<OffsetDateTime>,
}

impl LinkedAccount {
    /// Checks what the provider said; `now` is when the link is made.
    ///
    /// # Errors
    /// Per field: a blank or overlong account id, a name with control characters or over 100
    /// characters, an avatar that is not an http(s) address, a token that already expired.
    pub fn parse(command: &LinkExternalAccount, now: OffsetDateTime) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let provider_user_id = command.provider_user_id.trim();
        if provider_user_id.is_empty()
            || provider_user_id.chars().count() > MAX_PROVIDER_USER_ID
            || provider_user_id
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            errors.add(
                "providerUserId",
                format!("An account id is 1 to {MAX_PROVIDER_USER_ID} characters without spaces."),
            );
        }
        let provider_user_name = command
            .provider_user_name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty());
        if provider_user_name.is_some_and(|name| {
            name.chars().count() > MAX_PROVIDER_USER_NAME || name.chars().any(char::is_control)
        }) {
            errors.add(
                "providerUserName",
                format!("A name is at most {MAX_PROVIDER_USER_NAME} characters, without control characters."),
            );
        }
        let avatar_url = command
            .avatar_url
            .as_deref()
            .map(str::trim)
            .filter(|url| !url.is_empty());
        if avatar_url.is_some_and(|url| !is_web_address(url)) {
            errors.add("avatarUrl", "An avatar is an http(s) address.");
        }
        if command
            .token_expires_at_utc
            .is_some_and(|expires| expires <= now)
        {
            errors.add("tokenExpiresAtUtc", "The token has already expired.");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            provider: command.provider,
            provider_user_id: provider_user_id.to_owned(),
            provider_user_name: provider_user_name.map(str::to_owned),
            avatar_url: avatar_url.map(str::to_owned),
            token_expires_at: command.token_expires_at_utc,
        })
    }
}

fn is_web_address(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.chars().count() <= MAX_AVATAR_URL
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl ExternalLink {
    /// Whether the provider no longer accepts the token at `now`.
    pub fn has_expired(&self, now: OffsetDateTime) -> bool {
        self.token_expires_at.is_some_and(|expires| expires <= now)
    }

    pub fn to_dto(&self) -> ExternalAccountDto {
        ExternalAccountDto {
            provider: self.provider,
            provider_user_id: self.provider_user_id.clone(),
            provider_user_name: self.provider_user_name.clone(),
            avatar_url: self.avatar_url.clone(),
            linked_at_utc: self.linked_at,
            token_expires_at_utc: self.token_expires_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-01 12:00 UTC);

    fn command() -> LinkExternalAccount {
        LinkExternalAccount {
            provider: ExternalProvider::AniList,
            provider_user_id: " 5120 ".into(),
            provider_user_name: Some(" mika ".into()),
            avatar_url: Some("https://s4.anilist.co/file/avatar.png".into()),
            access_token: SecretString::from("token".to_owned()),
            token_expires_at_utc: Some(datetime!(2027-12-01 12:00 UTC)),
        }
    }

    #[test]
    fn what_the_provider_said_is_trimmed() {
        let account = LinkedAccount::parse(&command(), NOW).unwrap();
        assert_eq!(account.provider_user_id, "5120");
        assert_eq!(account.provider_user_name.as_deref(), Some("mika"));
    }

    #[test]
    fn odd_answers_are_refused_field_by_field() {
        let mut odd = command();
        odd.provider_user_id = "  ".into();
        odd.provider_user_name = Some("a\u{7}b".into());
        odd.avatar_url = Some("javascript:alert(1)".into());
        odd.token_expires_at_utc = Some(NOW);
        let errors = LinkedAccount::parse(&odd, NOW).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "providerUserId",
                "providerUserName",
                "avatarUrl",
                "tokenExpiresAtUtc"
            ]
        );
    }

    #[test]
    fn blank_names_and_avatars_are_absent() {
        let mut bare = command();
        bare.provider_user_name = Some(" ".into());
        bare.avatar_url = Some(String::new());
        bare.token_expires_at_utc = None;
        let account = LinkedAccount::parse(&bare, NOW).unwrap();
        assert_eq!(account.provider_user_name, None);
        assert_eq!(account.avatar_url, None);
        assert_eq!(account.token_expires_at, None);
    }
}
