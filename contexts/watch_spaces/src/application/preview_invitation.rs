use super::{Error, WatchSpaces, UNKNOWN_DISPLAY_NAME};
use crate::contracts::{InvitationPreviewDto, WatchSpacesError};
use crate::domain::invitation::InvitationToken;
use crate::infrastructure::invitations_repo;

impl WatchSpaces {
    /// What an invitation link leads to, for whoever holds it (the token is the secret):
    /// the space's name, who invited, whom, and whether it can still be accepted.
    ///
    /// # Errors
    /// `InvitationNotFound` for an unknown token; `Internal`.
    #[tracing::instrument(skip_all)]
    pub async fn preview_invitation(
        &self,
        token: &str,
    ) -> Result<InvitationPreviewDto, WatchSpacesError> {
        self.preview_invitation_inner(token)
            .await
            .map_err(Error::into_public)
    }

    async fn preview_invitation_inner(&self, token: &str) -> Result<InvitationPreviewDto, Error> {
        let token = InvitationToken::parse(token).ok_or(WatchSpacesError::InvitationNotFound)?;
        let (invitation, space_name) = invitations_repo::find_with_space_name(&self.db, &token)
            .await?
            .ok_or(WatchSpacesError::InvitationNotFound)?;
        let invited_by_display_name = self
            .display_names(&[invitation.invited_by])
            .await?
            .remove(&invitation.invited_by)
            .unwrap_or_else(|| UNKNOWN_DISPLAY_NAME.to_owned());
        Ok(InvitationPreviewDto {
            space_name: space_name.into(),
            invited_by_display_name,
            invited_email: invitation.invited_email.to_string(),
            status: invitation.status_at(self.clock.now()),
            expires_at_utc: invitation.expires_at,
        })
    }
}
