use identity::contracts::UserId;

use super::{Error, WatchSpaces};
use crate::contracts::{WatchSpaceSummaryDto, WatchSpacesError};
use crate::infrastructure::spaces_repo;

impl WatchSpaces {
    /// The spaces `actor` belongs to, with their role and member counts, sorted by name.
    /// Two queries however many spaces there are.
    ///
    /// # Errors
    /// `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor))]
    pub async fn list_my_spaces(
        &self,
        actor: UserId,
    ) -> Result<Vec<WatchSpaceSummaryDto>, WatchSpacesError> {
        spaces_repo::summaries_for_member(&self.db, actor)
            .await
            .map_err(Error::into_public)
    }
}
