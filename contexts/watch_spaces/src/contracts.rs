//! What other crates may know about WatchSpaces: ids, roles, the space name parser, commands,
//! DTOs and the public error. Wasm-safe: the UI validates with the same parser the server uses.

use identity::contracts::UserId;
use kernel::paging::PageCursor;
use kernel::{ErrorKind, FieldErrors, PublicError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use unicode_segmentation::UnicodeSegmentation;

kernel::uuid_id! {
    /// A watch space's id.
    WatchSpaceId
}

kernel::uuid_id! {
    /// An invitation's id (not its token: the id is safe to show, the token is the secret).
    InvitationId
}

/// What a member may do in a space. Owners manage the name, members and invitations;
/// every space keeps at least one owner.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// Manages the space: renames it, invites, removes members, changes roles.
    Owner,
    /// Takes part in the space.
    Member,
}

impl Role {
    /// The stored and serialized spelling: `"owner"` or `"member"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Member => "member",
        }
    }

    /// The role spelled `raw`, if it is one.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "owner" => Some(Self::Owner),
            "member" => Some(Self::Member),
            _ => None,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an invitation stands. Only a pending invitation that has not expired can be accepted.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum InvitationStatus {
    /// Sent and not yet used (it may still be past its expiry time until someone looks).
    Pending,
    /// Used: the invited person joined.
    Accepted,
    /// Withdrawn by an owner.
    Revoked,
    /// Not used in time.
    Expired,
}

impl InvitationStatus {
    /// The stored and serialized spelling, e.g. `"pending"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }

    /// The status spelled `raw`, if it is one.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pending" => Some(Self::Pending),
            "accepted" => Some(Self::Accepted),
            "revoked" => Some(Self::Revoked),
            "expired" => Some(Self::Expired),
            _ => None,
        }
    }
}

impl std::fmt::Display for InvitationStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a space name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpaceNameError {
    /// Nothing visible was entered.
    #[error("Please give your space a name.")]
    Empty,
    /// More than [`SpaceName::MAX_CHARACTERS`] visible characters (or an unusually long
    /// encoding of fewer).
    #[error("Space names can be at most {max} characters.", max = SpaceName::MAX_CHARACTERS)]
    TooLong,
    /// Tabs, line breaks, other control characters or invisible formatting characters.
    #[error("Space names cannot contain line breaks, tabs, other control characters or invisible formatting characters.")]
    HiddenCharacters,
}

/// A space's name: trimmed, 1 to 60 visible characters (grapheme clusters, so an emoji with
/// modifiers counts once), without control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SpaceName(String);

impl SpaceName {
    /// The most visible characters a name may have.
    pub const MAX_CHARACTERS: usize = 60;
    /// The most Unicode scalar values a name may have (the database column's limit): only
    /// reached by names made of long emoji sequences.
    pub const MAX_CODE_POINTS: usize = 240;

