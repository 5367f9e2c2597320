//! WatchSpaces' use cases behind one facade, `WatchSpaces`, one file per use case. Every
//! write parses its input into domain types, locks the space row, runs the rule on the
//! aggregate, saves what changed and commits; internal failures become
//! `WatchSpacesError::Internal` (logged here with their cause, never shown to clients).
//! Depends on the domain, the infrastructure and Identity's facade.

mod accept_invitation;
mod change_member_role;
mod create_space;
mod get_space;
mod invite_member;
mod leave_space;
mod list_my_spaces;
mod member_role;
mod preview_invitation;
mod remove_member;
mod rename_space;
mod revoke_invitation;
mod transfer_ownership;

use std::collections::HashMap;
use std::sync::Arc;

use identity::contracts::{IdentityError, UserId};
use identity::Identity;
use kernel::db::violated_constraint;
use kernel::{Clock, EventSink};
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use time::Duration;

use crate::contracts::{
    InvitationDto, MemberDto, MembersChanged, Role, WatchSpaceDetailsDto, WatchSpaceId,
    WatchSpacesError,
};
use crate::domain::invitation::InvitationToken;
use crate::domain::space::{
    AcceptError, AccessError, InviteError, Member, MembershipError, RevokeError, WatchSpace,
    MAX_MEMBERS,
};
use crate::infrastructure::spaces_repo;

/// Tunables of the WatchSpaces context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchSpacesSettings {
    /// How long an invitation can be accepted; must be positive.
    pub invitation_ttl: Duration,
    /// Where the app is reached, without a trailing slash; invitation links are
    /// `{public_base_url}/invite/{token}`.
    pub public_base_url: String,
}

impl Default for WatchSpacesSettings {
    /// Invitations valid for 7 days, links to the local development server.
    fn default() -> Self {
        Self {
            invitation_ttl: Duration::days(7),
            public_base_url: "http://127.0.0.1:3000".to_owned(),
        }
    }
}

/// The WatchSpaces facade: spaces, membership, roles and invitations.
#[derive(Clone)]
pub struct WatchSpaces {
    db: DatabaseConnection,
    identity: Identity,
    clock: Arc<dyn Clock>,
    settings: WatchSpacesSettings,
    membership_changes: Arc<dyn EventSink<MembersChanged>>,
}

impl std::fmt::Debug for WatchSpaces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchSpaces")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Shown for a member whose account can no longer be found.
const UNKNOWN_DISPLAY_NAME: &str = "A former member";

impl WatchSpaces {
    /// Builds the facade on the shared pool, Identity's facade (for members' emails and
    /// display names), the clock, the settings and where membership changes are published.
    pub fn new(
        db: DatabaseConnection,
        identity: Identity,
        clock: Arc<dyn Clock>,
        settings: WatchSpacesSettings,
        membership_changes: Arc<dyn EventSink<MembersChanged>>,
    ) -> Self {
        Self {
            db,
            identity,
            clock,
            settings,
            membership_changes,
        }
    }

    fn invitation_url(&self, token: &InvitationToken) -> String {
        format!(
            "{}/invite/{}",
            self.settings.public_base_url.trim_end_matches('/'),
            token.as_str()
        )
    }

    /// Runs `change` on the locked space inside one transaction and saves what it changed,
    /// publishing `MembersChanged` when members or roles did. What changed is saved even when
    /// the rule refuses: a refusal may still record a fact (an invitation found to be
    /// expired).
    async fn change_space<T, E>(
        &self,
        space_id: WatchSpaceId,
        change: impl FnOnce(&mut WatchSpace) -> Result<T, E>,
    ) -> Result<(WatchSpace, T), Error>
    where
        Error: From<E>,
    {
        let transaction = self.db.begin().await?;
        let mut space = spaces_repo::lock(&transaction, space_id)
            .await?
            .ok_or(WatchSpacesError::SpaceNotFound)?;
        let before = space.clone();
        let outcome = change(&mut space);
        let members_changed = spaces_repo::save(&transaction, &before, &space)
            .await
            .map_err(map_constraint_violation)?;
        if members_changed {
            let event = MembersChanged { space: space_id };
            self.membership_changes
                .publish(&transaction, &event)
                .await?;
        }
        transaction
            .commit()
            .await
            .map_err(|error| map_constraint_violation(error.into()))?;
        Ok((space, outcome?))
    }

