use time::OffsetDateTime;

use crate::contracts::{DisplayName, Email, Theme, UserDto, UserId};

/// A stored argon2id hash in PHC string form. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a PHC string produced by our hasher or read back from the database.
    pub fn from_phc(phc: String) -> Option<Self> {
        phc.starts_with("$argon2id$").then_some(Self(phc))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// A BloomWatch account with its credentials and preferences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub password_hash: PasswordHash,
    pub display_name: DisplayName,
    pub theme: Option<Theme>,
    /// Opted in to 18+ titles in AniList search.
    pub show_adult_content: bool,
    pub created_at_utc: OffsetDateTime,
    pub updated_at_utc: OffsetDateTime,
    pub is_active: bool,
}

impl User {
    pub fn register(
        email: Email,
        display_name: DisplayName,
        password_hash: PasswordHash,
        now: OffsetDateTime,
    ) -> Self {
        Self {
            id: UserId::new(),
            email,
            password_hash,
            display_name,
            theme: None,
            show_adult_content: false,
            created_at_utc: now,
            updated_at_utc: now,
            is_active: true,
        }
    }

    pub fn rename(&mut self, display_name: DisplayName, now: OffsetDateTime) {
        self.display_name = display_name;
        self.touch(now);
    }

    pub fn choose_theme(&mut self, theme: Option<Theme>, now: OffsetDateTime) {
        self.theme = theme;
        self.touch(now);
    }

    pub fn choose_adult_content(&mut self, show: bool, now: OffsetDateTime) {
        self.show_adult_content = show;
        self.touch(now);
    }

    /// Callers verify the current password first; this only records the change.
    pub fn change_email(&mut self, email: Email, now: OffsetDateTime) {
        self.email = email;
        self.touch(now);
    }

    /// Callers verify the current password first. A new hash also changes the session auth
    /// hash, which is what logs the user's other browser sessions out.
    pub fn change_password(&mut self, password_hash: PasswordHash, now: OffsetDateTime) {
        self.password_hash = password_hash;
        self.touch(now);
    }

    /// Identifies the credentials a session was created with: sessions whose stored value
    /// differs (because the password changed) are ended by axum-login.
    pub fn session_auth_hash(&self) -> Vec<u8> {
        use sha2::{Digest, Sha256};
        Sha256::digest(self.password_hash.as_str().as_bytes()).to_vec()
    }

    pub fn to_dto(&self) -> UserDto {
        UserDto {
            id: self.id,
            email: self.email.as_str().to_owned(),
            display_name: self.display_name.as_str().to_owned(),
            theme: self.theme,
            show_adult_content: self.show_adult_content,
            created_at_utc: self.created_at_utc,
            updated_at_utc: self.updated_at_utc,
        }
    }

    fn touch(&mut self, now: OffsetDateTime) {
        // Clocks can step backwards; the row must still satisfy updated >= created.
        self.updated_at_utc = now.max(self.created_at_utc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn user() -> User {
        User::register(
            Email::parse("ann@example.org").unwrap(),
            DisplayName::parse("Ann").unwrap(),
            PasswordHash::from_phc("$argon2id$v=19$m=19456,t=2,p=1$abc$def".into()).unwrap(),
            datetime!(2026-01-01 0:00 UTC),
        )
    }

    #[test]
    fn only_argon2id_hashes_are_accepted() {
        assert!(PasswordHash::from_phc("$argon2i$v=19$x".into()).is_none());
        assert!(PasswordHash::from_phc("plain".into()).is_none());
    }

    #[test]
    fn a_password_change_changes_the_session_auth_hash() {
        let mut user = user();
        let before = user.session_auth_hash();
        user.change_password(
            PasswordHash::from_phc("$argon2id$v=19$m=19456,t=2,p=1$xyz$uvw".into()).unwrap(),
            datetime!(2026-01-02 0:00 UTC),
        );
        assert_ne!(before, user.session_auth_hash());
    }

    #[test]
    fn changes_never_move_updated_before_created() {
        let mut user = user();
        user.rename(
            DisplayName::parse("Annie").unwrap(),
            datetime!(2025-01-01 0:00 UTC),
        );
        assert_eq!(user.updated_at_utc, user.created_at_utc);
    }

    #[test]
    fn the_hash_is_never_printed() {
        assert!(!format!("{:?}", user()).contains("argon2id"));
    }
}