    /// Parses what a user typed.
    ///
    /// # Errors
    /// `SpaceNameError::Empty` when nothing visible remains after trimming,
    /// `TooLong` above 60 visible characters (or 240 code points),
    /// `HiddenCharacters` for tabs, line breaks, bidi overrides and the like.
    pub fn parse(raw: &str) -> Result<Self, SpaceNameError> {
        let name = raw.trim();
        if name.chars().any(kernel::text::is_hidden) {
            return Err(SpaceNameError::HiddenCharacters);
        }
        let visible = name.graphemes(true).count();
        if visible == 0 {
            return Err(SpaceNameError::Empty);
        }
        if visible > Self::MAX_CHARACTERS || name.chars().count() > Self::MAX_CODE_POINTS {
            return Err(SpaceNameError::TooLong);
        }
        Ok(Self(name.to_owned()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SpaceName {
    type Error = SpaceNameError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<SpaceName> for String {
    fn from(name: SpaceName) -> Self {
        name.0
    }
}

impl std::fmt::Display for SpaceName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `POST /api/watch-spaces`: raw input, parsed by the facade.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWatchSpace {
    /// The new space's name (see [`SpaceName`]).
    pub name: String,
}

/// `PATCH /api/watch-spaces/{id}`: a new name, owners only.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenameWatchSpace {
    /// The new name (see [`SpaceName`]).
    pub name: String,
}

/// `POST /api/watch-spaces/{id}/invitations`: whom to invite, owners only.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InviteMember {
    /// The invited person's email address; only an account with this email can accept.
    pub email: String,
}

/// `PATCH /api/watch-spaces/{id}/members/{userId}`: owners only.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeMemberRole {
    /// The member's new role.
    pub role: Role,
}

/// `POST /api/watch-spaces/{id}/transfer-ownership`: owners only.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferOwnership {
    /// The member who becomes an owner; the caller becomes a plain member.
    pub user_id: UserId,
}

/// One space in "my spaces".
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchSpaceSummaryDto {
    /// The space's id.
    pub id: WatchSpaceId,
    /// The space's name.
    pub name: String,
    /// The asking user's role in the space.
    pub role: Role,
    /// How many people belong to the space, the asking user included.
    pub member_count: u64,
    /// When the space was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at_utc: OffsetDateTime,
}

/// One page of the spaces I am a member of, by name.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchSpacePageDto {
    pub items: Vec<WatchSpaceSummaryDto>,
    /// Where the next page starts (send it back as `cursor`); null on the last page.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub next_cursor: Option<PageCursor>,
}

/// A space as one of its members sees it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchSpaceDetailsDto {
    /// The space's id.
    pub id: WatchSpaceId,
    /// The space's name.
    pub name: String,
    /// Who created the space (they may have left since).
    pub created_by_user_id: UserId,
    /// When the space was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at_utc: OffsetDateTime,
    /// When the space itself (its name) last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at_utc: OffsetDateTime,
    /// The asking user's role.
    pub my_role: Role,
    /// Everyone in the space: owners first, then by joining time.
    pub members: Vec<MemberDto>,
    /// The open invitations, newest first. Only owners see them; empty for members.
    pub invitations: Vec<InvitationDto>,
}

/// A member as the other members see them: no email address.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberDto {
    /// The member's user id.
    pub user_id: UserId,
    /// How the member is shown.
    pub display_name: String,
    /// The member's role in this space.
    pub role: Role,
    /// When the member joined (for the creator: when the space was created).
    #[serde(with = "time::serde::rfc3339")]
    pub joined_at_utc: OffsetDateTime,
}

/// An invitation as owners see it in the space. Its link is not among it: BloomWatch keeps
/// only a hash of the token, so the link is shown once, when the invitation is created.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitationDto {
    /// The invitation's id (for revoking it).
    pub id: InvitationId,
    /// Who was invited.
    pub invited_email: String,
    /// Where the invitation stands.
    pub status: InvitationStatus,
    /// After this instant the invitation can no longer be accepted.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at_utc: OffsetDateTime,
    /// When the invitation was sent.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at_utc: OffsetDateTime,
    /// The owner who sent it.
    pub invited_by_user_id: UserId,
}

/// What the owner gets back after inviting someone: the secret link to share, shown this
/// once (only its hash is stored).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedInvitationDto {
    /// The invitation's id.
    pub id: InvitationId,
    /// Who was invited (normalised: trimmed and lower-cased).
    pub invited_email: String,
    /// Always `pending` for a new invitation.
    pub status: InvitationStatus,
    /// The secret token inside `url`.
    pub token: String,
    /// The link to share with the invited person.
    pub url: String,
    /// After this instant the invitation can no longer be accepted.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at_utc: OffsetDateTime,
    /// When the invitation was sent.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at_utc: OffsetDateTime,
}

/// What the holder of an invitation link sees before accepting it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitationPreviewDto {
    /// The name of the space the link invites to.
    pub space_name: String,
    /// How the inviting owner is shown.
    pub invited_by_display_name: String,
    /// Who was invited: only an account with this email can accept.
    pub invited_email: String,
    /// Where the invitation stands right now (`expired` once past its expiry time).
    pub status: InvitationStatus,
    /// After this instant the invitation can no longer be accepted.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at_utc: OffsetDateTime,
}