    /// Display names of the given users, in one call to Identity.
    async fn display_names(&self, ids: &[UserId]) -> Result<HashMap<UserId, String>, Error> {
        let users = self
            .identity
            .find_users(ids)
            .await
            .map_err(identity_failure("looking up display names"))?;
        Ok(users
            .into_iter()
            .map(|user| (user.id, user.display_name))
            .collect())
    }

    /// The members with their display names, the owner first, then by joining.
    async fn member_dtos(&self, members: &[Member]) -> Result<Vec<MemberDto>, Error> {
        let ids: Vec<UserId> = members.iter().map(|member| member.user_id).collect();
        let mut names = self.display_names(&ids).await?;
        let mut dtos: Vec<MemberDto> = members
            .iter()
            .map(|member| MemberDto {
                user_id: member.user_id,
                display_name: names
                    .remove(&member.user_id)
                    .unwrap_or_else(|| UNKNOWN_DISPLAY_NAME.to_owned()),
                role: member.role,
                joined_at_utc: member.joined_at,
            })
            .collect();
        dtos.sort_by_key(|member| {
            (
                member.role != Role::Owner,
                member.joined_at_utc,
                member.user_id,
            )
        });
        Ok(dtos)
    }

    /// The space as `actor` sees it: owners also see the open invitations.
    async fn details(
        &self,
        space: &WatchSpace,
        actor: UserId,
    ) -> Result<WatchSpaceDetailsDto, Error> {
        let my_role = space
            .role_of(actor)
            .ok_or(WatchSpacesError::SpaceNotFound)?;
        let members = self.member_dtos(space.members()).await?;

        let now = self.clock.now();
        let mut invitations: Vec<InvitationDto> = if my_role == Role::Owner {
            space
                .invitations()
                .iter()
                .filter(|invitation| invitation.is_open(now))
                .map(|invitation| InvitationDto {
                    id: invitation.id,
                    invited_email: invitation.invited_email.to_string(),
                    status: invitation.status,
                    expires_at_utc: invitation.expires_at,
                    created_at_utc: invitation.created_at,
                    invited_by_user_id: invitation.invited_by,
                })
                .collect()
        } else {
            Vec::new()
        };
        invitations.sort_by_key(|invitation| std::cmp::Reverse(invitation.created_at_utc));

        Ok(WatchSpaceDetailsDto {
            id: space.id,
            name: space.name.to_string(),
            created_by_user_id: space.created_by,
            created_at_utc: space.created_at,
            updated_at_utc: space.updated_at,
            my_role,
            members,
            invitations,
        })
    }
}

/// What can go wrong inside WatchSpaces, with enough context for the logs.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(transparent)]
    Public(#[from] WatchSpacesError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub(crate) fn into_public(self) -> WatchSpacesError {
        match self {
            Self::Public(error) => error,
            Self::Db(error) if kernel::db::is_unreachable(&error) => {
                tracing::warn!(%error, "PostgreSQL unreachable");
                WatchSpacesError::DatabaseUnavailable
            }
            internal => {
                tracing::error!(error = ?internal, "watch_spaces internal error");
                WatchSpacesError::Internal
            }
        }
    }
}

fn identity_failure(context: &'static str) -> impl FnOnce(IdentityError) -> Error {
    move |error| Error::Internal(anyhow::Error::new(error).context(context))
}

/// Maps the constraints that guard our rules to their business meaning: when two requests
/// race past the domain's checks, the database decides.
fn map_constraint_violation(error: Error) -> Error {
    let public = match &error {
        Error::Db(db) => match violated_constraint(db) {
            Some("invitations_one_pending_per_email") => WatchSpacesError::InvitationAlreadyPending,
            Some("watch_space_members_space_user_key") => WatchSpacesError::AlreadyMember,
            Some("watch_space_members_space_keeps_an_owner") => WatchSpacesError::LastOwner,
            Some("watch_space_members_cap") => WatchSpacesError::SpaceFull { limit: MAX_MEMBERS },
            _ => return error,
        },
        _ => return error,
    };
    Error::Public(public)
}

impl From<AccessError> for WatchSpacesError {
    fn from(error: AccessError) -> Self {
        match error {
            AccessError::NotAMember => Self::SpaceNotFound,
            AccessError::NotOwner => Self::NotOwner,
        }
    }
}

impl From<InviteError> for WatchSpacesError {
    fn from(error: InviteError) -> Self {
        match error {
            InviteError::Access(error) => error.into(),
            InviteError::AlreadyMember => Self::AlreadyMember,
            InviteError::AlreadyPending => Self::InvitationAlreadyPending,
            InviteError::SpaceFull => Self::SpaceFull { limit: MAX_MEMBERS },
        }
    }
}

