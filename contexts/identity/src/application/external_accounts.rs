//! Links to accounts at other services: link, read, unlink, the token for server-side use,
//! and the pass that reseals tokens under the newest key. Tokens are sealed with the row's
//! id as associated data (see `infrastructure::token_cipher`) and never leave this facade
//! except to the server-side caller of `external_access_token`.

use kernel::db::violated_constraint;
use sea_orm::TransactionTrait;
use secrecy::SecretString;
use uuid::Uuid;

use super::{Error, Identity};
use crate::contracts::{
    ExternalAccountChanged, ExternalAccountDto, ExternalProvider, IdentityError,
    LinkExternalAccount, UserId,
};
use crate::domain::external_link::{ExternalLink, LinkedAccount};
use crate::infrastructure::external_account_links_repo;
use crate::infrastructure::token_cipher::{OpenError, TokenKeys};

/// How many links one reseal round takes (each in the round's transaction).
const RESEAL_BATCH: u64 = 100;

impl Identity {
    /// Links `user`'s account at the provider, or replaces their link there (a re-link after
    /// expiry keeps nothing of the old token). Publishes `ExternalAccountChanged::Linked` in
    /// the same transaction.
    ///
    /// # Errors
    /// `Validation` when what the provider said is unusable; `ExternalAccountTaken` when that
    /// account is linked to another BloomWatch user; `Unauthenticated` when the user is gone;
    /// `Internal` (also when no token keys are configured).
    #[tracing::instrument(skip_all, fields(user_id = %user, provider = link.provider.as_str()))]
    pub async fn link_external_account(
        &self,
        user: UserId,
        link: LinkExternalAccount,
    ) -> Result<ExternalAccountDto, IdentityError> {
        self.link_inner(user, link)
            .await
            .map_err(Error::into_public)
    }

    async fn link_inner(
        &self,
        user: UserId,
        command: LinkExternalAccount,
    ) -> Result<ExternalAccountDto, Error> {
        let now = self.clock.now();
        let account = LinkedAccount::parse(&command, now).map_err(IdentityError::Validation)?;
        let keys = self.token_keys()?;
        let provider = account.provider;
        let taken = || Error::Public(IdentityError::ExternalAccountTaken { provider });
        self.load_active_user(user)
            .await?
            .ok_or(IdentityError::Unauthenticated)?;
        let transaction = self.db.begin().await?;
        match external_account_links_repo::owner_of(
            &transaction,
            provider,
            &account.provider_user_id,
        )
        .await?
        {
            Some(owner) if owner != user => return Err(taken()),
            _ => {}
        }
        let existing =
            external_account_links_repo::find(&transaction, user, provider, true).await?;
        let id = existing.as_ref().map_or_else(Uuid::new_v4, |link| link.id);
        let link = ExternalLink {
            id,
            user_id: user,
            provider,
            sealed_access_token: keys
                .seal(&command.access_token, id.as_bytes())
                .map_err(|error| Error::Internal(anyhow::anyhow!(error)))?,
            provider_user_id: account.provider_user_id,
            provider_user_name: account.provider_user_name,
            avatar_url: account.avatar_url,
            token_expires_at: account.token_expires_at,
            linked_at: now,
        };
        external_account_links_repo::save(&transaction, &link, existing.is_none())
            .await
            .map_err(|error| match &error {
                Error::Db(db)
                    if violated_constraint(db)
                        == Some("external_account_links_provider_user_key") =>
                {
                    taken()
                }
                _ => error,
            })?;
        let event = ExternalAccountChanged::Linked {
            user,
            provider,
            provider_user_id: link.provider_user_id.clone(),
        };
        self.links.publish(&transaction, &event).await?;
        transaction.commit().await?;
        tracing::info!("external account linked");
        Ok(link.to_dto())
    }

    /// The user's link at the provider, if any.
    ///
    /// # Errors
    /// `Internal`.
    pub async fn external_account(
        &self,
        user: UserId,
        provider: ExternalProvider,
    ) -> Result<Option<ExternalAccountDto>, IdentityError> {
        external_account_links_repo::find(&self.db, user, provider, false)
            .await
            .map(|link| link.as_ref().map(ExternalLink::to_dto))
            .map_err(Error::into_public)
    }

