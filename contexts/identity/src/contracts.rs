//! What other crates may know about Identity: ids, parsed value types, DTOs, commands and the
//! public error. Wasm-safe (the UI validates with the same parsers the server uses).

use kernel::{ErrorKind, FieldErrors, PublicError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use unicode_segmentation::UnicodeSegmentation;

kernel::uuid_id! {
    /// A BloomWatch user's id.
    UserId
}

/// Why an email address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Please enter your email address.")]
    Empty,
    #[error("That email address is too long (at most 254 characters).")]
    TooLong,
    #[error("That does not look like an email address (it needs a name, an @ and a domain).")]
    Malformed,
}

/// An email address, normalised: trimmed and lower-cased, so `Ann@X.org` and `ann@x.org`
/// are the same account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// # Errors
    /// `EmailError` when the text is empty, longer than 254 characters, or not of the form
    /// `local@domain.tld` without spaces.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.chars().count() > 254 {
            return Err(EmailError::TooLong);
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(EmailError::Malformed);
        };
        let well_formed = !local.is_empty()
            && local.chars().count() <= 64
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if !well_formed {
            return Err(EmailError::Malformed);
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a display name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisplayNameError {
    #[error("Please choose a display name.")]
    Empty,
    #[error("Display names can be at most {max} characters.", max = DisplayName::MAX_CHARACTERS)]
    TooLong,
    #[error("Display names cannot contain control characters or invisible formatting characters (such as text-direction overrides).")]
    HiddenCharacters,
}

/// How a person is shown to the others in their spaces: 1 to 40 visible characters
/// (grapheme clusters, so an emoji with modifiers counts once), trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARACTERS: usize = 40;

    /// # Errors
    /// `DisplayNameError` when blank, over 40 visible characters, or containing control or invisible formatting characters.
    pub fn parse(raw: &str) -> Result<Self, DisplayNameError> {
        let name = raw.trim();
        if name.chars().any(kernel::text::is_hidden) {
            return Err(DisplayNameError::HiddenCharacters);
        }
        let visible = name.graphemes(true).count();
        if visible == 0 {
            return Err(DisplayNameError::Empty);
        }
        if visible > Self::MAX_CHARACTERS {
            return Err(DisplayNameError::TooLong);
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DisplayName {
    type Error = DisplayNameError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<DisplayName> for String {
    fn from(name: DisplayName) -> Self {
        name.0
    }
}

impl std::fmt::Display for DisplayName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a new password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Passwords need at least {min} characters.", min = NewPassword::MIN_CHARACTERS)]
    TooShort,
    #[error("Passwords can be at most {max} characters.", max = NewPassword::MAX_CHARACTERS)]
    TooLong,
}

/// A password a user is choosing: 10 to 256 characters, no composition rules (NIST 800-63B).
/// Never printed: `Debug` is redacted and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARACTERS: usize = 10;
    pub const MAX_CHARACTERS: usize = 256;

    /// # Errors
    /// `PasswordError` when shorter than 10 or longer than 256 characters.
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        let length = raw.chars().count();
        if length < Self::MIN_CHARACTERS {
            return Err(PasswordError::TooShort);
        }
        if length > Self::MAX_CHARACTERS {
            return Err(PasswordError::TooLong);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

/// The colour theme a user picked. Without a choice the browser's `prefers-color-scheme` rules.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    Pastel,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pastel => "pastel",
            Self::Dark => "dark",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pastel" => Some(Self::Pastel),
            "dark" => Some(Self::Dark),
            _ => None,
        }
    }
}

/// The signed-in user, as they see themselves (`GET /api/me`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserDto {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub theme: Option<Theme>,
    /// Whether AniList search shows titles AniList marks 18+ (off until the user opts in).
    pub show_adult_content: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at_utc: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at_utc: OffsetDateTime,
}

/// How a user appears to the other members of a space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSummary {
    pub id: UserId,
    pub display_name: String,
    pub email: String,
}

/// `POST /api/auth/register`: raw input, parsed by the facade.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterUser {
    pub email: String,
    pub display_name: String,
    pub password: String,
}

/// `POST /api/auth/login` and the login form.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginUser {
    pub email: String,
    pub password: String,
}

/// `PATCH /api/me`: only the fields present change. Changing the email or the password
/// needs `currentPassword`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateProfile {
    #[serde(default)]
    pub display_name: Option<String>,
    /// `Some(None)` clears the choice (back to following the browser).
    #[serde(
        default,
        with = "kernel::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub theme: Option<Option<Theme>>,
    /// Opt in to (or out of) 18+ titles in AniList search.
    #[serde(default)]
    pub show_adult_content: Option<bool>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub new_password: Option<String>,
    #[serde(default)]
    pub current_password: Option<String>,
}