/// Everything WatchSpaces can refuse, in words a user understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all_fields = "camelCase")]
pub enum WatchSpacesError {
    /// One or more fields are invalid; the messages say which and why (400).
    #[error("{0}")]
    Validation(FieldErrors),
    /// No such space, or the asking user is not one of its members: non-members do not
    /// learn that a space exists (404).
    #[error("We could not find that space. It may not exist, or you may not be a member of it.")]
    SpaceNotFound,
    /// Only the space's owners may do that (403).
    #[error("Only the owners of this space can do that.")]
    NotOwner,
    /// That user is not a member of this space (404).
    #[error("That person is not a member of this space.")]
    MemberNotFound,
    /// The invited email already belongs to a member of the space (409).
    #[error("That email already belongs to a member of this space.")]
    AlreadyMember,
    /// An open invitation for that email already exists in this space (409).
    #[error("That email already has an open invitation to this space. You can share the existing link or revoke it first.")]
    InvitationAlreadyPending,
    /// No invitation has that token, or no such invitation in this space (404).
    #[error("We could not find that invitation. Please check the link you were given.")]
    InvitationNotFound,
    /// The invitation was not accepted in time (410).
    #[error("This invitation has expired. Ask an owner of the space to send you a new one.")]
    InvitationExpired,
    /// An owner withdrew the invitation (410).
    #[error("This invitation was withdrawn. Ask an owner of the space if you should still join.")]
    InvitationRevoked,
    /// The invitation has already been used (410).
    #[error("This invitation has already been used.")]
    InvitationAlreadyUsed,
    /// The signed-in account's email is not the invited one (403).
    #[error("This invitation was sent to {invited_email}. Log in with that email to accept it.")]
    InvitationForAnotherEmail {
        /// The email the invitation was sent to.
        invited_email: String,
    },
    /// The change would leave the space without an owner (409).
    #[error("A space needs at least one owner. Promote someone else first.")]
    LastOwner,
    /// The only member of a space cannot leave it: it would be left without an owner (409).
    #[error("You are the only member of this space, and a space needs an owner, so you cannot leave it. Invite someone and make them an owner first.")]
    LastMember,
    /// Owners remove others; to go, one leaves the space instead (409).
    #[error("You cannot remove yourself. Leave the space instead.")]
    CannotRemoveYourself,
    /// The space holds as many people as it can, open invitations included (409).
    #[error("A space holds at most {limit} people, open invitations included. Revoke an invitation or remove someone first.")]
    SpaceFull {
        /// How many people a space holds.
        limit: usize,
    },
    /// PostgreSQL cannot be reached right now; nothing was changed (503, Retry-After).
    #[error("{}", kernel::DATABASE_UNAVAILABLE)]
    DatabaseUnavailable,
    /// Something failed on the server; the details are in the server's logs (500).
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl WatchSpacesError {
    /// A validation error on a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::single(field, message))
    }
}

impl PublicError for WatchSpacesError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Validation(_) => ErrorKind::Validation,
            Self::SpaceNotFound | Self::MemberNotFound | Self::InvitationNotFound => {
                ErrorKind::NotFound
            }
            Self::NotOwner | Self::InvitationForAnotherEmail { .. } => ErrorKind::Forbidden,
            Self::AlreadyMember
            | Self::InvitationAlreadyPending
            | Self::LastOwner
            | Self::LastMember
            | Self::CannotRemoveYourself
            | Self::SpaceFull { .. } => ErrorKind::Conflict,
            Self::InvitationExpired | Self::InvitationRevoked | Self::InvitationAlreadyUsed => {
                ErrorKind::Gone
            }
            Self::DatabaseUnavailable => ErrorKind::Unavailable,
            Self::Internal => ErrorKind::Internal,
        }
    }

    fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            Self::Validation(errors) => Some(errors),
            _ => None,
        }
    }

    fn retry_after_seconds(&self) -> Option<u64> {
        (*self == Self::DatabaseUnavailable).then_some(kernel::DATABASE_RETRY_AFTER_SECONDS)
    }
}

