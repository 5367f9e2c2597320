//! Linked accounts: the token is stored sealed (never the token itself), opens only with one
//! of this server's keys and for its own row, survives a key rotation (resealed under the new
//! key), and one account at a provider links one BloomWatch user.

use std::sync::Arc;

use identity::contracts::{
    ExternalAccountChanged, ExternalProvider, IdentityError, LinkExternalAccount, UserId,
};
use identity::{Identity, TokenKeys};
use kernel::SystemClock;
use sea_orm::{ConnectionTrait, Statement};
use secrecy::{ExposeSecret, SecretString};
use testkit::{people, RecordedEvents, TestDb};

const OLD_KEY: &str = "old:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const NEW_KEY: &str = "new:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
const TOKEN: &str = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiI1MTIwIn0.c2lnbmF0dXJl";

struct World {
    db: TestDb,
    identity: Identity,
    links: Arc<RecordedEvents<ExternalAccountChanged>>,
}

impl World {
    async fn new(keys: &str) -> Self {
        let db = TestDb::new().await;
        let links = Arc::new(RecordedEvents::default());
        let identity = identity(&db, keys, links.clone());
        Self {
            db,
            identity,
            links,
        }
    }

    async fn member(&self, name: &str) -> UserId {
        people::register(&self.identity, name).await.id
    }

