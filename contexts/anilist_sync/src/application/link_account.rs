//! Linking a member's AniList account (authorization-code grant) and what they see and
//! change of it: start (a one-time `state` bound to them, ten minutes), complete (check the
//! state, trade the code for a token, ask AniList who it is, hand the link to Identity, which
//! seals the token), the link's status and switches, unlinking.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use identity::contracts::{ExternalProvider, IdentityError, LinkExternalAccount, UserId};
use rand::RngCore as _;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::{AniListSync, Error};
use crate::contracts::{
    AniListAccountDto, AniListError, AniListLinkDto, AuthorizeUrlDto, CompleteAniListLink,
    UpdateSyncSwitches,
};
use crate::infrastructure::anilist_api::FetchError;
use crate::infrastructure::anilist_oauth::{ExchangeError, OAuthClient};
use crate::infrastructure::{oauth_states_repo, sync_accounts_repo, sync_jobs_repo};

/// How long a member has to approve BloomWatch on AniList.
const STATE_LIFETIME: time::Duration = time::Duration::minutes(10);
/// From how long before the token's expiry members are asked to link again.
const RELINK_WARNING: time::Duration = time::Duration::days(30);
/// The longest `code` and `state` we look at (AniList's codes are about a kilobyte).
const MAX_CALLBACK_PARAMETER: usize = 4096;

impl AniListSync {
    /// Where to send `user` to approve BloomWatch on AniList: the authorize URL with a fresh
    /// one-time `state` (256 random bits, bound to the user, valid ten minutes).
    ///
    /// # Errors
    /// `NotConfigured` without an AniList client; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %user))]
    pub async fn start_link(&self, user: UserId) -> Result<AuthorizeUrlDto, AniListError> {
        async {
            let oauth = self.oauth()?;
            let mut secret = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut secret);
            let state = URL_SAFE_NO_PAD.encode(secret);
            let now = self.inner.clock.now();
            oauth_states_repo::prune(&self.inner.db, now).await?;
            oauth_states_repo::insert(
                &self.inner.db,
                &state_hash(&state),
                user,
                now,
                now + STATE_LIFETIME,
            )
            .await?;
            Ok(AuthorizeUrlDto {
                authorize_url: oauth.authorize_url(&state),
            })
        }
        .await
        .map_err(Error::into_public)
    }

    /// Finishes a link AniList sent `user` back from: uses up the `state` (it must be theirs,
    /// unexpired and unused), trades the `code` for a token, reads who it belongs to and
    /// links that AniList account to `user`.
    ///
    /// # Errors
    /// `NotConfigured`; `LinkStateInvalid` for a forged, replayed, expired or someone else's
    /// state; `LinkDenied` when AniList refuses the code; `AccountTaken` when that AniList
    /// account is linked to another BloomWatch user; `Unavailable` when AniList cannot answer
    /// (the member tries again); `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %user))]
    pub async fn complete_link(
        &self,
        user: UserId,
        callback: CompleteAniListLink,
    ) -> Result<AniListAccountDto, AniListError> {
        self.complete_link_inner(user, callback)
            .await
            .map_err(Error::into_public)?;
        self.account(user).await
    }

    async fn complete_link_inner(
        &self,
        user: UserId,
        callback: CompleteAniListLink,
    ) -> Result<(), Error> {
        let oauth = self.oauth()?;
        let (code, state) = (callback.code.trim(), callback.state.trim());
        let usable = |raw: &str| !raw.is_empty() && raw.len() <= MAX_CALLBACK_PARAMETER;
        let now = self.inner.clock.now();
        if !usable(state)
            || !oauth_states_repo::take(&self.inner.db, &state_hash(state), user, now).await?
        {
            tracing::warn!("an AniList link callback with an unknown, used, expired or foreign state was refused");
            return Err(AniListError::LinkStateInvalid.into());
        }
        if !usable(code) {
            return Err(AniListError::LinkDenied.into());
        }
        let issued = oauth
            .exchange(code, now)
            .await
            .map_err(|error| match error {
                ExchangeError::Refused(why) => {
                    tracing::warn!(%why, "AniList refused the authorization code");
                    Error::Public(AniListError::LinkDenied)
                }
                ExchangeError::Unavailable(why) => {
                    tracing::warn!(%why, "AniList's token endpoint could not answer");
                    Error::Public(AniListError::Unavailable)
                }
            })?;
        let viewer = self
            .inner
            .client
            .viewer(&issued.access_token)
            .await
            .map_err(|failure| match failure {
                FetchError::Unauthorized => {
                    tracing::warn!("AniList refused the token it had just issued");
                    Error::Public(AniListError::LinkDenied)
                }
                other => Error::Upstream(other),
            })?;
        let anilist_user_id = i32::try_from(viewer.id)
            .map_err(|_| Error::Upstream(FetchError::Malformed("viewer id".to_owned())))?;
        let link = LinkExternalAccount {
            provider: ExternalProvider::AniList,
            provider_user_id: viewer.id.to_string(),
            provider_user_name: viewer.name,
            avatar_url: viewer.avatar_url,
            access_token: issued.access_token,
            token_expires_at_utc: issued.expires_at,
        };
        self.inner
            .identity
            .link_external_account(user, link)
            .await
            .map_err(|error| match error {
                IdentityError::ExternalAccountTaken { .. } => {
                    Error::Public(AniListError::AccountTaken)
                }
                IdentityError::Validation(errors) => {
                    tracing::warn!(%errors, "AniList described the account in a way we cannot store");
                    Error::Upstream(FetchError::Malformed(errors.to_string()))
                }
                other => identity_failure(other),
            })?;
        // The sync account itself was written with the link (see `AccountLinkSubscriber`).
        sync_accounts_repo::set_score_format(&self.inner.db, user, viewer.score_format).await?;
        tracing::info!(anilist_user_id, "AniList account linked");
        Ok(())
    }

    /// Whether this server can link AniList, and `user`'s link as they see it.
    ///
    /// # Errors
    /// `Internal`.
    pub async fn account(&self, user: UserId) -> Result<AniListAccountDto, AniListError> {
        async {
            let link = self
                .inner
                .identity
                .external_account(user, ExternalProvider::AniList)
                .await
                .map_err(identity_failure)?;
            let (Some(link), Some(account)) =
                (link, sync_accounts_repo::find(&self.inner.db, user).await?)
            else {
                return Ok(AniListAccountDto {
                    client_configured: self.inner.oauth.is_some(),
                    link: None,
                });
            };
            let now = self.inner.clock.now();
            let expired_reason = account.expired_reason.or_else(|| {
                link.token_expires_at_utc
                    .filter(|expires| *expires <= now)
                    .map(|_| "Your AniList token expired (they last a year).".to_owned())
            });
            Ok(AniListAccountDto {
                client_configured: self.inner.oauth.is_some(),
                link: Some(AniListLinkDto {
                    anilist_user_id: i64::from(account.anilist_user_id),
                    name: link.provider_user_name,
                    avatar_url: link.avatar_url,
                    score_format: account.score_format,
                    linked_at_utc: link.linked_at_utc,
                    token_expires_at_utc: link.token_expires_at_utc,
                    relink_in_days: relink_in_days(link.token_expires_at_utc, now),
                    expired_reason,
                    switches: account.switches,
                    last_synced_at_utc: account.last_synced_at,
                    pending_changes: sync_jobs_repo::pending_count(&self.inner.db, user).await?,
                }),
            })
        }
        .await
        .map_err(Error::into_public)
    }

    /// Changes which of `user`'s changes are pushed.
    ///
    /// # Errors
    /// `NotLinked`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %user))]
    pub async fn update_switches(
        &self,
        user: UserId,
        update: UpdateSyncSwitches,
    ) -> Result<AniListAccountDto, AniListError> {
        let now = self.inner.clock.now();
        sync_accounts_repo::update_switches(&self.inner.db, user, update, now)
            .await
            .map_err(Error::into_public)?
            .ok_or(AniListError::NotLinked)?;
        self.account(user).await
    }

    /// Removes `user`'s AniList link and its token; their pending changes are cancelled (see
    /// `AccountLinkSubscriber`).
    ///
    /// # Errors
    /// `NotLinked`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %user))]
    pub async fn unlink(&self, user: UserId) -> Result<(), AniListError> {
        self.inner
            .identity
            .unlink_external_account(user, ExternalProvider::AniList)
            .await
            .map_err(|error| match error {
                IdentityError::ExternalAccountNotLinked { .. } => AniListError::NotLinked,
                other => identity_failure(other).into_public(),
            })
    }

    fn oauth(&self) -> Result<&OAuthClient, Error> {
        self.inner
            .oauth
            .as_ref()
            .ok_or(Error::Public(AniListError::NotConfigured))
    }
}