macro_rules! redacted_debug {
    ($($ty:ident),*) => {$(
        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($ty), "(<redacted>)"))
            }
        }
    )*};
}
redacted_debug!(RegisterUser, LoginUser, UpdateProfile);

/// What `POST /api/auth/login` gives API clients: an opaque bearer token.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessTokenDto {
    pub access_token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at_utc: OffsetDateTime,
}

/// A service whose account a user can link to their BloomWatch account.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExternalProvider {
    AniList,
}

impl ExternalProvider {
    /// The name stored in `identity.external_account_links.provider_name`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AniList => "anilist",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "anilist" => Some(Self::AniList),
            _ => None,
        }
    }

    /// How users know the service.
    pub fn label(self) -> &'static str {
        match self {
            Self::AniList => "AniList",
        }
    }
}

/// A linked account as its owner sees it: who they are there, never the tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalAccountDto {
    pub provider: ExternalProvider,
    /// The account's id at the provider (AniList's user id).
    pub provider_user_id: String,
    /// The account's name at the provider, when it told us.
    pub provider_user_name: Option<String>,
    pub avatar_url: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub linked_at_utc: OffsetDateTime,
    /// When the provider stops accepting the token (AniList's last a year and cannot be
    /// refreshed: the user links again).
    #[serde(with = "time::serde::rfc3339::option")]
    pub token_expires_at_utc: Option<OffsetDateTime>,
}

/// Links (or links again) an account at a provider, as the provider's OAuth flow returned
/// it. Server-side only: it carries the access token, which never leaves the server.
pub struct LinkExternalAccount {
    pub provider: ExternalProvider,
    pub provider_user_id: String,
    pub provider_user_name: Option<String>,
    pub avatar_url: Option<String>,
    pub access_token: secrecy::SecretString,
    pub token_expires_at_utc: Option<OffsetDateTime>,
}

impl std::fmt::Debug for LinkExternalAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkExternalAccount")
            .field("provider", &self.provider)
            .field("provider_user_id", &self.provider_user_id)
            .finish_non_exhaustive()
    }
}

/// Published (through `kernel::EventSink`, inside the write's transaction) when a user links
/// or unlinks an account at a provider, for the context that syncs with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalAccountChanged {
    Linked {
        user: UserId,
        provider: ExternalProvider,
        provider_user_id: String,
    },
    Unlinked {
        user: UserId,
        provider: ExternalProvider,
    },
}

/// Everything Identity can refuse, in words a user understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum IdentityError {
    /// One or more fields are invalid; the messages say which and why.
    #[error("{0}")]
    Validation(FieldErrors),
    /// Email taken by another account (on register or email change).
    #[error("An account with that email already exists. Try logging in instead.")]
    EmailTaken(FieldErrors),
    /// Wrong email or password; deliberately does not say which.
    #[error("That email and password do not match an account.")]
    InvalidCredentials,
    /// Too many failed logins for this account or address.
    #[error("Too many failed attempts. Please wait {retry_after_seconds} seconds and try again.")]
    TooManyAttempts { retry_after_seconds: u64 },
    /// Too many new accounts from this client address.
    #[error("Too many accounts were created from your network recently. Please wait {retry_after_seconds} seconds and try again.")]
    TooManyRegistrations { retry_after_seconds: u64 },
    /// No valid session or token.
    #[error("Please log in to continue.")]
    Unauthenticated,
    /// The provider's account is already linked to another BloomWatch account.
    #[error("That {} account is already linked to another BloomWatch account. Unlink it there first, or sign in to {} as someone else.", .provider.label(), .provider.label())]
    ExternalAccountTaken { provider: ExternalProvider },
    /// The user has no account linked at that provider.
    #[error("No {} account is linked.", .provider.label())]
    ExternalAccountNotLinked { provider: ExternalProvider },
    /// The link exists but its token can no longer be used (expired, or unreadable under
    /// this server's keys): the user links again, nothing else is lost.
    #[error("Your {} link has expired. Please link it again.", .provider.label())]
    ExternalLinkExpired { provider: ExternalProvider },
    /// PostgreSQL cannot be reached right now; nothing was changed (503, Retry-After).
    #[error("{}", kernel::DATABASE_UNAVAILABLE)]
    DatabaseUnavailable,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl IdentityError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::single(field, message))
    }
}