    async fn stored_tokens(&self) -> Vec<String> {
        self.db
            .connection
            .query_all_raw(Statement::from_string(
                self.db.connection.get_database_backend(),
                "SELECT access_token_encrypted FROM identity.external_account_links",
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get_by_index(0).unwrap())
            .collect()
    }
}

fn identity(
    db: &TestDb,
    keys: &str,
    links: Arc<RecordedEvents<ExternalAccountChanged>>,
) -> Identity {
    let mut settings = people::identity_settings();
    settings.token_keys = Some(Arc::new(TokenKeys::parse(keys).unwrap()));
    Identity::new(
        db.connection.clone(),
        Arc::new(SystemClock),
        settings,
        Arc::new(RecordedEvents::default()),
        links,
    )
    .unwrap()
}

fn anilist_account(id: &str) -> LinkExternalAccount {
    LinkExternalAccount {
        provider: ExternalProvider::AniList,
        provider_user_id: id.to_owned(),
        provider_user_name: Some("mika_anilist".to_owned()),
        avatar_url: Some("https://s4.anilist.co/avatar.png".to_owned()),
        access_token: SecretString::from(TOKEN.to_owned()),
        token_expires_at_utc: Some(time::OffsetDateTime::now_utc() + time::Duration::days(365)),
    }
}

#[tokio::test]
async fn the_token_is_stored_sealed_and_opens_only_on_this_server() {
    let world = World::new(OLD_KEY).await;
    let mika = world.member("mika").await;

    let linked = world
        .identity
        .link_external_account(mika, anilist_account("5120"))
        .await
        .unwrap();

    assert_eq!(linked.provider_user_id, "5120");
    assert_eq!(linked.provider_user_name.as_deref(), Some("mika_anilist"));
    let stored = world.stored_tokens().await;
    assert_eq!(stored.len(), 1);
    assert!(stored[0].starts_with("v1.old."), "{}", stored[0]);
    assert!(!stored[0].contains(TOKEN) && !stored[0].contains("eyJ0eXAi"));
    assert_eq!(
        world
            .identity
            .external_access_token(mika, ExternalProvider::AniList)
            .await
            .unwrap()
            .expose_secret(),
        TOKEN
    );
    assert_eq!(
        world.links.take(),
        [ExternalAccountChanged::Linked {
            user: mika,
            provider: ExternalProvider::AniList,
            provider_user_id: "5120".to_owned(),
        }]
    );

    // A server with another key: the link reads as expired, never as a panic or a token.
    let elsewhere = identity(&world.db, NEW_KEY, Arc::default());
    assert_eq!(
        elsewhere
            .external_access_token(mika, ExternalProvider::AniList)
            .await
            .map(|_| ()),
        Err(IdentityError::ExternalLinkExpired {
            provider: ExternalProvider::AniList
        })
    );
}

#[tokio::test]
async fn a_token_copied_to_another_row_or_tampered_with_does_not_open() {
    let world = World::new(OLD_KEY).await;
    let mika = world.member("mika").await;
    let ren = world.member("ren").await;
    world
        .identity
        .link_external_account(mika, anilist_account("5120"))
        .await
        .unwrap();
    world
        .identity
        .link_external_account(ren, anilist_account("6130"))
        .await
        .unwrap();
    let expired = Err(IdentityError::ExternalLinkExpired {
        provider: ExternalProvider::AniList,
    });

    world
        .db
        .connection
        .execute_unprepared(
            "UPDATE identity.external_account_links ren SET access_token_encrypted = mika.access_token_encrypted \
               FROM identity.external_account_links mika \
              WHERE ren.provider_user_id = '6130' AND mika.provider_user_id = '5120'",
        )
        .await
        .unwrap();
    assert_eq!(
        world
            .identity
            .external_access_token(ren, ExternalProvider::AniList)
            .await
            .map(|_| ()),
        expired
    );

    world
        .db
        .connection
        .execute_unprepared(
            "UPDATE identity.external_account_links \
                SET access_token_encrypted = left(access_token_encrypted, -4) || 'AAA=' \
              WHERE provider_user_id = '5120'",
        )
        .await
        .unwrap();
    assert_eq!(
        world
            .identity
            .external_access_token(mika, ExternalProvider::AniList)
            .await
            .map(|_| ()),
        expired
    );
}

#[tokio::test]
async fn a_plaintext_token_is_refused_by_the_database() {
    let world = World::new(OLD_KEY).await;
    let mika = world.member("mika").await;
    world
        .identity
        .link_external_account(mika, anilist_account("5120"))
        .await
        .unwrap();

    let plaintext = world
        .db
        .connection
        .execute_unprepared(&format!(
            "UPDATE identity.external_account_links SET access_token_encrypted = '{TOKEN}'"
        ))
        .await;

    let error = plaintext.expect_err("the database stored a token as it is");
    assert!(error
        .to_string()
        .contains("external_account_links_access_token_sealed"));
}

#[tokio::test]
async fn rotating_the_key_reseals_every_token_under_the_new_one() {
    let world = World::new(OLD_KEY).await;
    let mika = world.member("mika").await;
    let ren = world.member("ren").await;
    for (user, id) in [(mika, "5120"), (ren, "6130")] {
        world
            .identity
            .link_external_account(user, anilist_account(id))
            .await
            .unwrap();
    }
    let rotated = identity(&world.db, &format!("{NEW_KEY},{OLD_KEY}"), Arc::default());

    assert_eq!(rotated.reseal_external_tokens().await.unwrap(), 2);

    assert!(world
        .stored_tokens()
        .await
        .iter()
        .all(|stored| stored.starts_with("v1.new.")));
    assert_eq!(rotated.reseal_external_tokens().await.unwrap(), 0);
    // The old key alone no longer opens them; the new one alone does.
    let new_only = identity(&world.db, NEW_KEY, Arc::default());
    for user in [mika, ren] {
        assert_eq!(
            new_only
                .external_access_token(user, ExternalProvider::AniList)
                .await
                .unwrap()
                .expose_secret(),
            TOKEN
        );
        assert!(world
            .identity
            .external_access_token(user, ExternalProvider::AniList)
            .await
            .is_err());
    }
}

#[tokio::test]
async fn one_account_at_a_provider_links_one_bloomwatch_user() {
    let world = World::new(OLD_KEY).await;
    let mika = world.member("mika").await;
    let impostor = world.member("impostor").await;
    world
        .identity
        .link_external_account(mika, anilist_account("5120"))
        .await
        .unwrap();

    assert_eq!(
        world
            .identity
            .link_external_account(impostor, anilist_account("5120"))
            .await,
        Err(IdentityError::ExternalAccountTaken {
            provider: ExternalProvider::AniList
        })
    );
    // Linking again (a new token after expiry) replaces the row, it does not add one.
    world
        .identity
        .link_external_account(mika, anilist_account("5120"))
        .await
        .unwrap();
    assert_eq!(world.stored_tokens().await.len(), 1);
}

#[tokio::test]
async fn unlinking_deletes_the_row_and_says_so() {
    let world = World::new(OLD_KEY).await;
    let mika = world.member("mika").await;
    world
        .identity
        .link_external_account(mika, anilist_account("5120"))
        .await
        .unwrap();
    world.links.take();

    world
        .identity
        .unlink_external_account(mika, ExternalProvider::AniList)
        .await
        .unwrap();

    assert!(world.stored_tokens().await.is_empty());
    assert_eq!(
        world.links.take(),
        [ExternalAccountChanged::Unlinked {
            user: mika,
            provider: ExternalProvider::AniList,
        }]
    );
    assert_eq!(
        world
            .identity
            .unlink_external_account(mika, ExternalProvider::AniList)
            .await,
        Err(IdentityError::ExternalAccountNotLinked {
            provider: ExternalProvider::AniList
        })
    );
}

#[tokio::test]
async fn an_odd_account_from_the_provider_is_refused_field_by_field() {
    let world = World::new(OLD_KEY).await;
    let mika = world.member("mika").await;
    let mut odd = anilist_account(" ");
    odd.avatar_url = Some("javascript:alert(1)".to_owned());

    let Err(IdentityError::Validation(errors)) =
        world.identity.link_external_account(mika, odd).await
    else {
        panic!("expected a validation error");
    };

    assert!(errors.for_field("providerUserId").is_some());
    assert!(errors.for_field("avatarUrl").is_some());
    assert!(world.stored_tokens().await.is_empty());
}
