//! Linking a member's AniList account through the fake's OAuth endpoints: the state is
//! theirs, single use and short-lived; one AniList account links one BloomWatch account;
//! unlinking cancels what waits; a server without an AniList client says so.

use anilist_sync::contracts::{
    AniListError, CompleteAniListLink, ScoreFormat, SyncOutcome, SyncSwitchesDto,
    UpdateSyncSwitches,
};
use identity::contracts::ExternalProvider;
use secrecy::ExposeSecret;

use crate::support::{progress, redirect_of, World, FRIEREN};

#[tokio::test]
async fn linking_through_anilist_shows_the_account_with_the_default_switches() {
    let world = World::new().await;
    let mika = world.member("mika").await;

    let before = world.anilist.account(mika).await.unwrap();
    assert!(before.client_configured);
    assert_eq!(before.link, None);

    let account = world.link(mika, Some("mika_anilist")).await;

    let link = account.link.unwrap();
    assert_eq!(link.name.as_deref(), Some("mika_anilist"));
    assert!(link.avatar_url.unwrap().contains("/avatars/"));
    assert_eq!(link.score_format, Some(ScoreFormat::Point10Decimal));
    assert_eq!(link.switches, SyncSwitchesDto::default());
    assert!(
        !link.switches.push_score,
        "scores are not pushed unless chosen"
    );
    assert_eq!(link.expired_reason, None);
    assert_eq!(link.relink_in_days, None, "a year left");
    let expires = link.token_expires_at_utc.unwrap();
    assert!(expires > world.now() + time::Duration::days(360));
    // The token itself is for the server only, and it is the one the fake issued.
    let token = world
        .identity
        .external_access_token(mika, ExternalProvider::AniList)
        .await
        .unwrap();
    assert_eq!(token.expose_secret().split('.').count(), 3);
}

#[tokio::test]
async fn forged_replayed_expired_or_another_members_states_are_refused() {
    let world = World::new().await;
    let mika = world.member("mika").await;
    let ren = world.member("ren").await;

    let forged = CompleteAniListLink {
        code: "whatever".to_owned(),
        state: "forged-state".to_owned(),
    };
    assert_eq!(
        world.anilist.complete_link(mika, forged).await,
        Err(AniListError::LinkStateInvalid)
    );

    // Ren cannot finish Mika's link, and trying does not use it up.
    let mikas = world.approve_on_anilist(mika).await;
    assert_eq!(
        world.anilist.complete_link(ren, mikas.clone()).await,
        Err(AniListError::LinkStateInvalid)
    );
    assert!(world
        .anilist
        .complete_link(mika, mikas.clone())
        .await
        .is_ok());
    // Replayed.
    assert_eq!(
        world.anilist.complete_link(mika, mikas).await,
        Err(AniListError::LinkStateInvalid)
    );

    // Expired: ten minutes to approve.
    let late = world.approve_on_anilist(ren).await;
    world.advance(time::Duration::minutes(11));
    assert_eq!(
        world.anilist.complete_link(ren, late).await,
        Err(AniListError::LinkStateInvalid)
    );
    assert_eq!(world.anilist.account(ren).await.unwrap().link, None);
}

#[tokio::test]
async fn a_second_bloomwatch_account_cannot_link_the_same_anilist_user() {
    let world = World::new().await;
    let mika = world.member("mika").await;
    let impostor = world.member("impostor").await;
    world.link(mika, Some("mika_anilist")).await;

    world.fake.approve_as(Some("mika_anilist"));
    let callback = world.approve_on_anilist(impostor).await;
    assert_eq!(
        world.anilist.complete_link(impostor, callback).await,
        Err(AniListError::AccountTaken)
    );
    assert_eq!(world.anilist.account(impostor).await.unwrap().link, None);
    // Mika keeps hers; linking again as herself is fine.
    assert!(world.anilist.account(mika).await.unwrap().link.is_some());
    world.link(mika, Some("mika_anilist")).await;
}

#[tokio::test]
async fn a_refusal_on_anilist_or_a_bad_code_links_nothing() {
    let world = World::new().await;
    let mika = world.member("mika").await;

    world.fake.deny_authorizations(true);
    let authorize = world.anilist.start_link(mika).await.unwrap().authorize_url;
    let redirect = redirect_of(&authorize).await;
    assert!(redirect
        .query_pairs()
        .any(|(key, value)| key == "error" && value == "access_denied"));
    world.fake.deny_authorizations(false);

    let mut callback = world.approve_on_anilist(mika).await;
    callback.code = "not-the-code".to_owned();
    assert_eq!(
        world.anilist.complete_link(mika, callback).await,
        Err(AniListError::LinkDenied)
    );
    assert_eq!(world.anilist.account(mika).await.unwrap().link, None);
}

#[tokio::test]
async fn switches_change_only_what_is_sent_and_need_a_link() {
    let world = World::new().await;
    let mika = world.member("mika").await;
    let update = UpdateSyncSwitches {
        push_score: Some(true),
        push_status: Some(false),
        push_progress: None,
    };
    assert_eq!(
        world.anilist.update_switches(mika, update).await,
        Err(AniListError::NotLinked)
    );
    world.link(mika, None).await;

    let account = world.anilist.update_switches(mika, update).await.unwrap();

    assert_eq!(
        account.link.unwrap().switches,
        SyncSwitchesDto {
            push_progress: true,
            push_status: false,
            push_score: true,
        }
    );
}

#[tokio::test]
async fn unlinking_removes_the_link_and_cancels_what_waits_logged_as_cancelled() {
    let world = World::new().await;
    let mika = world.member("mika").await;
    world.link(mika, None).await;
    world.queue(&[progress(mika, FRIEREN, 3)]).await;
    assert_eq!(world.pending(mika).await, 1);

    world.anilist.unlink(mika).await.unwrap();

    assert_eq!(world.anilist.account(mika).await.unwrap().link, None);
    assert_eq!(
        world
            .identity
            .external_account(mika, ExternalProvider::AniList)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        world
            .db
            .scalar::<i64>("SELECT count(*) FROM anilist_sync.sync_jobs WHERE state = 'pending'")
            .await,
        0
    );
    let history = world.history(mika).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].outcome, SyncOutcome::Cancelled);
    assert_eq!(history[0].reason.as_deref(), Some("You unlinked AniList."));
    assert_eq!(
        world.anilist.unlink(mika).await,
        Err(AniListError::NotLinked)
    );
    // Nothing reached AniList.
    assert!(world.fake.mutations().is_empty());
}

#[tokio::test]
async fn a_server_without_an_anilist_client_says_linking_is_unavailable() {
    let world = World::with_settings(|settings| settings.oauth = None).await;
    let mika = world.member("mika").await;

    assert_eq!(
        world.anilist.start_link(mika).await,
        Err(AniListError::NotConfigured)
    );
    let account = world.anilist.account(mika).await.unwrap();
    assert!(!account.client_configured);
    assert_eq!(account.link, None);
}