impl PublicError for IdentityError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Validation(_) => ErrorKind::Validation,
            Self::EmailTaken(_) => ErrorKind::Conflict,
            Self::InvalidCredentials | Self::Unauthenticated => ErrorKind::Unauthenticated,
            Self::TooManyAttempts { .. } | Self::TooManyRegistrations { .. } => {
                ErrorKind::TooManyRequests
            }
            Self::ExternalAccountTaken { .. } => ErrorKind::Conflict,
            Self::ExternalAccountNotLinked { .. } => ErrorKind::NotFound,
            Self::ExternalLinkExpired { .. } => ErrorKind::Gone,
            Self::DatabaseUnavailable => ErrorKind::Unavailable,
            Self::Internal => ErrorKind::Internal,
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            Self::Validation(errors) | Self::EmailTaken(errors) => Some(errors),
            _ => None,
        }
    }

    fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            Self::TooManyAttempts {
                retry_after_seconds,
            }
            | Self::TooManyRegistrations {
                retry_after_seconds,
            } => Some(*retry_after_seconds),
            Self::DatabaseUnavailable => Some(kernel::DATABASE_RETRY_AFTER_SECONDS),
            _ => None,
        }
    }
}

/// Published (through `kernel::EventSink`, inside the write's transaction) when a user's
/// display name changes, for contexts that keep something showing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisplayNameChanged {
    pub user: UserId,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Ann@Example.ORG ").unwrap().as_str(),
            "ann@example.org"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for raw in [
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "ann@@example.org",
            "a nn@example.org",
            "ann@.org",
            "ann@example..org",
        ] {
            assert_eq!(Email::parse(raw), Err(EmailError::Malformed), "{raw}");
        }
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        assert_eq!(
            Email::parse(&format!("{}@example.org", "a".repeat(250))),
            Err(EmailError::TooLong)
        );
    }

    #[test]
    fn display_names_count_visible_characters() {
        assert_eq!(DisplayName::parse("  Mika ").unwrap().as_str(), "Mika");
        let family = "👩‍👩‍👧".repeat(40);
        assert!(DisplayName::parse(&family).is_ok());
        assert_eq!(
            DisplayName::parse(&"a".repeat(41)),
            Err(DisplayNameError::TooLong)
        );
        assert_eq!(DisplayName::parse(" \t "), Err(DisplayNameError::Empty));
        assert_eq!(
            DisplayName::parse("a\u{0007}b"),
            Err(DisplayNameError::HiddenCharacters)
        );
        assert_eq!(
            DisplayName::parse("Mika\u{202E}gnp.exe"),
            Err(DisplayNameError::HiddenCharacters)
        );
        assert!(DisplayName::parse("👩\u{200D}👩\u{200D}👧 family").is_ok());
    }

    #[test]
    fn passwords_need_ten_to_256_characters_and_no_composition_rules() {
        assert_eq!(
            NewPassword::parse("123456789"),
            Err(PasswordError::TooShort)
        );
        assert!(NewPassword::parse("aaaaaaaaaa").is_ok());
        assert!(NewPassword::parse(&"é".repeat(256)).is_ok());
        assert_eq!(
            NewPassword::parse(&"x".repeat(257)),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            format!("{:?}", NewPassword::parse("correct horse battery").unwrap()),
            "NewPassword(<redacted>)"
        );
    }

    #[test]
    fn commands_never_print_their_passwords() {
        let login = LoginUser {
            email: "a@b.co".into(),
            password: "hunter2hunter2".into(),
        };
        assert!(!format!("{login:?}").contains("hunter2"));
    }

    #[test]
    fn update_profile_tells_absent_from_null_theme() {
        let absent: UpdateProfile = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.theme, None);
        let cleared: UpdateProfile = serde_json::from_str(r#"{"theme":null}"#).unwrap();
        assert_eq!(cleared.theme, Some(None));
        let dark: UpdateProfile = serde_json::from_str(r#"{"theme":"dark"}"#).unwrap();
        assert_eq!(dark.theme, Some(Some(Theme::Dark)));
        assert!(serde_json::from_str::<UpdateProfile>(r#"{"displayname":"x"}"#).is_err());
    }

    proptest! {
        #[test]
        fn a_parsed_email_parses_to_itself(raw in "\\PC{0,80}") {
            if let Ok(email) = Email::parse(&raw) {
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
                prop_assert_eq!(email.as_str(), email.as_str().trim().to_lowercase());
            }
        }

        #[test]
        fn plausible_emails_always_parse(local in "[a-z0-9._%+-]{1,30}", domain in "[a-z0-9-]{1,20}", tld in "[a-z]{2,6}") {
            let raw = format!("{local}@{domain}.{tld}");
            prop_assert!(Email::parse(&raw).is_ok());
        }

        #[test]
        fn display_names_are_trimmed_and_bounded(raw in "\\PC{0,60}") {
            if let Ok(name) = DisplayName::parse(&raw) {
                let visible = name.as_str().graphemes(true).count();
                prop_assert!((1..=DisplayName::MAX_CHARACTERS).contains(&visible));
                prop_assert_eq!(name.as_str(), name.as_str().trim());
            }
        }

        #[test]
        fn password_length_alone_decides(raw in "\\PC{0,300}") {
            let length = raw.chars().count();
            prop_assert_eq!(NewPassword::parse(&raw).is_ok(), (10..=256).contains(&length));
        }
    }
}
