use identity::contracts::UserId;
use sea_orm::TransactionTrait;

use super::{Error, WatchSpaces};
use crate::contracts::{CreateWatchSpace, SpaceName, WatchSpaceDetailsDto, WatchSpacesError};
use crate::domain::space::WatchSpace;
use crate::infrastructure::spaces_repo;

impl WatchSpaces {
    /// Creates a space; `actor` becomes its only member, as owner.
    ///
    /// # Errors
    /// `Validation` (field `name`) for a blank, too long or control-character name; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = tracing::field::Empty))]
    pub async fn create_space(
        &self,
        actor: UserId,
        cmd: CreateWatchSpace,
    ) -> Result<WatchSpaceDetailsDto, WatchSpacesError> {
        self.create_space_inner(actor, cmd)
            .await
            .map_err(Error::into_public)
    }

    async fn create_space_inner(
        &self,
        actor: UserId,
        cmd: CreateWatchSpace,
    ) -> Result<WatchSpaceDetailsDto, Error> {
        let name = SpaceName::parse(&cmd.name)
            .map_err(|error| WatchSpacesError::field("name", error.to_string()))?;
        let space = WatchSpace::create(actor, name, self.clock.now());
        tracing::Span::current().record("space_id", tracing::field::display(space.id));

        let transaction = self.db.begin().await?;
        spaces_repo::insert(&transaction, &space).await?;
        transaction.commit().await?;
        tracing::info!("watch space created");
        metrics::counter!("bloomwatch_spaces_created_total").increment(1);
        self.details(&space, actor).await
    }
}
