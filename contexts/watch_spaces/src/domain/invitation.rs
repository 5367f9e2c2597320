use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use identity::contracts::{Email, UserId};
use rand::RngCore as _;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::contracts::{InvitationId, InvitationStatus};

/// The secret part of an invitation link: 32 random bytes, base64url without padding.
/// Whoever holds it may see the invitation and, with the invited email, accept it.
/// Never printed: `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct InvitationToken(String);

impl InvitationToken {
    /// Random bytes in a fresh token (256 bits).
    const RANDOM_BYTES: usize = 32;
    /// The shortest token we accept: 128 bits of randomness.
    const MIN_CHARACTERS: usize = 22;
    /// The longest token we accept (ours are 43 characters; only their hash is stored).
    const MAX_CHARACTERS: usize = 128;

    /// A fresh token from the operating system's random source.
    pub fn generate() -> Self {
        let mut bytes = [0_u8; Self::RANDOM_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A token from a link or a row; `None` when it cannot be one of ours.
    pub fn parse(raw: &str) -> Option<Self> {
        let well_formed = (Self::MIN_CHARACTERS..=Self::MAX_CHARACTERS).contains(&raw.len())
            && raw
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
        well_formed.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The hash stored for this token.
    pub fn hash(&self) -> InvitationTokenHash {
        InvitationTokenHash(Sha256::digest(self.0.as_bytes()).into())
    }
}

/// What is stored of a token: its SHA-256, so a copy of the database opens no invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvitationTokenHash([u8; 32]);

impl InvitationTokenHash {
    /// A stored hash; `None` when it is not 32 bytes.
    pub fn from_stored(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for InvitationToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InvitationToken(<redacted>)")
    }
}

/// An invitation to join a space, sent by an owner to an email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: InvitationId,
    pub invited_by: UserId,
    pub invited_email: Email,
    pub token_hash: InvitationTokenHash,
    pub status: InvitationStatus,
    pub expires_at: OffsetDateTime,
    pub created_at: OffsetDateTime,
    pub accepted_at: Option<OffsetDateTime>,
}

impl Invitation {
    /// A new pending invitation, valid for `ttl` from `now`, opened by `token` (of which it
    /// keeps only the hash).
    pub fn send(
        invited_by: UserId,
        invited_email: Email,
        token: &InvitationToken,
        now: OffsetDateTime,
        ttl: time::Duration,
    ) -> Self {
        Self {
            id: InvitationId::new(),
            invited_by,
            invited_email,
            token_hash: token.hash(),
            status: InvitationStatus::Pending,
            expires_at: now + ttl,
            created_at: now,
            accepted_at: None,
        }
    }

    /// Pending and not yet past its expiry time: the only state in which it can be accepted.
    pub fn is_open(&self, now: OffsetDateTime) -> bool {
        self.status == InvitationStatus::Pending && now < self.expires_at
    }

    /// The status as of `now`: a pending invitation past its expiry time is expired even
    /// before anyone records it.
    pub fn status_at(&self, now: OffsetDateTime) -> InvitationStatus {
        if self.status == InvitationStatus::Pending && now >= self.expires_at {
            InvitationStatus::Expired
        } else {
            self.status
        }
    }

    /// Records that a pending invitation ran out of time. Returns whether it did.
    pub fn expire_if_due(&mut self, now: OffsetDateTime) -> bool {
        let due = self.status == InvitationStatus::Pending && now >= self.expires_at;
        if due {
            self.status = InvitationStatus::Expired;
        }
        due
    }

    /// Records the withdrawal of a pending invitation.
    pub fn revoke(&mut self) {
        if self.status == InvitationStatus::Pending {
            self.status = InvitationStatus::Revoked;
        }
    }

    /// Records that the invited person joined. Callers check that it is open first.
    pub fn mark_accepted(&mut self, now: OffsetDateTime) {
        self.status = InvitationStatus::Accepted;
        self.accepted_at = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;
    use time::Duration;

    fn invitation() -> Invitation {
        Invitation::send(
            UserId::new(),
            Email::parse("kai@example.org").unwrap(),
            &InvitationToken::generate(),
            datetime!(2026-11-25 12:00 UTC),
            Duration::days(7),
        )
    }

    #[test]
    fn generated_tokens_are_43_url_safe_characters_and_differ() {
        let first = InvitationToken::generate();
        let second = InvitationToken::generate();
        assert_eq!(first.as_str().len(), 43);
        assert!(first
            .as_str()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(first, second);
        assert_eq!(InvitationToken::parse(first.as_str()), Some(first));
    }

    #[test]
    fn tokens_that_cannot_be_ours_do_not_parse() {
        assert_eq!(InvitationToken::parse(""), None);
        assert_eq!(InvitationToken::parse(&"a".repeat(21)), None);
        assert_eq!(InvitationToken::parse(&"a".repeat(129)), None);
        assert_eq!(
            InvitationToken::parse(&format!("{}=", "a".repeat(42))),
            None
        );
        assert_eq!(
            InvitationToken::parse(&format!("{}/", "a".repeat(42))),
            None
        );
        assert!(InvitationToken::parse(&"a".repeat(22)).is_some());
    }

    #[test]
    fn only_the_same_token_has_the_same_hash() {
        let token = InvitationToken::generate();
        let again = InvitationToken::parse(token.as_str()).unwrap();
        assert_eq!(token.hash(), again.hash());
        assert_ne!(token.hash(), InvitationToken::generate().hash());
        assert_eq!(
            InvitationTokenHash::from_stored(token.hash().as_bytes()),
            Some(token.hash())
        );
        assert_eq!(InvitationTokenHash::from_stored(&[0; 31]), None);
    }

    #[test]
    fn tokens_are_never_printed() {
        let token = InvitationToken::generate();
        assert!(!format!("{token:?}").contains(token.as_str()));
    }

    #[test]
    fn a_new_invitation_is_pending_until_its_time_to_live_runs_out() {
        let invitation = invitation();
        assert_eq!(invitation.status, InvitationStatus::Pending);
        assert_eq!(invitation.expires_at, datetime!(2026-12-02 12:00 UTC));
        assert!(invitation.is_open(datetime!(2026-12-02 11:59:59 UTC)));
        assert!(!invitation.is_open(datetime!(2026-12-02 12:00 UTC)));
        assert_eq!(
            invitation.status_at(datetime!(2026-12-02 12:00 UTC)),
            InvitationStatus::Expired
        );
    }

    #[test]
    fn only_a_pending_invitation_past_its_time_is_marked_expired() {
        let mut invitation = invitation();
        assert!(!invitation.expire_if_due(datetime!(2026-11-30 12:00 UTC)));
        assert_eq!(invitation.status, InvitationStatus::Pending);
        assert!(invitation.expire_if_due(datetime!(2026-12-03 12:00 UTC)));
        assert_eq!(invitation.status, InvitationStatus::Expired);

        let mut accepted = self::invitation();
        accepted.mark_accepted(datetime!(2026-11-26 12:00 UTC));
        assert!(!accepted.expire_if_due(datetime!(2026-12-03 12:00 UTC)));
        assert_eq!(accepted.status, InvitationStatus::Accepted);
        assert_eq!(accepted.accepted_at, Some(datetime!(2026-11-26 12:00 UTC)));
    }

    #[test]
    fn revoking_changes_only_a_pending_invitation() {
        let mut pending = invitation();
        pending.revoke();
        assert_eq!(pending.status, InvitationStatus::Revoked);

        let mut accepted = invitation();
        accepted.mark_accepted(datetime!(2026-11-26 12:00 UTC));
        accepted.revoke();
        assert_eq!(accepted.status, InvitationStatus::Accepted);
    }
}
