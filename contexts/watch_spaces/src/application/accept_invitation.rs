use identity::contracts::{Email, UserId};

use super::{identity_failure, Error, WatchSpaces};
use crate::contracts::{WatchSpaceDetailsDto, WatchSpacesError};
use crate::domain::invitation::InvitationToken;
use crate::domain::space::Joined;
use crate::infrastructure::invitations_repo;

impl WatchSpaces {
    /// `actor` joins the space the invitation with `token` leads to. Their account's email
    /// must be the invited one. Following a link again once in the space is harmless and
    /// returns the space.
    ///
    /// # Errors
    /// `InvitationNotFound` for an unknown token; `InvitationExpired`, `InvitationRevoked`,
    /// `InvitationAlreadyUsed` (410) when it can no longer be used;
    /// `InvitationForAnotherEmail` when `actor`'s email is not the invited one; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = tracing::field::Empty))]
    pub async fn accept_invitation(
        &self,
        actor: UserId,
        token: &str,
    ) -> Result<WatchSpaceDetailsDto, WatchSpacesError> {
        self.accept_invitation_inner(actor, token)
            .await
            .map_err(Error::into_public)
    }

    async fn accept_invitation_inner(
        &self,
        actor: UserId,
        token: &str,
    ) -> Result<WatchSpaceDetailsDto, Error> {
        let token = InvitationToken::parse(token).ok_or(WatchSpacesError::InvitationNotFound)?;
        let space_id = invitations_repo::space_of(&self.db, &token)
            .await?
            .ok_or(WatchSpacesError::InvitationNotFound)?;
        tracing::Span::current().record("space_id", tracing::field::display(space_id));
        let user = self
            .identity
            .get_user(actor)
            .await
            .map_err(identity_failure("looking up the accepting user"))?;
        let email = Email::parse(&user.email)
            .map_err(|error| anyhow::anyhow!("user {actor} has an invalid email: {error}"))?;

        let now = self.clock.now();
        let (space, joined) = self
            .change_space(space_id, |space| space.accept(actor, &email, &token, now))
            .await?;
        match joined {
            Joined::NewMember => tracing::info!("invitation accepted"),
            Joined::AlreadyMember => tracing::info!("invitation followed by a member"),
        }
        self.details(&space, actor).await
    }
}