/// Only the hash of a state is stored.
fn state_hash(state: &str) -> [u8; 32] {
    Sha256::digest(state.as_bytes()).into()
}

/// Days left before the member must link again, from 30 days before the expiry (0 on the
/// last day, `None` before the warning starts and after the expiry).
pub(crate) fn relink_in_days(
    expires_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Option<i64> {
    let left = expires_at? - now;
    (left > time::Duration::ZERO && left <= RELINK_WARNING).then(|| left.whole_days())
}

/// Identity refused something we did not expect it to refuse.
pub(crate) fn identity_failure(error: IdentityError) -> Error {
    Error::Internal(anyhow::Error::new(error).context("asking Identity"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-01 12:00 UTC);

    #[test]
    fn members_are_asked_to_relink_from_thirty_days_before_expiry() {
        let days = |d: i64| Some(NOW + time::Duration::days(d));
        assert_eq!(relink_in_days(days(365), NOW), None);
        assert_eq!(relink_in_days(days(31), NOW), None);
        assert_eq!(relink_in_days(days(30), NOW), Some(30));
        assert_eq!(
            relink_in_days(Some(NOW + time::Duration::hours(5)), NOW),
            Some(0)
        );
        assert_eq!(relink_in_days(Some(NOW), NOW), None);
        assert_eq!(relink_in_days(None, NOW), None);
    }

    #[test]
    fn states_are_stored_as_their_sha256() {
        assert_eq!(state_hash("abc").len(), 32);
        assert_ne!(state_hash("abc"), state_hash("abd"));
    }
}