/// Published (through `kernel::EventSink`, inside the write's transaction) when someone joins,
/// leaves or is removed from an existing space, or a member's role changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MembersChanged {
    pub space: WatchSpaceId,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn space_names_are_trimmed() {
        assert_eq!(
            SpaceName::parse("  Friday Anime Club \n").unwrap().as_str(),
            "Friday Anime Club"
        );
    }

    #[test]
    fn blank_space_names_are_refused() {
        for raw in ["", "   ", "\u{00a0}\u{2003}"] {
            assert_eq!(SpaceName::parse(raw), Err(SpaceNameError::Empty), "{raw:?}");
        }
    }

    #[test]
    fn space_names_count_visible_characters_up_to_sixty() {
        assert!(SpaceName::parse(&"a".repeat(60)).is_ok());
        assert_eq!(
            SpaceName::parse(&"a".repeat(61)),
            Err(SpaceNameError::TooLong)
        );
        assert!(SpaceName::parse(&"é".repeat(60)).is_ok());
        let flags = "🇯🇵".repeat(60);
        assert_eq!(flags.chars().count(), 120);
        assert!(SpaceName::parse(&flags).is_ok());
    }

    #[test]
    fn names_of_many_long_emoji_sequences_are_refused_before_the_column_overflows() {
        let family = "👩‍👩‍👧‍👦".repeat(40);
        assert_eq!(family.graphemes(true).count(), 40);
        assert_eq!(family.chars().count(), 280);
        assert_eq!(SpaceName::parse(&family), Err(SpaceNameError::TooLong));
    }

    #[test]
    fn control_and_invisible_characters_inside_a_name_are_refused() {
        assert_eq!(
            SpaceName::parse("Anime\tNight"),
            Err(SpaceNameError::HiddenCharacters)
        );
        assert_eq!(
            SpaceName::parse("Anime\nNight"),
            Err(SpaceNameError::HiddenCharacters)
        );
        assert_eq!(
            SpaceName::parse("a\u{0007}b"),
            Err(SpaceNameError::HiddenCharacters)
        );
        assert_eq!(
            SpaceName::parse("Anime\u{2066}Night"),
            Err(SpaceNameError::HiddenCharacters)
        );
    }

    #[test]
    fn space_names_deserialize_through_the_parser() {
        let name: SpaceName = serde_json::from_str(r#"" Cozy ""#).unwrap();
        assert_eq!(name.as_str(), "Cozy");
        assert!(serde_json::from_str::<SpaceName>(r#""  ""#).is_err());
    }

    #[test]
    fn roles_and_statuses_are_spelled_in_lower_case_everywhere() {
        assert_eq!(serde_json::to_string(&Role::Owner).unwrap(), r#""owner""#);
        assert_eq!(serde_json::to_string(&Role::Member).unwrap(), r#""member""#);
        for role in [Role::Owner, Role::Member] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{role}\""));
        }
        for status in [
            InvitationStatus::Pending,
            InvitationStatus::Accepted,
            InvitationStatus::Revoked,
            InvitationStatus::Expired,
        ] {
            assert_eq!(InvitationStatus::parse(status.as_str()), Some(status));
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{status}\"")
            );
        }
        assert_eq!(Role::parse("admin"), None);
        assert_eq!(InvitationStatus::parse("Pending"), None);
    }

    #[test]
    fn dtos_use_camel_case_and_rfc3339_timestamps() {
        let summary = WatchSpaceSummaryDto {
            id: WatchSpaceId(uuid::Uuid::nil()),
            name: "Cozy".into(),
            role: Role::Owner,
            member_count: 2,
            created_at_utc: time::macros::datetime!(2026-11-25 12:00 UTC),
        };
        let json = serde_json::to_value(&summary).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "id": "00000000-0000-0000-0000-000000000000",
                "name": "Cozy",
                "role": "owner",
                "memberCount": 2,
                "createdAtUtc": "2026-11-25T12:00:00Z",
            })
        );
        let command: ChangeMemberRole = serde_json::from_str(r#"{"role":"member"}"#).unwrap();
        assert_eq!(command.role, Role::Member);
        assert!(serde_json::from_str::<ChangeMemberRole>(r#"{"role":"admin"}"#).is_err());
    }

    #[test]
    fn each_error_has_the_status_its_meaning_calls_for() {
        let cases = [
            (WatchSpacesError::field("name", "x"), 400),
            (WatchSpacesError::SpaceNotFound, 404),
            (WatchSpacesError::NotOwner, 403),
            (WatchSpacesError::MemberNotFound, 404),
            (WatchSpacesError::AlreadyMember, 409),
            (WatchSpacesError::InvitationAlreadyPending, 409),
            (WatchSpacesError::InvitationNotFound, 404),
            (WatchSpacesError::InvitationExpired, 410),
            (WatchSpacesError::InvitationRevoked, 410),
            (WatchSpacesError::InvitationAlreadyUsed, 410),
            (
                WatchSpacesError::InvitationForAnotherEmail {
                    invited_email: "ann@example.org".into(),
                },
                403,
            ),
            (WatchSpacesError::LastOwner, 409),
            (WatchSpacesError::LastMember, 409),
            (WatchSpacesError::CannotRemoveYourself, 409),
            (WatchSpacesError::Internal, 500),
        ];
        for (error, status) in cases {
            assert_eq!(error.kind().status(), status, "{error:?}");
        }
    }

    #[test]
    fn errors_travel_as_json_and_come_back_the_same() {
        let error = WatchSpacesError::InvitationForAnotherEmail {
            invited_email: "ann@example.org".into(),
        };
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"InvitationForAnotherEmail": {"invitedEmail": "ann@example.org"}})
        );
        assert_eq!(
            serde_json::from_value::<WatchSpacesError>(json).unwrap(),
            error
        );
        let validation = WatchSpacesError::field("name", "Please give your space a name.");
        let back: WatchSpacesError =
            serde_json::from_str(&serde_json::to_string(&validation).unwrap()).unwrap();
        assert_eq!(back, validation);
    }

    #[test]
    fn an_invitation_for_another_email_says_which_email_to_log_in_with() {
        let error = WatchSpacesError::InvitationForAnotherEmail {
            invited_email: "ann@example.org".into(),
        };
        assert_eq!(
            error.to_string(),
            "This invitation was sent to ann@example.org. Log in with that email to accept it."
        );
        assert_eq!(WatchSpacesError::Internal.field_errors(), None);
        let validation = WatchSpacesError::field("name", "Please give your space a name.");
        assert_eq!(
            validation
                .field_errors()
                .and_then(|errors| errors.for_field("name")),
            Some("Please give your space a name.")
        );
    }

    proptest! {
        #[test]
        fn a_parsed_name_is_trimmed_bounded_and_parses_to_itself(raw in "\\PC{0,80}") {
            if let Ok(name) = SpaceName::parse(&raw) {
                let visible = name.as_str().graphemes(true).count();
                prop_assert!((1..=SpaceName::MAX_CHARACTERS).contains(&visible));
                prop_assert!(name.as_str().chars().count() <= SpaceName::MAX_CODE_POINTS);
                prop_assert_eq!(name.as_str(), name.as_str().trim());
                prop_assert!(!name.as_str().chars().any(kernel::text::is_hidden));
                prop_assert_eq!(SpaceName::parse(name.as_str()), Ok(name.clone()));
            }
        }

        #[test]
        fn plain_words_of_sensible_length_always_parse(raw in "[A-Za-z0-9][A-Za-z0-9 '&!-]{0,58}[A-Za-z0-9]") {
            prop_assert!(SpaceName::parse(&raw).is_ok());
        }

        #[test]
        fn surrounding_whitespace_never_changes_the_outcome(raw in "\\PC{0,70}", pad in "[ \\t\\n]{0,3}") {
            let padded = format!("{pad}{raw}{pad}");
            prop_assert_eq!(SpaceName::parse(&padded), SpaceName::parse(&raw));
        }
    }
}
