//! People and spaces for tests: Identity with cheap password hashing, users registered as
//! `{name}@example.org`, spaces and members who joined by invitation. Every context's tests
//! set up the same way through these.

// Setup that fails cannot test anything: these helpers panic, like the tests calling them.
#![expect(clippy::unwrap_used)]

use std::sync::Arc;

use identity::contracts::{RegisterUser, UserDto, UserId};
use identity::{Identity, IdentitySettings};
use kernel::Clock;
use sea_orm::DatabaseConnection;
use watch_spaces::contracts::{CreateWatchSpace, InviteMember, WatchSpaceDetailsDto, WatchSpaceId};
use watch_spaces::WatchSpaces;

use crate::RecordedEvents;

/// Every test user's password.
pub const PASSWORD: &str = "correct horse battery staple";

/// Where test users register and sign in from (a documentation address, RFC 5737).
pub const CLIENT_ADDRESS: &str = "192.0.2.1";

/// The defaults with password hashing as cheap as argon2 allows (tests that are not about
/// passwords should not spend their time on them) and registrations from one address
/// unlimited in practice.
pub fn identity_settings() -> IdentitySettings {
    let mut settings = IdentitySettings::default();
    settings.hashing_cost.memory_kib = 64;
    settings.hashing_cost.iterations = 1;
    settings.registrations = kernel::rate_limit::Rate::per_hour(100_000);
    settings
}

/// Identity with [`identity_settings`], its events recorded and dropped.
pub fn identity(db: &DatabaseConnection, clock: Arc<dyn Clock>) -> Identity {
    Identity::new(
        db.clone(),
        clock,
        identity_settings(),
        Arc::new(RecordedEvents::default()),
        Arc::new(RecordedEvents::default()),
    )
    .unwrap()
}

/// The address `name` registers with.
pub fn email_of(name: &str) -> String {
    format!("{name}@example.org")
}

/// The name `name` is shown as: capitalised.
pub fn display_name_of(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Registers `name` with [`email_of`], [`display_name_of`] and [`PASSWORD`].
pub async fn register(identity: &Identity, name: &str) -> UserDto {
    identity
        .register(
            RegisterUser {
                email: email_of(name),
                display_name: display_name_of(name),
                password: PASSWORD.to_owned(),
            },
            CLIENT_ADDRESS,
        )
        .await
        .unwrap()
}

/// A new space of `owner`'s.
pub async fn create_space(spaces: &WatchSpaces, owner: UserId, name: &str) -> WatchSpaceDetailsDto {
    spaces
        .create_space(owner, CreateWatchSpace { name: name.into() })
        .await
        .unwrap()
}

/// `member` (who registered as `member_email`) is invited by `owner` and accepts.
pub async fn join(
    spaces: &WatchSpaces,
    owner: UserId,
    space: WatchSpaceId,
    member: UserId,
    member_email: &str,
) -> WatchSpaceDetailsDto {
    let invitation = spaces
        .invite_member(
            owner,
            space,
            InviteMember {
                email: member_email.into(),
            },
        )
        .await
        .unwrap();
    spaces
        .accept_invitation(member, &invitation.token)
        .await
        .unwrap()
}

/// Registers each of `names`; the first creates the space "Couch" and the others join it by
/// invitation. The space, and its members in the order given.
pub async fn space_of(
    identity: &Identity,
    spaces: &WatchSpaces,
    names: &[&str],
) -> (WatchSpaceId, Vec<UserId>) {
    let mut members = Vec::new();
    for name in names {
        members.push(register(identity, name).await.id);
    }
    let owner = *members.first().unwrap();
    let space = create_space(spaces, owner, "Couch").await.id;
    for (name, member) in names.iter().zip(&members).skip(1) {
        join(spaces, owner, space, *member, &email_of(name)).await;
    }
    (space, members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_shown_capitalised() {
        assert_eq!(display_name_of("ann"), "Ann");
        assert_eq!(display_name_of("élodie"), "Élodie");
        assert_eq!(display_name_of(""), "");
        assert_eq!(email_of("ann"), "ann@example.org");
    }
}