impl From<RevokeError> for WatchSpacesError {
    fn from(error: RevokeError) -> Self {
        match error {
            RevokeError::Access(error) => error.into(),
            RevokeError::NotFound => Self::InvitationNotFound,
            RevokeError::AlreadyAccepted => Self::InvitationAlreadyUsed,
        }
    }
}

impl From<AcceptError> for WatchSpacesError {
    fn from(error: AcceptError) -> Self {
        match error {
            AcceptError::NotFound => Self::InvitationNotFound,
            AcceptError::Expired => Self::InvitationExpired,
            AcceptError::Revoked => Self::InvitationRevoked,
            AcceptError::AlreadyUsed => Self::InvitationAlreadyUsed,
            AcceptError::ForAnotherEmail { invited_email } => Self::InvitationForAnotherEmail {
                invited_email: invited_email.to_string(),
            },
            AcceptError::SpaceFull => Self::SpaceFull { limit: MAX_MEMBERS },
        }
    }
}

impl From<MembershipError> for WatchSpacesError {
    fn from(error: MembershipError) -> Self {
        match error {
            MembershipError::Access(error) => error.into(),
            MembershipError::MemberNotFound => Self::MemberNotFound,
            MembershipError::CannotRemoveYourself => Self::CannotRemoveYourself,
            MembershipError::LastOwner => Self::LastOwner,
            MembershipError::LastMember => Self::LastMember,
        }
    }
}

macro_rules! domain_errors_are_public {
    ($($domain:ty),*) => {$(
        impl From<$domain> for Error {
            fn from(error: $domain) -> Self {
                Self::Public(error.into())
            }
        }
    )*};
}
domain_errors_are_public!(
    AccessError,
    InviteError,
    RevokeError,
    AcceptError,
    MembershipError
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contracts::CreateWatchSpace;
    use kernel::SystemClock;
    use sea_orm::ConnectionTrait;
    use testkit::people;

    /// The facade's locks keep these races from happening through it, so the refusals are
    /// provoked with raw SQL: what matters is that the database's word keeps its meaning.
    #[tokio::test]
    async fn the_constraints_that_decide_races_map_to_their_business_errors() {
        let test_db = testkit::TestDb::new().await;
        let db = test_db.connection.clone();
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let identity = people::identity(&db, clock.clone());
        let ann = people::register(&identity, "ann").await;
        let spaces = WatchSpaces::new(
            db.clone(),
            identity,
            clock,
            WatchSpacesSettings::default(),
            Arc::new(testkit::RecordedEvents::default()),
        );
        let space = spaces
            .create_space(
                ann.id,
                CreateWatchSpace {
                    name: "Cozy".into(),
                },
            )
            .await
            .unwrap()
            .id;
        let mapped = |error: DbErr| map_constraint_violation(Error::Db(error)).into_public();

        let invitation = |token: &str| {
            format!(
                "INSERT INTO watch_spaces.invitations (id, watch_space_id, invited_by_user_id, \
                 invited_email, token_hash, status, expires_at_utc, created_at_utc) VALUES \
                 (gen_random_uuid(), '{space}', '{}', 'kai@example.org', sha256('{token}'), 'pending', \
                 now() + interval '1 day', now())",
                ann.id
            )
        };
        db.execute_unprepared(&invitation(&"a".repeat(43)))
            .await
            .unwrap();
        let second = db
            .execute_unprepared(&invitation(&"b".repeat(43)))
            .await
            .unwrap_err();
        assert_eq!(mapped(second), WatchSpacesError::InvitationAlreadyPending);

        let duplicate_member = db
            .execute_unprepared(&format!(
                "INSERT INTO watch_spaces.watch_space_members (id, watch_space_id, user_id, role, \
                 joined_at_utc) VALUES (gen_random_uuid(), '{space}', '{}', 'member', now())",
                ann.id
            ))
            .await
            .unwrap_err();
        assert_eq!(mapped(duplicate_member), WatchSpacesError::AlreadyMember);

        let transaction = db.begin().await.unwrap();
        transaction
            .execute_unprepared(&format!(
                "UPDATE watch_spaces.watch_space_members SET role = 'member' \
                 WHERE watch_space_id = '{space}'"
            ))
            .await
            .unwrap();
        let at_commit = transaction.commit().await.unwrap_err();
        assert_eq!(mapped(at_commit), WatchSpacesError::LastOwner);

        let unrelated = db.execute_unprepared("SELECT 1 / 0").await.unwrap_err();
        assert_eq!(mapped(unrelated), WatchSpacesError::Internal);
    }
}
