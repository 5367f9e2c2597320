use identity::contracts::{Email, UserId};

use super::{identity_failure, Error, WatchSpaces};
use crate::contracts::{CreatedInvitationDto, InviteMember, WatchSpaceId, WatchSpacesError};
use crate::domain::invitation::InvitationToken;
use crate::infrastructure::members_repo;

impl WatchSpaces {
    /// Invites an email address to the space and returns the secret link to share.
    /// Owners only.
    ///
    /// # Errors
    /// `Validation` (field `email`); `SpaceNotFound` when there is no such space or `actor`
    /// is not a member; `NotOwner`; `AlreadyMember` when the email belongs to a member;
    /// `InvitationAlreadyPending` when the email has an open invitation; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space_id, invitation_id = tracing::field::Empty))]
    pub async fn invite_member(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
        cmd: InviteMember,
    ) -> Result<CreatedInvitationDto, WatchSpacesError> {
        self.invite_member_inner(actor, space_id, cmd)
            .await
            .map_err(Error::into_public)
    }

    async fn invite_member_inner(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
        cmd: InviteMember,
    ) -> Result<CreatedInvitationDto, Error> {
        let email = Email::parse(&cmd.email)
            .map_err(|error| WatchSpacesError::field("email", error.to_string()))?;

        // Members' emails live in Identity; they are looked up before the space is locked so
        // that no transaction waits on another pool connection. A member joining in between
        // is harmless: their invitation then just opens the space they are already in.
        let member_ids = members_repo::user_ids_of(&self.db, space_id).await?;
        if !member_ids.contains(&actor) {
            return Err(WatchSpacesError::SpaceNotFound.into());
        }
        let member_emails: Vec<Email> = self
            .identity
            .find_users(&member_ids)
            .await
            .map_err(identity_failure("looking up members' emails"))?
            .into_iter()
            .filter_map(|user| Email::parse(&user.email).ok())
            .collect();

        let now = self.clock.now();
        let ttl = self.settings.invitation_ttl;
        let token = InvitationToken::generate();
        let (_, invitation) = self
            .change_space(space_id, |space| {
                space.invite(actor, email, &member_emails, now, ttl, &token)
            })
            .await?;
        tracing::Span::current().record("invitation_id", tracing::field::display(invitation.id));
        tracing::info!("member invited");
        Ok(CreatedInvitationDto {
            id: invitation.id,
            invited_email: invitation.invited_email.to_string(),
            status: invitation.status,
            url: self.invitation_url(&token),
            token: token.as_str().to_owned(),
            expires_at_utc: invitation.expires_at,
            created_at_utc: invitation.created_at,
        })
    }
}