    /// The link's access token, for calls the server makes on the user's behalf. Never send
    /// it to a browser or write it to a log.
    ///
    /// # Errors
    /// `ExternalAccountNotLinked`; `ExternalLinkExpired` when the token has expired or cannot
    /// be opened with this server's keys (a lost or wrong key, a tampered row); `Internal`.
    pub async fn external_access_token(
        &self,
        user: UserId,
        provider: ExternalProvider,
    ) -> Result<SecretString, IdentityError> {
        self.access_token_inner(user, provider)
            .await
            .map_err(Error::into_public)
    }

    async fn access_token_inner(
        &self,
        user: UserId,
        provider: ExternalProvider,
    ) -> Result<SecretString, Error> {
        let link = external_account_links_repo::find(&self.db, user, provider, false)
            .await?
            .ok_or(IdentityError::ExternalAccountNotLinked { provider })?;
        let expired = IdentityError::ExternalLinkExpired { provider };
        if link.has_expired(self.clock.now()) {
            return Err(expired.into());
        }
        let Some(keys) = self.settings.token_keys.as_deref() else {
            tracing::warn!(user_id = %user, "no token keys are configured: the link cannot be used");
            return Err(expired.into());
        };
        keys.open(&link.sealed_access_token, link.id.as_bytes())
            .map_err(|why| {
                tracing::warn!(
                    user_id = %user,
                    why = match why {
                        OpenError::UnknownKey => "sealed under a key this server does not have",
                        OpenError::Unreadable => "does not open with this server's key",
                    },
                    "a stored token cannot be used: the user must link again"
                );
                expired.into()
            })
    }

    /// Removes the user's link at the provider and its token, publishing
    /// `ExternalAccountChanged::Unlinked` in the same transaction.
    ///
    /// # Errors
    /// `ExternalAccountNotLinked`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %user, provider = provider.as_str()))]
    pub async fn unlink_external_account(
        &self,
        user: UserId,
        provider: ExternalProvider,
    ) -> Result<(), IdentityError> {
        async {
            let transaction = self.db.begin().await?;
            if !external_account_links_repo::delete(&transaction, user, provider).await? {
                return Err(IdentityError::ExternalAccountNotLinked { provider }.into());
            }
            let event = ExternalAccountChanged::Unlinked { user, provider };
            self.links.publish(&transaction, &event).await?;
            transaction.commit().await?;
            tracing::info!("external account unlinked");
            Ok(())
        }
        .await
        .map_err(Error::into_public)
    }

    /// Reseals, under the key that seals now, every stored token sealed under an older one
    /// (after a key rotation); tokens no configured key opens are left for their owners to
    /// re-link. Returns how many were resealed. Safe to run on several servers at once.
    ///
    /// # Errors
    /// `Internal`.
    pub async fn reseal_external_tokens(&self) -> Result<usize, IdentityError> {
        self.reseal_inner().await.map_err(Error::into_public)
    }

    async fn reseal_inner(&self) -> Result<usize, Error> {
        let Some(keys) = self.settings.token_keys.as_deref() else {
            return Ok(0);
        };
        let mut resealed = 0;
        loop {
            let transaction = self.db.begin().await?;
            let links = external_account_links_repo::sealed_under_other_keys(
                &transaction,
                keys.sealing_key_id(),
                RESEAL_BATCH,
            )
            .await?;
            let mut progressed = false;
            for link in &links {
                let Ok(token) = keys.open(&link.sealed_access_token, link.id.as_bytes()) else {
                    continue;
                };
                let sealed = keys
                    .seal(&token, link.id.as_bytes())
                    .map_err(|error| Error::Internal(anyhow::anyhow!(error)))?;
                external_account_links_repo::reseal(&transaction, link.id, sealed).await?;
                resealed += 1;
                progressed = true;
            }
            transaction.commit().await?;
            // A batch of only unopenable tokens would come back forever.
            if !progressed || links.len() < usize::try_from(RESEAL_BATCH).unwrap_or(usize::MAX) {
                break;
            }
        }
        if resealed > 0 {
            tracing::info!(resealed, "stored tokens resealed under the newest key");
        }
        Ok(resealed)
    }

    fn token_keys(&self) -> Result<&TokenKeys, Error> {
        self.settings.token_keys.as_deref().ok_or_else(|| {
            Error::Internal(anyhow::anyhow!(
                "no token keys are configured (BLOOMWATCH_TOKEN_KEYS), so tokens cannot be stored"
            ))
        })
    }
}
